// Weekly/monthly prices (the cheapest combination), the cancellation policy table, and instant booking
// through the API: approved at once in the request's transaction, still refusing taken dates with 409.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { insertReservation, makePost, partiesContext, testClock, type User } from '../../../test/factories.ts';
import { cancelRefund, feeRefundPercent, policyLines, type CancellationPolicy } from './cancellation.ts';
import { longTermFeeProblem, priceOf, priceLines, unitsSummary, type PricedListing } from './pricing.ts';

const WEEKLY_MONTHLY: PricedListing = { fee: 10000, deposit: 50000, weeklyFee: 50000, monthlyFee: 150000 };

test('priceOf charges the cheapest combination of months (30 d), weeks (7 d) and days', () => {
  const cases: [PricedListing, number, { months: number; weeks: number; extraDays: number; itemFee: number }, string][] = [
    [WEEKLY_MONTHLY, 1, { months: 0, weeks: 0, extraDays: 1, itemFee: 10000 }, '1일'],
    [WEEKLY_MONTHLY, 5, { months: 0, weeks: 0, extraDays: 5, itemFee: 50000 }, '5일'], // = one week: the tie keeps the days
    [WEEKLY_MONTHLY, 6, { months: 0, weeks: 1, extraDays: 0, itemFee: 50000 }, '1주 요금'], // a week is cheaper than 6 days
    [WEEKLY_MONTHLY, 7, { months: 0, weeks: 1, extraDays: 0, itemFee: 50000 }, '1주 요금'],
    [WEEKLY_MONTHLY, 9, { months: 0, weeks: 1, extraDays: 2, itemFee: 70000 }, '1주 요금 + 2일'],
    [WEEKLY_MONTHLY, 13, { months: 0, weeks: 2, extraDays: 0, itemFee: 100000 }, '2주 요금'], // 2 weeks < 1 week + 6 days
    [WEEKLY_MONTHLY, 25, { months: 1, weeks: 0, extraDays: 0, itemFee: 150000 }, '한 달 요금'], // a month < 3 weeks + 4 days
    [WEEKLY_MONTHLY, 30, { months: 1, weeks: 0, extraDays: 0, itemFee: 150000 }, '한 달 요금'],
    [WEEKLY_MONTHLY, 38, { months: 1, weeks: 1, extraDays: 1, itemFee: 210000 }, '한 달 요금 + 1주 요금 + 1일'],
    [WEEKLY_MONTHLY, 90, { months: 3, weeks: 0, extraDays: 0, itemFee: 450000 }, '3달 요금'],
    [{ fee: 10000, deposit: 0 }, 9, { months: 0, weeks: 0, extraDays: 9, itemFee: 90000 }, '9일'],
    [{ fee: 10000, deposit: 0, weeklyFee: 45000 }, 14, { months: 0, weeks: 2, extraDays: 0, itemFee: 90000 }, '2주 요금'],
    [{ fee: 10000, deposit: 0, monthlyFee: 200000 }, 31, { months: 1, weeks: 0, extraDays: 1, itemFee: 210000 }, '한 달 요금 + 1일'],
  ];
  for (const [listing, days, units, summary] of cases) {
    const p = priceOf(listing, [], days);
    assert.deepEqual({ months: p.months, weeks: p.weeks, extraDays: p.extraDays, itemFee: p.itemFee }, units, `${days} days`);
    assert.equal(unitsSummary(p), summary, `${days} days`);
    assert.equal(priceLines(p).reduce((s, l) => s + l.amount, 0), p.itemFee, `${days} days: the lines add up`);
  }
});

test('options keep their daily fee × days; deposits are added once; a longer rental never costs less', () => {
  const p = priceOf(WEEKLY_MONTHLY, [{ fee: 1000, deposit: 5000 }, { fee: 500, deposit: 0 }], 9);
  assert.deepEqual(p, {
    days: 9, dailyFee: 10000, weeklyFee: 50000, monthlyFee: 150000, months: 0, weeks: 1, extraDays: 2, itemFee: 70000,
    optionsDailyFee: 1500, rentalFee: 70000 + 1500 * 9, deposit: 50000, optionsDeposit: 5000, total: 70000 + 13500 + 55000,
  });
  for (const listing of [WEEKLY_MONTHLY, { fee: 7000, deposit: 0, weeklyFee: 30000 }, { fee: 9900, deposit: 0, weeklyFee: 69000, monthlyFee: 100000 }]) {
    for (let d = 1; d < 90; d++) assert.ok(priceOf(listing, [], d).total <= priceOf(listing, [], d + 1).total, `${d} → ${d + 1} days`);
  }
});

