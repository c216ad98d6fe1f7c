// Recommendations for a listing: similar listings (its vector neighbours) and the listing-writing
// helper (category, fee/deposit, draft). Same paths as before they moved out of search/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { SimilarResult, SUGGEST_BODY_LIMIT, SuggestBody, SuggestResult } from './schemas.ts';
import { recommendationsService } from './service.ts';

const tags = ['recommendations'];

export const recommendationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const recommendations = recommendationsService(app.deps);

  app.get('/posts/:id/similar', {
    schema: { tags, summary: '비슷한 게시글', params: IdParams, response: { 200: SimilarResult } },
  }, async (req) => {
    const { id } = req.params;
    return recommendations.similar(id, undefined, req.member?.id ?? null);
  });

  app.post('/posts/suggest', {
    schema: {
      tags, summary: '게시글 작성 도우미: 카테고리, 대여료/보증금 추천, AI 초안',
      body: SuggestBody, response: { 200: SuggestResult },
    },
    // photos as data: URLs need more than the app-wide 1 MiB; members only, checked before the body is read
    bodyLimit: SUGGEST_BODY_LIMIT,
    onRequest: async (req) => {
      requireMember(req);
    },
  }, async (req) => {
    return recommendations.suggest(req.body);
  });
};
