// Table-driven: every (status, actor, target) pair through PATCH /reservations/:id/status →
// allowed, or refused with the right status (409 illegal, 403 wrong actor, 400 missing field) and
// nothing changed. Reservations are written straight into each status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { allowedActions, requiredFields, STATUS_TABLE, STATUSES, type Actor, type Status } from './status.ts';
import { insertReservation, makePost, partiesContext, statusOf, testClock, type User } from '../../../test/factories.ts';

const clock = testClock('2026-03-01T03:00:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User, admin: { id: number; cookie: string };

before(async () => {
  ({ ctx, lender, borrower, other, admin } = await partiesContext(clock));
});
after(() => ctx.close());

// SPEC §5 transcribed by hand: the table in status.ts must say exactly this.
const SPEC_NEXT: Record<Status, Status[]> = {
  PENDING_APPROVAL: ['PENDING_PAYMENT', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  PENDING_PAYMENT: ['PENDING_PICKUP', 'CANCELLED', 'EXPIRED'],
  PENDING_PICKUP: ['SHIPPING', 'INSPECTING_RENTAL', 'CANCELLED'],
  SHIPPING: ['INSPECTING_RENTAL'],
  INSPECTING_RENTAL: ['RENTING', 'PENDING_RETURN', 'CANCELLED'],
  RENTING: ['PENDING_RETURN', 'LOST_OR_UNRETURNED'],
  PENDING_RETURN: ['RETURNING', 'INSPECTING_RETURN'],
  RETURNING: ['INSPECTING_RETURN'],
  INSPECTING_RETURN: ['RETURN_COMPLETED', 'CLAIMING'],
  RETURN_COMPLETED: ['PENDING_REFUND'],
  PENDING_REFUND: ['REFUND_COMPLETED'],
  LOST_OR_UNRETURNED: ['CLAIMING'],
  CLAIMING: ['CLAIM_COMPLETED'],
  REFUND_COMPLETED: [], CLAIM_COMPLETED: [], REJECTED: [], CANCELLED: [], EXPIRED: [],
};
const SPEC_SET_BY: Partial<Record<Status, Actor[]>> = {
  PENDING_APPROVAL: ['SYSTEM'], PENDING_PAYMENT: ['LENDER'], PENDING_PICKUP: ['SYSTEM'], SHIPPING: ['LENDER'],
  INSPECTING_RENTAL: ['BORROWER', 'LENDER'], RENTING: ['BORROWER'], PENDING_RETURN: ['BORROWER', 'LENDER'],
  RETURNING: ['BORROWER'], INSPECTING_RETURN: ['LENDER'], RETURN_COMPLETED: ['BORROWER', 'LENDER'],
  CLAIMING: ['LENDER'], LOST_OR_UNRETURNED: ['BORROWER', 'LENDER', 'SYSTEM'],
};

test('the status table is SPEC §5', () => {
  for (const s of STATUSES) {
    assert.deepEqual([...STATUS_TABLE[s].next], SPEC_NEXT[s], `next of ${s}`);
    const users = STATUS_TABLE[s].setBy.filter((a) => a !== 'SYSTEM' || SPEC_SET_BY[s]?.includes('SYSTEM'));
    if (SPEC_SET_BY[s]) assert.deepEqual(users, SPEC_SET_BY[s], `set by of ${s}`);
  }
  assert.deepEqual(requiredFields('INSPECTING_RENTAL', 'PENDING_RETURN'), ['reason']);
  assert.deepEqual(requiredFields('RENTING', 'PENDING_RETURN'), []);
  for (const s of ['REJECTED', 'CANCELLED', 'CLAIMING'] as Status[]) assert.ok(STATUS_TABLE[s].requires.includes('reason'));
  for (const s of ['SHIPPING', 'RETURNING'] as Status[]) assert.ok(STATUS_TABLE[s].requires.includes('shipment'));
});

let day = 0;
/** a reservation in `status` on its own listing, far enough ahead to be approvable */
async function reservationIn(status: Status, methods: 'DELIVERY' | 'DIRECT' = 'DELIVERY') {
  const post = await makePost(ctx.deps.db, lender.id);
  const start = new Date(Date.UTC(2026, 3, 1 + (day++ % 200))).toISOString().slice(0, 10);
  return insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status, startDate: start, endDate: start,
    receiveMethod: methods, returnMethod: methods,
  });
}

const patch = (id: number, cookie: string, body: Record<string, unknown>) =>
  ctx.app.inject({ method: 'PATCH', url: `/api/v1/reservations/${id}/status`, headers: { cookie }, payload: body });
