// Reviews both ways: after a finished rental the borrower reviews the lender (and the lender replies
// once) and the lender reviews the borrower, once each per reservation. Both are written blind
// (blind.ts): the other side and the public see a review only once both wrote theirs or 7 days passed.
import type { Deps } from '../../deps.ts';
import { josa } from 'es-hangul';
import { badRequest, conflict, forbidden, notFound, type AppError } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import type { NewNotification, NotificationRow } from '../notifications/service.ts';
import { isReviewable } from '../reservations/status.ts';
import type { CreateBorrowerReviewBody, CreateReviewBody, ReviewListQuery } from './schemas.ts';
import { aiSummary, extractiveSummary, type Averages } from './summary.ts';
import { iso } from '../../http/wire.ts';
import { REVIEW_BLIND_DAYS } from './blind.ts';
import { reviewsRepository, type BorrowerReviewRow, type Reader, type ReservationForReviewRow, type ReviewRow, type SummaryTarget } from './repository.ts';

type ReviewsRepository = ReturnType<typeof reviewsRepository>;
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';

export type { SummaryTarget };

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

function toBorrowerReview(r: BorrowerReviewRow) {
  return {
    id: r.id,
    reservationId: r.reservation_id,
    post: { id: r.post_id, title: r.post_title },
    author: { id: r.author_id, nickname: r.author_nickname, avatarUrl: mediaUrl(r.author_avatar) },
    borrowerId: r.borrower_id,
    careScore: r.care_score,
    punctualityScore: r.punctuality_score,
    communicationScore: r.communication_score,
    overallScore: round1((r.care_score + r.punctuality_score + r.communication_score) / 3),
    comment: r.comment,
    createdAt: iso(r.created_at),
  };
}

/** A page of rows fetched with limit + 1, as items and the next cursor. */
function pageOf<R extends { id: number }, T>(rows: R[], limit: number, map: (r: R) => T) {
  return { items: rows.slice(0, limit).map(map), nextCursor: nextIdCursor(rows, limit) };
}

/** What differs between the borrower's review of the lender ('리뷰') and the lender's of the borrower ('후기'). */
interface ReviewSide<Row, Out> {
  noun: '리뷰' | '후기';
  /** the party who may write it */
  writer: 'borrower' | 'lender';
  notWriter(): AppError;
  insert(repo: ReviewsRepository, res: ReservationForReviewRow, comment: string, at: Date): Promise<number | undefined>;
  read(repo: ReviewsRepository, id: number, at: Date): Promise<Row | undefined>;
  /** the notification to the reviewed party */
  notice(res: ReservationForReviewRow, review: Row): NewNotification;
  map(row: Row): Out;
}

