// 매너온도-style trust score: THE one place its formula lives (unit-tested in trust.test.ts), plus
// the mapping of its inputs (read in repository.ts) and the chat response figures shown beside it.
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
import { trustRepository } from './repository.ts';

export const TRUST_START = 36.5;

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
  const row = await trustRepository(q).inputs(memberId, now);
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


/** Trust of several members (each once), e.g. the borrowers of a lender's incoming requests. */
export async function trustOfMany(q: Queryable, memberIds: number[], now: Date): Promise<Map<number, Trust>> {
  const ids = [...new Set(memberIds)];
  return new Map(await Promise.all(ids.map(async (id) => [id, await trustOf(q, id, now)] as const)));
}
