// Timed rules of the rental lifecycle (SPEC §5, §9). Each run uses ctx.now only, and every change is
// a set-based conditional update (from the expected status, or "...notified_at IS NULL"), so a
// second run — or a concurrent run on another instance — finds nothing left to do.
import type { Deps } from '../../deps.ts';
import type { JobDefinition, JobContext } from '../../jobs/types.ts';
import type { NewNotification } from '../notifications/service.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';
import { reservationsRepository, type DueWhen, type NoticeRow } from './repository.ts';
import { STATUS_TABLE, type Status } from './status.ts';
import { statusNotices } from './transitions.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The timings of the rules; one place to read and change them. */
export const TIMED_RULES = {
  /** a request nobody answered expires after this, or once its start date has passed */
  requestTtlMs: 48 * HOUR,
  /** an approval nobody paid expires after this (from approval), or once its start date has passed */
  paymentTtlMs: 24 * HOUR,
  /**
   * RENTING past its end date: both parties are told at once (overdue); after this many whole days
   * past the end date the system marks it LOST_OR_UNRETURNED so the lender can claim.
   */
  overdueGraceDays: 3,
  /** RETURN_COMPLETED → PENDING_REFUND after this long without the parties moving it */
  returnCompletedToRefundMs: 3 * DAY,
  /** PENDING_REFUND → REFUND_COMPLETED (the deposit is assumed refunded) */
  refundAutoCompleteMs: 7 * DAY,
  /** CLAIMING → CLAIM_COMPLETED */
  claimAutoCompleteMs: 14 * DAY,
};

const BATCH = 500;

/**
 * Moves every reservation in `from` that is due to `to` as SYSTEM, a batch per statement (set-based:
 * one UPDATE with its log, one INSERT of the notices), and returns how many moved. Rows locked by a
 * concurrent run are skipped by this one and moved by that one, so nothing moves twice.
 */
async function moveAll(deps: Deps, now: Date, from: Status, to: Status, due: DueWhen, reason: string) {
  if (!STATUS_TABLE[from].next.includes(to) || !STATUS_TABLE[to].setBy.includes('SYSTEM')) {
    throw new Error(`the system may not move ${from} → ${to} (status.ts)`);
  }
  let total = 0;
  for (;;) {
    const notes = await deps.db.transaction(async (tx) => {
      const moved = await reservationsRepository(tx).moveDue(from, to, due, reason, now, BATCH);
      total += moved.length;
      return { count: moved.length, rows: await deps.notifications.insertMany(tx, moved.flatMap((r) => statusNotices(r, to, 'SYSTEM', reason))) };
    });
    await deps.notifications.publish(notes.rows);
    if (notes.count < BATCH) return total;
  }
}

export async function expireReservations({ deps, now }: JobContext) {
  const today = seoulDate(now);
  const requests = await moveAll(deps, now, 'PENDING_APPROVAL', 'EXPIRED',
    { createdBefore: new Date(now.getTime() - TIMED_RULES.requestTtlMs), startBefore: today },
    '응답 기한이 지나 요청이 만료되었습니다');
  const payments = await moveAll(deps, now, 'PENDING_PAYMENT', 'EXPIRED',
    { changedBefore: new Date(now.getTime() - TIMED_RULES.paymentTtlMs), startBefore: today },
    '결제 기한이 지나 예약이 만료되었습니다');
  return { expiredRequests: requests, expiredPayments: payments };
}

/** Claims a one-time notice (e.g. return_reminded_at) of RENTING reservations ending in `end`, notices of a batch in one INSERT. */
async function notifyOnce(
  deps: Deps,
  now: Date,
  column: 'return_reminded_at' | 'overdue_notified_at',
  end: { from?: string; to: string },
  notes: (r: NoticeRow) => NewNotification[],
) {
  const rows = await deps.db.transaction(async (tx) => {
    const claimed = await reservationsRepository(tx).claimRentingNotice(column, end, now, BATCH);
    const inserted = await deps.notifications.insertMany(tx, claimed.flatMap((r) => notes(r).map((n) => ({ ...n, targetType: 'RESERVATION', targetId: r.id }))));
    return { claimed: claimed.length, inserted };
  });
  await deps.notifications.publish(rows.inserted);
  return rows.claimed;
}

