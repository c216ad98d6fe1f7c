// All SQL of reviews: the borrower's review of the lender (reviews, with the lender's one reply), the
// lender's review of the borrower (borrower_reviews), their blind release (blind.ts) and the cached
// summaries. Reads of posts/members/reservations here answer review questions only.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { REVIEW_BLIND_DAYS, type ReviewKind } from './blind.ts';

export type SummaryTarget = 'POST' | 'MEMBER';

export interface ReviewRow {
  id: number;
  reservation_id: number;
  post_id: number;
  post_title: string;
  author_id: number;
  author_nickname: string;
  author_avatar: string | null;
  lender_id: number;
  equipment_score: number;
  kindness_score: number;
  response_score: number;
  comment: string;
  reply: string | null;
  replied_at: Date | null;
  banned_at: Date | null;
  created_at: Date;
  /** released to everyone at the `now` it was read at (blind.ts) */
  released: boolean;
}

export interface BorrowerReviewRow {
  id: number;
  reservation_id: number;
  post_id: number;
  post_title: string;
  author_id: number;
  author_nickname: string;
  author_avatar: string | null;
  borrower_id: number;
  care_score: number;
  punctuality_score: number;
  communication_score: number;
  comment: string;
  created_at: Date;
  released: boolean;
}

export interface SummaryAggregateRow {
  n: number;
  equipment: number | null;
  kindness: number | null;
  response: number | null;
  overall: number | null;
  replies: number;
  banned: number;
  changed: string | null;
  cached_fingerprint: string | null;
  cached_text: string;
  cached_source: 'AI' | 'EXTRACTIVE';
  cached_at: Date;
}

export interface SummaryInputRow {
  comment: string;
  equipmentScore: number;
  kindnessScore: number;
  responseScore: number;
}

export interface ReservationForReviewRow {
  id: number;
  status: string;
  borrower_id: number;
  lender_id: number;
  post_id: number;
  title: string;
}

/**
 * A review (alias) of the lender ('LENDER': table reviews) or of the borrower ('BORROWER': table
 * borrower_reviews) is released to others once its counterpart exists or it is REVIEW_BLIND_DAYS old
 * at `now` (the database clock when omitted). `viewerId` (its author) always sees it.
 */
export function reviewReleased(kind: ReviewKind, alias: string, now?: Date, viewerId?: number | null): Sql {
  const a = sql.raw(alias);
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const other = kind === 'LENDER' ? sql.raw('borrower_reviews') : sql.raw('reviews');
  return sql`(${a}.created_at <= ${at} - make_interval(days => ${REVIEW_BLIND_DAYS})
    OR EXISTS (SELECT 1 FROM ${other} o_r WHERE o_r.reservation_id = ${a}.reservation_id)
    ${viewerId ? sql`OR ${a}.author_id = ${viewerId}::bigint` : sql``})`;
}

const selectReview = (now: Date) => sql`SELECT r.*, p.title AS post_title, a.nickname AS author_nickname, a.avatar_path AS author_avatar,
    ${reviewReleased('LENDER', 'r', now)} AS released
  FROM reviews r JOIN posts p ON p.id = r.post_id JOIN members a ON a.id = r.author_id`;
const selectBorrowerReview = (now: Date) => sql`SELECT b.*, p.title AS post_title, a.nickname AS author_nickname, a.avatar_path AS author_avatar,
    ${reviewReleased('BORROWER', 'b', now)} AS released
  FROM borrower_reviews b JOIN posts p ON p.id = b.post_id JOIN members a ON a.id = b.author_id`;

const targetFilter = (type: SummaryTarget, id: number): Sql => (type === 'POST' ? sql`r.post_id = ${id}` : sql`r.lender_id = ${id}`);

/** Who reads a list: admins see everything; others see released reviews and their own. */
export interface Reader {
  now: Date;
  viewerId: number | null;
  admin: boolean;
}

