import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { availableBetween } from './booked.ts';
import { HOLDING_STATUSES, REVIEWABLE_STATUSES, reviewableCondition } from './status.ts';
import { insertReservation, makePost, partiesContext, testClock, type User } from '../../../test/factories.ts';

// 2026-03-01T15:30Z is already 2026-03-02 00:30 in Seoul: "today" for every rule below is 3/2.
const clock = testClock('2026-03-01T15:30:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User, admin: { id: number; cookie: string };

before(async () => {
  ({ ctx, lender, borrower, other, admin } = await partiesContext(clock));
});
after(() => ctx.close());

const api = (method: string, url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, payload: payload as object });

const request = (postId: number, over: Record<string, unknown> = {}) => ({
  postId, startDate: '2026-03-10', endDate: '2026-03-12', receiveMethod: 'DIRECT', returnMethod: 'DIRECT', ...over,
});

async function approve(id: number) {
  return api('PATCH', `/reservations/${id}/status`, lender.cookie, { status: 'PENDING_PAYMENT' });
}

test('request: price = (fee + options) × days + deposits, stored as a breakdown, logged and notified', async () => {
  const post = await makePost(ctx.deps.db, lender.id, {
    fee: 12000, deposit: 30000, options: [{ name: '타프', fee: 3000, deposit: 10000 }, { name: '랜턴', fee: 1000, deposit: 5000 }, { name: '의자', fee: 500, deposit: 0 }],
  });
  const res = await api('POST', '/reservations', borrower.cookie, request(post.id, { optionIds: post.optionIds.slice(0, 2) }));
  assert.equal(res.statusCode, 201, res.body);
  const r = res.json();
  assert.equal(r.status, 'PENDING_APPROVAL');
  assert.deepEqual(r.price, {
    days: 3, dailyFee: 12000, weeklyFee: null, monthlyFee: null, months: 0, weeks: 0, extraDays: 3, itemFee: 36000,
    optionsDailyFee: 4000, rentalFee: (12000 + 4000) * 3, deposit: 30000, optionsDeposit: 15000, total: 48000 + 45000,
  });
  assert.deepEqual(r.options.map((o: { name: string }) => o.name), ['타프', '랜턴']);
  assert.equal(r.myRole, 'BORROWER');
  assert.deepEqual(r.allowedActions, ['CANCELLED']);
  assert.equal(r.payment.orderId, `chwimeet-rsv-${r.id}`);
  assert.equal(r.payment.amount, 93000);

  const asLender = (await api('GET', `/reservations/${r.id}`, lender.cookie)).json();
  assert.equal(asLender.myRole, 'LENDER');
  assert.deepEqual(asLender.allowedActions, ['PENDING_PAYMENT', 'REJECTED', 'CANCELLED']);
  assert.equal(asLender.log.length, 1);
  assert.equal(asLender.log[0].to, 'PENDING_APPROVAL');
  assert.equal(asLender.log[0].actor.id, borrower.id);
  const note = await ctx.deps.db.one(sql`SELECT type FROM notifications WHERE member_id = ${lender.id} AND target_id = ${r.id}`);
  assert.equal(note?.type, 'RESERVATION_REQUEST');
});

