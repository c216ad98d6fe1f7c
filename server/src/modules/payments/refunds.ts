// Giving money back at the provider: a capture the reservation could not use (issue 9 point 7), and
// a paid reservation that was cancelled (issue 9 leftovers). A cancel is claimed before the provider
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
      await provider.cancel(paymentKey, claimed.cancel_reason ?? UNUSABLE_CAPTURE_REASON);
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
     * A reservation paid through the provider was cancelled: its applied capture is cancelled in
     * full (null when nothing was paid through a provider, e.g. direct payment).
     */
    async refundCancelledReservation(reservationId: number, now: Date): Promise<CancelOutcome | null> {
      const capture = await repo.appliedCaptureOf(reservationId);
      if (!capture) return null;
      await repo.markCancelPending(capture.payment_key, 'APPLIED', CANCELLED_RESERVATION_REASON, now);
      return attemptCancel(capture.payment_key, now);
    },

    /** Applied captures of cancelled reservations a crash left unrefunded (for the reconcile job). */
    appliedOfCancelled: (limit: number) => repo.appliedOfCancelled(limit),
  };
}
