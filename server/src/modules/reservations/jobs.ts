// Timed rules of the rental lifecycle (SPEC §5, §9). Each run uses ctx.now only, and every change is
// a conditional update (status transition from the expected status, or "...sent_at IS NULL"), so a
// second run — or a concurrent run on another instance — finds nothing left to do.
import type { Deps } from '../../deps.ts';
import { sql } from '../../db/sql.ts';
import type { JobDefinition, JobContext } from '../../jobs/types.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';
import { reservationsService } from './service.ts';
import type { Status } from './status.ts';

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
 * Moves every reservation matching `where` from `from` to `to` as SYSTEM; returns how many moved.
 * Candidates are read first and each moved by a conditional transition, so concurrent runs share the
 * work without applying anything twice.
 */
async function moveAll(deps: Deps, now: Date, from: Status, to: Status, where: ReturnType<typeof sql>, reason: string) {
  const service = reservationsService(deps);
  const ids = await deps.db.query<{ id: number }>(sql`
    SELECT id FROM reservations WHERE status = ${from} AND ${where} ORDER BY id LIMIT ${BATCH}`);
  let moved = 0;
  for (const { id } of ids) {
    if (await service.systemTransition(id, from, to, now, reason)) moved++;
  }
  return moved;
}

export async function expireReservations({ deps, now }: JobContext) {
  const today = seoulDate(now);
  const requests = await moveAll(deps, now, 'PENDING_APPROVAL', 'EXPIRED',
    sql`(created_at <= ${new Date(now.getTime() - TIMED_RULES.requestTtlMs)} OR start_date < ${today}::date)`,
    '응답 기한이 지나 요청이 만료되었습니다');
  const payments = await moveAll(deps, now, 'PENDING_PAYMENT', 'EXPIRED',
    sql`(status_changed_at <= ${new Date(now.getTime() - TIMED_RULES.paymentTtlMs)} OR start_date < ${today}::date)`,
    '결제 기한이 지나 예약이 만료되었습니다');
  return { expiredRequests: requests, expiredPayments: payments };
}

/** Claims a one-time notice column (e.g. return_reminded_at) for the rows that still lack it. */
async function notifyOnce(
  deps: Deps,
  now: Date,
  column: 'return_reminded_at' | 'overdue_notified_at',
  where: ReturnType<typeof sql>,
  notes: (r: { id: number; borrower_id: number; lender_id: number; title: string; end_date: string }) => {
    memberId: number; type: string; title: string; body: string;
  }[],
) {
  const col = sql.raw(column);
  const rows = await deps.db.transaction(async (tx) => {
    // the listing's title comes back with the claim (one statement for the batch)
    const claimed = await tx.query<{ id: number; borrower_id: number; lender_id: number; title: string; end_date: string }>(sql`
      UPDATE reservations r SET ${col} = ${now}
      FROM posts p
      WHERE p.id = r.post_id
        AND r.id IN (SELECT id FROM reservations WHERE ${col} IS NULL AND ${where} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        AND r.${col} IS NULL
      RETURNING r.id, r.borrower_id, r.lender_id, p.title, r.end_date`);
    // and the notices of the whole batch in one more statement
    const inserted = await deps.notifications.insertMany(tx, claimed.flatMap((r) => notes(r).map((n) => ({ ...n, targetType: 'RESERVATION', targetId: r.id }))));
    return { claimed: claimed.length, inserted };
  });
  await deps.notifications.publish(rows.inserted);
  return rows.claimed;
}

/** The day before the end date (Seoul), the borrower is reminded once. */
export async function remindReturns({ deps, now }: JobContext) {
  const today = seoulDate(now);
  const reminded = await notifyOnce(deps, now, 'return_reminded_at',
    sql`status = 'RENTING' AND end_date BETWEEN ${today}::date AND ${addDays(today, 1)}::date`,
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
  const notified = await notifyOnce(deps, now, 'overdue_notified_at',
    sql`status = 'RENTING' AND end_date < ${today}::date`,
    (r) => [
      { memberId: r.borrower_id, type: 'RETURN_OVERDUE', title: '반납일이 지났습니다', body: `${r.title} — 반납일 ${r.end_date}. 바로 반납해 주세요` },
      { memberId: r.lender_id, type: 'RETURN_OVERDUE', title: '빌려준 물건이 반납되지 않았습니다', body: `${r.title} — 반납일 ${r.end_date}` },
    ]);
  const markedLost = await moveAll(deps, now, 'RENTING', 'LOST_OR_UNRETURNED',
    sql`end_date < ${addDays(today, -TIMED_RULES.overdueGraceDays)}::date`,
    `반납일로부터 ${TIMED_RULES.overdueGraceDays}일이 지나도록 반납되지 않았습니다`);
  return { notified, markedLost };
}

/** Stale end states complete themselves (upstream queried the wrong status here: each rule names its own). */
export async function autoComplete({ deps, now }: JobContext) {
  const before = (ms: number) => sql`status_changed_at <= ${new Date(now.getTime() - ms)}`;
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
