// Table-driven: every (status, actor, target) pair through PATCH /reservations/:id/status →
// allowed, or refused with the right status (409 illegal, 403 wrong actor, 400 missing field) and
// nothing changed. Reservations are written straight into each status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { requiredFields, STATUS_TABLE, STATUSES, type Actor, type Status } from './status.ts';
import { insertReservation, makePost, partiesContext, statusOf, testClock, type User } from '../../../test/factories.ts';

const clock = testClock('2026-03-01T03:00:00Z');
let ctx: TestContext;
let lender: User, borrower: User, other: User, admin: { id: number; cookie: string };

before(async () => {
  ({ ctx, lender, borrower, other, admin } = await partiesContext(clock));
});
after(() => ctx.close());

// SPEC §5's table transcribed by hand, independently of status.ts: the expectations of every test
// below come from here, never from STATUS_TABLE. "either" = borrower and lender.
type Field = 'reason' | 'shipment';
const B: Actor = 'BORROWER', L: Actor = 'LENDER', S: Actor = 'SYSTEM';
const SPEC: Record<Status, { setBy: Actor[]; next: Status[]; requires?: Field[] }> = {
  PENDING_APPROVAL: { setBy: [S], next: ['PENDING_PAYMENT', 'REJECTED', 'CANCELLED', 'EXPIRED'] },
  PENDING_PAYMENT: { setBy: [L], next: ['PENDING_PICKUP', 'CANCELLED', 'EXPIRED'] },
  PENDING_PICKUP: { setBy: [S], next: ['SHIPPING', 'INSPECTING_RENTAL', 'CANCELLED'] },
  SHIPPING: { setBy: [L], next: ['INSPECTING_RENTAL'], requires: ['shipment'] },
  INSPECTING_RENTAL: { setBy: [B, L], next: ['RENTING', 'PENDING_RETURN', 'CANCELLED'] },
  RENTING: { setBy: [B], next: ['PENDING_RETURN', 'LOST_OR_UNRETURNED'] },
  PENDING_RETURN: { setBy: [B, L], next: ['RETURNING', 'INSPECTING_RETURN'] },
  RETURNING: { setBy: [B], next: ['INSPECTING_RETURN'], requires: ['shipment'] },
  INSPECTING_RETURN: { setBy: [L], next: ['RETURN_COMPLETED', 'CLAIMING'] },
  RETURN_COMPLETED: { setBy: [B, L], next: ['PENDING_REFUND'] },
  PENDING_REFUND: { setBy: [L], next: ['REFUND_COMPLETED'] },
  LOST_OR_UNRETURNED: { setBy: [B, L, S], next: ['CLAIMING'] },
  CLAIMING: { setBy: [L], next: ['CLAIM_COMPLETED'], requires: ['reason'] },
  // the terminal row says "—" for set by; the README's decisions: the lender closes refunds, claims
  // and refusals, either party cancels, the system expires
  REFUND_COMPLETED: { setBy: [L], next: [] },
  CLAIM_COMPLETED: { setBy: [L], next: [] },
  REJECTED: { setBy: [L], next: [], requires: ['reason'] },
  CANCELLED: { setBy: [B, L], next: [], requires: ['reason'] },
  EXPIRED: { setBy: [S], next: [] },
};
/** beyond SPEC, on purpose: the auto-completion job (jobs.ts) also moves these stale states, and instant booking approves */
const SYSTEM_ALSO: Status[] = ['PENDING_REFUND', 'REFUND_COMPLETED', 'CLAIM_COMPLETED', 'PENDING_PAYMENT'];

/** "PENDING_RETURN (failed inspection, reason)": a reason only when coming from INSPECTING_RENTAL */
const specRequires = (from: Status, to: Status): Field[] =>
  [...(SPEC[to].requires ?? []), ...(from === 'INSPECTING_RENTAL' && to === 'PENDING_RETURN' ? ['reason' as const] : [])];
/** what `actor` may do next, by SPEC, on a reservation delivered both ways */
const specActions = (status: Status, actor: Actor) => SPEC[status].next.filter((to) => SPEC[to].setBy.includes(actor));

test('the status table is SPEC §5', () => {
  for (const s of STATUSES) {
    assert.deepEqual([...STATUS_TABLE[s].next].sort(), [...SPEC[s].next].sort(), `next of ${s}`);
    const expectedSetBy: Set<Actor> = new Set([...SPEC[s].setBy, ...(SYSTEM_ALSO.includes(s) ? [S] : [])]);
    assert.deepEqual(new Set(STATUS_TABLE[s].setBy), expectedSetBy, `set by of ${s}`);
    for (const from of STATUSES) {
      if (SPEC[from].next.includes(s)) assert.deepEqual(requiredFields(from, s).sort(), specRequires(from, s).sort(), `fields of ${from} → ${s}`);
    }
  }
});

