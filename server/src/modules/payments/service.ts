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
import { iso } from '../../http/wire.ts';
import { reservationsRepository } from '../reservations/repository.ts';
import { roleOf, reservationsService } from '../reservations/service.ts';
import { createPaymentProvider, orderIdOf, type PaymentProvider } from './provider.ts';
import { refunds, type CancelOutcome } from './refunds.ts';
import { paymentsRepository, type CaptureRow, type NewPayment, type PayoutAccountRow } from './repository.ts';

export interface ConfirmBody {
  paymentKey?: string;
  orderId?: string;
  amount?: number;
}

/** A capture left CAPTURED this long is taken to be abandoned by a crashed request (the reconcile job finishes it). */
export const CAPTURE_GRACE_MS = 5 * 60_000;
/** the log's reason when the lender confirms a direct payment */
const DIRECT_CONFIRM_REASON = '빌려주는 사람이 입금을 확인했습니다';

const accountView = (a: PayoutAccountRow) => ({ bank: a.bank, accountNumber: a.account_number, holder: a.holder, updatedAt: iso(a.updated_at) });


export function paymentsService(deps: Deps, provider: PaymentProvider = createPaymentProvider(deps.config.payments)) {
  const { db } = deps;
  const repo = paymentsRepository(db);
  const reservations = reservationsService(deps);

  /** The payments row and the capture's APPLIED mark, inside the status change's transaction. */
  async function recordPayment(tx: Queryable, p: NewPayment, now: Date) {
    const txRepo = paymentsRepository(tx);
    await txRepo.insertPayment(p, provider.name, now);
    if (p.payment_key) await txRepo.markApplied(p.payment_key, now);
  }

  const money = refunds(deps, provider);
  const refund = money.refundCapture;
  const attemptCancel = money.attemptCancel;

  /**
   * Applies a capture to its reservation when it is still payable; otherwise (or when another
   * payment won) refunds it. Used by confirm and by the reconcile job.
   */
  async function settleCapture(c: CaptureRow, now: Date): Promise<{ applied: boolean; byOther?: boolean; refund?: CancelOutcome }> {
    const applied = await reservations.systemTransition(c.reservation_id, 'PENDING_PAYMENT', 'PENDING_PICKUP', now, undefined,
      (tx) => recordPayment(tx, c, now));
    if (applied) return { applied: true };
    const after = await repo.paymentOf(c.reservation_id);
    if (after?.payment_key === c.payment_key) {
      // a concurrent confirm of the same payment applied it
      await repo.markApplied(c.payment_key, now, true);
      return { applied: true, byOther: true };
    }
    return { applied: false, refund: await refund(c.payment_key, now) };
  }

  return {
    provider,

    async payoutAccount(member: AuthMember) {
      const account = await repo.payoutAccountOf(member.id);
      return { account: account ? accountView(account) : null };
    },

    async savePayoutAccount(member: AuthMember, body: { bank: string; accountNumber: string; holder: string }) {
      const account = { bank: body.bank.trim(), accountNumber: body.accountNumber.trim(), holder: body.holder.trim() };
      if (!account.bank || !account.holder) throw badRequest('PAYOUT_ACCOUNT_INCOMPLETE', '은행과 예금주를 입력해 주세요');
      const saved = await repo.savePayoutAccount(member.id, account, deps.clock.now());
      return { account: accountView(saved!) };
    },

    /**
     * The borrower says "송금했어요" (direct payment): recorded once in the history, and the lender is
     * told to check the account and confirm. Saying it again changes nothing.
     */
    async markTransferSent(member: AuthMember, id: number) {
      const row = await reservations.load(db, id);
      const role = roleOf(row, member);
      if (!role) throw forbidden('이 예약의 당사자만 볼 수 있습니다');
      if (role !== 'BORROWER') throw forbidden('송금 표시는 빌리는 사람만 할 수 있습니다', 'NOT_BORROWER');
      if (provider.name !== 'direct') throw conflict('NOT_DIRECT_PAYMENT', '카드 결제(토스)를 쓰는 예약에는 송금 표시가 없습니다');
      if (row.status !== 'PENDING_PAYMENT') throw conflict('NOT_PAYABLE', '결제 대기 중인 예약이 아닙니다');
      if (row.transfer_sent_at) return reservations.view(member, id);
      const now = deps.clock.now();
      const notes = await db.transaction(async (tx) => {
        const txRepo = reservationsRepository(tx);
        if (!(await txRepo.markTransferSent(id, now))) return [];
        await txRepo.log({ reservationId: id, from: row.status, to: row.status, actor: 'BORROWER', actorId: member.id, event: 'TRANSFER_SENT', at: now });
        return [await deps.notifications.insert(tx, {
          memberId: row.lender_id,
          type: 'TRANSFER_SENT',
          title: `${member.nickname}님이 송금했어요`,
          body: `${row.post_title} — ${row.total_amount.toLocaleString('ko-KR')}원. 계좌에 들어왔는지 확인하고 '입금 확인'을 눌러 주세요`,
          targetType: 'RESERVATION',
          targetId: id,
        })];
      });
      await deps.notifications.publish(notes);
      return reservations.view(member, id);
    },
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
      const before = await repo.paymentOf(id);
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
        const applied = await reservations.systemTransition(id, 'PENDING_PAYMENT', 'PENDING_PICKUP', now, DIRECT_CONFIRM_REASON,
          (tx) => recordPayment(tx, capture, now));
        if (applied) return { reservation: await reservations.view(member, id), alreadyPaid: false };
        if (await repo.paymentOf(id)) return { reservation: await reservations.view(member, id), alreadyPaid: true };
        throw conflict('NOT_PAYABLE', '예약 상태가 바뀌어 결제를 반영하지 못했습니다');
      }

      // Committed on its own before the status change: whatever happens next, we know Toss took this money.
      await repo.insertCapture({ ...capture, payment_key: paid.paymentKey }, provider.name, now);
      const stored = await repo.captureByKey(paid.paymentKey);
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
      const stale = await repo.staleCaptures(new Date(now.getTime() - CAPTURE_GRACE_MS), 100);
      for (const c of stale) {
        const r = await settleCapture(c, now);
        if (r.applied) applied++;
        else if (r.refund === 'CANCELLED') cancelled++;
        else pending++;
      }
      // a paid reservation cancelled while its refund could not be started (a crash after the cancel),
      // or whose deposit return the auto-completion job reached (it moves rows in bulk, without refunds)
      for (const reservationId of await reservations.unrefunded(100)) {
        if ((await reservations.refundAtProvider(reservationId, now)) === 'CANCELLED') cancelled++;
        else pending++;
      }
      const due = await repo.dueCancels(now, 100);
      for (const paymentKey of due) {
        if ((await attemptCancel(paymentKey, now)) === 'CANCELLED') cancelled++;
        else pending++;
      }
      return { applied, cancelled, pending };
    },
  };
}