test('weekly/monthly prices must sit between the daily price and 7 or 30 days of it', () => {
  const cases: [PricedListing, string | null][] = [
    [{ fee: 10000, deposit: 0, weeklyFee: 69999, monthlyFee: 299999 }, null],
    [{ fee: 10000, deposit: 0, weeklyFee: 70000 }, 'WEEKLY_FEE_TOO_HIGH'],
    [{ fee: 10000, deposit: 0, weeklyFee: 10000 }, 'WEEKLY_FEE_TOO_LOW'],
    [{ fee: 10000, deposit: 0, monthlyFee: 300000 }, 'MONTHLY_FEE_TOO_HIGH'],
    [{ fee: 10000, deposit: 0, weeklyFee: 60000, monthlyFee: 60000 }, 'MONTHLY_FEE_TOO_LOW'],
    [{ fee: 10000, deposit: 0, monthlyFee: 10000 }, 'MONTHLY_FEE_TOO_LOW'],
    [{ fee: 0, deposit: 0, weeklyFee: 1 }, 'WEEKLY_FEE_TOO_HIGH'],
    [{ fee: 0, deposit: 0 }, null],
  ];
  for (const [listing, code] of cases) assert.equal(longTermFeeProblem(listing)?.code ?? null, code, JSON.stringify(listing));
});

test('the cancellation policy table: share of the fee back by days before the start; deposits always in full', () => {
  // days before the start date → fee percent back
  const table: Record<CancellationPolicy, [number, number][]> = {
    flexible: [[30, 100], [1, 100], [0, 50], [-1, 50]],
    moderate: [[30, 100], [5, 100], [4, 50], [0, 50]],
    strict: [[30, 50], [7, 50], [6, 0], [0, 0]],
  };
  for (const [policy, rows] of Object.entries(table) as [CancellationPolicy, [number, number][]][]) {
    for (const [daysBefore, percent] of rows) assert.equal(feeRefundPercent(policy, daysBefore), percent, `${policy}, ${daysBefore} days before`);
  }
  // never more generous when stricter
  for (let d = -2; d < 40; d++) {
    assert.ok(feeRefundPercent('flexible', d) >= feeRefundPercent('moderate', d) && feeRefundPercent('moderate', d) >= feeRefundPercent('strict', d));
  }
  const r = { policy: 'strict' as const, startDate: '2026-03-10', rentalFee: 33333, deposits: 50000 };
  assert.deepEqual(cancelRefund(r, { by: 'BORROWER', today: '2026-03-03' }), { feePercent: 50, feeRefund: 16666, depositRefund: 50000, amount: 66666 });
  assert.deepEqual(cancelRefund(r, { by: 'BORROWER', today: '2026-03-04' }), { feePercent: 0, feeRefund: 0, depositRefund: 50000, amount: 50000 });
  assert.deepEqual(cancelRefund(r, { by: 'LENDER', today: '2026-03-10' }), { feePercent: 100, feeRefund: 33333, depositRefund: 50000, amount: 83333 });
  assert.deepEqual(policyLines('flexible'), ['시작 1일 전까지 취소: 대여료 전액 환불', '그 뒤 취소 (시작 당일부터): 대여료 50% 환불', '보증금은 언제나 전액 돌려받아요']);
});

// ---------------------------------------------------------------- through the API

// 2026-03-01T03:00Z is 12:00 on 3/1 in Seoul
const clock = testClock('2026-03-01T03:00:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User;
before(async () => {
  ({ ctx, lender, borrower, other } = await partiesContext(clock));
});
after(() => ctx.close());

const api = (method: string, url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, payload: payload as object });
const request = (postId: number, startDate: string, endDate: string) =>
  ({ postId, startDate, endDate, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' });

test('a request on a weekly-priced listing is charged one week + days, and the listing\'s policy is kept with it', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { fee: 10000, deposit: 50000, weeklyFee: 50000, monthlyFee: 150000, cancellationPolicy: 'moderate' });
  const res = await api('POST', '/reservations', borrower.cookie, request(post.id, '2026-03-10', '2026-03-18'));
  assert.equal(res.statusCode, 201, res.body);
  const r = res.json();
  assert.equal(r.status, 'PENDING_APPROVAL', 'no instant booking: the lender decides');
  assert.deepEqual(r.price, {
    days: 9, dailyFee: 10000, weeklyFee: 50000, monthlyFee: 150000, months: 0, weeks: 1, extraDays: 2, itemFee: 70000,
    optionsDailyFee: 0, rentalFee: 70000, deposit: 50000, optionsDeposit: 0, total: 120000,
  });
  assert.equal(r.cancellation.policy, 'moderate');
  assert.equal(r.cancellation.refundIfCancelledNow, null, 'nothing paid yet');
  assert.equal(r.refund, null);
  // the lender changing the listing later changes nothing for this reservation
  await ctx.deps.db.query(sql`UPDATE posts SET weekly_fee = NULL, cancellation_policy = 'strict' WHERE id = ${post.id}`);
  const again = (await api('GET', `/reservations/${r.id}`, borrower.cookie)).json();
  assert.deepEqual([again.price.rentalFee, again.cancellation.policy], [70000, 'moderate']);
});

