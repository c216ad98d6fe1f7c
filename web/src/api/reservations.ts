// Reservations (SPEC §5): request, lists sent/received with counts per status, detail with the
// status log, status changes (only what `allowedActions` offers) and the payment confirmation.
import type { Trust } from './neighbourhoods.ts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import { postKeys, type PostOption } from './posts.ts';
import { rentalDays } from '../lib/format.ts';
import { priceOf, type PriceColumns, type PricedListing, type PricedOption } from '../../../server/src/modules/reservations/pricing.ts';
import type { CancellationPolicy } from '../../../server/src/modules/reservations/cancellation.ts';

export const STATUSES = [
  'PENDING_APPROVAL', 'PENDING_PAYMENT', 'PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL', 'RENTING',
  'PENDING_RETURN', 'RETURNING', 'INSPECTING_RETURN', 'RETURN_COMPLETED', 'PENDING_REFUND', 'REFUND_COMPLETED',
  'LOST_OR_UNRETURNED', 'CLAIMING', 'CLAIM_COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED',
] as const;
export type Status = (typeof STATUSES)[number];

/** The server's labels (status.ts), for statuses shown without a server-made label (log, tabs). */
export const STATUS_LABELS: Record<Status, string> = {
  PENDING_APPROVAL: '승인 대기',
  PENDING_PAYMENT: '결제 대기',
  PENDING_PICKUP: '수령 대기',
  SHIPPING: '배송 중',
  INSPECTING_RENTAL: '대여 검수',
  RENTING: '대여 중',
  PENDING_RETURN: '반납 대기',
  RETURNING: '반납 배송 중',
  INSPECTING_RETURN: '반납 검수',
  RETURN_COMPLETED: '반납 완료',
  PENDING_REFUND: '환급 대기',
  REFUND_COMPLETED: '환급 완료',
  LOST_OR_UNRETURNED: '분실/미반납',
  CLAIMING: '청구 진행',
  CLAIM_COMPLETED: '청구 완료',
  REJECTED: '거절',
  CANCELLED: '취소',
  EXPIRED: '만료',
};
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

export interface Party {
  id: number;
  nickname: string;
}

/** The server's price breakdown (reservations/pricing.ts). */
export type PriceBreakdown = PriceColumns;

export interface Reservation {
  id: number;
  status: Status;
  statusLabel: string;
  post: { id: number; title: string; imageUrl: string | null };
  borrower: Party;
  lender: Party;
  startDate: string;
  endDate: string;
  receiveMethod: DealMethod;
  returnMethod: DealMethod;
  address: string | null;
  options: PostOption[];
  price: PriceBreakdown;
  receiveShipment: { carrier: string; trackingNumber: string } | null;
  returnShipment: { carrier: string; trackingNumber: string } | null;
  myRole: ReservationRole;
  /** the statuses the caller may set today (steps the date guards refuse are left out) */
  allowedActions: Status[];
  /** the first day of the hand-over steps: the day before the start date */
  handoverFrom: string;
  /** when the item was handed over */
  pickedUpAt: string | null;
  cancellation: {
    policy: CancellationPolicy;
    label: string;
    rules: string[];
    /** what the caller gets back if they cancel now (null: nothing paid, or they cannot cancel) */
    refundIfCancelledNow: number | null;
  };
  /** money going back: a paid cancel's refund, or the deposit less accepted deductions */
  refund: { kind: 'CANCEL' | 'DEPOSIT'; amount: number } | null;
  payment: {
    provider: 'direct' | 'toss';
    payer: 'LENDER' | 'BORROWER';
    orderId: string;
    amount: number;
    paid: boolean;
    canConfirm: boolean;
    /** the borrower pressed "송금했어요" (direct) */
    transferSentAt: string | null;
    canMarkTransferSent: boolean;
    /** the lender's account: only for the borrower of an approved reservation */
    payoutAccount: PayoutAccount | null;
  };
  /** this deal's chat room, if one was opened */
  chatRoomId: number | null;
  reviewable: boolean;
  /** the review written for this reservation, if any */
  reviewId: number | null;
  /** the borrower's trust, for the lender deciding on a request; null in the borrower's own view */
  borrowerTrust: Trust | null;
  statusChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface StatusLogEntry {
  id: number;
  from: Status | null;
  to: Status;
  actorRole: 'BORROWER' | 'LENDER' | 'SYSTEM';
  actor: Party | null;
  reason: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  /** a step that is not a status change (from = to) */
  event: LogEvent | null;
  at: string;
}

export interface PayoutAccount {
  bank: string;
  accountNumber: string;
  holder: string;
}

export type LogEvent = 'TRANSFER_SENT' | 'EXTENSION_REQUESTED' | 'EXTENSION_APPROVED' | 'EXTENSION_REJECTED' | 'EXTENSION_WITHDRAWN';

export const LOG_EVENT_LABELS: Record<LogEvent, string> = {
  TRANSFER_SENT: '송금했어요',
  EXTENSION_REQUESTED: '대여 연장 요청',
  EXTENSION_APPROVED: '대여 연장 승인',
  EXTENSION_REJECTED: '대여 연장 거절',
  EXTENSION_WITHDRAWN: '대여 연장 요청 취소',
};

export interface Extension {
  id: number;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';
  fromEndDate: string;
  toEndDate: string;
  extraFee: number;
  /** the lender's reason for a rejection */
  reason: string | null;
  requestedAt: string;
  decidedAt: string | null;
}

/** The rental's extension state (the two parties only; null for an admin). What may be done comes from the server. */
export interface ExtensionState {
  current: Extension | null;
  /** Σ extra fees of approved extensions, settled between the parties */
  approvedFee: number;
  canRequest: boolean;
  canDecide: boolean;
  canWithdraw: boolean;
}

export interface ReservationDetail extends Reservation {
  extension: ExtensionState | null;
  log: StatusLogEntry[];
}

export interface ReservationPage extends CursorPage<Reservation> {
  /** per status, independent of the status filter */
  counts: Partial<Record<Status, number>>;
}

export interface ReservationRequest {
  startDate: string;
  endDate: string;
  optionIds: number[];
  receiveMethod: DealMethod;
  returnMethod: DealMethod;
  /** only with receiveMethod DELIVERY (the server refuses it for a direct pickup) */
  address?: string;
}

export interface StatusChange {
  status: Status;
  reason?: string;
  carrier?: string;
  trackingNumber?: string;
}

/** Fields a transition needs — the same rule as the server's status table (status.ts requiredFields). */
export function requiredFields(from: Status, to: Status): ('reason' | 'shipment')[] {
  if (to === 'SHIPPING' || to === 'RETURNING') return ['shipment'];
  if (to === 'REJECTED' || to === 'CANCELLED' || to === 'CLAIMING') return ['reason'];
  if (to === 'PENDING_RETURN' && from === 'INSPECTING_RENTAL') return ['reason'];
  return [];
}

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
