import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { multipartValidator } from '../../http/validation.ts';
import { readMultipart } from '../images/multipart.ts';
import { IdParams } from '../../http/wire.ts';
import {
  BumpOut, DateRangeQuery, FavoriteOut, ListQuery, PageQuery, PausedOut, PostDetail, PostMultipartBody, PostPage,
  ReviewRequestBody, ReviewRequestOut,
} from './schemas.ts';
import { parsePostData } from './data.ts';
import { postsService } from './service.ts';

const tags = ['posts'];
const Created = Type.Object({ id: Type.Integer() });

export const postsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const posts = postsService(app.deps);

  app.get('/posts', {
    schema: { tags, summary: '게시글 목록 (필터, 커서 페이지)', querystring: ListQuery, response: { 200: PostPage } },
  }, async (req) => posts.list(req.query, req.member));

  // Static paths win over /posts/:id in Fastify's router regardless of order.
  app.get('/posts/my', {
    schema: { tags, summary: '내 게시글 (정지된 글은 banned=true로 포함)', querystring: PageQuery, response: { 200: PostPage } },
  }, async (req) => posts.my(requireMember(req), req.query));

  app.get('/posts/favorites', {
    schema: { tags, summary: '내가 찜한 게시글', querystring: PageQuery, response: { 200: PostPage } },
  }, async (req) => posts.favorites(requireMember(req), req.query));

  app.post('/posts', {
    validatorCompiler: multipartValidator,
    schema: {
      tags,
      summary: '게시글 등록 (multipart/form-data: data=JSON, images=파일 1–10장)',
      description: '첫 번째 이미지가 대표 이미지입니다 (data.primaryIndex로 변경). 이미지 변환(WebP)은 등록 후 백그라운드에서 진행됩니다.',
      consumes: ['multipart/form-data'],
      body: PostMultipartBody(false),
      response: { 201: Created },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    const { fields, files } = await readMultipart(req, 'images');
    const id = await posts.create(me, parsePostData(fields.data, 'create'), files);
    return reply.status(201).send({ id });
  });

  app.get('/posts/:id', {
    schema: { tags, summary: '게시글 상세', params: IdParams, response: { 200: PostDetail } },
  }, async (req) => posts.detail(req.params.id, req.member));

  app.put('/posts/:id', {
    validatorCompiler: multipartValidator,
    schema: {
      tags,
      summary: '게시글 수정 (multipart: data=JSON, images=새 파일; 지역/옵션/이미지는 보낸 대로 교체)',
      description: '이미지 순서: keepImageIds(생략 시 기존 전부) 다음에 새 파일. 수정하면 임베딩이 다시 대기열(WAIT)에 들어갑니다.',
      consumes: ['multipart/form-data'],
      params: IdParams,
      body: PostMultipartBody(true),
      response: { 200: PostDetail },
    },
  }, async (req) => {
    const me = requireMember(req);
    const { fields, files } = await readMultipart(req, 'images');
    await posts.update(me, req.params.id, parsePostData(fields.data, 'update'), files);
    return posts.detail(req.params.id, me);
  });

  app.delete('/posts/:id', {
    schema: { tags, summary: '게시글 삭제 (작성자 또는 관리자)', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await posts.remove(requireMember(req), req.params.id);
    return reply.status(204).send(null);
  });

  // ---- the owner's controls
  app.post('/posts/:id/pause', {
    schema: { tags, summary: '숨기기 (목록·검색·비슷한 게시글에서 빠짐, 진행 중인 예약은 그대로; 작성자만)', params: IdParams, response: { 200: PausedOut } },
  }, async (req) => posts.setPaused(requireMember(req), req.params.id, true));

  app.post('/posts/:id/resume', {
    schema: { tags, summary: '다시 보이기 (작성자만)', params: IdParams, response: { 200: PausedOut } },
  }, async (req) => posts.setPaused(requireMember(req), req.params.id, false));

  app.post('/posts/:id/bump', {
    schema: {
      tags, summary: '끌어올리기 (최신순 맨 위로, 게시글마다 3일에 한 번; 작성자만)',
      description: '너무 이르면 409 BUMP_TOO_SOON과 nextBumpAt(다음 가능 시각)을 돌려줍니다.',
      params: IdParams, response: { 200: BumpOut },
    },
  }, async (req) => posts.bump(requireMember(req), req.params.id));

  app.post('/posts/:id/review-request', {
    schema: {
      tags, summary: '정지된 게시글 재검토 요청 (작성자만; 관리자 신고 대기열에 올라갑니다)',
      params: IdParams, body: ReviewRequestBody, response: { 202: ReviewRequestOut },
    },
  }, async (req, reply) => reply.status(202).send(await posts.requestReview(requireMember(req), req.params.id, req.body.message)));

  app.get('/posts/:id/unavailable-dates', {
    schema: {
      tags,
      summary: '대여 불가 날짜 (소유자 차단일 + 예약된 날짜)',
      description: 'from 기본값은 오늘(Asia/Seoul), to 기본값은 from + 365일',
      params: IdParams,
      querystring: DateRangeQuery,
      response: { 200: Type.Object({ dates: Type.Array(Type.String()) }) },
    },
  }, async (req) => {
    const { from, to } = req.query;
    return { dates: await posts.unavailable(req.params.id, from, to) };
  });

  app.put('/posts/:id/favorite', {
    schema: { tags, summary: '찜하기 (여러 번 해도 한 번, 내 게시글 불가)', params: IdParams, response: { 200: FavoriteOut } },
  }, async (req) => posts.setFavorite(requireMember(req), req.params.id, true));

  app.delete('/posts/:id/favorite', {
    schema: { tags, summary: '찜 해제 (여러 번 해도 한 번)', params: IdParams, response: { 200: FavoriteOut } },
  }, async (req) => posts.setFavorite(requireMember(req), req.params.id, false));

  app.post('/posts/:id/favorite', {
    schema: {
      tags, summary: '찜하기/찜 해제 (토글, 내 게시글 불가)',
      description: '예전 클라이언트용 토글입니다. 재시도해도 안전한 PUT/DELETE /posts/{id}/favorite를 쓰세요.',
      params: IdParams, response: { 200: FavoriteOut },
    },
  }, async (req) => posts.setFavorite(requireMember(req), req.params.id));
};
