// Listings: feed and filtered lists (cursor pages), detail, unavailable dates, favorites,
// and create/edit as multipart (`data` JSON + `images` files) with upload progress.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, upload, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import type { Static } from 'typebox';
import type {
  ListQuery, Method as MethodSchema, PostData, PostDetail as PostDetailSchema, PostListItem as PostListItemSchema,
} from '../../../server/src/modules/posts/schemas.ts';

// The wire shapes are the server's schemas (type-only imports, erased at build): one contract.
export type Method = Static<typeof MethodSchema>;
export type PostSort = NonNullable<ListQuery['sort']>;
export type PostListItem = Static<typeof PostListItemSchema>;
export type CategoryRef = PostListItem['category'];
export type PlaceRef = NonNullable<PostListItem['neighbourhood']>;
export type PostPage = CursorPage<PostListItem>;
export type PostDetail = Static<typeof PostDetailSchema>;
export type PostImage = PostDetail['images'][number];
export type PostOption = PostDetail['options'][number];
/** The `data` JSON part of create (and edit, with keepImageIds). */
export type { PostData };

/** The list filters the web app sends: the server's query schema. */
export type PostFilters = Pick<ListQuery, 'keyword' | 'categoryId' | 'regionId' | 'minFee' | 'maxFee' | 'authorId' | 'sort' | 'near' | 'radiusKm'>;

export const PAGE_SIZE = 20;

/** The feed of a place, newest first (a visitor's home, or a member's without a 동네; the server's first paint of `/` is placeFeed()). */
export const placeFeed = (categoryId?: number, regionId?: number): PostFilters => ({ categoryId, regionId, sort: 'newest' });

export const postKeys = {
  all: ['posts'] as const,
  list: (filters: PostFilters) => ['posts', 'list', filters] as const,
  detail: (id: number) => ['posts', 'detail', id] as const,
  unavailable: (id: number, from?: string, to?: string) => ['posts', 'unavailable', id, from, to] as const,
  my: ['posts', 'my'] as const,
  favorites: ['posts', 'favorites'] as const,
};

export function usePostList(filters: PostFilters) {
  return useInfiniteQuery({
    queryKey: postKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api<PostPage>('/posts', { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    ...cursorPaging,
  });
}

export function useMyPosts() {
  return useInfiniteQuery({
    queryKey: postKeys.my,
    queryFn: ({ pageParam, signal }) => api<PostPage>('/posts/my', { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
    ...cursorPaging,
  });
}

export function useFavoritePosts() {
  return useInfiniteQuery({
    queryKey: postKeys.favorites,
    queryFn: ({ pageParam, signal }) =>
      api<PostPage>('/posts/favorites', { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
    ...cursorPaging,
  });
}

export function usePost(id: number) {
  return useQuery({
    queryKey: postKeys.detail(id),
    queryFn: ({ signal }) => api<PostDetail>(`/posts/${id}`, { signal }),
    enabled: isId(id),
  });
}

/** Dates that cannot be booked (owner-blocked + reserved), 'YYYY-MM-DD' in Asia/Seoul. */
export function useUnavailableDates(id: number, from?: string, to?: string) {
  return useQuery({
    queryKey: postKeys.unavailable(id, from, to),
    queryFn: ({ signal }) => api<UnavailableDates>(`/posts/${id}/unavailable-dates`, { query: { from, to }, signal }),
    enabled: isId(id),
  });
}

export interface UnavailableDates {
  dates: string[];
}

/** Sets the favorite to the state the user asked for (PUT adds, DELETE removes): a double click or a retry cannot flip it back. */
export function useSetFavorite(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (favorited: boolean) =>
      api<{ favorited: boolean; favoriteCount: number }>(`/posts/${id}/favorite`, { method: favorited ? 'PUT' : 'DELETE' }),
    onSuccess: (r) => {
      qc.setQueryData<PostDetail>(postKeys.detail(id), (old) =>
        old ? { ...old, isFavorite: r.favorited, favoriteCount: r.favoriteCount } : old,
      );
      void qc.invalidateQueries({ queryKey: postKeys.favorites });
    },
  });
}

/** The owner's controls: 숨기기/다시 보이기, 끌어올리기, 재검토 요청. Each refreshes the listing and the lists. */
export function usePostControl(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: 'pause' | 'resume' | 'bump' } | { kind: 'review-request'; message?: string }) =>
      api<unknown>(`/posts/${id}/${action.kind}`, {
        method: 'POST',
        body: action.kind === 'review-request' ? { message: action.message } : undefined,
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: postKeys.all }),
  });
}

export function useDeletePost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/posts/${id}`, { method: 'DELETE' }),
    onSuccess: (_r, id) => {
      qc.removeQueries({ queryKey: postKeys.detail(id) });
      void qc.invalidateQueries({ queryKey: postKeys.all });
    },
  });
}

/** Create (no id) or edit a listing; onProgress gets 0..1 while the files upload. Resolves to the listing id. */
export function useSavePost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id?: number; data: PostData; files: File[]; onProgress?: (f: number) => void }) => {
      const form = new FormData();
      form.append('data', JSON.stringify(input.data));
      for (const file of input.files) form.append('images', file, file.name);
      if (!input.id) return upload<{ id: number }>('/posts', form, { method: 'POST', onProgress: input.onProgress });
      const post = await upload<PostDetail>(`/posts/${input.id}`, form, { method: 'PUT', onProgress: input.onProgress });
      qc.setQueryData(postKeys.detail(post.id), post);
      return { id: post.id };
    },
    onSuccess: ({ id }) => {
      // everything else about listings may have changed (lists, my listings, unavailable dates)
      void qc.invalidateQueries({
        queryKey: postKeys.all,
        predicate: (q) => !(q.queryKey[1] === 'detail' && q.queryKey[2] === id),
      });
    },
  });
}
