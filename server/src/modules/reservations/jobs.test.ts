// Timed rules with a controllable clock: expiry, the return reminder (once), overdue, auto-completion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { autoComplete, detectOverdue, expireReservations, remindReturns, reservationJobs, TIMED_RULES } from './jobs.ts';
import type { Status } from './status.ts';
import type { JobContext } from '../../jobs/types.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { insertReservation, makePost, statusOf, testClock, type User } from '../../../test/factories.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-03-01T03:00Z = 3/1 12:00 in Seoul
const T0 = new Date('2026-03-01T03:00:00Z');
const clock = testClock(T0.toISOString());
let ctx: TestContext;
let lender: User, borrower: User;

before(async () => {
  ctx = await createTestContext({ clock });
  [lender, borrower] = [await ctx.signUp(), await ctx.signUp()];
});
after(() => ctx.close());

async function make(status: Status, startDate: string, endDate: string, at: { createdAt?: Date; statusChangedAt?: Date } = {}) {
  const post = await makePost(ctx.deps.db, lender.id);
  return insertReservation(ctx.deps.db, { postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status, startDate, endDate, ...at });
}
const run = <T,>(fn: (c: JobContext) => Promise<T>, now: Date) => fn({ deps: ctx.deps, now });
const notes = (id: number, type?: string) =>
  ctx.deps.db.query<{ member_id: number; type: string; title: string }>(sql`
    SELECT member_id, type, title FROM notifications WHERE target_type = 'RESERVATION' AND target_id = ${id}
      AND (${type ?? null}::text IS NULL OR type = ${type ?? null}) ORDER BY id`);

test('the jobs are registered for the scheduler', () => {
  for (const job of reservationJobs) assert.ok(jobDefinitions.includes(job), job.name);
  assert.deepEqual(reservationJobs.map((j) => j.name), [
    'reservations-expire', 'reservations-return-reminder', 'reservations-overdue', 'reservations-auto-complete',
  ]);
});

