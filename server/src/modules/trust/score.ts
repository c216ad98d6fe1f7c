// 매너온도-style trust score: THE one place its formula lives (unit-tested in trust.test.ts), plus
// the reads that feed it and the chat response figures shown beside it.
//
//   score = 36.5
//         + Σ over released reviews received (as lender and as borrower, ≤ 100 latest):
//             (overall score − 3) × 0.3          → a 5★ review +0.6, a 1★ review −0.6
//         + 0.1 per completed rental (either side), at most +5
//         + 0.2 per on-time return as borrower, at most +3;  − 1.0 per late or missing return
//         + reply speed in chat (median first reply): ≤ 1 h +0.5, > 24 h −0.5, else 0
//         − 3.0 per upheld report (a report on the member, their listings or reviews that led to a ban)
//   clamped to 0 … 99, one decimal.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { reviewReleased } from './ratings.ts';

export const TRUST_START = 36.5;
export const RESPONSE_WINDOW_DAYS = 90;

export interface TrustInputs {
  /** overall scores (1–5) of the released reviews received */
  reviewScores: number[];
  completedRentals: number;
  onTimeReturns: number;
  lateReturns: number;
  /** median minutes to a first reply in chat, null without data */
  medianReplyMinutes: number | null;
  upheldReports: number;
}

export function trustScore(i: TrustInputs): number {
  let t = TRUST_START;
  for (const s of i.reviewScores.slice(0, 100)) t += (s - 3) * 0.3;
  t += Math.min(i.completedRentals * 0.1, 5);
  t += Math.min(i.onTimeReturns * 0.2, 3);
  t -= i.lateReturns * 1.0;
  if (i.medianReplyMinutes !== null) {
    if (i.medianReplyMinutes <= 60) t += 0.5;
    else if (i.medianReplyMinutes > 24 * 60) t -= 0.5;
  }
  t -= i.upheldReports * 3.0;
  return Math.round(Math.min(99, Math.max(0, t)) * 10) / 10;
}

/** "보통 N 이내 응답" from a median reply time. */
export function typicalReplyLabel(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes <= 10) return '보통 10분 이내 응답';
  if (minutes <= 60) return '보통 1시간 이내 응답';
  if (minutes <= 6 * 60) return '보통 몇 시간 이내 응답';
  if (minutes <= 24 * 60) return '보통 하루 이내 응답';
  return '응답이 느린 편';
}

export interface Trust {
  score: number;
  reviewCount: number;
  completedRentals: number;
  /** % of chats started by others that got a reply within 24 h (last 90 days); null without chats */
  responseRate: number | null;
  typicalReplyMinutes: number | null;
  typicalReply: string | null;
}

export async function trustOf(q: Queryable, memberId: number, now: Date): Promise<Trust> {
  const me = sql`${memberId}::bigint`;
  const row = (await q.one<{
    scores: number[] | null; completed: number; on_time: number; late: number; upheld: number;
    asked: number; answered: number; median_s: number | null;
  }>(sql`WITH got AS (
       SELECT (r.equipment_score + r.kindness_score + r.response_score) / 3.0 AS s, r.created_at FROM reviews r
       WHERE r.lender_id = ${me} AND r.banned_at IS NULL AND ${reviewReleased('LENDER', 'r', now)}
       UNION ALL
       SELECT (b.care_score + b.punctuality_score + b.communication_score) / 3.0, b.created_at FROM borrower_reviews b
       WHERE b.borrower_id = ${me} AND ${reviewReleased('BORROWER', 'b', now)}),
     asked AS (
       SELECT cm.room_id, (SELECT min(m.created_at) FROM chat_messages m WHERE m.room_id = cm.room_id AND m.sender_id <> ${me}) AS at
       FROM chat_members cm WHERE cm.member_id = ${me}),
     replies AS (
       SELECT a.at, (SELECT min(m.created_at) FROM chat_messages m WHERE m.room_id = a.room_id AND m.sender_id = ${me} AND m.created_at >= a.at) AS replied
       FROM asked a WHERE a.at > ${now}::timestamptz - make_interval(days => ${RESPONSE_WINDOW_DAYS}))
     SELECT
       (SELECT array_agg(s::float8 ORDER BY created_at DESC) FROM got) AS scores,
       (SELECT count(*)::int FROM reservations x WHERE (x.lender_id = ${me} OR x.borrower_id = ${me})
          AND x.status IN ('RETURN_COMPLETED', 'PENDING_REFUND', 'REFUND_COMPLETED', 'CLAIM_COMPLETED')) AS completed,
       (SELECT count(*)::int FROM reservations x WHERE x.borrower_id = ${me} AND x.overdue_notified_at IS NULL
          AND x.status IN ('RETURN_COMPLETED', 'PENDING_REFUND', 'REFUND_COMPLETED')) AS on_time,
       (SELECT count(*)::int FROM reservations x WHERE x.borrower_id = ${me}
          AND (x.overdue_notified_at IS NOT NULL OR x.status IN ('LOST_OR_UNRETURNED', 'CLAIMING', 'CLAIM_COMPLETED'))) AS late,
       (SELECT count(DISTINCT (rp.target_type, rp.target_id))::int FROM reports rp WHERE rp.status = 'RESOLVED' AND (
          (rp.target_type = 'MEMBER' AND rp.target_id = ${me})
          OR (rp.target_type = 'POST' AND EXISTS (SELECT 1 FROM posts p WHERE p.id = rp.target_id AND p.author_id = ${me}))
          OR (rp.target_type = 'REVIEW' AND EXISTS (SELECT 1 FROM reviews v WHERE v.id = rp.target_id AND v.author_id = ${me})))) AS upheld,
       (SELECT count(*)::int FROM replies) AS asked,
       (SELECT count(*)::int FROM replies WHERE replied <= at + interval '24 hours') AS answered,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM replied - at)) FROM replies WHERE replied IS NOT NULL)::float8 AS median_s`))!;
  const scores = row.scores ?? [];
  const medianReplyMinutes = row.median_s === null ? null : Math.round(row.median_s / 60);
  return {
    score: trustScore({
      reviewScores: scores,
      completedRentals: row.completed,
      onTimeReturns: row.on_time,
      lateReturns: row.late,
      medianReplyMinutes,
      upheldReports: row.upheld,
    }),
    reviewCount: scores.length,
    completedRentals: row.completed,
    responseRate: row.asked ? Math.round((row.answered / row.asked) * 100) : null,
    typicalReplyMinutes: medianReplyMinutes,
    typicalReply: typicalReplyLabel(medianReplyMinutes),
  };
}

