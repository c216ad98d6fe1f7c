// Smart search (SPEC §8): hybrid search with a reason per hit, AI search (answer + cited listings),
// similar listings, and the listing-form helpers (category, fee/deposit suggestion, AI draft).
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging } from './paging.ts';
import { PAGE_SIZE } from './posts.ts';
import type { Static } from 'typebox';
import type {
  AiSearchResult as AiSearchResultSchema, SearchMode as SearchModeSchema, SearchPage, SearchQuery, SearchSort, SemanticFallback as SemanticFallbackSchema,
} from '../../../server/src/modules/search/schemas.ts';
import type {
  SimilarResult as SimilarResultSchema, SuggestBody, SuggestResult as SuggestResultSchema,
} from '../../../server/src/modules/recommendations/schemas.ts';

// The response types are the server's schemas (type-only imports, erased at build): one contract.
export type { MatchInfo, SearchHit } from '../../../server/src/modules/search/schemas.ts';
export type SearchMode = Static<typeof SearchModeSchema>;
/** the API's orders: relevance, newest first, daily fee low to high, nearest (only listings matching the query) */
export type SearchApiSort = Static<typeof SearchSort>;
/** why semantic search was wanted but not used: no vector store, or the embeddings server failed */
export type SemanticFallback = Static<typeof SemanticFallbackSchema>;
export type SearchResultPage = SearchPage;
export type AiSearchResult = Static<typeof AiSearchResultSchema>;
export type SimilarResult = Static<typeof SimilarResultSchema>;
export type SuggestResult = Static<typeof SuggestResultSchema>;
export type SuggestInput = Static<typeof SuggestBody>;

/** The Korean notice for a search that fell back to keywords, or null. */
export function keywordOnlyNotice(fallback: SemanticFallback): string | null {
  if (fallback === 'EMBEDDER_UNAVAILABLE') return '지금은 의미 검색 서버에 연결할 수 없어 키워드로만 찾았어요. 잠시 후 다시 검색해 보세요.';
  if (fallback === 'NO_VECTOR_STORE') return '의미 검색을 사용할 수 없어 키워드로만 찾았어요';
  return null;
}

/** Filters both search endpoints accept (parents include their children; dates are 'YYYY-MM-DD'): the server's query schema. */
export type SearchFilters = Pick<Static<typeof SearchQuery>, 'categoryId' | 'regionId' | 'minFee' | 'maxFee' | 'from' | 'to'>;

export const searchKeys = {
  hybrid: (q: string, filters: SearchFilters, sort: SearchApiSort) => ['search', 'hybrid', q, filters, sort] as const,
  ai: (q: string, filters: SearchFilters) => ['search', 'ai', q, filters] as const,
  similar: (id: number) => ['search', 'similar', id] as const,
  suggest: (title: string, content: string) => ['search', 'suggest', title, content] as const,
};

/** GET /search — relevance-ranked (keyword + meaning) or the matches by newest/fee; with no query, the filtered catalogue. */
export function useHybridSearch(q: string, filters: SearchFilters, sort: SearchApiSort = 'relevance') {
  return useInfiniteQuery({
    queryKey: searchKeys.hybrid(q, filters, sort),
    queryFn: ({ pageParam, signal }) =>
      api<SearchResultPage>('/search', { query: { q, ...filters, sort: sort === 'relevance' ? undefined : sort, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    ...cursorPaging,
  });
}

/** GET /search-ai — runs only for a non-empty question; an answer is kept for a while (LLM calls cost). */
export function useAiSearch(q: string, filters: SearchFilters) {
  return useQuery({
    queryKey: searchKeys.ai(q, filters),
    queryFn: ({ signal }) => api<AiSearchResult>('/search-ai', { query: { q, ...filters }, signal }),
    enabled: q.trim().length > 0,
    staleTime: 5 * 60_000,
  });
}

export function useSimilarPosts(id: number) {
  return useQuery({
    queryKey: searchKeys.similar(id),
    queryFn: ({ signal }) => api<SimilarResult>(`/posts/${id}/similar`, { signal }),
    enabled: isId(id),
    staleTime: 5 * 60_000,
  });
}

/**
 * POST /posts/suggest for text being typed (the caller debounces); the last answer stays while the next
 * loads. No `draft` flag: the server never calls the LLM for these.
 */
export function useSuggestions(title: string, content: string, enabled: boolean) {
  return useQuery({
    queryKey: searchKeys.suggest(title, content),
    queryFn: ({ signal }) => api<SuggestResult>('/posts/suggest', { method: 'POST', body: { title, content }, signal }),
    enabled,
    staleTime: Infinity,
    placeholderData: (previous) => previous,
    retry: false,
  });
}

/** POST /posts/suggest with a hint (and photos) and draft: true — the "AI로 초안 작성" button, the only LLM caller. */
export function useAiDraft() {
  return useMutation({
    mutationFn: (input: Omit<SuggestInput, 'draft'>) => api<SuggestResult>('/posts/suggest', { method: 'POST', body: { ...input, draft: true } }),
  });
}
