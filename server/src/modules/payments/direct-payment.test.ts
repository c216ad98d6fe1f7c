// Direct payment that works (issue 12 point 1): the lender's payout account (shown only to the
// borrower of an approved reservation), the borrower's "송금했어요" and the lender's confirmation,
// each logged and notified to the other party.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { insertReservation, makePost, partiesContext, statusOf, testClock, type User } from '../../../test/factories.ts';
import type { Status } from '../reservations/status.ts';

const clock = testClock('2026-03-01T03:00:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User, admin: { id: number; cookie: string };

before(async () => {
  ({ ctx, lender, borrower, other, admin } = await partiesContext(clock));
});
after(() => ctx.close());

const ACCOUNT = { bank: '국민은행', accountNumber: '123456-01-234567', holder: '김빌려' };
const inject = (method: 'GET' | 'PUT' | 'POST', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

let day = 0;
async function reservationIn(status: Status) {
  const post = await makePost(ctx.deps.db, lender.id);
  const start = `2026-04-${String(1 + day++).padStart(2, '0')}`;
  return insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status, startDate: start, endDate: start, receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
}

test('a member keeps one payout account; bad input is a 400 that changes nothing', async () => {
  assert.deepEqual((await inject('GET', '/members/me/payout-account', lender.cookie)).json(), { account: null });
  assert.equal((await inject('GET', '/members/me/payout-account')).statusCode, 401);
  assert.equal((await inject('PUT', '/members/me/payout-account', undefined, ACCOUNT)).statusCode, 401);

  const saved = await inject('PUT', '/members/me/payout-account', lender.cookie, ACCOUNT);
  assert.equal(saved.statusCode, 200, saved.body);
  assert.deepEqual({ ...saved.json().account, updatedAt: undefined }, { ...ACCOUNT, updatedAt: undefined });

  for (const bad of [
    { ...ACCOUNT, accountNumber: '12-ab-34' },
    { ...ACCOUNT, accountNumber: '1' },
    { ...ACCOUNT, bank: '' },
    { ...ACCOUNT, holder: '   ' },
    { bank: '국민은행', accountNumber: '1234567' },
    { ...ACCOUNT, extra: 1 },
  ]) {
    const res = await inject('PUT', '/members/me/payout-account', lender.cookie, bad);
    assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
    assert.match(res.headers['content-type'] as string, /problem\+json/);
  }
  assert.equal((await inject('GET', '/members/me/payout-account', lender.cookie)).json().account.accountNumber, ACCOUNT.accountNumber);
});

test('the payout account is shown only to the borrower, only once approved', async () => {
  await inject('PUT', '/members/me/payout-account', lender.cookie, ACCOUNT);
  const request = await reservationIn('PENDING_APPROVAL');
  const approved = await reservationIn('PENDING_PAYMENT');
  const view = async (id: number, cookie: string) => (await inject('GET', `/reservations/${id}`, cookie)).json();

  assert.equal((await view(request, borrower.cookie)).payment.payoutAccount, null, 'not before approval');
  assert.deepEqual((await view(approved, borrower.cookie)).payment.payoutAccount, ACCOUNT);
  assert.equal((await view(approved, lender.cookie)).payment.payoutAccount, null);
  assert.equal((await view(approved, admin.cookie)).payment.payoutAccount, null);
  assert.equal((await inject('GET', `/reservations/${approved}`, other.cookie)).statusCode, 403);
  // and never in anyone's list but the borrower's reservation itself
  const sent = (await inject('GET', '/reservations/sent', borrower.cookie)).json();
  assert.deepEqual(sent.items.find((r: { id: number }) => r.id === approved).payment.payoutAccount, ACCOUNT);
  const received = (await inject('GET', '/reservations/received', lender.cookie)).json();
  assert.ok(received.items.every((r: { payment: { payoutAccount: unknown } }) => r.payment.payoutAccount === null));
  const body = JSON.stringify((await inject('GET', `/members/${lender.id}`, other.cookie)).json());
  assert.ok(!body.includes(ACCOUNT.accountNumber), 'not on the public profile');

  for (const ended of ['REJECTED', 'CANCELLED', 'EXPIRED', 'RETURN_COMPLETED'] as Status[]) {
    assert.equal((await view(await reservationIn(ended), borrower.cookie)).payment.payoutAccount, null, ended);
  }
});

test('송금했어요 → the lender is told and confirms; both steps are in the history and notified', async () => {
  const id = await reservationIn('PENDING_PAYMENT');
  const transfer = (cookie?: string) => inject('POST', `/reservations/${id}/transfer-sent`, cookie, {});

  assert.equal((await transfer()).statusCode, 401);
  assert.equal((await transfer(other.cookie)).statusCode, 403);
  const byLender = await transfer(lender.cookie);
  assert.equal(byLender.statusCode, 403);
  assert.equal(byLender.json().code, 'NOT_BORROWER');
  assert.equal((await inject('POST', '/reservations/0x1F/transfer-sent', borrower.cookie, {})).statusCode, 400);
  assert.equal((await inject('POST', '/reservations/999999/transfer-sent', borrower.cookie, {})).statusCode, 404);
  assert.equal((await inject('GET', `/reservations/${id}`, borrower.cookie)).json().payment.canMarkTransferSent, true);

  const sent = await transfer(borrower.cookie);
  assert.equal(sent.statusCode, 200, sent.body);
  assert.ok(sent.json().payment.transferSentAt);
  assert.equal(sent.json().payment.canMarkTransferSent, false);
  assert.equal(sent.json().status, 'PENDING_PAYMENT', 'the borrower never marks it paid');
  const again = await transfer(borrower.cookie);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().payment.transferSentAt, sent.json().payment.transferSentAt);

  const notes = () => ctx.deps.db.query<{ member_id: number; type: string; title: string }>(sql`
    SELECT member_id, type, title FROM notifications WHERE target_type = 'RESERVATION' AND target_id = ${id} ORDER BY id`);
  assert.deepEqual((await notes()).map((n) => [n.member_id, n.type]), [[lender.id, 'TRANSFER_SENT']], 'once, to the lender');

  // the lender confirms receipt: paid, logged, the borrower told
  const confirmed = await inject('POST', `/reservations/${id}/payment/confirm`, lender.cookie, {});
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assert.equal(await statusOf(ctx.deps.db, id), 'PENDING_PICKUP');
  assert.ok((await notes()).some((n) => n.member_id === borrower.id && n.type === 'RESERVATION_STATUS'));

  const detail = (await inject('GET', `/reservations/${id}`, borrower.cookie)).json();
  const events = detail.log.map((l: { from: string; to: string; event: string | null; actorRole: string; reason: string | null }) =>
    [l.from, l.to, l.event, l.actorRole, l.reason]);
  assert.deepEqual(events, [
    ['PENDING_PAYMENT', 'PENDING_PAYMENT', 'TRANSFER_SENT', 'BORROWER', null],
    ['PENDING_PAYMENT', 'PENDING_PICKUP', null, 'SYSTEM', '빌려주는 사람이 입금을 확인했습니다'],
  ]);

  // after payment there is nothing left to mark
  const late = await transfer(borrower.cookie);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'NOT_PAYABLE');
});

test('송금했어요 only while the reservation waits for payment', async () => {
  for (const status of ['PENDING_APPROVAL', 'CANCELLED', 'RENTING'] as Status[]) {
    const id = await reservationIn(status);
    const res = await inject('POST', `/reservations/${id}/transfer-sent`, borrower.cookie, {});
    assert.equal(res.statusCode, 409, status);
    const row = await ctx.deps.db.one<{ transfer_sent_at: Date | null }>(sql`SELECT transfer_sent_at FROM reservations WHERE id = ${id}`);
    assert.equal(row?.transfer_sent_at, null);
  }
});