export function reviewsRepository(db: Queryable) {
  return {
    byId: (id: number, now: Date) => db.one<ReviewRow>(sql`${selectReview(now)} WHERE r.id = ${id}`),
    borrowerReviewById: (id: number, now: Date) => db.one<BorrowerReviewRow>(sql`${selectBorrowerReview(now)} WHERE b.id = ${id}`),
    /** The two reviews of a reservation (either may be missing). */
    ofReservation: async (reservationId: number, now: Date) => ({
      fromBorrower: await db.one<ReviewRow>(sql`${selectReview(now)} WHERE r.reservation_id = ${reservationId}`),
      fromLender: await db.one<BorrowerReviewRow>(sql`${selectBorrowerReview(now)} WHERE b.reservation_id = ${reservationId}`),
    }),

    /** Whether a listing's reviews may be read: it is publicly visible (or, for admins, not deleted). */
    postReadable: async (postId: number, admin: boolean) =>
      !!(await db.one(sql`SELECT 1 FROM posts p WHERE p.id = ${postId} AND ${sql.raw(admin ? 'p.deleted_at IS NULL' : publicPostCondition('p'))}`)),
    memberExists: async (memberId: number) => !!(await db.one(sql`SELECT 1 FROM members WHERE id = ${memberId}`)),

    /** A page of a listing's or lender's reviews, newest first, `limit + 1` rows to tell if more follow. */
    page: (type: SummaryTarget, id: number, reader: Reader, o: { limit: number; before?: number }) => {
      const filters = [targetFilter(type, id)];
      if (!reader.admin) filters.push(sql`r.banned_at IS NULL`, reviewReleased('LENDER', 'r', reader.now, reader.viewerId));
      if (o.before) filters.push(sql`r.id < ${o.before}`);
      return db.query<ReviewRow>(sql`${selectReview(reader.now)} WHERE ${sql.join(filters, ' AND ')} ORDER BY r.id DESC LIMIT ${o.limit + 1}`);
    },

    /** A page of the reviews a member received as borrower, newest first, `limit + 1` rows. */
    borrowerPage: (borrowerId: number, reader: Reader, o: { limit: number; before?: number }) => {
      const filters = [sql`b.borrower_id = ${borrowerId}`];
      if (!reader.admin) filters.push(reviewReleased('BORROWER', 'b', reader.now, reader.viewerId));
      if (o.before) filters.push(sql`b.id < ${o.before}`);
      return db.query<BorrowerReviewRow>(
        sql`${selectBorrowerReview(reader.now)} WHERE ${sql.join(filters, ' AND ')} ORDER BY b.id DESC LIMIT ${o.limit + 1}`,
      );
    },

    /** Averages and fingerprint parts of a target's released reviews, with its cached summary text. */
    summaryAggregate: async (type: SummaryTarget, id: number, now: Date) =>
      (await db.one<SummaryAggregateRow>(sql`
      WITH agg AS (
        SELECT count(*) FILTER (WHERE r.banned_at IS NULL)::int AS n,
          avg(r.equipment_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS equipment,
          avg(r.kindness_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS kindness,
          avg(r.response_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS response,
          avg((r.equipment_score + r.kindness_score + r.response_score) / 3.0) FILTER (WHERE r.banned_at IS NULL)::float8 AS overall,
          count(r.reply)::int AS replies, count(r.banned_at)::int AS banned, max(r.updated_at)::text AS changed
        FROM reviews r WHERE ${targetFilter(type, id)} AND ${reviewReleased('LENDER', 'r', now)})
      SELECT agg.*, s.fingerprint AS cached_fingerprint, s.text AS cached_text, s.source AS cached_source, s.created_at AS cached_at
      FROM agg LEFT JOIN review_summaries s ON s.target_type = ${type} AND s.target_id = ${id}`))!,

    /** The latest 100 released, unbanned reviews' scores and comments, to summarise. */
    summaryInputs: (type: SummaryTarget, id: number, now: Date) =>
      db.query<SummaryInputRow>(sql`
      SELECT r.comment, r.equipment_score AS "equipmentScore", r.kindness_score AS "kindnessScore", r.response_score AS "responseScore"
      FROM reviews r WHERE ${targetFilter(type, id)} AND r.banned_at IS NULL AND ${reviewReleased('LENDER', 'r', now)}
      ORDER BY r.id DESC LIMIT 100`),

    saveSummary: (s: { type: SummaryTarget; id: number; fingerprint: string; count: number; source: 'AI' | 'EXTRACTIVE'; text: string; at: Date }) =>
      db.query(sql`INSERT INTO review_summaries (target_type, target_id, fingerprint, review_count, source, text, created_at)
        VALUES (${s.type}, ${s.id}, ${s.fingerprint}, ${s.count}, ${s.source}, ${s.text}, ${s.at})
        ON CONFLICT (target_type, target_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
          review_count = EXCLUDED.review_count, source = EXCLUDED.source, text = EXCLUDED.text, created_at = EXCLUDED.created_at`),

    reservationForReview: (reservationId: number) =>
      db.one<ReservationForReviewRow>(sql`SELECT res.id, res.status, res.borrower_id, res.lender_id, res.post_id, p.title
        FROM reservations res JOIN posts p ON p.id = res.post_id WHERE res.id = ${reservationId}`),

    /** The borrower's review of the lender; undefined when the reservation already has one. */
    insert: async (r: {
      reservationId: number; postId: number; authorId: number; lenderId: number;
      equipmentScore: number; kindnessScore: number; responseScore: number; comment: string; at: Date;
    }) =>
      (await db.one<{ id: number }>(sql`INSERT INTO reviews (reservation_id, post_id, author_id, lender_id,
          equipment_score, kindness_score, response_score, comment, created_at, updated_at)
        VALUES (${r.reservationId}, ${r.postId}, ${r.authorId}, ${r.lenderId},
          ${r.equipmentScore}, ${r.kindnessScore}, ${r.responseScore}, ${r.comment}, ${r.at}, ${r.at})
        ON CONFLICT ON CONSTRAINT reviews_once_per_reservation DO NOTHING RETURNING id`))?.id,

    /** The lender's review of the borrower; undefined when the reservation already has one. */
    insertBorrowerReview: async (r: {
      reservationId: number; postId: number; authorId: number; borrowerId: number;
      careScore: number; punctualityScore: number; communicationScore: number; comment: string; at: Date;
    }) =>
      (await db.one<{ id: number }>(sql`INSERT INTO borrower_reviews (reservation_id, post_id, author_id, borrower_id,
          care_score, punctuality_score, communication_score, comment, created_at)
        VALUES (${r.reservationId}, ${r.postId}, ${r.authorId}, ${r.borrowerId},
          ${r.careScore}, ${r.punctualityScore}, ${r.communicationScore}, ${r.comment}, ${r.at})
        ON CONFLICT (reservation_id) DO NOTHING RETURNING id`))?.id,

    /** Sets the lender's reply unless there is one; false when there was. */
    setReply: async (reviewId: number, content: string, at: Date) =>
      !!(await db.one(sql`UPDATE reviews SET reply = ${content}, replied_at = ${at}, updated_at = now()
        WHERE id = ${reviewId} AND reply IS NULL RETURNING id`)),
  };
}
