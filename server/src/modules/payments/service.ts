// Payment confirmation: checks who may confirm and that amount/order match the reservation, lets the
// provider settle, then records the payment and moves PENDING_PAYMENT → PENDING_PICKUP (actor SYSTEM)
// in one transaction. Confirming again with the same payment changes nothing.
//
// Money taken at Toss is never lost: the provider's confirmation is written to payment_captures in
// its own statement (committed) before the status change is attempted. When the reservation can no
// longer be paid (the expiry job or a cancel won the race), the capture is cancelled through Toss's
// cancel API at once, and the reconcile job retries cancels that failed and finishes captures a
// crash left half-done.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { badRequest, conflict, forbidden } from '../../http/errors.ts';
import { roleOf, reservationsService } from '../reservations/service.ts';
import { createPaymentProvider, orderIdOf, type PaymentProvider } from './provider.ts';

export interface ConfirmBody {
  paymentKey?: string;
  orderId?: string;
  amount?: number;
}

/** A capture left CAPTURED this long is taken to be abandoned by a crashed request (the reconcile job finishes it). */
export const CAPTURE_GRACE_MS = 5 * 60_000;
/** Back-off of failed cancels: 1, 2, 4 … minutes, at most an hour. */
const cancelBackoffMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
const REFUND_REASON = '예약 상태가 바뀌어 결제를 반영할 수 없음 (자동 취소)';

interface CaptureRow {
  id: number;
  reservation_id: number;
  payment_key: string;
  order_id: string;
  amount: number;
  method: string | null;
  approved_at: Date;
  raw: unknown;
  confirmed_by: number | null;
  status: 'CAPTURED' | 'APPLIED' | 'CANCEL_PENDING' | 'CANCELLED';
  cancel_attempts: number;
}

