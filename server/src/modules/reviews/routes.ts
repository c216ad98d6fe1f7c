import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isAdmin, requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import {
  BorrowerReview, BorrowerReviewPage, CreateBorrowerReviewBody, CreateReviewBody, ReplyBody, ReservationIdParams, ReservationReviews, Review,
  ReviewListQuery, ReviewPage, ReviewSummary,
} from './schemas.ts';
import { REVIEWABLE_STATUSES } from '../reservations/status.ts';
import { reviewsService, type SummaryTarget } from './service.ts';

const tags = ['reviews'];
const BLIND = '후기는 서로 모르게 씁니다: 상대도 후기를 쓰거나 7일이 지나면 상대와 다른 사람에게 공개됩니다.';

export const reviewsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reviews = reviewsService(app.deps);

  app.post('/reservations/:id/review', {
    schema: {
      tags, summary: '리뷰 작성 (빌린 사람, 예약당 한 번)',
      description: `작성 가능한 예약 상태: ${REVIEWABLE_STATUSES.join(', ')}. 그 전이면 409 NOT_REVIEWABLE, 두 번째는 409 ALREADY_REVIEWED, 빌려준 사람은 403 NOT_BORROWER. ${BLIND}`,
      params: ReservationIdParams, body: CreateReviewBody, response: { 201: Review },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    const review = await reviews.create(req.params.id, me.id, req.body);
    return reply.status(201).send(review);
  });

  app.post('/reservations/:id/borrower-review', {
    schema: {
      tags, summary: '빌린 사람 후기 작성 (빌려준 사람, 예약당 한 번: 물건 관리·시간 약속·소통)',
      description: `작성 가능한 예약 상태: ${REVIEWABLE_STATUSES.join(', ')}. 그 전이면 409 NOT_REVIEWABLE, 두 번째는 409 ALREADY_REVIEWED, 빌린 사람은 403 NOT_LENDER. ${BLIND}`,
      params: ReservationIdParams, body: CreateBorrowerReviewBody, response: { 201: BorrowerReview },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    return reply.status(201).send(await reviews.createForBorrower(req.params.id, me.id, req.body));
  });

  app.get('/reservations/:id/reviews', {
    schema: {
      tags, summary: '이 예약의 두 후기 (거래 당사자만; 상대 후기는 공개 전이면 sealed)', description: BLIND,
      params: ReservationIdParams, response: { 200: ReservationReviews },
    },
  }, async (req) => reviews.ofReservation(req.params.id, requireMember(req).id));

  app.get('/members/:id/borrower-reviews', {
    schema: {
      tags, summary: '회원이 빌린 사람으로서 받은 후기 (최신순, 커서 페이징)', description: BLIND,
      params: IdParams, querystring: ReviewListQuery, response: { 200: BorrowerReviewPage },
    },
  }, async (req) => reviews.listAsBorrower(req.params.id, req.query, req.member?.id ?? null, isAdmin(req)));

  app.get('/reviews/:id', {
    schema: { tags, summary: '리뷰 한 건 (예약의 reviewId로 조회; 공개 전이면 작성자만)', params: IdParams, response: { 200: Review } },
  }, async (req) => reviews.get(req.params.id, req.member?.id ?? null, isAdmin(req)));

  app.post('/reviews/:id/reply', {
    schema: {
      tags, summary: '리뷰 답글 (빌려준 사람, 한 번)', description: '두 번째 답글은 409 ALREADY_REPLIED',
      params: IdParams, body: ReplyBody, response: { 200: Review },
    },
  }, async (req) => {
    const me = requireMember(req);
    return reviews.reply(req.params.id, me.id, req.body.content, isAdmin(req));
  });

  const targets: [string, SummaryTarget, string][] = [['posts', 'POST', '게시글'], ['members', 'MEMBER', '회원(빌려준 사람으로 받은)']];
  for (const [path, type, name] of targets) {
    app.get(`/${path}/:id/reviews`, {
      schema: {
        tags, summary: `${name} 리뷰 목록 (최신순, 커서 페이징)`, description: BLIND,
        params: IdParams, querystring: ReviewListQuery, response: { 200: ReviewPage },
      },
    }, async (req) => reviews.list(type, req.params.id, req.query, req.member?.id ?? null, isAdmin(req)));

    app.get(`/${path}/:id/reviews/summary`, {
      schema: {
        tags, summary: `${name} 리뷰 요약 (항목별 평균, 개수, AI 또는 추출 요약)`, params: IdParams, response: { 200: ReviewSummary },
      },
    }, async (req) => reviews.summary(type, req.params.id, isAdmin(req)));
  }
};
