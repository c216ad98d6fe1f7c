// Reviews (SPEC §6, issue 10): lists and summaries of a listing or a member, reviews both ways for a
// reservation (the borrower's of the lender, with the lender's one reply, and the lender's of the
// borrower), written blind until both wrote one or 7 days passed.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import { reservationKeys } from './reservations.ts';
import type { Static } from 'typebox';
import type {
  BorrowerReview as BorrowerReviewSchema, CreateBorrowerReviewBody, CreateReviewBody, ReservationReviews as ReservationReviewsSchema,
  Review as ReviewSchema, ReviewSummary as ReviewSummarySchema,
} from '../../../server/src/modules/reviews/schemas.ts';

/** The lender's review of the borrower (shapes from the server's schemas). */
export type BorrowerReview = Static<typeof BorrowerReviewSchema>;
export type BorrowerReviewInput = Static<typeof CreateBorrowerReviewBody>;
/** Both reviews of a reservation as one party sees them (the other's sealed until released). */
export type ReservationReviews = Static<typeof ReservationReviewsSchema>;

/** The three aspects a lender scores a borrower on. */
export const BORROWER_SCORE_FIELDS = [
  { key: 'careScore', label: '물건 관리' },
  { key: 'punctualityScore', label: '시간 약속' },
  { key: 'communicationScore', label: '소통' },
] as const;

export type ReviewTarget = 'posts' | 'members';

export type Review = Static<typeof ReviewSchema>;

export type ReviewPage = CursorPage<Review>;

export type ReviewSummary = Static<typeof ReviewSummarySchema>;
export type ReviewInput = Static<typeof CreateReviewBody>;

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
  ofReservation: (reservationId: number) => ['reviews', 'reservation', reservationId] as const,
  asBorrower: (memberId: number) => ['reviews', 'borrower', memberId, 'list'] as const,
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

/** Both reviews of a reservation for one of its parties. */
export function useReservationReviews(reservationId: number, enabled: boolean) {
  return useQuery({
    queryKey: reviewKeys.ofReservation(reservationId),
    queryFn: ({ signal }) => api<ReservationReviews>(`/reservations/${reservationId}/reviews`, { signal }),
    enabled,
  });
}

/** Reviews a member received as borrower (released ones). */
export function useBorrowerReviews(memberId: number) {
  return useInfiniteQuery({
    queryKey: reviewKeys.asBorrower(memberId),
    queryFn: ({ pageParam, signal }) =>
      api<CursorPage<BorrowerReview>>(`/members/${memberId}/borrower-reviews`, { query: { cursor: pageParam, limit: 10 }, signal }),
    ...cursorPaging,
    enabled: isId(memberId),
  });
}

function afterWriting(qc: ReturnType<typeof useQueryClient>, reservationId: number) {
  void qc.invalidateQueries({ queryKey: reviewKeys.all });
  void qc.invalidateQueries({ queryKey: reservationKeys.detail(reservationId) });
}

export function useCreateReview(reservationId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewInput) => api<Review>(`/reservations/${reservationId}/review`, { method: 'POST', body }),
    onSuccess: () => afterWriting(qc, reservationId),
  });
}

export function useCreateBorrowerReview(reservationId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BorrowerReviewInput) => api<BorrowerReview>(`/reservations/${reservationId}/borrower-review`, { method: 'POST', body }),
    onSuccess: () => afterWriting(qc, reservationId),
  });
}

export function useReplyReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, content }: { reviewId: number; content: string }) =>
      api<Review>(`/reviews/${reviewId}/reply`, { method: 'POST', body: { content } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: reviewKeys.all });
    },
  });
}
