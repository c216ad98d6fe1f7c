// How a reservation is shown to one of its parties (or an admin): the response mapping.
import type { Config } from '../../config.ts';
import type { AuthMember } from '../../http/auth.ts';
import { iso } from '../../http/wire.ts';
import { seoulDate } from '../../lib/dates.ts';
import { mediaUrl } from '../images/service.ts';
import { orderIdOf, payerOf } from '../payments/provider.ts';
import { cancelRefund, POLICY_TABLE, policyLines } from './cancellation.ts';
import type { MoneyBack } from './money-back.ts';
import { extraDaysOf } from './pricing.ts';
import type { ReservationOptionRow, ReservationRow, StatusLogRow } from './repository.ts';
import { allowedActions, handoverFrom, HOLDING_STATUSES, isReviewable, STATUS_TABLE, type Actor, type TransitionSubject } from './status.ts';

export type ViewerRole = 'BORROWER' | 'LENDER' | 'ADMIN';

/** The caller's part in a reservation, or null when it is none of their business. */
export function roleOf(row: Pick<ReservationRow, 'borrower_id' | 'lender_id'>, member: AuthMember): ViewerRole | null {
  if (row.borrower_id === member.id) return 'BORROWER';
  if (row.lender_id === member.id) return 'LENDER';
  if (member.role === 'ADMIN') return 'ADMIN';
  return null;
}

export const subjectOf = (
  row: Pick<ReservationRow, 'status' | 'receive_method' | 'return_method' | 'start_date' | 'picked_up_at'>,
): TransitionSubject => ({
  status: row.status,
  receiveMethod: row.receive_method,
  returnMethod: row.return_method,
  startDate: row.start_date,
  handedOverOn: row.picked_up_at ? seoulDate(row.picked_up_at) : null,
});

/**
 * The lender's payout account, for the borrower only and only once the lender approved (the dates
 * are held): never to the lender's other requesters, strangers or admins.
 */
function payoutAccountFor(row: ReservationRow, role: ViewerRole) {
  if (role !== 'BORROWER' || !HOLDING_STATUSES.includes(row.status) || !row.payout_bank) return null;
  return { bank: row.payout_bank, accountNumber: row.payout_account_number ?? '', holder: row.payout_holder ?? '' };
}

/** What a cancel of this paid reservation by `by` on `today` gives back, under the policy it was requested under. */
export const cancelRefundOf = (row: ReservationRow, by: 'BORROWER' | 'LENDER', today: string) =>
  cancelRefund(
    { policy: row.cancellation_policy, startDate: row.start_date, rentalFee: row.rental_fee, deposits: row.deposit + row.options_deposit },
    { by, today },
  );

/** The policy the reservation was requested under, and what a cancel by the caller would give back today. */
function cancellationFor(row: ReservationRow, actor: Actor | null, allowed: string[], today: string) {
  const mayCancel = (actor === 'BORROWER' || actor === 'LENDER') && allowed.includes('CANCELLED');
  return {
    policy: row.cancellation_policy,
    label: POLICY_TABLE[row.cancellation_policy].label,
    rules: policyLines(row.cancellation_policy),
    refundIfCancelledNow: mayCancel && row.paid ? cancelRefundOf(row, actor, today).amount : null,
  };
}

export function reservationView(
  payments: Config['payments'],
  row: ReservationRow,
  options: ReservationOptionRow[],
  role: ViewerRole,
  at: { today: string; moneyBack: MoneyBack | null },
) {
  const actor: Actor | null = role === 'ADMIN' ? null : role;
  const payer = payerOf(payments);
  const actions = allowedActions(subjectOf(row), actor, at.today);
  return {
    id: row.id,
    status: row.status,
    statusLabel: STATUS_TABLE[row.status].label,
    post: { id: row.post_id, title: row.post_title, imageUrl: mediaUrl(row.post_image) },
    borrower: { id: row.borrower_id, nickname: row.borrower_nickname },
    lender: { id: row.lender_id, nickname: row.lender_nickname },
    startDate: row.start_date,
    endDate: row.end_date,
    receiveMethod: row.receive_method,
    returnMethod: row.return_method,
    address: row.address,
    options: options.map((o) => ({ id: o.option_id, name: o.name, fee: o.fee, deposit: o.deposit })),
    price: {
      days: row.days,
      dailyFee: row.daily_fee,
      weeklyFee: row.weekly_fee,
      monthlyFee: row.monthly_fee,
      months: row.months,
      weeks: row.weeks,
      extraDays: extraDaysOf(row.days, row.months, row.weeks),
      itemFee: row.rental_fee - row.options_daily_fee * row.days,
      optionsDailyFee: row.options_daily_fee,
      rentalFee: row.rental_fee,
      deposit: row.deposit,
      optionsDeposit: row.options_deposit,
      total: row.total_amount,
    },
    receiveShipment: row.receive_carrier ? { carrier: row.receive_carrier, trackingNumber: row.receive_tracking_no ?? '' } : null,
    returnShipment: row.return_carrier ? { carrier: row.return_carrier, trackingNumber: row.return_tracking_no ?? '' } : null,
    myRole: role,
    allowedActions: actions,
    handoverFrom: handoverFrom(row.start_date),
    pickedUpAt: row.picked_up_at ? iso(row.picked_up_at) : null,
    cancellation: cancellationFor(row, actor, actions, at.today),
    refund: at.moneyBack,
    payment: {
      provider: payments.provider,
      payer,
      orderId: orderIdOf(row.id),
      amount: row.total_amount,
      paid: row.paid,
      canConfirm: row.status === 'PENDING_PAYMENT' && actor === payer,
      transferSentAt: row.transfer_sent_at ? iso(row.transfer_sent_at) : null,
      canMarkTransferSent: payments.provider === 'direct' && row.status === 'PENDING_PAYMENT' && role === 'BORROWER' && !row.transfer_sent_at,
      payoutAccount: payoutAccountFor(row, role),
    },
    chatRoomId: row.chat_room_id,
    reviewable: isReviewable(row.status),
    reviewId: row.review_id,
    statusChangedAt: iso(row.status_changed_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const logView = (l: StatusLogRow) => ({
  id: l.id,
  from: l.from_status,
  to: l.to_status,
  actorRole: l.actor_role,
  actor: l.actor_id ? { id: l.actor_id, nickname: l.nickname ?? '' } : null,
  reason: l.reason,
  carrier: l.carrier,
  trackingNumber: l.tracking_number,
  event: l.event,
  at: iso(l.created_at),
});
