// Payment confirmation: checks who may confirm and that amount/order match the reservation, lets the
// provider settle, then records the payment and moves PENDING_PAYMENT → PENDING_PICKUP (actor SYSTEM)
// in one transaction. Confirming again with the same payment changes nothing.
import type { Deps } from '../../deps.ts';
import type { AuthMember } from '../../http/auth.ts';
import { badRequest, conflict, forbidden } from '../../http/errors.ts';
import { roleOf, reservationsService } from '../reservations/service.ts';
import { createPaymentProvider, orderIdOf, type PaymentProvider } from './provider.ts';

export interface ConfirmBody {
  paymentKey?: string;
  orderId?: string;
  amount?: number;
}

export function paymentsService(deps: Deps, provider: PaymentProvider = createPaymentProvider(deps.config.payments)) {
  const { db } = deps;
  const reservations = reservationsService(deps);

  const existingPayment = (reservationId: number) =>
    db.one<{ payment_key: string | null }>('SELECT payment_key FROM payments WHERE reservation_id = $1', [reservationId]);

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
      const applied = await reservations.systemTransition(id, 'PENDING_PAYMENT', 'PENDING_PICKUP', now, undefined, async (tx) => {
        await tx.query(
          `INSERT INTO payments (reservation_id, provider, order_id, payment_key, amount, method, confirmed_by, approved_at, raw, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [id, provider.name, orderId, paid.paymentKey, row.total_amount, paid.method, member.id, paid.approvedAt,
            paid.raw === null ? null : JSON.stringify(paid.raw), now],
        );
      });
      if (!applied) {
        // a concurrent confirm of the same payment won: that is success; anything else changed the status
        const after = await existingPayment(id);
        if (after && sameAsBefore(after)) return { reservation: await reservations.view(member, id), alreadyPaid: true };
        if (paid.paymentKey) {
          deps.log.error({ reservationId: id, paymentKey: paid.paymentKey }, 'payment confirmed at provider but reservation is no longer payable: refund needed');
        }
        throw conflict('NOT_PAYABLE', '예약 상태가 바뀌어 결제를 반영하지 못했습니다');
      }
      return { reservation: await reservations.view(member, id), alreadyPaid: false };
    },
  };
}
