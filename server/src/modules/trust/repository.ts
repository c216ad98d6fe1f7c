// All SQL of trust: the inputs of the score (reviews received both ways, rentals, returns, chat reply
// times, upheld reports — read from their domains' tables) and the lender ratings listing cards join.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { reviewReleased } from '../reviews/repository.ts';

export const RESPONSE_WINDOW_DAYS = 90;

export interface TrustInputsRow {
  /** overall scores of the released reviews received, latest first */
  scores: number[] | null;
  completed: number;
  on_time: number;
  late: number;
  upheld: number;
  /** chats others started with the member in the window, and how many got a reply within 24 h */
  asked: number;
  answered: number;
  /** median seconds to a first reply */
  median_s: number | null;
}

/** A lender's rating as listing cards and the listing page show it (see lenderRatings). */
export interface LenderRatingRow {
  lender_id: number;
  rating: number;
  review_count: number;
}

/**
 * Average overall score (1 decimal) and count of the released, unbanned reviews each lender among
 * `lenders` (a SELECT of member ids) received, as of `now` (the app's clock): one aggregate over the
 * page's lenders that card and listing queries join (rows LenderRatingRow; no row = no reviews).
 */
export const lenderRatings = (lenders: Sql, now: Date): Sql => sql`SELECT rr.lender_id,
    round(avg((rr.equipment_score + rr.kindness_score + rr.response_score) / 3.0), 1)::float8 AS rating, count(*)::int AS review_count
  FROM reviews rr WHERE rr.lender_id IN (${lenders}) AND rr.banned_at IS NULL AND ${reviewReleased('LENDER', 'rr', now)}
  GROUP BY rr.lender_id`;

export function trustRepository(db: Queryable) {
  return {
    /** Everything the score of `memberId` is computed from, as of `now`. */
    inputs: async (memberId: number, now: Date) => {
      const me = sql`${memberId}::bigint`;
      return (await db.one<TrustInputsRow>(sql`WITH got AS (
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
    },
  };
}
