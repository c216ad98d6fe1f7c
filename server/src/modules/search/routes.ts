import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { AuthMember } from '../../http/auth.ts';
import { createRateLimiter, enforceLimit } from '../../http/rate-limit.ts';
import type { Queryable } from '../../db/client.ts';
import { pointOfQuery } from '../posts/list.ts';
import { AiSearchQuery, AiSearchResult, SearchPage, SearchQuery } from './schemas.ts';
import { searchService, type SearchFilters } from './service.ts';
import { aiSearch } from './answer.ts';

const tags = ['search'];

async function filtersOf(db: Queryable, q: Static<typeof SearchQuery>, viewer: AuthMember | null): Promise<SearchFilters> {
  const point = await pointOfQuery(db, q, viewer);
  return {
    categoryId: q.categoryId, regionId: q.regionId, minFee: q.minFee, maxFee: q.maxFee, from: q.from, to: q.to,
    viewerId: viewer?.id, point, radiusKm: q.radiusKm,
  };
}

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const search = searchService(app.deps);
  // per client address: search (and more so AI search, which may call an LLM) is the costliest read
  const { config, redis } = app.deps;
  const searchLimiter = createRateLimiter({ ...config.searchRateLimit, redis, prefix: config.redisPrefix, name: 'search' });
  const aiSearchLimiter = createRateLimiter({ ...config.aiSearchRateLimit, redis, prefix: config.redisPrefix, name: 'search-ai' });

  app.get('/search', {
    schema: {
      tags, summary: '통합 검색 (키워드 + 의미 검색, 필터는 순위 계산 전에 적용)',
      querystring: SearchQuery, response: { 200: SearchPage },
    },
  }, async (req, reply) => {
    await enforceLimit(searchLimiter, req.ip, reply, '검색', 'TOO_MANY_REQUESTS');
    const q = req.query;
    return search.search(q.q ?? '', await filtersOf(app.deps.db, q, req.member), { cursor: q.cursor, limit: q.limit }, { mode: q.mode, sort: q.sort });
  });

  app.get('/search-ai', {
    schema: {
      tags, summary: 'AI 검색: 검색된 게시글만 인용한 한국어 답변 (LLM이 없으면 추출형 답변)',
      querystring: AiSearchQuery, response: { 200: AiSearchResult },
    },
  }, async (req, reply) => {
    await enforceLimit(aiSearchLimiter, req.ip, reply, 'AI 검색', 'TOO_MANY_REQUESTS');
    const q = req.query;
    return aiSearch(app.deps, q.q, await filtersOf(app.deps.db, q, req.member));
  });
};