test('expiry: unanswered requests after 48 h or once the start date passed; unpaid approvals after 24 h', async () => {
  const oldRequest = await make('PENDING_APPROVAL', '2026-03-20', '2026-03-21', { createdAt: new Date(T0.getTime() - 47 * HOUR) });
  const pastStart = await make('PENDING_APPROVAL', '2026-02-28', '2026-03-02', { createdAt: new Date(T0.getTime() - HOUR) });
  const startsToday = await make('PENDING_APPROVAL', '2026-03-01', '2026-03-02', { createdAt: new Date(T0.getTime() - HOUR) });
  const unpaid = await make('PENDING_PAYMENT', '2026-03-20', '2026-03-22', { statusChangedAt: new Date(T0.getTime() - 25 * HOUR) });
  const recentlyApproved = await make('PENDING_PAYMENT', '2026-03-25', '2026-03-26', { statusChangedAt: new Date(T0.getTime() - 23 * HOUR) });
  const paid = await make('PENDING_PICKUP', '2026-02-20', '2026-02-21', { statusChangedAt: new Date(T0.getTime() - 30 * DAY) });

  const first = await run(expireReservations, T0);
  assert.ok(first.expiredRequests >= 1);
  assert.equal(await statusOf(ctx.deps.db, oldRequest), 'PENDING_APPROVAL');
  assert.equal(await statusOf(ctx.deps.db, pastStart), 'EXPIRED');
  assert.equal(await statusOf(ctx.deps.db, startsToday), 'PENDING_APPROVAL');
  assert.equal(await statusOf(ctx.deps.db, unpaid), 'EXPIRED');
  assert.equal(await statusOf(ctx.deps.db, recentlyApproved), 'PENDING_PAYMENT');
  assert.equal(await statusOf(ctx.deps.db, paid), 'PENDING_PICKUP');

  const later = new Date(T0.getTime() + 2 * HOUR);
  await run(expireReservations, later);
  assert.equal(await statusOf(ctx.deps.db, oldRequest), 'EXPIRED');
  assert.equal(await statusOf(ctx.deps.db, recentlyApproved), 'EXPIRED');

  const log = await ctx.deps.db.one(sql`SELECT from_status, to_status, actor_role, actor_id, reason, created_at FROM reservation_status_log WHERE reservation_id = ${unpaid}`);
  assert.deepEqual({ ...log, created_at: new Date(log!.created_at).toISOString() }, {
    from_status: 'PENDING_PAYMENT', to_status: 'EXPIRED', actor_role: 'SYSTEM', actor_id: null,
    reason: '결제 기한이 지나 예약이 만료되었습니다', created_at: T0.toISOString(),
  });
  assert.deepEqual((await notes(unpaid)).map((n) => n.member_id).sort(), [lender.id, borrower.id].sort(), 'both parties are told');

  // idempotent, also when two instances run it at once
  const again = await Promise.all([run(expireReservations, later), run(expireReservations, later)]);
  assert.deepEqual(again, [{ expiredRequests: 0, expiredPayments: 0 }, { expiredRequests: 0, expiredPayments: 0 }]);
  const logs = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ${oldRequest}`);
  assert.equal(logs!.n, 1);
});

test('concurrent runs of one job share the work without applying anything twice', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) ids.push(await make('PENDING_APPROVAL', '2026-04-01', '2026-04-02', { createdAt: new Date(T0.getTime() - 3 * DAY) }));
  const results = await Promise.all([run(expireReservations, T0), run(expireReservations, T0)]);
  assert.equal(results[0].expiredRequests + results[1].expiredRequests, 6);
  const logs = await ctx.deps.db.query(sql`SELECT reservation_id, count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ANY(${ids}::bigint[]) GROUP BY 1`);
  assert.deepEqual(logs.map((l) => l.n), [1, 1, 1, 1, 1, 1]);
});

test('return reminder: the day before the end date in Seoul, sent once', async () => {
  // 2026-03-01T15:30Z is 3/2 00:30 in Seoul: an end date of 3/3 is "tomorrow" (by UTC it would be two days away)
  const now = new Date('2026-03-01T15:30:00Z');
  const dueTomorrow = await make('RENTING', '2026-02-27', '2026-03-03');
  const dueLater = await make('RENTING', '2026-02-27', '2026-03-05');
  const notRenting = await make('PENDING_PICKUP', '2026-03-02', '2026-03-03');
  const first = await run(remindReturns, now);
  assert.ok(first.reminded >= 1);
  const sent = await notes(dueTomorrow, 'RETURN_REMINDER');
  assert.equal(sent.length, 1);
  assert.equal(sent[0].member_id, borrower.id);
  assert.equal(sent[0].title, '내일이 반납일입니다');
  assert.equal((await notes(dueLater, 'RETURN_REMINDER')).length, 0);
  assert.equal((await notes(notRenting, 'RETURN_REMINDER')).length, 0);
  await run(remindReturns, new Date(now.getTime() + HOUR));
  await Promise.all([run(remindReturns, new Date(now.getTime() + 2 * HOUR)), run(remindReturns, new Date(now.getTime() + 2 * HOUR))]);
  assert.equal((await notes(dueTomorrow, 'RETURN_REMINDER')).length, 1, 'sent once');
  assert.equal(await statusOf(ctx.deps.db, dueTomorrow), 'RENTING');
});

test('overdue: both told once the end date passed; LOST_OR_UNRETURNED after the grace period', async () => {
  const now = T0; // Seoul 3/1
  const yesterday = await make('RENTING', '2026-02-25', '2026-02-28');
  const longAgo = await make('RENTING', '2026-02-20', `2026-02-${String(28 - TIMED_RULES.overdueGraceDays).padStart(2, '0')}`);
  const endsToday = await make('RENTING', '2026-02-27', '2026-03-01');
  await run(detectOverdue, now);
  assert.equal(await statusOf(ctx.deps.db, yesterday), 'RENTING');
  assert.deepEqual((await notes(yesterday, 'RETURN_OVERDUE')).map((n) => n.member_id).sort(), [lender.id, borrower.id].sort());
  assert.equal(await statusOf(ctx.deps.db, longAgo), 'LOST_OR_UNRETURNED');
  assert.equal((await notes(longAgo, 'RESERVATION_STATUS')).length, 2);
  assert.equal((await notes(endsToday, 'RETURN_OVERDUE')).length, 0);
  assert.equal(await statusOf(ctx.deps.db, endsToday), 'RENTING');

  const again = await run(detectOverdue, new Date(now.getTime() + HOUR));
  assert.deepEqual(again, { notified: 0, markedLost: 0 });
  assert.equal((await notes(yesterday, 'RETURN_OVERDUE')).length, 2, 'told once');
  // the grace period ends for "yesterday" three days later
  await run(detectOverdue, new Date(now.getTime() + TIMED_RULES.overdueGraceDays * DAY));
  assert.equal(await statusOf(ctx.deps.db, yesterday), 'LOST_OR_UNRETURNED');
});

test('auto-complete: each stale state by its own status (upstream queried the wrong one)', async () => {
  const now = T0;
  const ago = (ms: number) => ({ statusChangedAt: new Date(now.getTime() - ms) });
  const returned = await make('RETURN_COMPLETED', '2026-02-01', '2026-02-02', ago(TIMED_RULES.returnCompletedToRefundMs + HOUR));
  const returnedRecently = await make('RETURN_COMPLETED', '2026-02-01', '2026-02-02', ago(HOUR));
  const refund = await make('PENDING_REFUND', '2026-02-01', '2026-02-02', ago(TIMED_RULES.refundAutoCompleteMs + HOUR));
  const refundRecently = await make('PENDING_REFUND', '2026-02-01', '2026-02-02', ago(TIMED_RULES.refundAutoCompleteMs - HOUR));
  const claim = await make('CLAIMING', '2026-02-01', '2026-02-02', ago(TIMED_RULES.claimAutoCompleteMs + HOUR));
  const claimRecently = await make('CLAIMING', '2026-02-01', '2026-02-02', ago(DAY));
  const inspecting = await make('INSPECTING_RETURN', '2026-02-01', '2026-02-02', ago(100 * DAY));

  await run(autoComplete, now);
  assert.equal(await statusOf(ctx.deps.db, returned), 'PENDING_REFUND', 'and not straight on to REFUND_COMPLETED');
  assert.equal(await statusOf(ctx.deps.db, returnedRecently), 'RETURN_COMPLETED');
  assert.equal(await statusOf(ctx.deps.db, refund), 'REFUND_COMPLETED');
  assert.equal(await statusOf(ctx.deps.db, refundRecently), 'PENDING_REFUND');
  assert.equal(await statusOf(ctx.deps.db, claim), 'CLAIM_COMPLETED');
  assert.equal(await statusOf(ctx.deps.db, claimRecently), 'CLAIMING');
  assert.equal(await statusOf(ctx.deps.db, inspecting), 'INSPECTING_RETURN');

  assert.deepEqual(await run(autoComplete, now), { toRefund: 0, refunded: 0, claimed: 0 });
  // the refund step of `returned` completes after its own waiting time
  await run(autoComplete, new Date(now.getTime() + TIMED_RULES.refundAutoCompleteMs + HOUR));
  assert.equal(await statusOf(ctx.deps.db, returned), 'REFUND_COMPLETED');
  const log = await ctx.deps.db.query(sql`SELECT from_status, to_status, actor_role FROM reservation_status_log WHERE reservation_id = ${returned} ORDER BY id`);
  assert.deepEqual(log, [
    { from_status: 'RETURN_COMPLETED', to_status: 'PENDING_REFUND', actor_role: 'SYSTEM' },
    { from_status: 'PENDING_REFUND', to_status: 'REFUND_COMPLETED', actor_role: 'SYSTEM' },
  ]);
});

/** the same database, counting every statement a job sends (inside transactions too) */
function countingDb(db: Database) {
  let statements = 0;
  const wrap = <Q extends Queryable>(q: Q): Q => ({
    ...q,
    query: (text: Parameters<Queryable['query']>[0], params?: unknown[]) => {
      statements++;
      return q.query(text, params);
    },
    one: (text: Parameters<Queryable['one']>[0], params?: unknown[]) => {
      statements++;
      return q.one(text, params);
    },
  });
  const counted: Database = { ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
  return { db: counted, statements: () => statements };
}

test('reminder and overdue notices are set-based: the statements do not grow with the number of reservations', async () => {
  // Seoul 2026-06-10 12:00: ends tomorrow → reminder; ended yesterday → overdue notice (not yet lost)
  const now = new Date('2026-06-10T03:00:00Z');
  // rentals left by earlier tests would be counted too: they are returned first
  await ctx.deps.db.query(`UPDATE reservations SET status = 'RETURN_COMPLETED' WHERE status = 'RENTING'`);
  const counts: Record<string, number[]> = { remind: [], overdue: [] };
  for (const n of [3, 30]) {
    const due = await Promise.all(Array.from({ length: n }, () => make('RENTING', '2026-06-05', '2026-06-11')));
    const late = await Promise.all(Array.from({ length: n }, () => make('RENTING', '2026-06-01', '2026-06-09')));
    const c1 = countingDb(ctx.deps.db);
    const reminded = await remindReturns({ deps: { ...ctx.deps, db: c1.db }, now });
    const c2 = countingDb(ctx.deps.db);
    const overdue = await detectOverdue({ deps: { ...ctx.deps, db: c2.db }, now });
    assert.equal(reminded.reminded, n);
    assert.deepEqual(overdue, { notified: n, markedLost: 0 });
    counts.remind.push(c1.statements());
    counts.overdue.push(c2.statements());
    // behaviour kept: one reminder to the borrower, overdue notices to both parties
    for (const id of due) assert.deepEqual((await notes(id, 'RETURN_REMINDER')).map((x) => x.title), ['내일이 반납일입니다']);
    for (const id of late) assert.deepEqual((await notes(id, 'RETURN_OVERDUE')).map((x) => x.member_id).sort(), [lender.id, borrower.id].sort());
    // the next window starts clean
    await ctx.deps.db.query(sql`UPDATE reservations SET status = 'RETURN_COMPLETED' WHERE id = ANY(${[...due, ...late]}::bigint[])`);
  }
  console.log(`# statements for 3 → 30 reservations: reminder ${counts.remind.join(' → ')}, overdue ${counts.overdue.join(' → ')}`);
  assert.equal(counts.remind[1], counts.remind[0]);
  assert.equal(counts.overdue[1], counts.overdue[0]);
});
