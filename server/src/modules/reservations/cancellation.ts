// Cancellation policies (issue 12 point 5): ONE place for what a cancel after payment gives back. The
// listing picks a policy; a reservation keeps the one it was requested under. The web app imports this
// file to show the policy before booking, so it imports nothing server-only.
//
// - The policy decides the share of the rental fee a BORROWER's cancel gets back, by how many days
//   before the start date (Seoul) it happens; the first tier the cancel meets applies.
// - A LENDER's cancel gives everything back (the borrower did nothing wrong).
// - Deposits always come back in full.
import { rentalDays } from '../../lib/dates.ts';

export const CANCELLATION_POLICIES = ['flexible', 'moderate', 'strict'] as const;
export type CancellationPolicy = (typeof CANCELLATION_POLICIES)[number];

interface Tier {
  /** the cancel comes at least this many days before the start date; null: any later (the last tier) */
  minDaysBefore: number | null;
  /** share of the rental fee given back */
  feePercent: number;
}

/** At every moment flexible gives back at least what moderate does, and moderate at least what strict does. */
export const POLICY_TABLE: Record<CancellationPolicy, { label: string; tiers: readonly Tier[] }> = {
  flexible: { label: '유연', tiers: [{ minDaysBefore: 1, feePercent: 100 }, { minDaysBefore: null, feePercent: 50 }] },
  moderate: { label: '보통', tiers: [{ minDaysBefore: 5, feePercent: 100 }, { minDaysBefore: null, feePercent: 50 }] },
  strict: { label: '엄격', tiers: [{ minDaysBefore: 7, feePercent: 50 }, { minDaysBefore: null, feePercent: 0 }] },
};

export const DEFAULT_POLICY: CancellationPolicy = 'flexible';

/** Whole days from `today` to the start date (0 on the start day, negative after it). */
export const daysBeforeStart = (startDate: string, today: string) => rentalDays(today, startDate) - 1;

export function feeRefundPercent(policy: CancellationPolicy, daysBefore: number): number {
  const tier = POLICY_TABLE[policy].tiers.find((t) => t.minDaysBefore === null || daysBefore >= t.minDaysBefore);
  return tier?.feePercent ?? 0;
}

export interface CancelRefund {
  feePercent: number;
  feeRefund: number;
  depositRefund: number;
  /** feeRefund + depositRefund */
  amount: number;
}

/** What a cancel of a paid reservation gives back (fee share rounded down to the won). */
export function cancelRefund(
  r: { policy: CancellationPolicy; startDate: string; rentalFee: number; deposits: number },
  cancel: { by: 'BORROWER' | 'LENDER'; today: string },
): CancelRefund {
  const feePercent = cancel.by === 'LENDER' ? 100 : feeRefundPercent(r.policy, daysBeforeStart(r.startDate, cancel.today));
  const feeRefund = Math.floor((r.rentalFee * feePercent) / 100);
  return { feePercent, feeRefund, depositRefund: r.deposits, amount: feeRefund + r.deposits };
}

const share = (percent: number) => (percent === 100 ? '대여료 전액 환불' : percent === 0 ? '대여료 환불 없음' : `대여료 ${percent}% 환불`);

/** The policy in plain Korean, one line per tier, then the deposit. */
export function policyLines(policy: CancellationPolicy): string[] {
  const lines = POLICY_TABLE[policy].tiers.map((t, i, all) =>
    t.minDaysBefore === null
      ? `${i === 0 ? '언제 취소해도' : `그 뒤 취소 (시작 ${all[i - 1].minDaysBefore! - 1 === 0 ? '당일' : `${all[i - 1].minDaysBefore! - 1}일 전`}부터)`}: ${share(t.feePercent)}`
      : `시작 ${t.minDaysBefore}일 전까지 취소: ${share(t.feePercent)}`,
  );
  return [...lines, '보증금은 언제나 전액 돌려받아요'];
}
