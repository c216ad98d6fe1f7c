// Giving money back at the provider: a capture the reservation could not use (issue 9 point 7), a
// paid reservation that was cancelled (issue 9 leftovers) and a deposit returned after the rental
// (issue 12; how much is decided by reservations/money-back.ts — a part of the payment is a partial
// cancel, Toss's cancelAmount). A cancel is claimed before the provider
// is called, so the request and the reconcile job never both call it; a failure stays CANCEL_PENDING
// and the reconcile job retries it with back-off. No dependency on the reservations service, so the
// reservations module can trigger a refund right after a cancel without an import cycle.
import type { Deps } from '../../deps.ts';
import { createPaymentProvider, type PaymentProvider } from './provider.ts';
import { paymentsRepository } from './repository.ts';

/** Back-off of failed cancels: 1, 2, 4 … minutes, at most an hour. */
const cancelBackoffMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
export const UNUSABLE_CAPTURE_REASON = '예약 상태가 바뀌어 결제를 반영할 수 없음 (자동 취소)';
export const CANCELLED_RESERVATION_REASON = '예약이 취소되어 결제를 환불합니다';
export const DEPOSIT_RETURN_REASON = '대여가 끝나 보증금을 돌려드립니다';

export type CancelOutcome = 'CANCELLED' | 'CANCEL_PENDING' | 'APPLIED';

export function refunds(deps: Deps, provider: PaymentProvider = createPaymentProvider(deps.config.payments)) {
  const repo = paymentsRepository(deps.db);

  async function attemptCancel(paymentKey: string, now: Date): Promise<CancelOutcome> {
    const claimed = await repo.claimCancelAttempt(paymentKey, now);
    if (!claimed) {
      const status = await repo.statusOf(paymentKey);
      return status === 'CANCELLED' || status === 'APPLIED' ? status : 'CANCEL_PENDING';
    }
    try {
      // nothing to give back (e.g. the whole deposit was deducted): done without asking the provider
      if (claimed.cancel_amount !== 0) {
        await provider.cancel(paymentKey, claimed.cancel_reason ?? UNUSABLE_CAPTURE_REASON, claimed.cancel_amount ?? undefined);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await repo.cancelFailed(paymentKey, message.slice(0, 500), new Date(now.getTime() + cancelBackoffMs(claimed.cancel_attempts)), now);
      deps.log.error({ reservationId: claimed.reservation_id, paymentKey, err: message }, 'cancel of a payment failed; the reconcile job retries it');
      return 'CANCEL_PENDING';
    }
    await repo.markCancelled(paymentKey, now);
    deps.log.warn({ reservationId: claimed.reservation_id, paymentKey }, 'payment cancelled (refunded) at the provider');
    return 'CANCELLED';
  }

  return {
    attemptCancel,

    /** A capture the reservation cannot use: CAPTURED → CANCEL_PENDING (one caller wins), then cancel now. */
    async refundCapture(paymentKey: string, now: Date): Promise<CancelOutcome> {
      await repo.markCancelPending(paymentKey, 'CAPTURED', UNUSABLE_CAPTURE_REASON, now);
      return attemptCancel(paymentKey, now);
    },

    /**
     * Gives `amount` of a reservation's payment back through the provider, once: the whole capture
     * when it is all of it, else a partial cancel (null when nothing was paid through a provider,
     * e.g. direct payment, or it was already given back).
     */
    async refundReservation(reservationId: number, amount: number, reason: string, now: Date): Promise<CancelOutcome | null> {
      const capture = await repo.appliedCaptureOf(reservationId);
      if (!capture) return null;
      const part = Math.max(0, Math.min(amount, capture.amount));
      await repo.markCancelPending(capture.payment_key, 'APPLIED', reason, now, part === capture.amount ? null : part);
      return attemptCancel(capture.payment_key, now);
    },

    /** Reservations in `statuses` whose applied capture was never given back (a crash, or a system move; for the reconcile job). */
    appliedOfRefundable: (statuses: readonly string[], limit: number) => repo.appliedOfRefundable(statuses, limit),
  };
}