const logCount = async (id: number) =>
  (await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ${id}`))!.n;
const FULL = { reason: '사유 있음', carrier: 'CJ대한통운', trackingNumber: '1234-5678' };

test('every (status, actor, target) pair is allowed or refused as the table says; refusals change nothing', async () => {
  const tally = { allowed: 0, 409: 0, 403: 0, 400: 0 };
  for (const from of STATUSES) {
    const base = await reservationIn(from);
    const baseLog = await logCount(base);
    for (const actor of ['BORROWER', 'LENDER'] as const) {
      const cookie = actor === 'BORROWER' ? borrower.cookie : lender.cookie;
      for (const to of STATUSES) {
        const legal = STATUS_TABLE[from].next.includes(to);
        const mayAct = STATUS_TABLE[to].setBy.includes(actor);
        const what = `${from} → ${to} by ${actor}`;
        if (!legal || !mayAct) {
          const res = await patch(base, cookie, { status: to, ...FULL });
          const expected = !legal ? 409 : 403;
          assert.equal(res.statusCode, expected, `${what}: ${res.body}`);
          assert.equal(res.json().code, !legal ? 'ILLEGAL_TRANSITION' : 'NOT_YOUR_ACTION', what);
          tally[expected]++;
          continue;
        }
        const needs = requiredFields(from, to);
        if (needs.length) {
          const missing = await patch(base, cookie, { status: to, reason: '   ' });
          assert.equal(missing.statusCode, 400, `${what} without ${needs}: ${missing.body}`);
          tally[400]++;
        }
        const fresh = await reservationIn(from);
        const res = await patch(fresh, cookie, { status: to, ...FULL });
        assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
        assert.equal(res.json().status, to);
        assert.deepEqual(res.json().allowedActions, allowedActions({ status: to, receiveMethod: 'DELIVERY', returnMethod: 'DELIVERY' }, actor));
        const log = await ctx.deps.db.one(sql`
          SELECT from_status, to_status, actor_role, actor_id FROM reservation_status_log WHERE reservation_id = ${fresh} ORDER BY id DESC LIMIT 1`);
        assert.deepEqual(log, { from_status: from, to_status: to, actor_role: actor, actor_id: actor === 'BORROWER' ? borrower.id : lender.id });
        const notified = await ctx.deps.db.one(sql`
          SELECT member_id FROM notifications WHERE target_type = 'RESERVATION' AND target_id = ${fresh} AND type = 'RESERVATION_STATUS'`);
        assert.equal(notified?.member_id, actor === 'BORROWER' ? lender.id : borrower.id, `${what}: the other party is notified`);
        tally.allowed++;
      }
    }
    // strangers and admins never move a reservation
    for (const to of STATUS_TABLE[from].next) {
      assert.equal((await patch(base, other.cookie, { status: to, ...FULL })).statusCode, 403);
      assert.equal((await patch(base, admin.cookie, { status: to, ...FULL })).statusCode, 403);
    }
    assert.equal(await statusOf(ctx.deps.db, base), from, `${from}: refusals changed the status`);
    assert.equal(await logCount(base), baseLog, `${from}: refusals wrote a log`);
  }
  // 18 statuses × 2 actors × 18 targets
  assert.equal(tally.allowed + tally[409] + tally[403], STATUSES.length * 2 * STATUSES.length);
  assert.ok(tally.allowed >= 20 && tally[400] >= 8, JSON.stringify(tally));
});

test('shipping states only for delivery legs; allowedActions leave them out for direct pickups', async () => {
  const pickup = await reservationIn('PENDING_PICKUP', 'DIRECT');
  const res = await patch(pickup, lender.cookie, { status: 'SHIPPING', ...FULL });
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().code, 'NOT_A_DELIVERY');
  const view = await ctx.app.inject({ url: `/api/v1/reservations/${pickup}`, headers: { cookie: lender.cookie } });
  assert.deepEqual(view.json().allowedActions, ['INSPECTING_RENTAL', 'CANCELLED']);
  const back = await reservationIn('PENDING_RETURN', 'DIRECT');
  assert.equal((await patch(back, borrower.cookie, { status: 'RETURNING', ...FULL })).json().code, 'NOT_A_DELIVERY');
  const shipped = await reservationIn('PENDING_PICKUP');
  const ok = await patch(shipped, lender.cookie, { status: 'SHIPPING', carrier: ' 우체국 ', trackingNumber: '6070-1234' });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json().receiveShipment, { carrier: '우체국', trackingNumber: '6070-1234' });
  const noTracking = await reservationIn('PENDING_PICKUP');
  const missing = await patch(noTracking, lender.cookie, { status: 'SHIPPING', carrier: '우체국' });
  assert.equal(missing.json().code, 'SHIPMENT_REQUIRED');
  assert.equal((await patch(noTracking, lender.cookie, { status: 'SHIPPING', carrier: 'x', trackingNumber: '<script>' })).statusCode, 400);
  assert.equal((await patch(noTracking, lender.cookie, { status: 'PAID' })).statusCode, 400);
  assert.equal((await patch(noTracking, lender.cookie, {})).statusCode, 400);
});

test('a stale approval (start date passed) is refused', async () => {
  const post = await makePost(ctx.deps.db, lender.id);
  const id = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_APPROVAL', startDate: '2026-02-28', endDate: '2026-03-03',
  });
  const res = await patch(id, lender.cookie, { status: 'PENDING_PAYMENT' });
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().code, 'REQUEST_OUTDATED');
  await ctx.deps.db.query(sql`UPDATE posts SET banned_at = now() WHERE id = ${post.id}`);
  const fresh = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_APPROVAL', startDate: '2026-03-10', endDate: '2026-03-11',
  });
  assert.equal((await patch(fresh, lender.cookie, { status: 'PENDING_PAYMENT' })).json().code, 'POST_UNAVAILABLE');
});
