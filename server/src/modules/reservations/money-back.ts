// How much goes back to the borrower: ONE place decides it, for the reservation's view and for the
// refund at the payment provider alike.
// - A paid reservation that was cancelled: what the cancellation policy gave back at the cancel
//   (cancellation.ts, stored in cancel_refund in the cancel's transaction; older rows: everything).
// - Once the item is back (환급 대기 / 환급 완료) or a claim is settled (청구 완료): the deposit minus the
//   deductions the borrower accepted (inspections' refundAmounts).
import type { Queryable } from '../../db/client.ts';
import { refundAmounts } from '../inspections/service.ts';
import type { ReservationRow } from './repository.ts';
import type { Status } from './status.ts';

export interface MoneyBack {
  /** CANCEL: a paid cancel; DEPOSIT: the deposit's return after the rental */
  kind: 'CANCEL' | 'DEPOSIT';
  amount: number;
}

/** statuses in which the deposit (less accepted deductions) is being or has been given back */
export const DEPOSIT_RETURN_STATUSES: readonly Status[] = ['PENDING_REFUND', 'REFUND_COMPLETED', 'CLAIM_COMPLETED'];
/** statuses in which the money leaves at the payment provider (an applied capture is then refunded) */
export const PROVIDER_REFUND_STATUSES: readonly Status[] = ['CANCELLED', 'REFUND_COMPLETED', 'CLAIM_COMPLETED'];

type MoneyBackRow = Pick<ReservationRow, 'id' | 'status' | 'paid' | 'cancel_refund' | 'total_amount' | 'deposit' | 'options_deposit'>;

export async function moneyBack(q: Queryable, row: MoneyBackRow): Promise<MoneyBack | null> {
  return (await moneyBackOf(q, [row])).get(row.id) ?? null;
}

/** moneyBack of every row of a list, with one query for all the deposit returns among them */
export async function moneyBackOf(q: Queryable, rows: MoneyBackRow[]): Promise<Map<number, MoneyBack | null>> {
  const returning = rows.filter((r) => DEPOSIT_RETURN_STATUSES.includes(r.status));
  const deposits = returning.length
    ? await refundAmounts(q, returning.map((r) => ({ id: r.id, depositTotal: Number(r.deposit) + Number(r.options_deposit) })))
    : new Map<number, number>();
  return new Map(rows.map((row): [number, MoneyBack | null] => {
    if (row.status === 'CANCELLED') return [row.id, row.paid ? { kind: 'CANCEL', amount: row.cancel_refund ?? row.total_amount } : null];
    const deposit = deposits.get(row.id);
    return [row.id, deposit === undefined ? null : { kind: 'DEPOSIT', amount: deposit }];
  }));
}
