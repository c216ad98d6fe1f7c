// Rental extensions (issue 12 point 3): only the borrower asks, only while RENTING and not overdue, one
// pending request at a time; only the lender answers; approval moves the end date under the exclusion
// constraint, so a booking that took the days first (or at the same moment) makes it 409 with nothing changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { insertReservation, makePost, partiesContext, testClock, type User } from '../../../test/factories.ts';

// 03:00Z = 12:00 in Seoul: "today" is 2026-03-10 for every rule below
const clock = testClock('2026-03-10T03:00:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User, admin: { id: number; cookie: string };

before(async () => {
  ({ ctx, lender, borrower, other, admin } = await partiesContext(clock));
});
after(() => ctx.close());

const api = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, payload });
const ask = (id: number, endDate: unknown, cookie = borrower.cookie) => api('POST', `/reservations/${id}/extension`, cookie, { endDate });
const approve = (id: number, cookie = lender.cookie) => api('POST', `/reservations/${id}/extension/approve`, cookie);

/** A rental of a fresh listing (12,000원/day, option 3,000원/day) running 3/8 – 3/12. */
async function renting(over: { status?: 'RENTING' | 'PENDING_RETURN'; endDate?: string; blocked?: string[] } = {}) {
  const post = await makePost(ctx.deps.db, lender.id, { fee: 12000, options: [{ name: '타프', fee: 3000, deposit: 10000 }], blocked: over.blocked });
  const id = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, status: over.status ?? 'RENTING', startDate: '2026-03-08', endDate: over.endDate ?? '2026-03-12',
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
  await ctx.deps.db.query(sql`
    INSERT INTO reservation_options (reservation_id, option_id, name, fee, deposit) VALUES (${id}, ${post.optionIds[0]}, '타프', 3000, 10000)`);
  return { id, postId: post.id };
}

