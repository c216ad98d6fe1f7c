// Listings: feed and filtered lists (cursor pages), detail, unavailable dates, favorites,
// and create/edit as multipart (`data` JSON + `images` files) with upload progress.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, upload, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import type { Trust } from './neighbourhoods.ts';
import type { CancellationPolicy } from '../../../server/src/modules/reservations/cancellation.ts';

export type Method = 'DIRECT' | 'DELIVERY' | 'ANY';
export type PostSort = 'newest' | 'fee_asc' | 'fee_desc' | 'distance';
export interface PlaceRef {
  code: string;
  name: string;
  /** the owner's 동네 인증 of this 동 */
  verified: boolean;
}

interface Ref {
  id: number;
  name: string;
}
export interface CategoryRef extends Ref {
  parent: Ref | null;
}

export interface PostListItem {
  id: number;
  title: string;
  fee: number;
  deposit: number;
  /** primary image: thumbnail rendition, or the original while renditions are pending */
  thumbnailUrl: string | null;
  regions: string[];
  category: CategoryRef;
  createdAt: string;
  favoriteCount: number;
  author: { id: number; nickname: string; rating: number | null; reviewCount: number };
  neighbourhood: PlaceRef | null;
  /** from the requested point (near=me / lat,lng), rounded; null without one */
  distanceKm: number | null;
  banned: boolean;
  /** the owner paused it (only their own lists show it) */
  paused: boolean;
}

export type PostPage = CursorPage<PostListItem>;

export interface PostImage {
  id: number;
  isPrimary: boolean;
  status: string;
  originalUrl: string;
  thumbUrl: string;
  detailUrl: string;
  width: number | null;
  height: number | null;
}

export interface PostOption {
  id: number;
  name: string;
  fee: number;
  deposit: number;
}

export interface PostDetail {
  id: number;
  title: string;
  content: string;
  fee: number;
  deposit: number;
  weeklyFee: number | null;
  monthlyFee: number | null;
  /** 바로 예약: free dates are approved at once */
  instantBooking: boolean;
  cancellation: { policy: CancellationPolicy; label: string; rules: string[] };
  receiveMethod: Method;
  returnMethod: Method;
  returnAddress: string | null;
  category: CategoryRef;
  categoryPath: Ref[];
  regions: { id: number; name: string; parentName: string | null }[];
  images: PostImage[];
  options: PostOption[];
  blockedDates: string[];
  owner: { id: number; nickname: string; avatarUrl: string | null; rating: number | null; reviewCount: number; trust: Trust };
  neighbourhood: PlaceRef | null;
  favoriteCount: number;
  isFavorite: boolean;
  isOwner: boolean;
  banned: boolean;
  /** owner and admins only */
  banReason: string | null;
  reviewRequested: boolean;
  paused: boolean;
  bumpedAt: string | null;
  /** owner only; null or past = may bump now */
  nextBumpAt: string | null;
  embeddingStatus: string;
  createdAt: string;
  updatedAt: string;
}

/** The `data` JSON part of create (and edit, with keepImageIds). */
export interface PostData {
  title: string;
  content: string;
  categoryId: number;
  regionIds: number[];
  fee: number;
  deposit: number;
  weeklyFee?: number | null;
  monthlyFee?: number | null;
  instantBooking?: boolean;
  cancellationPolicy?: CancellationPolicy;
  receiveMethod: Method;
  returnMethod: Method;
  returnAddress?: string | null;
  options?: { id?: number; name: string; fee: number; deposit: number }[];
  blockedDates?: string[];
  /** index into the final image list: kept images first, then new files */
  primaryIndex?: number;
  /** edit only: existing images to keep, in order */
  keepImageIds?: number[];
  /** one of my 동네 (default: the first) */
  neighbourhoodCode?: string;
}

export interface PostFilters {
  keyword?: string;
  categoryId?: number;
  regionId?: number;
  minFee?: number;
  maxFee?: number;
  authorId?: number;
  sort?: PostSort;
  near?: 'me';
  radiusKm?: number;
}

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
