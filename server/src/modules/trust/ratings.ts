// Ratings shown beside a member (cards, listing page, requests): SQL pieces over visible reviews.
import { sql, type Sql } from '../../db/sql.ts';

/** Days after which a review shows even when the other side never wrote theirs. */
export const REVIEW_BLIND_DAYS = 7;

/**
 * "Each side sees the other's review only after both wrote one or 7 days passed": a review of the
 * lender (reviews, alias) or of the borrower (borrower_reviews, alias) is visible to others once its
 * counterpart exists or it is REVIEW_BLIND_DAYS old. Its author always sees it.
 */
export function reviewReleased(kind: 'LENDER' | 'BORROWER', alias: string, now?: Date, viewerId?: number | null): Sql {
  const a = sql.raw(alias);
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const other = kind === 'LENDER' ? sql.raw('borrower_reviews') : sql.raw('reviews');
  return sql`(${a}.created_at <= ${at} - make_interval(days => ${REVIEW_BLIND_DAYS})
    OR EXISTS (SELECT 1 FROM ${other} o_r WHERE o_r.reservation_id = ${a}.reservation_id)
    ${viewerId ? sql`OR ${a}.author_id = ${viewerId}::bigint` : sql``})`;
}

/** Average overall score (1 decimal) and count of the released, unbanned reviews a lender received. */
export function lenderRatingColumns(memberExpr: string, prefix = 'owner'): Sql {
  const m = sql.raw(memberExpr);
  const released = reviewReleased('LENDER', 'rr');
  return sql`(SELECT round(avg((rr.equipment_score + rr.kindness_score + rr.response_score) / 3.0), 1)::float8
      FROM reviews rr WHERE rr.lender_id = ${m} AND rr.banned_at IS NULL AND ${released}) AS ${sql.raw(prefix + '_rating')},
    (SELECT count(*)::int FROM reviews rr WHERE rr.lender_id = ${m} AND rr.banned_at IS NULL AND ${released}) AS ${sql.raw(prefix + '_review_count')}`;
}
