// Reviews: the borrower reviews a finished rental once, the lender replies once; lists and summaries.
import type { Deps } from '../../deps.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { isReviewable } from '../reservations/status.ts';
import type { CreateReviewBody, ReviewListQuery } from './schemas.ts';
import { aiSummary, extractiveSummary, type Averages, type SummaryInput } from './summary.ts';
import { iso } from '../../http/wire.ts';

export type SummaryTarget = 'POST' | 'MEMBER';

interface ReviewRow {
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
}

const SELECT_REVIEW = `SELECT r.*, p.title AS post_title, a.nickname AS author_nickname, a.avatar_path AS author_avatar
  FROM reviews r JOIN posts p ON p.id = r.post_id JOIN members a ON a.id = r.author_id`;

const round1 = (n: number) => Math.round(n * 10) / 10;

function toReview(r: ReviewRow) {
  return {
    id: r.id,
    reservationId: r.reservation_id,
    post: { id: r.post_id, title: r.post_title },
    author: { id: r.author_id, nickname: r.author_nickname, avatarUrl: mediaUrl(r.author_avatar) },
    lenderId: r.lender_id,
    equipmentScore: r.equipment_score,
    kindnessScore: r.kindness_score,
    responseScore: r.response_score,
    overallScore: round1((r.equipment_score + r.kindness_score + r.response_score) / 3),
    comment: r.comment,
    reply: r.reply ? { content: r.reply, createdAt: iso(r.replied_at!) } : null,
    banned: r.banned_at !== null,
    createdAt: iso(r.created_at),
  };
}