test('bad requests are 400 with a specific code and store nothing', async () => {
  const direct = await makePost(ctx.deps.db, lender.id, { receiveMethod: 'DIRECT', returnMethod: 'DIRECT', options: [{ name: 'a', fee: 1, deposit: 1 }] });
  const any = await makePost(ctx.deps.db, lender.id, { options: [{ name: 'gone', fee: 1, deposit: 1 }] });
  await ctx.deps.db.query(sql`UPDATE post_options SET deleted_at = now() WHERE id = ${any.optionIds[0]}`);
  const cases: [Record<string, unknown>, string][] = [
    [request(any.id, { startDate: '2026-03-12', endDate: '2026-03-10' }), 'INVALID_RANGE'],
    [request(any.id, { startDate: '2027-02-29', endDate: '2027-03-01' }), 'INVALID_DATE'],
    [request(any.id, { startDate: '2026-13-01', endDate: '2026-13-02' }), 'INVALID_DATE'],
    [request(any.id, { startDate: '2026-03-01', endDate: '2026-03-03' }), 'DATE_IN_PAST'], // 3/1 is yesterday in Seoul
    [request(any.id, { startDate: '2026-03-10', endDate: '2026-07-10' }), 'RENTAL_TOO_LONG'],
    [request(any.id, { startDate: '2027-06-01', endDate: '2027-06-02' }), 'TOO_FAR_AHEAD'],
    [request(any.id, { optionIds: direct.optionIds }), 'UNKNOWN_OPTION'], // another listing's option
    [request(any.id, { optionIds: any.optionIds }), 'UNKNOWN_OPTION'], // soft-deleted
    [request(direct.id, { receiveMethod: 'DELIVERY', address: '서울시 어딘가' }), 'RECEIVE_METHOD_NOT_ALLOWED'],
    [request(direct.id, { returnMethod: 'DELIVERY' }), 'RETURN_METHOD_NOT_ALLOWED'],
    [request(any.id, { receiveMethod: 'DELIVERY' }), 'ADDRESS_REQUIRED'],
    [request(any.id, { receiveMethod: 'DELIVERY', address: '   ' }), 'ADDRESS_REQUIRED'],
    [request(any.id, { address: '서울시 마포구' }), 'ADDRESS_NOT_ALLOWED'],
    [request(any.id, { receiveMethod: 'ANY' }), 'VALIDATION_FAILED'],
    [request(any.id, { startDate: '2026/03/10' }), 'VALIDATION_FAILED'],
    [request(any.id, { price: 1 }), 'VALIDATION_FAILED'],
    [request(any.id, { postId: 'x' }), 'VALIDATION_FAILED'],
    [{ postId: any.id }, 'VALIDATION_FAILED'],
  ];
  for (const [payload, code] of cases) {
    const res = await api('POST', '/reservations', borrower.cookie, payload);
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
    assert.equal(res.json().code, code, JSON.stringify(payload));
    assert.match(String(res.headers['content-type']), /problem\+json/);
  }
  const n = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservations WHERE post_id IN (${direct.id}, ${any.id})`);
  assert.equal(n!.n, 0);
});

test('who may reserve: not one\'s own, not a banned/deleted listing or a banned owner\'s; anonymous is 401', async () => {
  const post = await makePost(ctx.deps.db, lender.id);
  assert.equal((await api('POST', '/reservations', undefined, request(post.id))).statusCode, 401);
  const own = await api('POST', '/reservations', lender.cookie, request(post.id));
  assert.equal(own.statusCode, 403);
  assert.equal(own.json().code, 'OWN_POST');
  assert.equal((await api('POST', '/reservations', borrower.cookie, request(999999))).statusCode, 404);

  const banned = await makePost(ctx.deps.db, lender.id);
  await ctx.deps.db.query(sql`UPDATE posts SET banned_at = now() WHERE id = ${banned.id}`);
  const deleted = await makePost(ctx.deps.db, lender.id);
  await ctx.deps.db.query(sql`UPDATE posts SET deleted_at = now() WHERE id = ${deleted.id}`);
  const badOwner = await ctx.signUp();
  const ofBanned = await makePost(ctx.deps.db, badOwner.id);
  await ctx.deps.db.query(sql`UPDATE members SET banned_at = now() WHERE id = ${badOwner.id}`);
  for (const id of [banned.id, deleted.id, ofBanned.id]) {
    const res = await api('POST', '/reservations', borrower.cookie, request(id));
    assert.equal(res.statusCode, 404, `post ${id}`);
  }
});

test('authorization of reading, editing and listing', async () => {
  const post = await makePost(ctx.deps.db, lender.id);
  const r = (await api('POST', '/reservations', borrower.cookie, request(post.id))).json();
  const { postId: _p, ...edit } = request(post.id, { endDate: '2026-03-14' });
  for (const [method, url, body] of [
    ['GET', `/reservations/${r.id}`], ['PUT', `/reservations/${r.id}`, edit], ['GET', '/reservations/sent'],
    ['GET', '/reservations/received'], ['PATCH', `/reservations/${r.id}/status`, { status: 'CANCELLED', reason: 'x' }],
    ['POST', `/reservations/${r.id}/payment/confirm`],
  ] as [string, string, unknown][]) {
    assert.equal((await api(method, url, undefined, body)).statusCode, 401, `${method} ${url}`);
  }
  assert.equal((await api('GET', `/reservations/${r.id}`, other.cookie)).statusCode, 403);
  const asAdmin = await api('GET', `/reservations/${r.id}`, admin.cookie);
  assert.equal(asAdmin.statusCode, 200);
  assert.equal(asAdmin.json().myRole, 'ADMIN');
  assert.deepEqual(asAdmin.json().allowedActions, []);
  assert.equal((await api('PATCH', `/reservations/${r.id}/status`, admin.cookie, { status: 'CANCELLED', reason: 'x' })).statusCode, 403);
  assert.equal((await api('GET', '/reservations/0', borrower.cookie)).statusCode, 400);
  assert.equal((await api('GET', '/reservations/abc', borrower.cookie)).statusCode, 400);
  assert.equal((await api('GET', '/reservations/987654', borrower.cookie)).statusCode, 404);

  assert.equal((await api('PUT', `/reservations/${r.id}`, lender.cookie, edit)).statusCode, 403);
  assert.equal((await api('PUT', `/reservations/${r.id}`, other.cookie, edit)).statusCode, 403);
  assert.equal((await api('PUT', `/reservations/${r.id}`, borrower.cookie, { ...edit, postId: post.id })).statusCode, 400);
  assert.equal((await api('GET', `/reservations/received?postId=${post.id}`, other.cookie)).statusCode, 403);
  assert.equal((await api('GET', '/reservations/sent?status=NOPE', borrower.cookie)).statusCode, 400);
  assert.equal((await api('GET', '/reservations/sent?cursor=abc', borrower.cookie)).statusCode, 400);
  assert.equal((await api('GET', '/reservations/sent?limit=1000', borrower.cookie)).statusCode, 400);
});

test('the borrower edits a request while it waits; the price follows; not after approval', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { fee: 5000, deposit: 10000, options: [{ name: '가방', fee: 1000, deposit: 2000 }] });
  const r = (await api('POST', '/reservations', borrower.cookie, request(post.id))).json();
  const edited = await api('PUT', `/reservations/${r.id}`, borrower.cookie, {
    startDate: '2026-03-20', endDate: '2026-03-24', receiveMethod: 'DELIVERY', returnMethod: 'DIRECT', address: '부산시 해운대구', optionIds: post.optionIds,
  });
  assert.equal(edited.statusCode, 200, edited.body);
  assert.equal(edited.json().price.total, (5000 + 1000) * 5 + 10000 + 2000);
  assert.equal(edited.json().address, '부산시 해운대구');
  const bad = await api('PUT', `/reservations/${r.id}`, borrower.cookie, { startDate: '2026-03-20', endDate: '2026-03-24', receiveMethod: 'DELIVERY', returnMethod: 'DIRECT' });
  assert.equal(bad.json().code, 'ADDRESS_REQUIRED');
  assert.equal((await approve(r.id)).statusCode, 200);
  const late = await api('PUT', `/reservations/${r.id}`, borrower.cookie, { startDate: '2026-03-21', endDate: '2026-03-24', receiveMethod: 'DIRECT', returnMethod: 'DIRECT' });
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'NOT_EDITABLE');
  const stored = await ctx.deps.db.one(sql`SELECT start_date, total_amount FROM reservations WHERE id = ${r.id}`);
  assert.deepEqual(stored, { start_date: '2026-03-20', total_amount: 42000 });
});

test('owner-blocked and booked dates refuse requests and approval; pending requests may overlap', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { blocked: ['2026-04-05'] });
  const blocked = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-04-04', endDate: '2026-04-06' }));
  assert.equal(blocked.statusCode, 409);
  assert.equal(blocked.json().code, 'DATES_BLOCKED');
  assert.match(blocked.json().detail, /2026-04-05/);

  const a = (await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-04-10', endDate: '2026-04-12' }))).json();
  const b = (await api('POST', '/reservations', other.cookie, request(post.id, { startDate: '2026-04-11', endDate: '2026-04-13' }))).json();
  assert.ok(a.id && b.id, 'overlapping requests are both accepted');
  assert.equal((await approve(a.id)).statusCode, 200);
  const second = await approve(b.id);
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().code, 'DATES_TAKEN');
  assert.match(second.json().detail, /이미 예약된 날짜/);
  assert.equal((await ctx.deps.db.one(sql`SELECT status FROM reservations WHERE id = ${b.id}`))!.status, 'PENDING_APPROVAL');
  const taken = await api('POST', '/reservations', other.cookie, request(post.id, { startDate: '2026-04-12', endDate: '2026-04-12' }));
  assert.equal(taken.json().code, 'DATES_TAKEN');

  // the owner blocks a day after a request came in: approval is refused too
  const c = (await api('POST', '/reservations', other.cookie, request(post.id, { startDate: '2026-04-20', endDate: '2026-04-21' }))).json();
  await ctx.deps.db.query(sql`INSERT INTO post_blocked_dates (post_id, day) VALUES (${post.id}, '2026-04-21')`);
  assert.equal((await approve(c.id)).json().code, 'DATES_BLOCKED');

  // the calendar: booked + blocked days
  const cal = await api('GET', `/posts/${post.id}/unavailable-dates?from=2026-04-01&to=2026-04-30`);
  assert.equal(cal.statusCode, 200, cal.body);
  assert.deepEqual(cal.json().dates, ['2026-04-05', '2026-04-10', '2026-04-11', '2026-04-12', '2026-04-21']);
  // the search condition agrees
  const free = async (from: string, to: string) =>
    !!(await ctx.deps.db.one(sql`SELECT 1 FROM posts p WHERE p.id = ${post.id} AND ${availableBetween('p', from, to)}`));
  assert.equal(await free('2026-04-06', '2026-04-09'), true);
  assert.equal(await free('2026-04-09', '2026-04-10'), false);
  assert.equal(await free('2026-04-05', '2026-04-05'), false);
  assert.equal(await free('2026-04-13', '2026-04-20'), true);
});

test('date edges: one-day rental, back-to-back, one-day overlap, Seoul midnight, leap day', async () => {
  const post = await makePost(ctx.deps.db, lender.id, { fee: 7000, deposit: 1000 });
  const one = (await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-05-01', endDate: '2026-05-01' }))).json();
  assert.equal(one.price.days, 1);
  assert.equal(one.price.total, 8000);
  assert.equal((await approve(one.id)).statusCode, 200);
  const next = (await api('POST', '/reservations', other.cookie, request(post.id, { startDate: '2026-05-02', endDate: '2026-05-04' }))).json();
  assert.equal((await approve(next.id)).statusCode, 200, 'back-to-back: end = next start − 1');
  const overlapOne = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-05-04', endDate: '2026-05-05' }));
  assert.equal(overlapOne.json().code, 'DATES_TAKEN');

  // Seoul midnight: at 2026-03-01T15:30Z Seoul is on 3/2; at 14:59Z it is still 3/1
  const today = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-03-02', endDate: '2026-03-02' }));
  assert.equal(today.statusCode, 201, today.body);
  clock.set('2026-03-01T14:59:00Z');
  const stillMarch1 = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-03-01', endDate: '2026-03-01' }));
  assert.equal(stillMarch1.statusCode, 201, stillMarch1.body);
  clock.set('2026-03-01T15:00:00Z');
  const gone = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-03-01', endDate: '2026-03-01' }));
  assert.equal(gone.json().code, 'DATE_IN_PAST');
  clock.set('2026-03-01T15:30:00Z');

  // leap day 2028 (within a year of "today" once the clock moves)
  clock.set('2027-12-01T00:00:00Z');
  try {
    const leap = await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2028-02-28', endDate: '2028-03-01' }));
    assert.equal(leap.statusCode, 201, leap.body);
    assert.equal(leap.json().price.days, 3);
    const onLeap = await api('POST', '/reservations', other.cookie, request(post.id, { startDate: '2028-02-29', endDate: '2028-02-29' }));
    assert.equal(onLeap.statusCode, 201);
    assert.equal((await approve(leap.json().id)).statusCode, 200);
    assert.equal((await approve(onLeap.json().id)).json().code, 'DATES_TAKEN');
    const cal = await api('GET', `/posts/${post.id}/unavailable-dates?from=2028-02-27&to=2028-03-02`);
    assert.deepEqual(cal.json().dates, ['2028-02-28', '2028-02-29', '2028-03-01']);
  } finally {
    clock.set('2026-03-01T15:30:00Z');
  }
});

test('lists: sent with counts per status and cursor paging; received per listing', async () => {
  const b = await ctx.signUp();
  const l = await ctx.signUp();
  const p1 = await makePost(ctx.deps.db, l.id);
  const p2 = await makePost(ctx.deps.db, l.id);
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await api('POST', '/reservations', b.cookie, request(i < 3 ? p1.id : p2.id, { startDate: `2026-06-1${i}`, endDate: `2026-06-1${i}` }));
    ids.push(res.json().id);
  }
  await api('PATCH', `/reservations/${ids[0]}/status`, b.cookie, { status: 'CANCELLED', reason: '일정 변경' });
  const page1 = (await api('GET', '/reservations/sent?limit=2', b.cookie)).json();
  assert.deepEqual(page1.items.map((r: { id: number }) => r.id), [ids[4], ids[3]]);
  assert.equal(page1.counts.PENDING_APPROVAL, 4);
  assert.equal(page1.counts.CANCELLED, 1);
  assert.equal(page1.counts.RENTING, 0);
  const page2 = (await api('GET', `/reservations/sent?limit=2&cursor=${page1.nextCursor}`, b.cookie)).json();
  assert.deepEqual(page2.items.map((r: { id: number }) => r.id), [ids[2], ids[1]]);
  const page3 = (await api('GET', `/reservations/sent?limit=2&cursor=${page2.nextCursor}`, b.cookie)).json();
  assert.deepEqual(page3.items.map((r: { id: number }) => r.id), [ids[0]]);
  assert.equal(page3.nextCursor, null);
  const cancelled = (await api('GET', '/reservations/sent?status=CANCELLED', b.cookie)).json();
  assert.deepEqual(cancelled.items.map((r: { id: number }) => r.id), [ids[0]]);

  const received = (await api('GET', `/reservations/received?postId=${p1.id}`, l.cookie)).json();
  assert.deepEqual(received.items.map((r: { id: number }) => r.id), [ids[2], ids[1], ids[0]]);
  assert.equal(received.counts.PENDING_APPROVAL, 2);
  assert.equal(received.items[0].myRole, 'LENDER');
  const all = (await api('GET', '/reservations/received', l.cookie)).json();
  assert.equal(all.items.length, 5);
  assert.equal((await api('GET', '/reservations/sent', l.cookie)).json().items.length, 0);
});

test('the detail shows the full status log: actor, time, reason, from → to', async () => {
  const post = await makePost(ctx.deps.db, lender.id);
  const r = (await api('POST', '/reservations', borrower.cookie, request(post.id, { startDate: '2026-07-01', endDate: '2026-07-02' }))).json();
  const res = await api('PATCH', `/reservations/${r.id}/status`, lender.cookie, { status: 'REJECTED', reason: '  그 날은 제가 씁니다  ' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().allowedActions, []);
  const d = (await api('GET', `/reservations/${r.id}`, borrower.cookie)).json();
  assert.equal(d.log.length, 2);
  assert.deepEqual(
    { from: d.log[1].from, to: d.log[1].to, actorRole: d.log[1].actorRole, actor: d.log[1].actor, reason: d.log[1].reason },
    { from: 'PENDING_APPROVAL', to: 'REJECTED', actorRole: 'LENDER', actor: { id: lender.id, nickname: d.lender.nickname }, reason: '그 날은 제가 씁니다' },
  );
  assert.equal(d.log[1].at, '2026-03-01T15:30:00.000Z');
  const note = await ctx.deps.db.one(sql`SELECT title, body FROM notifications WHERE member_id = ${borrower.id} AND target_id = ${r.id} AND type = 'RESERVATION_STATUS'`);
  assert.match(note!.title, /거절/);
  assert.match(note!.body, /그 날은 제가 씁니다/);
});

test('the exclusion constraint covers exactly HOLDING_STATUSES; reviewable rule', async () => {
  const def = await ctx.deps.db.one<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'reservations_no_double_booking'`);
  const listed = [...def!.def.matchAll(/'([A-Z_]+)'::text/g)].map((m) => m[1]).sort();
  assert.deepEqual(listed, [...HOLDING_STATUSES].sort());
  const post = await makePost(ctx.deps.db, lender.id);
  const id = await insertReservation(ctx.deps.db, { postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_REFUND', startDate: '2026-01-01', endDate: '2026-01-02' });
  const rows = await ctx.deps.db.query(`SELECT r.id FROM reservations r WHERE r.id = $1 AND ${reviewableCondition('r')}`, [id]);
  assert.equal(rows.length, 1);
  assert.ok(REVIEWABLE_STATUSES.includes('RETURN_COMPLETED') && !REVIEWABLE_STATUSES.includes('CANCELLED'));
});
