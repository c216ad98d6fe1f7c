// Reviews (SPEC §6): lists and summaries of a listing or a member, the borrower's review of a
// reservation, and the lender's one reply.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import { reservationKeys } from './reservations.ts';

export type ReviewTarget = 'posts' | 'members';

export interface Review {
  id: number;
  reservationId: number;
  post: { id: number; title: string };
  author: { id: number; nickname: string; avatarUrl: string | null };
  lenderId: number;
  equipmentScore: number;
  kindnessScore: number;
  responseScore: number;
  overallScore: number;
  comment: string;
  reply: { content: string; createdAt: string } | null;
  banned: boolean;
  createdAt: string;
}

export type ReviewPage = CursorPage<Review>;

export interface ReviewSummary {
  targetType: 'POST' | 'MEMBER';
  targetId: number;
  count: number;
  averages: { equipment: number | null; kindness: number | null; response: number | null; overall: number | null };
  summary: { text: string; source: 'AI' | 'EXTRACTIVE' | 'NONE'; generatedAt: string | null };
}

export interface ReviewInput {
  equipmentScore: number;
  kindnessScore: number;
  responseScore: number;
  comment: string;
}

/** The three scored aspects, in the order the form and the summary show them. */
export const SCORE_FIELDS = [
  { key: 'equipmentScore', avg: 'equipment', label: '장비 상태' },
  { key: 'kindnessScore', avg: 'kindness', label: '친절도' },
  { key: 'responseScore', avg: 'response', label: '응답 속도' },
] as const;

export const reviewKeys = {
  all: ['reviews'] as const,
  list: (target: ReviewTarget, id: number) => ['reviews', target, id, 'list'] as const,
  summary: (target: ReviewTarget, id: number) => ['reviews', target, id, 'summary'] as const,
  ofReservation: (postId: number, reservationId: number) => ['reviews', 'reservation', postId, reservationId] as const,
};

export function useReviews(target: ReviewTarget, id: number) {
  return useInfiniteQuery({
    queryKey: reviewKeys.list(target, id),
    queryFn: ({ pageParam, signal }) => api<ReviewPage>(`/${target}/${id}/reviews`, { query: { cursor: pageParam, limit: 10 }, signal }),
    ...cursorPaging,
    enabled: isId(id),
  });
}

export function useReviewSummary(target: ReviewTarget, id: number) {
  return useQuery({
    queryKey: reviewKeys.summary(target, id),
    queryFn: ({ signal }) => api<ReviewSummary>(`/${target}/${id}/reviews/summary`, { signal }),
    enabled: isId(id),
  });
}

/**
 * The review written for one reservation, or null. The API has no "review of reservation" read, so it is
 * looked up among the listing's recent reviews (a second review is refused with ALREADY_REVIEWED anyway).
 */
export function useReservationReview(postId: number, reservationId: number, reviewId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: reviewKeys.ofReservation(postId, reservationId),
    queryFn: ({ signal }) => (reviewId ? api<Review>(`/reviews/${reviewId}`, { signal }) : Promise.resolve(null)),
    enabled,
  });
}

export function useCreateReview(reservationId: number, postId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewInput) => api<Review>(`/reservations/${reservationId}/review`, { method: 'POST', body }),
    onSuccess: (review) => {
      qc.setQueryData(reviewKeys.ofReservation(postId, reservationId), review);
      void qc.invalidateQueries({ queryKey: reviewKeys.all, predicate: (q) => q.queryKey[1] !== 'reservation' });
      void qc.invalidateQueries({ queryKey: reservationKeys.detail(reservationId) });
    },
  });
}

export function useReplyReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, content }: { reviewId: number; content: string }) =>
      api<Review>(`/reviews/${reviewId}/reply`, { method: 'POST', body: { content } }),
    onSuccess: (review) => {
      qc.setQueryData(reviewKeys.ofReservation(review.post.id, review.reservationId), review);
      void qc.invalidateQueries({ queryKey: reviewKeys.all, predicate: (q) => q.queryKey[1] !== 'reservation' });
    },
  });
}