test('instant booking: free dates are approved at once (logged by the system, both notified); taken dates still 409', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { instantBooking: true, blocked: ['2026-03-20'] });
  const res = await api('POST', '/reservations', borrower.cookie, request(post.id, '2026-03-10', '2026-03-12'));
  assert.equal(res.statusCode, 201, res.body);
  const r = res.json();
  assert.equal(r.status, 'PENDING_PAYMENT');
  assert.equal(r.myRole, 'BORROWER');
  const detail = (await api('GET', `/reservations/${r.id}`, lender.cookie)).json();
  assert.deepEqual(detail.log.map((l: { to: string; actorRole: string }) => [l.to, l.actorRole]), [['PENDING_APPROVAL', 'BORROWER'], ['PENDING_PAYMENT', 'SYSTEM']]);
  assert.match(detail.log[1].reason, /바로 예약/);
  const notes = await ctx.deps.db.query<{ member_id: number; title: string }>(sql`
    SELECT member_id, title FROM notifications WHERE target_type = 'RESERVATION' AND target_id = ${r.id} ORDER BY member_id`);
  assert.deepEqual(new Set(notes.map((n) => n.member_id)), new Set([borrower.id, lender.id]), 'both are told');
  assert.ok(notes.every((n) => n.title.includes('결제 대기')));

  // the dates are held now: an overlapping instant request is refused and stores nothing
  const before = (await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE post_id = ${post.id}`))!.n;
  const clash = await api('POST', '/reservations', other.cookie, request(post.id, '2026-03-12', '2026-03-14'));
  assert.equal(clash.statusCode, 409, clash.body);
  assert.equal(clash.json().code, 'DATES_TAKEN');
  const blocked = await api('POST', '/reservations', other.cookie, request(post.id, '2026-03-19', '2026-03-21'));
  assert.equal(blocked.statusCode, 409, blocked.body);
  assert.equal(blocked.json().code, 'DATES_BLOCKED');
  assert.equal((await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE post_id = ${post.id}`))!.n, before);

  // free dates right after are fine
  const next = await api('POST', '/reservations', other.cookie, request(post.id, '2026-03-13', '2026-03-14'));
  assert.equal(next.json().status, 'PENDING_PAYMENT', next.body);
});

test('instant booking racing the lender\'s approval of an overlapping request: one wins, the other is 409, nothing half-done', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { instantBooking: false });
  const waiting = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: other.id, status: 'PENDING_APPROVAL', startDate: '2026-04-01', endDate: '2026-04-03', receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
  await ctx.deps.db.query(sql`UPDATE posts SET instant_booking = true WHERE id = ${post.id}`);
  const [approval, instant] = await Promise.all([
    api('PATCH', `/reservations/${waiting}/status`, lender.cookie, { status: 'PENDING_PAYMENT' }),
    api('POST', '/reservations', borrower.cookie, request(post.id, '2026-04-03', '2026-04-05')),
  ]);
  const codes = [approval.statusCode, instant.statusCode].sort();
  assert.ok(codes[0] === 200 || codes[0] === 201, `${approval.body} / ${instant.body}`);
  assert.equal(codes[1], 409, `${approval.body} / ${instant.body}`);
  const held = await ctx.deps.db.query<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservations WHERE post_id = ${post.id} AND status = 'PENDING_PAYMENT'`);
  assert.equal(held[0].n, 1, 'exactly one holds the dates');
  if (instant.statusCode === 409) assert.equal(instant.json().code, 'DATES_TAKEN');
});