const endOf = async (id: number) => (await ctx.deps.db.one<{ end_date: string }>(sql`SELECT end_date FROM reservations WHERE id = ${id}`))!.end_date;
const extensionCount = async (id: number) =>
  (await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_extensions WHERE reservation_id = ${id}`))!.n;
const notices = (memberId: number, id: number) =>
  ctx.deps.db.query<{ title: string; body: string }>(sql`
    SELECT title, body FROM notifications WHERE member_id = ${memberId} AND target_id = ${id} AND type = 'RESERVATION_EXTENSION' ORDER BY id`);

test('request → quote, pending for the lender → approval moves the end date; logged and notified on both sides', async () => {
  const { id } = await renting();
  await ctx.deps.db.query(sql`UPDATE reservations SET return_reminded_at = now() WHERE id = ${id}`);

  const quote = await api('GET', `/reservations/${id}/extension/quote?endDate=2026-03-15`, borrower.cookie);
  assert.equal(quote.statusCode, 200, quote.body);
  // (12,000 + 3,000) × (8 days − 5 days)
  assert.deepEqual(quote.json(), { endDate: '2026-03-15', days: 8, extraFee: 45000 });
  assert.equal(await extensionCount(id), 0, 'a quote stores nothing');

  const asked = await ask(id, '2026-03-15');
  assert.equal(asked.statusCode, 201, asked.body);
  const mine = asked.json();
  assert.equal(mine.endDate, '2026-03-12', 'the end date waits for the lender');
  assert.deepEqual(
    { ...mine.extension.current, id: 0, requestedAt: '' },
    { id: 0, status: 'PENDING', fromEndDate: '2026-03-12', toEndDate: '2026-03-15', extraFee: 45000, reason: null, requestedAt: '', decidedAt: null },
  );
  assert.deepEqual([mine.extension.canRequest, mine.extension.canDecide, mine.extension.canWithdraw], [false, false, true]);
  const [toLender] = await notices(lender.id, id);
  assert.equal(toLender.title, '대여 연장 요청이 도착했습니다');
  assert.match(toLender.body, /반납일을 3월 15일로 늦추고 싶어 합니다 \(추가 요금 45,000원\)/);

  const seen = (await api('GET', `/reservations/${id}`, lender.cookie)).json();
  assert.equal(seen.extension.current.status, 'PENDING');
  assert.deepEqual([seen.extension.canRequest, seen.extension.canDecide, seen.extension.canWithdraw], [false, true, false]);

  const ok = await approve(id);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().endDate, '2026-03-15');
  assert.equal(ok.json().status, 'RENTING');
  assert.equal(ok.json().extension.current.status, 'APPROVED');
  assert.equal(ok.json().extension.approvedFee, 45000);
  assert.equal(await endOf(id), '2026-03-15');
  const armed = await ctx.deps.db.one(sql`SELECT return_reminded_at FROM reservations WHERE id = ${id}`);
  assert.equal(armed?.return_reminded_at, null, 'the return reminder is re-armed for the new end date');
  const [toBorrower] = await notices(borrower.id, id);
  assert.equal(toBorrower.title, '대여 연장이 승인되었습니다');
  assert.match(toBorrower.body, /반납일이 3월 15일로 바뀌었습니다/);

  const log = (await api('GET', `/reservations/${id}`, borrower.cookie)).json().log;
  assert.deepEqual(
    log.map((e: { event: string; from: string; to: string; actorRole: string; reason: string }) => [e.event, e.from, e.to, e.actorRole, e.reason]),
    [
      ['EXTENSION_REQUESTED', 'RENTING', 'RENTING', 'BORROWER', '반납일 3월 12일 → 3월 15일, 추가 요금 45,000원'],
      ['EXTENSION_APPROVED', 'RENTING', 'RENTING', 'LENDER', '반납일 3월 12일 → 3월 15일, 추가 요금 45,000원'],
    ],
  );
  // a second extension builds on the new end date and adds to the approved sum
  assert.equal((await ask(id, '2026-03-16')).statusCode, 201);
  assert.equal((await approve(id)).json().extension.approvedFee, 45000 + 15000);
});

test('only the borrower asks, only the lender answers; strangers and admins are refused and nothing is stored', async () => {
  const { id } = await renting();
  for (const [who, cookie] of [['lender', lender.cookie], ['admin', admin.cookie]] as const) {
    const res = await ask(id, '2026-03-14', cookie);
    assert.equal(res.statusCode, 403, `${who}: ${res.body}`);
    assert.equal(res.json().code, 'NOT_YOUR_ACTION');
  }
  assert.equal((await ask(id, '2026-03-14', other.cookie)).statusCode, 403);
  assert.equal((await api('GET', `/reservations/${id}/extension/quote?endDate=2026-03-14`, other.cookie)).statusCode, 403);
  assert.equal((await ask(999999, '2026-03-14')).statusCode, 404);
  assert.equal((await api('POST', `/reservations/${id}/extension`, undefined, { endDate: '2026-03-14' })).statusCode, 401);
  assert.equal(await extensionCount(id), 0);

  assert.equal((await approve(id)).statusCode, 404, 'nothing to approve yet');
  assert.equal((await ask(id, '2026-03-14')).statusCode, 201);
  for (const cookie of [borrower.cookie, other.cookie, admin.cookie]) {
    assert.equal((await approve(id, cookie)).statusCode, 403);
    assert.equal((await api('POST', `/reservations/${id}/extension/reject`, cookie, {})).statusCode, 403);
  }
  assert.equal((await api('DELETE', `/reservations/${id}/extension`, lender.cookie)).statusCode, 403);
  assert.equal((await api('DELETE', `/reservations/${id}/extension`, other.cookie)).statusCode, 403);
  assert.equal(await endOf(id), '2026-03-12');
  // the extension state is the parties' business: an admin's view carries none, a stranger sees nothing
  assert.equal((await api('GET', `/reservations/${id}`, admin.cookie)).json().extension, null);
  assert.equal((await api('GET', `/reservations/${id}`, other.cookie)).statusCode, 403);
});

test('bad input is 400, wrong state 409, taken or blocked days 409 — and none of them stores anything', async () => {
  const { id, postId } = await renting({ blocked: ['2026-03-20'] });
  // another borrower holds 3/16 – 3/17 on the same listing
  await insertReservation(ctx.deps.db, { postId, borrowerId: other.id, status: 'PENDING_PICKUP', startDate: '2026-03-16', endDate: '2026-03-17' });
  const cases: [unknown, number, string][] = [
    ['2026-03-12', 400, 'INVALID_RANGE'], // not after the current end
    ['2026-03-11', 400, 'INVALID_RANGE'], // out of order
    ['2026-02-30', 400, 'INVALID_DATE'],
    ['2026/03/14', 400, 'VALIDATION_FAILED'],
    [42, 400, 'VALIDATION_FAILED'],
    ['2026-06-10', 400, 'RENTAL_TOO_LONG'],
    ['2026-03-17', 409, 'DATES_TAKEN'],
    ['2026-03-22', 409, 'DATES_BLOCKED'], // the owner's blocked day is named first
  ];
  for (const [endDate, status, code] of cases) {
    const res = await ask(id, endDate);
    assert.equal(res.statusCode, status, `${endDate}: ${res.body}`);
    assert.equal(res.json().code, code, String(endDate));
    assert.match(res.json().detail, /[가-힣]/, 'a Korean explanation');
  }
  assert.equal((await api('POST', `/reservations/${id}/extension`, borrower.cookie, { endDate: '2026-03-14', price: 0 })).statusCode, 400);
  assert.equal(await extensionCount(id), 0);

  const blocked = await renting({ blocked: ['2026-03-14'] });
  assert.equal((await ask(blocked.id, '2026-03-15')).json().code, 'DATES_BLOCKED');
  const returning = await renting({ status: 'PENDING_RETURN' });
  assert.equal((await ask(returning.id, '2026-03-15')).json().code, 'NOT_RENTING');
  // overdue: today (3/10) is after the end date (3/9)
  const overdue = await renting({ endDate: '2026-03-09' });
  const late = await ask(overdue.id, '2026-03-12');
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'OVERDUE');
  assert.equal((await api('GET', `/reservations/${overdue.id}`, borrower.cookie)).json().extension.canRequest, false);
  // the last day itself is not overdue yet
  const lastDay = await renting({ endDate: '2026-03-10' });
  assert.equal((await ask(lastDay.id, '2026-03-11')).statusCode, 201);
  // one pending request at a time
  const again = await ask(lastDay.id, '2026-03-12');
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'EXTENSION_PENDING');
  for (const r of [blocked.id, returning.id, overdue.id]) assert.equal(await extensionCount(r), 0);
  assert.equal(await extensionCount(lastDay.id), 1);
});

test('rejection (with a reason) and withdrawal keep the end date; a new request may follow', async () => {
  const { id } = await renting();
  assert.equal((await ask(id, '2026-03-14')).statusCode, 201);
  const no = await api('POST', `/reservations/${id}/extension/reject`, lender.cookie, { reason: '다음 예약이 있어요' });
  assert.equal(no.statusCode, 200, no.body);
  assert.equal(no.json().endDate, '2026-03-12');
  assert.deepEqual([no.json().extension.current.status, no.json().extension.current.reason], ['REJECTED', '다음 예약이 있어요']);
  const [toBorrower] = await notices(borrower.id, id);
  assert.equal(toBorrower.title, '대여 연장 요청이 거절되었습니다');
  assert.match(toBorrower.body, /사유: 다음 예약이 있어요/);
  assert.equal((await approve(id)).statusCode, 404, 'a decided request cannot be approved');
  assert.equal((await api('POST', `/reservations/${id}/extension/reject`, lender.cookie, { reason: 'x'.repeat(501) })).statusCode, 400);

  assert.equal((await ask(id, '2026-03-13')).statusCode, 201);
  const back = await api('DELETE', `/reservations/${id}/extension`, borrower.cookie);
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().extension.current.status, 'WITHDRAWN');
  assert.equal((await notices(lender.id, id)).at(-1)?.title, '대여 연장 요청이 취소되었습니다');
  assert.equal(await endOf(id), '2026-03-12');
  const events = (await api('GET', `/reservations/${id}`, lender.cookie)).json().log.map((e: { event: string }) => e.event);
  assert.deepEqual(events, ['EXTENSION_REQUESTED', 'EXTENSION_REJECTED', 'EXTENSION_REQUESTED', 'EXTENSION_WITHDRAWN']);
});

test('approval once the rental left RENTING is 409 NOT_RENTING; the lender may still reject', async () => {
  const { id } = await renting();
  assert.equal((await ask(id, '2026-03-14')).statusCode, 201);
  await ctx.deps.db.query(sql`UPDATE reservations SET status = 'PENDING_RETURN' WHERE id = ${id}`);
  const res = await approve(id);
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().code, 'NOT_RENTING');
  assert.equal(await endOf(id), '2026-03-12');
  assert.equal((await api('POST', `/reservations/${id}/extension/reject`, lender.cookie, {})).statusCode, 200);
});

test('a booking approved first takes the days: the extension approval is 409 DATES_TAKEN and changes nothing', async () => {
  const { id, postId } = await renting();
  assert.equal((await ask(id, '2026-03-15')).statusCode, 201);
  // another member's request for 3/14 – 3/16 holds nothing until the lender approves it
  const competing = await insertReservation(ctx.deps.db, {
    postId, borrowerId: other.id, status: 'PENDING_APPROVAL', startDate: '2026-03-14', endDate: '2026-03-16', receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
  assert.equal((await api('PATCH', `/reservations/${competing}/status`, lender.cookie, { status: 'PENDING_PAYMENT' })).statusCode, 200);
  const res = await approve(id);
  assert.equal(res.statusCode, 409, res.body);
  assert.equal(res.json().code, 'DATES_TAKEN');
  assert.deepEqual(res.json().taken, [{ startDate: '2026-03-14', endDate: '2026-03-16' }]);
  assert.equal(await endOf(id), '2026-03-12');
  const state = (await api('GET', `/reservations/${id}`, lender.cookie)).json();
  assert.equal(state.extension.current.status, 'PENDING', 'still waiting: the lender can reject it');
  assert.deepEqual(state.log.map((e: { event: string }) => e.event), ['EXTENSION_REQUESTED']);
});

test('approval racing a competing booking for the same days: exactly one wins, the other is 409', async () => {
  for (let round = 0; round < 3; round++) {
    const { id, postId } = await renting();
    assert.equal((await ask(id, '2026-03-15')).statusCode, 201);
    const competing = await insertReservation(ctx.deps.db, {
      postId, borrowerId: other.id, status: 'PENDING_APPROVAL', startDate: '2026-03-15', endDate: '2026-03-16', receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
    });
    const [ext, booking] = await Promise.all([
      approve(id),
      api('PATCH', `/reservations/${competing}/status`, lender.cookie, { status: 'PENDING_PAYMENT' }),
    ]);
    const codes = [ext.statusCode, booking.statusCode].sort();
    assert.deepEqual(codes, [200, 409], `round ${round}: ${ext.body} / ${booking.body}`);
    const loser = ext.statusCode === 409 ? ext : booking;
    assert.equal(loser.json().code, 'DATES_TAKEN');
    const held = await ctx.deps.db.query<{ id: number; end_date: string }>(sql`
      SELECT id, end_date FROM reservations WHERE post_id = ${postId} AND status IN ('RENTING', 'PENDING_PAYMENT') ORDER BY id`);
    if (ext.statusCode === 200) {
      assert.deepEqual(held, [{ id, end_date: '2026-03-15' }]);
    } else {
      assert.deepEqual(held, [{ id, end_date: '2026-03-12' }, { id: competing, end_date: '2026-03-16' }]);
    }
  }
});
