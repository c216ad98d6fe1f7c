// Reservations (SPEC §5): request, lists sent/received with counts per status, detail with the
// status log, status changes (only what `allowedActions` offers) and the payment confirmation.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging } from './paging.ts';
import { postKeys } from './posts.ts';
import { rentalDays } from '../lib/format.ts';
import { priceOf, type PriceColumns, type PricedListing, type PricedOption } from '../../../server/src/modules/reservations/pricing.ts';
import type { Static } from 'typebox';
import { STATUS_TABLE, STATUSES, type Status } from '../../../server/src/modules/reservations/status.ts';
import type {
  EditReservationBody, ExtensionState as ExtensionStateSchema, PayoutAccount as PayoutAccountSchema, Reservation as ReservationSchema,
  ReservationDetail as ReservationDetailSchema, ReservationPage as ReservationPageSchema, StatusChangeBody, StatusLogEntry as StatusLogEntrySchema,
} from '../../../server/src/modules/reservations/schemas.ts';

// The status list, labels and required fields are the server's status table itself (status.ts), not a copy.
export { requiredFields, STATUSES, type Status } from '../../../server/src/modules/reservations/status.ts';

/** The server's labels, for statuses shown without a server-made label (log, tabs). */
export const STATUS_LABELS = Object.fromEntries(STATUSES.map((s) => [s, STATUS_TABLE[s].label])) as Record<Status, string>;
export const statusLabel = (s: string) => STATUS_LABELS[s as Status] ?? s;

/** Colour family of a status badge. */
export function statusTone(s: Status): 'wait' | 'active' | 'done' | 'bad' {
  if (s === 'REJECTED' || s === 'CANCELLED' || s === 'EXPIRED' || s === 'LOST_OR_UNRETURNED' || s === 'CLAIMING') return 'bad';
  if (s === 'REFUND_COMPLETED' || s === 'CLAIM_COMPLETED' || s === 'RETURN_COMPLETED') return 'done';
  if (s === 'PENDING_APPROVAL' || s === 'PENDING_PAYMENT' || s === 'PENDING_PICKUP') return 'wait';
  return 'active';
}

export type DealMethod = 'DIRECT' | 'DELIVERY';
export type ReservationRole = 'BORROWER' | 'LENDER' | 'ADMIN';

export type Party = Reservation['lender'];

/** The server's price breakdown (reservations/pricing.ts). */
export type PriceBreakdown = PriceColumns;

// The wire shapes are the server's schemas (type-only imports, erased at build): one contract.
export type Reservation = Static<typeof ReservationSchema>;
export type StatusLogEntry = Static<typeof StatusLogEntrySchema>;
export type PayoutAccount = Static<typeof PayoutAccountSchema>;
export type LogEvent = NonNullable<StatusLogEntry['event']>;

export const LOG_EVENT_LABELS: Record<LogEvent, string> = {
  TRANSFER_SENT: '송금했어요',
  EXTENSION_REQUESTED: '대여 연장 요청',
  EXTENSION_APPROVED: '대여 연장 승인',
  EXTENSION_REJECTED: '대여 연장 거절',
  EXTENSION_WITHDRAWN: '대여 연장 요청 취소',
};

/** The rental's extension state (the two parties only; null for an admin). What may be done comes from the server. */
export type ExtensionState = Static<typeof ExtensionStateSchema>;
export type Extension = NonNullable<ExtensionState['current']>;
export type ReservationDetail = Static<typeof ReservationDetailSchema>;

export type ReservationPage = Static<typeof ReservationPageSchema>;
export type ReservationRequest = EditReservationBody;

export type StatusChange = StatusChangeBody;

/** The server's price rule itself (pricing.ts: the cheapest months/weeks/days, options × days, deposits). */
export const quote = (post: PricedListing, options: PricedOption[], start: string, end: string): PriceBreakdown =>
  priceOf(post, options, rentalDays(start, end));

export const reservationKeys = {
  all: ['reservations'] as const,
  sent: (status?: Status) => ['reservations', 'sent', status ?? null] as const,
  received: (postId?: number, status?: Status) => ['reservations', 'received', postId ?? null, status ?? null] as const,
  detail: (id: number) => ['reservations', 'detail', id] as const,
};

