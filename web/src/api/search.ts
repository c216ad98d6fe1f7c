// Smart search (SPEC §8): hybrid search with a reason per hit, AI search (answer + cited listings),
// similar listings, and the listing-form helpers (category, fee/deposit suggestion, AI draft).
// Shapes mirror server/src/modules/search/schemas.ts.
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import { PAGE_SIZE, type PostListItem } from './posts.ts';

/** Why a listing matched: keyword terms found in it, and/or its cosine similarity to the query. */
export interface MatchInfo {
  keyword: { terms: string[]; score: number } | null;
  semantic: { similarity: number } | null;
  /** the server's Korean sentence, e.g. "키워드 '텐트' 포함 · 의미 유사도 0.42" */
  reason: string;
}

export interface SearchHit {
  listing: PostListItem;
  score: number;
  match: MatchInfo;
}

export interface SearchResultPage extends CursorPage<SearchHit> {
  /** false: no vector store on this server, so only keywords were used */
  semanticAvailable: boolean;
  terms: string[];
}

export interface AiSearchResult {
  /** Korean answer; citations are written as [#id] */
  answer: string;
  mode: 'llm' | 'extractive';
  fallbackReason: string | null;
  /** ids of the cited listings, most relevant first (always among `items`) */
  citations: number[];
  items: SearchHit[];
  semanticAvailable: boolean;
}

export interface SimilarResult {
  items: SearchHit[];
  semanticAvailable: boolean;
}

export interface PriceSuggestion {
  suggested: number;
  min: number;
  max: number;
  /** how many comparable listings the figure comes from */
  basedOn: number;
}

export interface SuggestResult {
  categories: { id: number; name: string; path: string; confidence: number }[];
  fee: PriceSuggestion | null;
  deposit: PriceSuggestion | null;
  draft: { title: string; content: string; source: 'llm' | 'template' };
  semanticAvailable: boolean;
}

export interface SuggestInput {
  title: string;
  content: string;
  hint?: string;
  /** data: URLs (downscaled photos) for a vision model; at most 3 */
  images?: string[];
  /** true: the LLM writes the draft (costs a call); false/absent: suggestions + template draft only */
  draft?: boolean;
}

/** Filters both search endpoints accept (parents include their children; dates are 'YYYY-MM-DD'). */
export interface SearchFilters {
  categoryId?: number;
  regionId?: number;
  minFee?: number;
  maxFee?: number;
  from?: string;
  to?: string;
}

export const searchKeys = {
  hybrid: (q: string, filters: SearchFilters) => ['search', 'hybrid', q, filters] as const,
  ai: (q: string, filters: SearchFilters) => ['search', 'ai', q, filters] as const,
  similar: (id: number) => ['search', 'similar', id] as const,
  suggest: (title: string, content: string) => ['search', 'suggest', title, content] as const,
};

/** GET /search — relevance-ranked (keyword + meaning); with no query, the filtered catalogue, newest first. */
export function useHybridSearch(q: string, filters: SearchFilters) {
  return useInfiniteQuery({
    queryKey: searchKeys.hybrid(q, filters),
    queryFn: ({ pageParam, signal }) =>
      api<SearchResultPage>('/search', { query: { q, ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal }),
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
