// Payment confirmation: the direct provider, and the Toss adapter against a local fake of Toss's
// confirm API (success, declined, timed out, already processed, not done, provider failure).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { insertClaim, insertReservation, makePost, statusOf, testClock, type User } from '../../../test/factories.ts';
import { addDays } from '../../lib/dates.ts';
import type { CancellationPolicy } from '../reservations/cancellation.ts';
import type { Status } from '../reservations/status.ts';
import { jobDefinitions } from '../../jobs/registry.ts';

const SECRET = 'test_sk_chwimeet_1234';
const TIMEOUT_MS = 1000; // generous: PGlite work in this process can hold the event loop for a while

/** A fake Toss Payments API. The paymentKey's prefix picks the behaviour. */
function fakeToss() {
  const calls: { path: string; auth: string | undefined; body: any; idempotencyKey?: string }[] = [];
  const processed = new Map<string, any>();
  const attempts = new Map<string, number>();
  const cancelAttempts = new Map<string, number>();
  // "gate-" confirms go through at "Toss" at once but answer only when the test opens the gate
  const gates = new Map<string, { open: () => void; opened: Promise<void>; reached: Promise<void>; arrive: () => void }>();
  const gate = (key: string) => {
    let g = gates.get(key);
    if (!g) {
      let open!: () => void;
      let arrive!: () => void;
      const opened = new Promise<void>((r) => (open = r));
      const reached = new Promise<void>((r) => (arrive = r));
      g = { open, opened, reached, arrive };
      gates.set(key, g);
    }
    return g;
  };
  const payment = (body: any, status = 'DONE') => ({
    paymentKey: body.paymentKey, orderId: body.orderId, status, totalAmount: body.amount, method: '카드',
    approvedAt: '2026-03-01T12:00:00+09:00',
  });
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : null;
    calls.push({ path: `${req.method} ${req.url}`, auth: req.headers.authorization, body, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    const send = (status: number, json: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`) {
      return send(401, { code: 'UNAUTHORIZED_KEY', message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.' });
    }
    if (req.method === 'GET' && req.url?.startsWith('/v1/payments/')) {
      const found = processed.get(decodeURIComponent(req.url.slice('/v1/payments/'.length)));
      return found ? send(200, found) : send(404, { code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
    }
    const cancel = req.method === 'POST' && req.url?.match(/^\/v1\/payments\/([^/]+)\/cancel$/);
    if (cancel) {
      const key = decodeURIComponent(cancel[1]);
      const n = (cancelAttempts.get(key) ?? 0) + 1;
      cancelAttempts.set(key, n);
      const found = processed.get(key);
      if (!found) return send(404, { code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
      // "cancelfail-" payments: Toss fails the first two cancels
      if (key.includes('cancelfail-') && n <= 2) return send(500, { code: 'FAILED_INTERNAL_SYSTEM_PROCESSING', message: '내부 오류' });
      if (found.status === 'CANCELED') return send(400, { code: 'ALREADY_CANCELED_PAYMENT', message: '이미 취소된 결제 입니다.' });
      // cancelAmount: a partial cancel (what is left stays paid), as Toss does; without it, all of it
      const left = found.totalAmount - (found.cancels ?? []).reduce((s: number, c: { cancelAmount: number }) => s + c.cancelAmount, 0);
      const amount = body?.cancelAmount ?? left;
      if (amount > left) return send(400, { code: 'NOT_CANCELABLE_AMOUNT', message: '취소 할 수 없는 금액 입니다.' });
      found.cancels = [...(found.cancels ?? []), { cancelAmount: amount, cancelReason: body?.cancelReason }];
      found.status = amount === left ? 'CANCELED' : 'PARTIAL_CANCELED';
      return send(200, found);
    }
    if (req.method !== 'POST' || req.url !== '/v1/payments/confirm') return send(404, { code: 'NOT_FOUND', message: 'no' });
    const key: string = body.paymentKey;
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (processed.has(key)) return send(400, { code: 'ALREADY_PROCESSED_PAYMENT', message: '이미 처리된 결제 입니다.' });
    if (key.startsWith('declined-')) return send(403, { code: 'REJECT_CARD_COMPANY', message: '카드사에서 결제를 거절했습니다.' });
    if (key.startsWith('waiting-')) return send(200, payment(body, 'WAITING_FOR_DEPOSIT'));
    if (key.startsWith('boom-')) return send(500, { code: 'FAILED_INTERNAL_SYSTEM_PROCESSING', message: '내부 오류' });
    if (key.startsWith('slow-') && n === 1) {
      // the first confirm hangs longer than our timeout and never completes at "Toss"
      await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
      return send(504, { code: 'PROVIDER_TIMEOUT', message: 'late' });
    }
    if (key.startsWith('slowdone-') && n === 1) {
      // the first confirm goes through at "Toss", but its answer arrives after our timeout
      processed.set(key, payment(body));
      await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
      return send(200, payment(body));
    }
    if (key.includes('gate-')) {
      processed.set(key, payment(body));
      const g = gate(key);
      g.arrive();
      await g.opened;
      return send(200, payment(body));
    }
    processed.set(key, payment(body));
    return send(200, payment(body));
  });
  return {
    calls,
    processed,
    gate,
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const clock = testClock('2026-03-01T03:00:00Z');

/** A 3-day reservation (fee 10,000/day, deposit 50,000) of a listing under `policy`, starting on `startDate`. */
async function setup(
  ctx: TestContext, lender: User, borrower: User, status: Status = 'PENDING_PAYMENT',
  { policy = 'flexible', startDate = '2026-03-10' }: { policy?: CancellationPolicy; startDate?: string } = {},
) {
  const post = await makePost(ctx.deps.db, lender.id, { cancellationPolicy: policy });
  const id = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status, startDate, endDate: addDays(startDate, 2),
  });
  await ctx.deps.db.query(sql`UPDATE reservations SET cancellation_policy = ${policy} WHERE id = ${id}`);
  return { id, orderId: `chwimeet-rsv-${id}`, amount: 3 * 10000 + 50000 };
}
const confirm = (ctx: TestContext, id: number, cookie: string | undefined, body?: unknown) =>
  ctx.app.inject({
    method: 'POST', url: `/api/v1/reservations/${id}/payment/confirm`, headers: cookie ? { cookie } : {}, payload: body as object,
  });
const paymentRows = async (ctx: TestContext, id: number) =>
  ctx.deps.db.query(sql`SELECT provider, payment_key, amount, order_id FROM payments WHERE reservation_id = ${id}`);

describe('toss', () => {
  const toss = fakeToss();
  let ctx: TestContext;
  let lender: User, borrower: User, other: User;
  before(async () => {
    const url = await toss.start();
    ctx = await createTestContext({
      clock, env: { PAYMENT_PROVIDER: 'toss', TOSS_SECRET_KEY: SECRET, TOSS_BASE_URL: url, TOSS_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    [lender, borrower, other] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  });
  after(async () => {
    await ctx.close();
    await toss.close();
  });

  test('success: the server confirms with Toss, then marks paid; the same confirm again changes nothing', async () => {
    const r = await setup(ctx, lender, borrower);
    const view = await ctx.app.inject({ url: `/api/v1/reservations/${r.id}`, headers: { cookie: borrower.cookie } });
    assert.deepEqual(view.json().payment, { provider: 'toss', payer: 'BORROWER', orderId: r.orderId, amount: r.amount, paid: false, canConfirm: true,
      transferSentAt: null, canMarkTransferSent: false, payoutAccount: null });
    const before = toss.calls.length;
    const res = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'ok-1', orderId: r.orderId, amount: r.amount });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().alreadyPaid, false);
    assert.equal(res.json().reservation.status, 'PENDING_PICKUP');
    assert.equal(res.json().reservation.payment.paid, true);
    const call = toss.calls[before];
    assert.equal(call.path, 'POST /v1/payments/confirm');
    assert.deepEqual(call.body, { paymentKey: 'ok-1', orderId: r.orderId, amount: r.amount });
    assert.deepEqual(await paymentRows(ctx, r.id), [{ provider: 'toss', payment_key: 'ok-1', amount: r.amount, order_id: r.orderId }]);
    const log = await ctx.deps.db.one(sql`SELECT from_status, to_status, actor_role FROM reservation_status_log WHERE reservation_id = ${r.id}`);
    assert.deepEqual(log, { from_status: 'PENDING_PAYMENT', to_status: 'PENDING_PICKUP', actor_role: 'SYSTEM' });
    const notified = await ctx.deps.db.query(sql`SELECT member_id FROM notifications WHERE target_id = ${r.id} AND type = 'RESERVATION_STATUS' ORDER BY member_id`);
    assert.deepEqual(notified.map((n) => n.member_id).sort(), [lender.id, borrower.id].sort());

    const calls = toss.calls.length;
    const again = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'ok-1', orderId: r.orderId, amount: r.amount });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().alreadyPaid, true);
    assert.equal(toss.calls.length, calls, 'no second call to Toss');
    const otherKey = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'ok-2', orderId: r.orderId, amount: r.amount });
    assert.equal(otherKey.statusCode, 409);
    assert.equal(otherKey.json().code, 'ALREADY_PAID');
    assert.equal((await paymentRows(ctx, r.id)).length, 1);
    const logs = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ${r.id}`);
    assert.equal(logs!.n, 1);
  });

  test('two identical confirms at once: one payment, one transition, both answered 200', async () => {
    const r = await setup(ctx, lender, borrower);
    const body = { paymentKey: 'ok-concurrent', orderId: r.orderId, amount: r.amount };
    const [a, b] = await Promise.all([confirm(ctx, r.id, borrower.cookie, body), confirm(ctx, r.id, borrower.cookie, body)]);
    assert.deepEqual([a.statusCode, b.statusCode], [200, 200], a.body + b.body);
    assert.deepEqual([a.json().alreadyPaid, b.json().alreadyPaid].sort(), [false, true]);
    assert.equal((await paymentRows(ctx, r.id)).length, 1);
  });

  test('only the borrower pays; amount and order must match the reservation before Toss is asked', async () => {
    const r = await setup(ctx, lender, borrower);
    const good = { paymentKey: 'ok-x', orderId: r.orderId, amount: r.amount };
    assert.equal((await confirm(ctx, r.id, undefined, good)).statusCode, 401);
    assert.equal((await confirm(ctx, r.id, other.cookie, good)).statusCode, 403);
    const asLender = await confirm(ctx, r.id, lender.cookie, good);
    assert.equal(asLender.statusCode, 403);
    assert.equal(asLender.json().code, 'NOT_PAYER');
    const calls = toss.calls.length;
    const cases: [unknown, number, string][] = [
      [{ ...good, amount: r.amount - 1 }, 400, 'AMOUNT_MISMATCH'],
      [{ ...good, orderId: 'chwimeet-rsv-1' }, 400, 'ORDER_MISMATCH'],
      [{ paymentKey: 'ok-x' }, 400, 'PAYMENT_FIELDS_REQUIRED'],
      [undefined, 400, 'PAYMENT_FIELDS_REQUIRED'],
      [{ ...good, amount: -5 }, 400, 'VALIDATION_FAILED'],
      [{ ...good, amount: '80000' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, status: 'PAID' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await confirm(ctx, r.id, borrower.cookie, body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().code, code);
    }
    assert.equal(toss.calls.length, calls, 'Toss was never called');
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PAYMENT');
    const notPayable = await setup(ctx, lender, borrower, 'PENDING_APPROVAL');
    const res = await confirm(ctx, notPayable.id, borrower.cookie, { paymentKey: 'ok-y', orderId: notPayable.orderId, amount: notPayable.amount });
    assert.equal(res.json().code, 'NOT_PAYABLE');
  });

  test('declined: 402 with Toss\'s Korean message; nothing changes; the browser cannot set the status either', async () => {
    const r = await setup(ctx, lender, borrower);
    const res = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'declined-1', orderId: r.orderId, amount: r.amount });
    assert.equal(res.statusCode, 402);
    assert.equal(res.json().code, 'PAYMENT_DECLINED');
    assert.equal(res.json().providerCode, 'REJECT_CARD_COMPANY');
    assert.match(res.json().detail, /카드사에서 결제를 거절했습니다/);
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PAYMENT');
    assert.equal((await paymentRows(ctx, r.id)).length, 0);
    const patch = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/reservations/${r.id}/status`, headers: { cookie: borrower.cookie }, payload: { status: 'PENDING_PICKUP' },
    });
    assert.equal(patch.statusCode, 403);
  });

  test('timed out: 504, nothing marked paid; a later retry works', async () => {
    const r = await setup(ctx, lender, borrower);
    const body = { paymentKey: 'slow-1', orderId: r.orderId, amount: r.amount };
    const first = await confirm(ctx, r.id, borrower.cookie, body);
    assert.equal(first.statusCode, 504, first.body);
    assert.equal(first.json().code, 'PAYMENT_TIMEOUT');
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PAYMENT');
    assert.equal((await paymentRows(ctx, r.id)).length, 0);
    const retry = await confirm(ctx, r.id, borrower.cookie, body);
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.json().reservation.status, 'PENDING_PICKUP');
  });

  test('timed out after Toss approved: the retry learns the real state (ALREADY_PROCESSED → lookup) and marks paid', async () => {
    const r = await setup(ctx, lender, borrower);
    const body = { paymentKey: 'slowdone-1', orderId: r.orderId, amount: r.amount };
    assert.equal((await confirm(ctx, r.id, borrower.cookie, body)).statusCode, 504);
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PAYMENT');
    const retry = await confirm(ctx, r.id, borrower.cookie, body);
    assert.equal(retry.statusCode, 200, retry.body);
    assert.ok(toss.calls.some((c) => c.path === 'GET /v1/payments/slowdone-1'));
    assert.deepEqual((await paymentRows(ctx, r.id)).map((p) => p.payment_key), ['slowdone-1']);
  });

  test('not done yet or a provider failure: nothing is marked paid', async () => {
    const r = await setup(ctx, lender, borrower);
    const waiting = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'waiting-1', orderId: r.orderId, amount: r.amount });
    assert.equal(waiting.statusCode, 409);
    assert.equal(waiting.json().code, 'PAYMENT_NOT_DONE');
    const boom = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'boom-1', orderId: r.orderId, amount: r.amount });
    assert.equal(boom.statusCode, 502);
    assert.equal(boom.json().code, 'PAYMENT_PROVIDER_ERROR');
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PAYMENT');
    assert.equal((await paymentRows(ctx, r.id)).length, 0);
  });
});

describe('toss: a captured payment is never lost', () => {
  const toss = fakeToss();
  let ctx: TestContext;
  let lender: User, borrower: User;
  before(async () => {
    const url = await toss.start();
    // No timeouts are tested here: a confirm held at the gate must outlast the cancel that races it,
    // however slow a busy machine makes that cancel.
    ctx = await createTestContext({
      clock, env: { PAYMENT_PROVIDER: 'toss', TOSS_SECRET_KEY: SECRET, TOSS_BASE_URL: url, TOSS_TIMEOUT_MS: '30000' },
    });
    [lender, borrower] = [await ctx.signUp(), await ctx.signUp()];
  });
  after(async () => {
    await ctx.close();
    await toss.close();
  });
  const captures = (id: number) =>
    ctx.deps.db.query<{ payment_key: string; status: string; cancel_attempts: number }>(
      sql`SELECT payment_key, status, cancel_attempts FROM payment_captures WHERE reservation_id = ${id} ORDER BY id`,
    );
  const reconcile = (now = clock.now()) => jobDefinitions.find((j) => j.name === 'payments-reconcile')!.run({ deps: ctx.deps, now });

  test('the borrower cancels while Toss is confirming: the capture is kept and cancelled at Toss, the answer says so', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'gate-cancel-1';
    const paying = confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount });
    await toss.gate(key).reached; // Toss has taken the money, its answer is on hold
    const cancelled = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/reservations/${r.id}/status`, headers: { cookie: borrower.cookie },
      payload: { status: 'CANCELLED', reason: '일정이 바뀌었어요' },
    });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    toss.gate(key).open();
    const res = await paying;
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'NOT_PAYABLE');
    assert.equal(res.json().refund, 'CANCELLED');
    assert.match(res.json().detail, /환불/);
    assert.equal(await statusOf(ctx.deps.db, r.id), 'CANCELLED');
    assert.equal((await paymentRows(ctx, r.id)).length, 0, 'the reservation is not paid');
    assert.deepEqual(await captures(r.id), [{ payment_key: key, status: 'CANCELLED', cancel_attempts: 1 }]);
    const call = toss.calls.find((c) => c.path === `POST /v1/payments/${key}/cancel`);
    assert.ok(call, 'Toss was asked to cancel');
    assert.ok(call.body.cancelReason);
    assert.ok(call.idempotencyKey, 'the cancel carries an idempotency key');
    assert.equal(toss.processed.get(key).status, 'CANCELED');
  });

  test('the expiry job wins the race; the first cancels fail at Toss and the reconcile job retries until refunded', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'gate-cancelfail-1';
    const paying = confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount });
    await toss.gate(key).reached;
    await ctx.deps.db.query(sql`UPDATE reservations SET status = 'EXPIRED' WHERE id = ${r.id}`); // as the expiry job does
    toss.gate(key).open();
    const res = await paying;
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().refund, 'PENDING');
    assert.deepEqual(await captures(r.id), [{ payment_key: key, status: 'CANCEL_PENDING', cancel_attempts: 1 }]);

    // not yet due: the job leaves it alone
    assert.deepEqual(await reconcile(), { applied: 0, cancelled: 0, pending: 0 });
    const later = new Date(clock.now().getTime() + 2 * 60_000);
    assert.deepEqual(await reconcile(later), { applied: 0, cancelled: 0, pending: 1 }, 'the second cancel fails too');
    const muchLater = new Date(clock.now().getTime() + 60 * 60_000);
    assert.deepEqual(await reconcile(muchLater), { applied: 0, cancelled: 1, pending: 0 });
    assert.deepEqual(await captures(r.id), [{ payment_key: key, status: 'CANCELLED', cancel_attempts: 3 }]);
    assert.equal(toss.processed.get(key).status, 'CANCELED');
    assert.deepEqual(await reconcile(new Date(muchLater.getTime() + 3_600_000)), { applied: 0, cancelled: 0, pending: 0 }, 'done means done');
  });

  test('a capture a crash left behind: applied while the reservation is payable, refunded once it is not', async () => {
    const payable = await setup(ctx, lender, borrower);
    const expired = await setup(ctx, lender, borrower, 'EXPIRED');
    const old = new Date(clock.now().getTime() - 10 * 60_000);
    for (const [r, key] of [[payable, 'ok-crash-1'], [expired, 'ok-crash-2']] as const) {
      toss.processed.set(key, { paymentKey: key, orderId: r.orderId, status: 'DONE', totalAmount: r.amount });
      await ctx.deps.db.query(sql`
        INSERT INTO payment_captures (reservation_id, provider, payment_key, order_id, amount, method, approved_at, confirmed_by, created_at, updated_at)
        VALUES (${r.id}, 'toss', ${key}, ${r.orderId}, ${r.amount}, '카드', ${old}, ${borrower.id}, ${old}, ${old})`);
    }
    assert.deepEqual(await reconcile(), { applied: 1, cancelled: 1, pending: 0 });
    assert.equal(await statusOf(ctx.deps.db, payable.id), 'PENDING_PICKUP');
    assert.deepEqual((await paymentRows(ctx, payable.id)).map((p) => p.payment_key), ['ok-crash-1']);
    assert.deepEqual((await captures(payable.id)).map((c) => c.status), ['APPLIED']);
    assert.deepEqual((await captures(expired.id)).map((c) => c.status), ['CANCELLED']);
    assert.equal(toss.processed.get('ok-crash-2').status, 'CANCELED');
  });

  test('a successful confirm leaves an APPLIED capture and the job never refunds it', async () => {
    const r = await setup(ctx, lender, borrower);
    const res = await confirm(ctx, r.id, borrower.cookie, { paymentKey: 'ok-applied-1', orderId: r.orderId, amount: r.amount });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await captures(r.id)).map((c) => c.status), ['APPLIED']);
    await reconcile(new Date(clock.now().getTime() + 3_600_000));
    assert.equal(toss.processed.get('ok-applied-1').status, 'DONE');
  });

  const cancel = (id: number, cookie: string) => ctx.app.inject({
    method: 'PATCH', url: `/api/v1/reservations/${id}/status`, headers: { cookie }, payload: { status: 'CANCELLED', reason: '사정이 생겼어요' },
  });

  test('paid, then cancelled: the payment is refunded through Toss\'s cancel API at once', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'ok-paid-then-cancelled-1';
    assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
    assert.equal(await statusOf(ctx.deps.db, r.id), 'PENDING_PICKUP');
    const res = await cancel(r.id, lender.cookie);
    assert.equal(res.statusCode, 200, res.body);
    const calls = toss.calls.filter((c) => c.path === `POST /v1/payments/${key}/cancel`);
    assert.equal(calls.length, 1, 'Toss was asked to cancel once');
    assert.equal(calls[0].body.cancelReason, '예약이 취소되어 결제를 환불합니다');
    assert.equal(toss.processed.get(key).status, 'CANCELED');
    assert.deepEqual((await captures(r.id)).map((c) => c.status), ['CANCELLED']);
    assert.deepEqual(await reconcile(new Date(clock.now().getTime() + 3_600_000)), { applied: 0, cancelled: 0, pending: 0 }, 'nothing left to do');
    assert.equal(toss.calls.filter((c) => c.path === `POST /v1/payments/${key}/cancel`).length, 1);
  });

  test('paid, then cancelled while Toss fails: the refund stays pending and the job finishes it', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'ok-cancelfail-paid-1';
    assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
    assert.equal((await cancel(r.id, borrower.cookie)).statusCode, 200, 'the cancel itself succeeds');
    assert.deepEqual((await captures(r.id)).map((c) => c.status), ['CANCEL_PENDING']);
    assert.deepEqual(await reconcile(new Date(clock.now().getTime() + 2 * 60_000)), { applied: 0, cancelled: 0, pending: 1 });
    assert.deepEqual(await reconcile(new Date(clock.now().getTime() + 60 * 60_000)), { applied: 0, cancelled: 1, pending: 0 });
    assert.equal(toss.processed.get(key).status, 'CANCELED');
    assert.deepEqual((await captures(r.id)).map((c) => c.status), ['CANCELLED']);
  });

  // today is 2026-03-01 in Seoul; each reservation costs 30,000 (3 days) + 50,000 deposit = 80,000
  const policyCases: { policy: CancellationPolicy; start: string; by: 'BORROWER' | 'LENDER'; back: number }[] = [
    { policy: 'flexible', start: '2026-03-02', by: 'BORROWER', back: 80000 }, // 1 day before: all
    { policy: 'flexible', start: '2026-03-01', by: 'BORROWER', back: 15000 + 50000 }, // the start day: half the fee
    { policy: 'moderate', start: '2026-03-06', by: 'BORROWER', back: 80000 }, // 5 days before: all
    { policy: 'moderate', start: '2026-03-05', by: 'BORROWER', back: 15000 + 50000 },
    { policy: 'strict', start: '2026-03-08', by: 'BORROWER', back: 15000 + 50000 }, // 7 days before: half the fee
    { policy: 'strict', start: '2026-03-07', by: 'BORROWER', back: 50000 }, // the deposit only
    { policy: 'strict', start: '2026-03-07', by: 'LENDER', back: 80000 }, // the lender cancels: all
  ];
  for (const [i, c] of policyCases.entries()) {
    test(`paid, then cancelled by the ${c.by.toLowerCase()} under ${c.policy}, starting ${c.start}: ${c.back}원 back through Toss`, async () => {
      const r = await setup(ctx, lender, borrower, 'PENDING_PAYMENT', { policy: c.policy, startDate: c.start });
      const key = `ok-policy-${i}`;
      assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
      const who = c.by === 'BORROWER' ? borrower : lender;
      const shown = (await ctx.app.inject({ url: `/api/v1/reservations/${r.id}`, headers: { cookie: who.cookie } })).json();
      assert.equal(shown.cancellation.refundIfCancelledNow, c.back, 'the cancel confirmation shows the amount first');
      assert.equal((await cancel(r.id, who.cookie)).statusCode, 200);
      const calls = toss.calls.filter((call) => call.path === `POST /v1/payments/${key}/cancel`);
      assert.equal(calls.length, 1);
      // all of it: a plain cancel; a part: Toss's partial cancel with cancelAmount
      assert.equal(calls[0].body.cancelAmount, c.back === r.amount ? undefined : c.back);
      assert.equal(toss.processed.get(key).status, c.back === r.amount ? 'CANCELED' : 'PARTIAL_CANCELED');
      assert.deepEqual((await captures(r.id)).map((x) => x.status), ['CANCELLED']);
      const after = (await ctx.app.inject({ url: `/api/v1/reservations/${r.id}`, headers: { cookie: borrower.cookie } })).json();
      assert.deepEqual(after.refund, { kind: 'CANCEL', amount: c.back });
      assert.equal(after.cancellation.refundIfCancelledNow, null);
    });
  }

  test('the deposit goes back less the accepted deductions: shown while 환급 대기, refunded at Toss on 환급 완료', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'ok-deposit-1';
    assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
    await ctx.deps.db.query(sql`UPDATE reservations SET status = 'PENDING_REFUND' WHERE id = ${r.id}`); // the rental went its way
    await insertClaim(ctx.deps.db, r.id, [{ amount: 12000, decision: 'ACCEPTED' }, { amount: 9000, decision: 'REJECTED' }]);
    const view = async () => (await ctx.app.inject({ url: `/api/v1/reservations/${r.id}`, headers: { cookie: borrower.cookie } })).json();
    assert.deepEqual((await view()).refund, { kind: 'DEPOSIT', amount: 50000 - 12000 });
    assert.equal(toss.calls.filter((c) => c.path === `POST /v1/payments/${key}/cancel`).length, 0, 'nothing leaves before 환급 완료');

    const done = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/reservations/${r.id}/status`, headers: { cookie: lender.cookie }, payload: { status: 'REFUND_COMPLETED' },
    });
    assert.equal(done.statusCode, 200, done.body);
    const calls = toss.calls.filter((c) => c.path === `POST /v1/payments/${key}/cancel`);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].body.cancelAmount, 38000);
    assert.equal(calls[0].body.cancelReason, '대여가 끝나 보증금을 돌려드립니다');
    assert.deepEqual((await view()).refund, { kind: 'DEPOSIT', amount: 38000 });
    assert.deepEqual(await reconcile(new Date(clock.now().getTime() + 3_600_000)), { applied: 0, cancelled: 0, pending: 0 }, 'given back once');
  });

  test('a claim completed by the system: the reconcile job returns what is left of the deposit; all of it deducted → no Toss call', async () => {
    const partly = await setup(ctx, lender, borrower);
    const whole = await setup(ctx, lender, borrower);
    for (const [r, key] of [[partly, 'ok-claim-1'], [whole, 'ok-claim-2']] as const) {
      assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
    }
    await insertClaim(ctx.deps.db, partly.id, [{ amount: 20000, decision: 'ACCEPTED' }]);
    await insertClaim(ctx.deps.db, whole.id, [{ amount: 50000, decision: 'ACCEPTED' }]);
    // the auto-completion job moves rows in bulk (CLAIMING → CLAIM_COMPLETED) without refunding them
    await ctx.deps.db.query(sql`UPDATE reservations SET status = 'CLAIM_COMPLETED' WHERE id IN (${partly.id}, ${whole.id})`);
    assert.deepEqual(await reconcile(), { applied: 0, cancelled: 2, pending: 0 });
    assert.equal(toss.calls.find((c) => c.path === 'POST /v1/payments/ok-claim-1/cancel')?.body.cancelAmount, 30000);
    assert.equal(toss.calls.some((c) => c.path === 'POST /v1/payments/ok-claim-2/cancel'), false, 'nothing to give back');
    assert.deepEqual((await captures(whole.id)).map((c) => c.status), ['CANCELLED']);
  });

  test('a paid cancel whose refund a crash never started is refunded by the job', async () => {
    const r = await setup(ctx, lender, borrower);
    const key = 'ok-crash-cancel-1';
    assert.equal((await confirm(ctx, r.id, borrower.cookie, { paymentKey: key, orderId: r.orderId, amount: r.amount })).statusCode, 200);
    await ctx.deps.db.query(sql`UPDATE reservations SET status = 'CANCELLED' WHERE id = ${r.id}`); // cancelled, then the process died
    assert.deepEqual(await reconcile(), { applied: 0, cancelled: 1, pending: 0 });
    assert.equal(toss.processed.get(key).status, 'CANCELED');
  });
});

describe('direct (default)', () => {
  let ctx: TestContext;
  let lender: User, borrower: User;
  before(async () => {
    ctx = await createTestContext({ clock });
    [lender, borrower] = [await ctx.signUp(), await ctx.signUp()];
  });
  after(() => ctx.close());

  test('the lender confirms receipt with a bare POST → PENDING_PICKUP; again changes nothing; the borrower cannot', async () => {
    const r = await setup(ctx, lender, borrower);
    const asBorrower = await confirm(ctx, r.id, borrower.cookie);
    assert.equal(asBorrower.statusCode, 403);
    assert.equal(asBorrower.json().code, 'NOT_PAYER');
    const view = await ctx.app.inject({ url: `/api/v1/reservations/${r.id}`, headers: { cookie: lender.cookie } });
    assert.equal(view.json().payment.canConfirm, true);
    assert.equal(view.json().payment.payer, 'LENDER');
    const res = await confirm(ctx, r.id, lender.cookie);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().reservation.status, 'PENDING_PICKUP');
    assert.equal(res.json().reservation.payment.canConfirm, false);
    assert.deepEqual(await paymentRows(ctx, r.id), [{ provider: 'direct', payment_key: null, amount: r.amount, order_id: r.orderId }]);
    const again = await confirm(ctx, r.id, lender.cookie);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().alreadyPaid, true);
    const logs = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ${r.id}`);
    assert.equal(logs!.n, 1);
    const expired = await setup(ctx, lender, borrower, 'EXPIRED');
    assert.equal((await confirm(ctx, expired.id, lender.cookie)).json().code, 'NOT_PAYABLE');
  });
});