export function useSentReservations(status?: Status) {
  return useInfiniteQuery({
    queryKey: reservationKeys.sent(status),
    queryFn: ({ pageParam, signal }) =>
      api<ReservationPage>('/reservations/sent', { query: { status, cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

export function useReceivedReservations(postId?: number, status?: Status) {
  return useInfiniteQuery({
    queryKey: reservationKeys.received(postId, status),
    queryFn: ({ pageParam, signal }) =>
      api<ReservationPage>('/reservations/received', { query: { postId, status, cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

export function useReservation(id: number) {
  return useQuery({
    queryKey: reservationKeys.detail(id),
    queryFn: ({ signal }) => api<ReservationDetail>(`/reservations/${id}`, { signal }),
    enabled: isId(id),
  });
}

/** After any change: lists and counts, this reservation, and the listing's unavailable dates. */
function useRefreshAfterChange() {
  const qc = useQueryClient();
  return (r: Reservation) => {
    void qc.invalidateQueries({ queryKey: reservationKeys.all });
    void qc.invalidateQueries({ queryKey: ['posts', 'unavailable', r.post.id] });
    void qc.invalidateQueries({ queryKey: postKeys.detail(r.post.id) });
  };
}

export function useCreateReservation() {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: (body: ReservationRequest & { postId: number }) => api<Reservation>('/reservations', { method: 'POST', body }),
    onSuccess: refresh,
  });
}

export function useEditReservation(id: number) {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: (body: ReservationRequest) => api<Reservation>(`/reservations/${id}`, { method: 'PUT', body }),
    onSuccess: refresh,
  });
}

export function useChangeStatus(id: number) {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: (body: StatusChange) => api<Reservation>(`/reservations/${id}/status`, { method: 'PATCH', body }),
    onSuccess: refresh,
  });
}

/** Direct provider: the lender confirms the money arrived (no body). The server decides "paid". */
/** The borrower's "송금했어요" (direct payment). */
export function useTransferSent(id: number) {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: () => api<Reservation>(`/reservations/${id}/transfer-sent`, { method: 'POST' }),
    onSuccess: refresh,
  });
}

const payoutKey = ['members', 'me', 'payout-account'] as const;

export function useMyPayoutAccount(enabled = true) {
  return useQuery({
    queryKey: payoutKey,
    queryFn: ({ signal }) => api<{ account: (PayoutAccount & { updatedAt: string }) | null }>('/members/me/payout-account', { signal }),
    enabled,
  });
}

export function useSavePayoutAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (account: PayoutAccount) =>
      api<{ account: PayoutAccount & { updatedAt: string } }>('/members/me/payout-account', { method: 'PUT', body: account }),
    onSuccess: (data) => qc.setQueryData(payoutKey, data),
  });
}

export function useConfirmPayment(id: number) {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: (body?: { paymentKey: string; orderId: string; amount: number }) =>
      api<{ reservation: Reservation; alreadyPaid: boolean }>(`/reservations/${id}/payment/confirm`, { method: 'POST', body }),
    onSuccess: (r) => refresh(r.reservation),
  });
}

// ---- rental extension (the borrower asks while RENTING, the lender approves or rejects)

/** The extra fee of extending to `endDate`, with every rule of a request checked by the server (nothing is stored). */
export function useExtensionQuote(id: number, endDate: string | null) {
  return useQuery({
    queryKey: [...reservationKeys.detail(id), 'extension-quote', endDate] as const,
    queryFn: ({ signal }) =>
      api<{ endDate: string; days: number; extraFee: number }>(`/reservations/${id}/extension/quote`, { query: { endDate: endDate ?? '' }, signal }),
    enabled: !!endDate,
    retry: false,
  });
}

export function useExtensionAction(id: number) {
  const refresh = useRefreshAfterChange();
  return useMutation({
    mutationFn: (action: { kind: 'request'; endDate: string } | { kind: 'approve' } | { kind: 'reject'; reason?: string } | { kind: 'withdraw' }) => {
      const url = `/reservations/${id}/extension`;
      switch (action.kind) {
        case 'request': return api<ReservationDetail>(url, { method: 'POST', body: { endDate: action.endDate } });
        case 'approve': return api<ReservationDetail>(`${url}/approve`, { method: 'POST', body: {} });
        case 'reject': return api<ReservationDetail>(`${url}/reject`, { method: 'POST', body: action.reason ? { reason: action.reason } : {} });
        case 'withdraw': return api<ReservationDetail>(url, { method: 'DELETE' });
      }
    },
    onSuccess: refresh,
  });
}