/** The day before the end date (Seoul), the borrower is reminded once. */
export async function remindReturns({ deps, now }: JobContext) {
  const today = seoulDate(now);
  const reminded = await notifyOnce(deps, now, 'return_reminded_at', { from: today, to: addDays(today, 1) },
    (r) => [{
      memberId: r.borrower_id,
      type: 'RETURN_REMINDER',
      title: r.end_date === today ? '오늘이 반납일입니다' : '내일이 반납일입니다',
      body: `${r.title} — 반납일 ${r.end_date}`,
    }]);
  return { reminded };
}

/**
 * RENTING past the end date: both parties are notified once; past the grace period the system marks
 * the reservation LOST_OR_UNRETURNED (the lender may then claim).
 */
export async function detectOverdue({ deps, now }: JobContext) {
  const today = seoulDate(now);
  const notified = await notifyOnce(deps, now, 'overdue_notified_at', { to: addDays(today, -1) },
    (r) => [
      { memberId: r.borrower_id, type: 'RETURN_OVERDUE', title: '반납일이 지났습니다', body: `${r.title} — 반납일 ${r.end_date}. 바로 반납해 주세요` },
      { memberId: r.lender_id, type: 'RETURN_OVERDUE', title: '빌려준 물건이 반납되지 않았습니다', body: `${r.title} — 반납일 ${r.end_date}` },
    ]);
  const markedLost = await moveAll(deps, now, 'RENTING', 'LOST_OR_UNRETURNED',
    { endBefore: addDays(today, -TIMED_RULES.overdueGraceDays) },
    `반납일로부터 ${TIMED_RULES.overdueGraceDays}일이 지나도록 반납되지 않았습니다`);
  return { notified, markedLost };
}

/** Stale end states complete themselves (upstream queried the wrong status here: each rule names its own). */
export async function autoComplete({ deps, now }: JobContext) {
  const before = (ms: number) => ({ changedBefore: new Date(now.getTime() - ms) });
  const toRefund = await moveAll(deps, now, 'RETURN_COMPLETED', 'PENDING_REFUND', before(TIMED_RULES.returnCompletedToRefundMs),
    '반납 완료 후 자동으로 보증금 환급 단계로 넘어갔습니다');
  const refunded = await moveAll(deps, now, 'PENDING_REFUND', 'REFUND_COMPLETED', before(TIMED_RULES.refundAutoCompleteMs),
    '환급 대기 기간이 지나 자동으로 완료되었습니다');
  const claimed = await moveAll(deps, now, 'CLAIMING', 'CLAIM_COMPLETED', before(TIMED_RULES.claimAutoCompleteMs),
    '청구 기간이 지나 자동으로 완료되었습니다');
  return { toRefund, refunded, claimed };
}

export const reservationJobs: JobDefinition[] = [
  { name: 'reservations-expire', description: '응답 없는 예약 요청과 결제 없는 승인을 만료시킵니다', cron: '*/10 * * * *', run: expireReservations },
  { name: 'reservations-return-reminder', description: '반납 전날 빌린 사람에게 반납일을 알립니다 (한 번만)', cron: '0 * * * *', run: remindReturns },
  { name: 'reservations-overdue', description: '반납일이 지난 대여를 알리고, 유예 기간 후 분실/미반납으로 표시합니다', cron: '15 * * * *', run: detectOverdue },
  { name: 'reservations-auto-complete', description: '오래 머문 반납 완료·환급 대기·청구 상태를 자동으로 완료합니다', cron: '30 3 * * *', run: autoComplete },
];