export function paymentsService(deps: Deps, provider: PaymentProvider = createPaymentProvider(deps.config.payments)) {
  const { db } = deps;
  const reservations = reservationsService(deps);

  const existingPayment = (reservationId: number) =>
    db.one<{ payment_key: string | null }>('SELECT payment_key FROM payments WHERE reservation_id = $1', [reservationId]);

  /** The payments row and the capture's APPLIED mark, inside the status change's transaction. */
  async function recordPayment(tx: Queryable, c: Omit<CaptureRow, 'id' | 'status' | 'cancel_attempts' | 'payment_key'> & { payment_key: string | null }, providerName: string, now: Date) {
    await tx.query(
      `INSERT INTO payments (reservation_id, provider, order_id, payment_key, amount, method, confirmed_by, approved_at, raw, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [c.reservation_id, providerName, c.order_id, c.payment_key, c.amount, c.method, c.confirmed_by, c.approved_at,
        c.raw === null ? null : JSON.stringify(c.raw), now],
    );
    if (c.payment_key) {
      await tx.query(`UPDATE payment_captures SET status = 'APPLIED', updated_at = $2 WHERE payment_key = $1`, [c.payment_key, now]);
    }
  }

  /**
   * The capture cannot be used: mark it CANCEL_PENDING (only from CAPTURED, so one caller does it)
   * and ask the provider to cancel it now; a failure stays CANCEL_PENDING for the reconcile job.
   * Returns the capture's state afterwards.
   */
  async function refund(paymentKey: string, now: Date): Promise<'CANCELLED' | 'CANCEL_PENDING' | 'APPLIED'> {
    await db.query(
      `UPDATE payment_captures SET status = 'CANCEL_PENDING', cancel_reason = $2, next_attempt_at = $3, updated_at = $3
       WHERE payment_key = $1 AND status = 'CAPTURED'`,
      [paymentKey, REFUND_REASON, now],
    );
    return attemptCancel(paymentKey, now);
  }

  async function attemptCancel(paymentKey: string, now: Date): Promise<'CANCELLED' | 'CANCEL_PENDING' | 'APPLIED'> {
    // claim the attempt: concurrent callers (request and job) do not both call the provider
    const claimed = await db.one<CaptureRow>(
      `UPDATE payment_captures SET cancel_attempts = cancel_attempts + 1, next_attempt_at = $2::timestamptz + interval '10 minutes', updated_at = $2
       WHERE payment_key = $1 AND status = 'CANCEL_PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= $2) RETURNING *`,
      [paymentKey, now],
    );
    if (!claimed) {
      const row = await db.one<{ status: CaptureRow['status'] }>('SELECT status FROM payment_captures WHERE payment_key = $1', [paymentKey]);
      return row?.status === 'CANCELLED' || row?.status === 'APPLIED' ? row.status : 'CANCEL_PENDING';
    }
    try {
      await provider.cancel(paymentKey, REFUND_REASON);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await db.query(
        `UPDATE payment_captures SET last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE payment_key = $1 AND status = 'CANCEL_PENDING'`,
        [paymentKey, message.slice(0, 500), new Date(now.getTime() + cancelBackoffMs(claimed.cancel_attempts)), now],
      );
      deps.log.error({ reservationId: claimed.reservation_id, paymentKey, err: message }, 'cancel of an unusable payment failed; the reconcile job retries it');
      return 'CANCEL_PENDING';
    }
    await db.query(
      `UPDATE payment_captures SET status = 'CANCELLED', last_error = NULL, next_attempt_at = NULL, updated_at = $2 WHERE payment_key = $1`,
      [paymentKey, now],
    );
    deps.log.warn({ reservationId: claimed.reservation_id, paymentKey }, 'payment captured for a reservation that can no longer be paid was cancelled at the provider');
    return 'CANCELLED';
  }

  /**
   * Applies a capture to its reservation when it is still payable; otherwise (or when another
   * payment won) refunds it. Used by confirm and by the reconcile job.
   */
  async function settleCapture(c: CaptureRow, now: Date): Promise<{ applied: boolean; byOther?: boolean; refund?: 'CANCELLED' | 'CANCEL_PENDING' | 'APPLIED' }> {
    const applied = await reservations.systemTransition(c.reservation_id, 'PENDING_PAYMENT', 'PENDING_PICKUP', now, undefined,
      (tx) => recordPayment(tx, c, provider.name, now));
    if (applied) return { applied: true };
    const after = await existingPayment(c.reservation_id);
    if (after?.payment_key === c.payment_key) {
      // a concurrent confirm of the same payment applied it
      await db.query(`UPDATE payment_captures SET status = 'APPLIED', updated_at = $2 WHERE payment_key = $1 AND status = 'CAPTURED'`, [c.payment_key, now]);
      return { applied: true, byOther: true };
    }
    return { applied: false, refund: await refund(c.payment_key, now) };
  }

  return {
    provider,
    async confirm(member: AuthMember, id: number, body: ConfirmBody) {
      const row = await reservations.load(db, id);
      const role = roleOf(row, member);
      if (!role) throw forbidden('이 예약의 당사자만 결제를 확인할 수 있습니다');
      if (role !== provider.payer) {
        throw forbidden(
          provider.payer === 'LENDER' ? '결제 확인은 빌려주는 사람이 합니다' : '결제는 빌리는 사람이 합니다',
          'NOT_PAYER',
        );
      }
      const sameAsBefore = (p: { payment_key: string | null }) => provider.name === 'direct' || p.payment_key === body.paymentKey;
      const before = await existingPayment(id);
      if (before) {
        if (sameAsBefore(before)) return { reservation: await reservations.view(member, id), alreadyPaid: true };
        throw conflict('ALREADY_PAID', '이미 결제가 완료된 예약입니다');
      }
      if (row.status !== 'PENDING_PAYMENT') throw conflict('NOT_PAYABLE', '결제 대기 중인 예약이 아닙니다');

      const orderId = orderIdOf(id);
      if (provider.name === 'toss') {
        if (!body.paymentKey || body.orderId === undefined || body.amount === undefined) {
          throw badRequest('PAYMENT_FIELDS_REQUIRED', 'paymentKey, orderId, amount가 필요합니다');
        }
        if (body.orderId !== orderId) throw badRequest('ORDER_MISMATCH', '주문 번호가 이 예약과 일치하지 않습니다');
        if (body.amount !== row.total_amount) {
          throw badRequest('AMOUNT_MISMATCH', `결제 금액이 예약 금액(${row.total_amount.toLocaleString('ko-KR')}원)과 다릅니다`);
        }
      }

      const now = deps.clock.now();
      const paid = await provider.confirm({ orderId, amount: row.total_amount, paymentKey: body.paymentKey }, now);
      const capture = {
        reservation_id: id, order_id: orderId, payment_key: paid.paymentKey, amount: row.total_amount, method: paid.method,
        approved_at: paid.approvedAt, raw: paid.raw, confirmed_by: member.id,
      };
      if (!paid.paymentKey) {
        // direct: nothing was taken anywhere, so there is nothing to keep or give back
        const applied = await reservations.systemTransition(id, 'PENDING_PAYMENT', 'PENDING_PICKUP', now, undefined,
          (tx) => recordPayment(tx, capture, provider.name, now));
        if (applied) return { reservation: await reservations.view(member, id), alreadyPaid: false };
        if (await existingPayment(id)) return { reservation: await reservations.view(member, id), alreadyPaid: true };
        throw conflict('NOT_PAYABLE', '예약 상태가 바뀌어 결제를 반영하지 못했습니다');
      }

      // Committed on its own before the status change: whatever happens next, we know Toss took this money.
      await db.query(
        `INSERT INTO payment_captures (reservation_id, provider, payment_key, order_id, amount, method, approved_at, raw, confirmed_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (payment_key) DO NOTHING`,
        [id, provider.name, paid.paymentKey, orderId, row.total_amount, paid.method, paid.approvedAt,
          paid.raw === null ? null : JSON.stringify(paid.raw), member.id, now],
      );
      const stored = await db.one<CaptureRow>('SELECT * FROM payment_captures WHERE payment_key = $1', [paid.paymentKey]);
      if (stored && stored.reservation_id !== id) throw conflict('PAYMENT_MISMATCH', '결제사의 결제 정보가 예약과 일치하지 않습니다');
      const settled = await settleCapture(stored!, now);
      if (!settled.applied) {
        const refunded = settled.refund === 'CANCELLED';
        throw conflict(
          'NOT_PAYABLE',
          refunded
            ? '예약 상태가 바뀌어 결제를 반영하지 못했습니다. 결제는 자동으로 취소(환불)되었습니다'
            : '예약 상태가 바뀌어 결제를 반영하지 못했습니다. 결제 취소(환불)를 진행 중입니다',
          { refund: refunded ? 'CANCELLED' : 'PENDING' },
        );
      }
      if (settled.byOther) return { reservation: await reservations.view(member, id), alreadyPaid: true };
      return { reservation: await reservations.view(member, id), alreadyPaid: false };
    },

    /**
     * The reconcile job: retries due cancels, and finishes captures a crashed request left CAPTURED
     * for longer than CAPTURE_GRACE_MS (applied if the reservation is still payable, else refunded).
     */
    async reconcile(now: Date) {
      let applied = 0;
      let cancelled = 0;
      let pending = 0;
      const stale = await db.query<CaptureRow>(
        `SELECT * FROM payment_captures WHERE status = 'CAPTURED' AND updated_at <= $1 ORDER BY id LIMIT 100`,
        [new Date(now.getTime() - CAPTURE_GRACE_MS)],
      );
      for (const c of stale) {
        const r = await settleCapture(c, now);
        if (r.applied) applied++;
        else if (r.refund === 'CANCELLED') cancelled++;
        else pending++;
      }
      const due = await db.query<{ payment_key: string }>(
        `SELECT payment_key FROM payment_captures WHERE status = 'CANCEL_PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
         ORDER BY id LIMIT 100`,
        [now],
      );
      for (const d of due) {
        if ((await attemptCancel(d.payment_key, now)) === 'CANCELLED') cancelled++;
        else pending++;
      }
      return { applied, cancelled, pending };
    },
  };
}