export function reviewsService(deps: Deps) {
  const { db, notifications } = deps;

  async function visibleReview(id: number, admin: boolean) {
    const row = await db.one<ReviewRow>(`${SELECT_REVIEW} WHERE r.id = $1`, [id]);
    if (!row || (row.banned_at && !admin)) throw notFound('리뷰');
    return row;
  }

  /** A listing's reviews are readable where the listing is: publicly visible, or by an admin. */
  async function assertPostReadable(postId: number, admin: boolean) {
    const visible = admin ? 'p.deleted_at IS NULL' : publicPostCondition('p');
    if (!(await db.one(`SELECT 1 FROM posts p WHERE p.id = $1 AND ${visible}`, [postId]))) throw notFound('게시글');
  }

  async function assertMember(memberId: number) {
    if (!(await db.one('SELECT 1 FROM members WHERE id = $1', [memberId]))) throw notFound('회원');
  }

  const targetFilter = (type: SummaryTarget, id: number): Sql =>
    type === 'POST' ? sql`r.post_id = ${id}` : sql`r.lender_id = ${id}`;

  async function list(type: SummaryTarget, id: number, query: ReviewListQuery, admin: boolean) {
    if (type === 'POST') await assertPostReadable(id, admin);
    else await assertMember(id);
    const limit = query.limit ?? 20;
    const filters = [targetFilter(type, id)];
    if (!admin) filters.push(sql`r.banned_at IS NULL`);
    if (query.cursor) filters.push(sql`r.id < ${Number(query.cursor)}`);
    const rows = await db.query<ReviewRow>(
      sql`${sql.raw(SELECT_REVIEW)} WHERE ${sql.join(filters, ' AND ')} ORDER BY r.id DESC LIMIT ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(toReview),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }

  /**
   * Averages are computed on every read; the text is cached under a fingerprint of the review set,
   * read in the same query as the averages.
   */
  async function summary(type: SummaryTarget, id: number, admin: boolean) {
    if (type === 'POST') await assertPostReadable(id, admin);
    else await assertMember(id);
    const where = targetFilter(type, id);
    const agg = (await db.one<{
      n: number; equipment: number | null; kindness: number | null; response: number | null; overall: number | null;
      replies: number; banned: number; changed: string | null;
      cached_fingerprint: string | null; cached_text: string; cached_source: 'AI' | 'EXTRACTIVE'; cached_at: Date;
    }>(sql`
      WITH agg AS (
        SELECT count(*) FILTER (WHERE r.banned_at IS NULL)::int AS n,
          avg(r.equipment_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS equipment,
          avg(r.kindness_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS kindness,
          avg(r.response_score) FILTER (WHERE r.banned_at IS NULL)::float8 AS response,
          avg((r.equipment_score + r.kindness_score + r.response_score) / 3.0) FILTER (WHERE r.banned_at IS NULL)::float8 AS overall,
          count(r.reply)::int AS replies, count(r.banned_at)::int AS banned, max(r.updated_at)::text AS changed
        FROM reviews r WHERE ${where})
      SELECT agg.*, s.fingerprint AS cached_fingerprint, s.text AS cached_text, s.source AS cached_source, s.created_at AS cached_at
      FROM agg LEFT JOIN review_summaries s ON s.target_type = ${type} AND s.target_id = ${id}`))!;
    const base = { targetType: type, targetId: id, count: agg.n };
    if (agg.n === 0) {
      return {
        ...base,
        averages: { equipment: null, kindness: null, response: null, overall: null },
        summary: { text: '아직 리뷰가 없습니다.', source: 'NONE' as const, generatedAt: null },
      };
    }
    const averages: Averages = {
      equipment: round1(agg.equipment!), kindness: round1(agg.kindness!), response: round1(agg.response!), overall: round1(agg.overall!),
    };
    // Any new review, reply, ban or unban changes this; so does configuring an LLM.
    const fingerprint = `${agg.n}:${agg.replies}:${agg.banned}:${agg.changed}:${deps.llm ? 'ai' : 'extractive'}`;
    if (agg.cached_fingerprint === fingerprint) {
      return { ...base, averages, summary: { text: agg.cached_text, source: agg.cached_source, generatedAt: iso(agg.cached_at) } };
    }

    const reviews = await db.query<SummaryInput>(sql`
      SELECT r.comment, r.equipment_score AS "equipmentScore", r.kindness_score AS "kindnessScore", r.response_score AS "responseScore"
      FROM reviews r WHERE ${where} AND r.banned_at IS NULL ORDER BY r.id DESC LIMIT 100`);
    let text: string;
    let source: 'AI' | 'EXTRACTIVE' = 'EXTRACTIVE';
    let cacheable = true;
    if (deps.llm) {
      try {
        text = await aiSummary(deps.llm, reviews, averages, agg.n);
        source = 'AI';
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'AI review summary failed; using the extractive summary');
        text = extractiveSummary(reviews, averages, agg.n);
        cacheable = false; // try the LLM again on the next read
      }
    } else {
      text = extractiveSummary(reviews, averages, agg.n);
    }
    const now = deps.clock.now();
    if (cacheable) {
      await db.query(
        `INSERT INTO review_summaries (target_type, target_id, fingerprint, review_count, source, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (target_type, target_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
           review_count = EXCLUDED.review_count, source = EXCLUDED.source, text = EXCLUDED.text, created_at = EXCLUDED.created_at`,
        [type, id, fingerprint, agg.n, source, text, now],
      );
    }
    return { ...base, averages, summary: { text, source, generatedAt: now.toISOString() } };
  }

  return {
    list,
    summary,

    /** One review, as the public may see it (banned only for admins). */
    async get(id: number, admin: boolean) {
      return toReview(await visibleReview(id, admin));
    },

    async create(reservationId: number, memberId: number, body: CreateReviewBody) {
      const comment = body.comment.trim();
      if (!comment) throw badRequest('EMPTY_COMMENT', '리뷰 내용을 적어 주세요');
      const notes: NotificationRow[] = [];
      const review = await db.transaction(async (tx) => {
        const res = await tx.one<{ id: number; status: string; borrower_id: number; lender_id: number; post_id: number; title: string }>(
          `SELECT res.id, res.status, res.borrower_id, res.lender_id, res.post_id, p.title
           FROM reservations res JOIN posts p ON p.id = res.post_id WHERE res.id = $1`,
          [reservationId],
        );
        if (!res || (res.borrower_id !== memberId && res.lender_id !== memberId)) throw notFound('예약');
        if (res.borrower_id !== memberId) throw forbidden('빌린 사람만 리뷰를 쓸 수 있습니다', 'NOT_BORROWER');
        if (!isReviewable(res.status)) {
          throw conflict('NOT_REVIEWABLE', '반납이 완료된 뒤에 리뷰를 쓸 수 있습니다');
        }
        const row = await tx.one<{ id: number }>(
          `INSERT INTO reviews (reservation_id, post_id, author_id, lender_id, equipment_score, kindness_score, response_score, comment)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ON CONSTRAINT reviews_once_per_reservation DO NOTHING RETURNING id`,
          [res.id, res.post_id, memberId, res.lender_id, body.equipmentScore, body.kindnessScore, body.responseScore, comment],
        );
        if (!row) throw conflict('ALREADY_REVIEWED', '이 예약에는 이미 리뷰를 남겼습니다');
        const full = (await tx.one<ReviewRow>(`${SELECT_REVIEW} WHERE r.id = $1`, [row.id]))!;
        notes.push(
          await notifications.insert(tx, {
            memberId: res.lender_id, type: 'REVIEW', title: '새 리뷰가 등록되었습니다',
            body: `${full.author_nickname}님이 「${res.title}」에 리뷰를 남겼습니다`, targetType: 'POST', targetId: res.post_id,
          }),
        );
        return toReview(full);
      });
      await notifications.publish(notes);
      return review;
    },

    async reply(reviewId: number, memberId: number, contentRaw: string, admin: boolean) {
      const content = contentRaw.trim();
      if (!content) throw badRequest('EMPTY_REPLY', '답글 내용을 적어 주세요');
      const current = await visibleReview(reviewId, admin);
      if (current.lender_id !== memberId) throw forbidden('빌려준 사람만 답글을 쓸 수 있습니다', 'NOT_LENDER');
      const notes: NotificationRow[] = [];
      const review = await db.transaction(async (tx) => {
        const row = await tx.one<{ id: number }>(
          `UPDATE reviews SET reply = $2, replied_at = $3, updated_at = now() WHERE id = $1 AND reply IS NULL RETURNING id`,
          [reviewId, content, deps.clock.now()],
        );
        if (!row) throw conflict('ALREADY_REPLIED', '이미 답글을 남겼습니다');
        notes.push(
          await notifications.insert(tx, {
            memberId: current.author_id, type: 'REVIEW', title: '리뷰에 답글이 달렸습니다',
            body: `「${current.post_title}」 리뷰에 빌려준 분이 답글을 남겼습니다`, targetType: 'POST', targetId: current.post_id,
          }),
        );
        return toReview((await tx.one<ReviewRow>(`${SELECT_REVIEW} WHERE r.id = $1`, [reviewId]))!);
      });
      await notifications.publish(notes);
      return review;
    },
  };
}