export function reviewsService(deps: Deps) {
  const { db, notifications } = deps;
  const reviews = reviewsRepository(db);

  /** A review as `reader` may see it: admins always; others once released (or their own), never banned. */
  async function visibleReview(id: number, reader: Reader) {
    const row = await reviews.byId(id, reader.now);
    const visible = row && (reader.admin || (!row.banned_at && (row.released || row.author_id === reader.viewerId)));
    if (!visible) throw notFound('리뷰');
    return row;
  }
  const readerOf = (viewerId: number | null, admin: boolean): Reader => ({ now: deps.clock.now(), viewerId, admin });

  /** A listing's reviews are readable where the listing is: publicly visible, or by an admin. */
  async function assertPostReadable(postId: number, admin: boolean) {
    if (!(await reviews.postReadable(postId, admin))) throw notFound('게시글');
  }

  async function assertMember(memberId: number) {
    if (!(await reviews.memberExists(memberId))) throw notFound('회원');
  }

  /**
   * Writes one side's review of a settled reservation, once: only that side's party, only once the
   * rental is reviewable; the other party is notified in the same transaction.
   */
  async function write<Row, Out>(reservationId: number, memberId: number, commentRaw: string, side: ReviewSide<Row, Out>): Promise<Out> {
    const comment = commentRaw.trim();
    if (!comment) throw badRequest('EMPTY_COMMENT', `${side.noun} 내용을 적어 주세요`);
    const notes: NotificationRow[] = [];
    const review = await db.transaction(async (tx) => {
      const txReviews = reviewsRepository(tx);
      const res = await txReviews.reservationForReview(reservationId);
      if (!res || (res.borrower_id !== memberId && res.lender_id !== memberId)) throw notFound('예약');
      if ((side.writer === 'borrower' ? res.borrower_id : res.lender_id) !== memberId) throw side.notWriter();
      if (!isReviewable(res.status)) throw conflict('NOT_REVIEWABLE', `반납이 완료된 뒤에 ${josa(side.noun, '을/를')} 쓸 수 있습니다`);
      const now = deps.clock.now();
      const id = await side.insert(txReviews, res, comment, now);
      if (!id) throw conflict('ALREADY_REVIEWED', `이 예약에는 이미 ${josa(side.noun, '을/를')} 남겼습니다`);
      const full = (await side.read(txReviews, id, now))!;
      notes.push(await notifications.insert(tx, side.notice(res, full)));
      return side.map(full);
    });
    await notifications.publish(notes);
    return review;
  }

  async function list(type: SummaryTarget, id: number, query: ReviewListQuery, viewerId: number | null, admin: boolean) {
    if (type === 'POST') await assertPostReadable(id, admin);
    else await assertMember(id);
    const limit = query.limit ?? 20;
    const rows = await reviews.page(type, id, readerOf(viewerId, admin), { limit, before: decodeIdCursor(query.cursor) ?? undefined });
    return pageOf(rows, limit, toReview);
  }

  /**
   * Averages are computed on every read; the text is cached under a fingerprint of the review set,
   * read in the same query as the averages.
   */
  async function summary(type: SummaryTarget, id: number, admin: boolean) {
    if (type === 'POST') await assertPostReadable(id, admin);
    else await assertMember(id);
    const now = deps.clock.now();
    const agg = await reviews.summaryAggregate(type, id, now);
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

    const inputs = await reviews.summaryInputs(type, id, now);
    let text: string;
    let source: 'AI' | 'EXTRACTIVE' = 'EXTRACTIVE';
    let cacheable = true;
    if (deps.llm) {
      try {
        text = await aiSummary(deps.llm, inputs, averages, agg.n);
        source = 'AI';
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'AI review summary failed; using the extractive summary');
        text = extractiveSummary(inputs, averages, agg.n);
        cacheable = false; // try the LLM again on the next read
      }
    } else {
      text = extractiveSummary(inputs, averages, agg.n);
    }
    if (cacheable) {
      await reviews.saveSummary({ type, id, fingerprint, count: agg.n, source, text, at: now });
    }
    return { ...base, averages, summary: { text, source, generatedAt: now.toISOString() } };
  }

  return {
    list,
    summary,

    /** One review, as the caller may see it (unreleased only for its author, banned only for admins). */
    async get(id: number, viewerId: number | null, admin: boolean) {
      return toReview(await visibleReview(id, readerOf(viewerId, admin)));
    },

    /** The reviews a member received as borrower (released ones, plus those the caller wrote). */
    async listAsBorrower(memberId: number, query: ReviewListQuery, viewerId: number | null, admin: boolean) {
      await assertMember(memberId);
      const limit = query.limit ?? 20;
      const rows = await reviews.borrowerPage(memberId, readerOf(viewerId, admin), { limit, before: decodeIdCursor(query.cursor) ?? undefined });
      return pageOf(rows, limit, toBorrowerReview);
    },

    /**
     * Both reviews of a reservation for one of its parties: their own always, the other's once
     * released; a written but unreleased one is reported as sealed, with when it opens by itself.
     */
    async ofReservation(reservationId: number, memberId: number) {
      const res = await reviews.reservationForReview(reservationId);
      if (!res || (res.borrower_id !== memberId && res.lender_id !== memberId)) throw notFound('예약');
      const now = deps.clock.now();
      const { fromBorrower, fromLender } = await reviews.ofReservation(reservationId, now);
      const iAmBorrower = res.borrower_id === memberId;
      const shows = (r: { released: boolean; author_id: number } | undefined) => !!r && (r.released || r.author_id === memberId);
      const other = iAmBorrower ? fromLender : fromBorrower;
      const sealedOther = !!other && !shows(other);
      return {
        fromBorrower: fromBorrower && shows(fromBorrower) && !fromBorrower.banned_at ? toReview(fromBorrower) : null,
        fromLender: fromLender && shows(fromLender) ? toBorrowerReview(fromLender) : null,
        sealed: { fromBorrower: !iAmBorrower && sealedOther, fromLender: iAmBorrower && sealedOther },
        releaseAt: sealedOther ? new Date(other.created_at.getTime() + REVIEW_BLIND_DAYS * 86_400_000).toISOString() : null,
        canWrite: isReviewable(res.status) && !(iAmBorrower ? fromBorrower : fromLender),
      };
    },

    /** The borrower reviews the lender once the rental is settled (once per reservation); the lender may reply once. */
    create(reservationId: number, memberId: number, body: CreateReviewBody) {
      return write(reservationId, memberId, body.comment, {
        noun: '리뷰',
        writer: 'borrower',
        notWriter: () => forbidden('빌린 사람만 리뷰를 쓸 수 있습니다', 'NOT_BORROWER'),
        insert: (repo, res, comment, at) => repo.insert({
          reservationId: res.id, postId: res.post_id, authorId: memberId, lenderId: res.lender_id, equipmentScore: body.equipmentScore,
          kindnessScore: body.kindnessScore, responseScore: body.responseScore, comment, at,
        }),
        read: (repo, id, at) => repo.byId(id, at),
        notice: (res, full) => ({
          memberId: res.lender_id, type: 'REVIEW', title: '새 리뷰가 등록되었습니다',
          body: `${full.author_nickname}님이 「${res.title}」에 리뷰를 남겼습니다`, targetType: 'POST', targetId: res.post_id,
        }),
        map: toReview,
      });
    },

    /** The lender reviews the borrower once the rental is settled (once per reservation). */
    createForBorrower(reservationId: number, memberId: number, body: CreateBorrowerReviewBody) {
      return write(reservationId, memberId, body.comment, {
        noun: '후기',
        writer: 'lender',
        notWriter: () => forbidden('빌려준 사람만 빌린 사람의 후기를 쓸 수 있습니다', 'NOT_LENDER'),
        insert: (repo, res, comment, at) => repo.insertBorrowerReview({
          reservationId: res.id, postId: res.post_id, authorId: memberId, borrowerId: res.borrower_id, careScore: body.careScore,
          punctualityScore: body.punctualityScore, communicationScore: body.communicationScore, comment, at,
        }),
        read: (repo, id, at) => repo.borrowerReviewById(id, at),
        notice: (res) => ({
          memberId: res.borrower_id, type: 'REVIEW', title: '빌려준 분이 후기를 남겼습니다',
          body: `「${res.title}」 거래 후기가 도착했어요. 내 후기를 쓰면 바로 볼 수 있어요`, targetType: 'RESERVATION', targetId: res.id,
        }),
        map: toBorrowerReview,
      });
    },

    async reply(reviewId: number, memberId: number, contentRaw: string, admin: boolean) {
      const content = contentRaw.trim();
      if (!content) throw badRequest('EMPTY_REPLY', '답글 내용을 적어 주세요');
      const current = await visibleReview(reviewId, readerOf(memberId, admin));
      if (current.lender_id !== memberId) throw forbidden('빌려준 사람만 답글을 쓸 수 있습니다', 'NOT_LENDER');
      const notes: NotificationRow[] = [];
      const review = await db.transaction(async (tx) => {
        const txReviews = reviewsRepository(tx);
        const replied = await txReviews.setReply(reviewId, content, deps.clock.now());
        if (!replied) throw conflict('ALREADY_REPLIED', '이미 답글을 남겼습니다');
        notes.push(
          await notifications.insert(tx, {
            memberId: current.author_id, type: 'REVIEW', title: '리뷰에 답글이 달렸습니다',
            body: `「${current.post_title}」 리뷰에 빌려준 분이 답글을 남겼습니다`, targetType: 'POST', targetId: current.post_id,
          }),
        );
        return toReview((await txReviews.byId(reviewId, deps.clock.now()))!);
      });
      await notifications.publish(notes);
      return review;
    },
  };
}