/**
 * A reservation in `status` on its own listing, starting today (Seoul): still approvable, and every
 * date guard open (handed over on the start day when past the hand-over). The guards have their own tests below.
 */
async function reservationIn(status: Status, methods: 'DELIVERY' | 'DIRECT' = 'DELIVERY') {
  const post = await makePost(ctx.deps.db, lender.id);
  const start = '2026-03-01';
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
        const legal = SPEC[from].next.includes(to);
        const mayAct = SPEC[to].setBy.includes(actor);
        const what = `${from} → ${to} by ${actor}`;
        if (!legal || !mayAct) {
          const res = await patch(base, cookie, { status: to, ...FULL });
          const expected = !legal ? 409 : 403;
          assert.equal(res.statusCode, expected, `${what}: ${res.body}`);
          assert.equal(res.json().code, !legal ? 'ILLEGAL_TRANSITION' : 'NOT_YOUR_ACTION', what);
          tally[expected]++;
          continue;
        }
        const needs = specRequires(from, to);
        if (needs.length) {
          const missing = await patch(base, cookie, { status: to, reason: '   ' });
          assert.equal(missing.statusCode, 400, `${what} without ${needs}: ${missing.body}`);
          tally[400]++;
        }
        const fresh = await reservationIn(from);
        const res = await patch(fresh, cookie, { status: to, ...FULL });
        assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
        assert.equal(res.json().status, to);
        assert.deepEqual([...res.json().allowedActions].sort(), specActions(to, actor).sort(), `${what}: allowed actions`);
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
    for (const to of SPEC[from].next) {
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

test('date guards: the hand-over not before the day before the start, the return steps not before the hand-over', async () => {
  // today is 2026-03-01 in Seoul; this rental starts 3/3, so the hand-over opens on 3/2
  const post = await makePost(ctx.deps.db, lender.id);
  const pickup = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, status: 'PENDING_PICKUP', startDate: '2026-03-03', endDate: '2026-03-04', receiveMethod: 'DELIVERY', returnMethod: 'DELIVERY',
  });
  for (const [to, cookie] of [['INSPECTING_RENTAL', borrower.cookie], ['SHIPPING', lender.cookie]] as const) {
    const early = await patch(pickup, cookie, { status: to, ...FULL });
    assert.equal(early.statusCode, 409, `${to}: ${early.body}`);
    assert.equal(early.json().code, 'TOO_EARLY_FOR_HANDOVER');
    assert.match(early.json().detail, /대여 시작일 하루 전\(3월 2일\)부터/);
  }
  const view = (await ctx.app.inject({ url: `/api/v1/reservations/${pickup}`, headers: { cookie: lender.cookie } })).json();
  assert.deepEqual(view.allowedActions, ['CANCELLED'], 'the buttons leave out what the date refuses');
  assert.equal(view.handoverFrom, '2026-03-02');
  assert.equal(await statusOf(ctx.deps.db, pickup), 'PENDING_PICKUP');
  assert.equal(await logCount(pickup), 0);

  clock.set('2026-03-01T15:00:00Z'); // 3/2 00:00 in Seoul
  try {
    const moved = await patch(pickup, borrower.cookie, { status: 'INSPECTING_RENTAL' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().pickedUpAt, '2026-03-01T15:00:00.000Z', 'the hand-over is recorded');
    assert.equal((await patch(pickup, borrower.cookie, { status: 'RENTING' })).statusCode, 200);
    assert.equal((await patch(pickup, borrower.cookie, { status: 'PENDING_RETURN' })).statusCode, 200, 'returning on the hand-over day is fine');
    const row = await ctx.deps.db.one(sql`SELECT picked_up_at FROM reservations WHERE id = ${pickup}`);
    assert.deepEqual(row?.picked_up_at, new Date('2026-03-01T15:00:00Z'), 'RENTING after the inspection keeps the first hand-over time');
  } finally {
    clock.set('2026-03-01T03:00:00Z');
  }

  // a rental whose hand-over was never recorded cannot enter a return step
  const never = await insertReservation(ctx.deps.db, {
    postId: (await makePost(ctx.deps.db, lender.id)).id, borrowerId: borrower.id, status: 'RENTING', startDate: '2026-03-01', endDate: '2026-03-01', pickedUpAt: null,
  });
  const back = await patch(never, borrower.cookie, { status: 'PENDING_RETURN' });
  assert.equal(back.statusCode, 409);
  assert.equal(back.json().code, 'NOT_HANDED_OVER');
  assert.equal(await statusOf(ctx.deps.db, never), 'RENTING');
});
