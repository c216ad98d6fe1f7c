// Races on the machine's real PostgreSQL with two app instances (own database, created and dropped here):
// 100 concurrent approvals of overlapping requests → exactly one wins; concurrent transitions and job runs
// apply once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/postgres.ts';
import { sql } from '../../db/sql.ts';
import { expireReservations } from './jobs.ts';
import { HOLDING_STATUSES } from './status.ts';
import { insertReservation, makePost, testClock } from '../../../test/factories.ts';

let database: TemporaryDatabase;
const clock = testClock('2026-03-01T03:00:00Z');
let a: TestContext, b: TestContext;
let urls: string[];

before(async () => {
  database = await createTemporaryDatabase('rsv');
  const env = { DATABASE_URL: database.url };
  [a, b] = await Promise.all([createTestContext({ env, clock }), createTestContext({ env, clock })]);
  urls = [];
  for (const ctx of [a, b]) {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    urls.push(`http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`);
  }
});

after(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

const patch = (i: number, id: number, cookie: string, body: unknown) =>
  fetch(`${urls[i % 2]}/api/v1/reservations/${id}/status`, {
    method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

test('100 concurrent approvals of overlapping requests on 2 instances: exactly one wins, the rest 409, no overlap in the database', async () => {
  assert.equal(a.deps.db.kind, 'postgres');
  const lender = await a.signUp();
  const borrowers = [await a.signUp(), await b.signUp()];
  const post = await makePost(a.deps.db, lender.id);
  const ids: number[] = [];
  for (let i = 0; i < 100; i++) {
    // every range contains 2026-04-05, so every pair overlaps
    const start = `2026-04-0${1 + (i % 5)}`;
    const end = `2026-04-0${5 + ((i * 7) % 5)}`;
    ids.push(await insertReservation(a.deps.db, {
      postId: post.id, borrowerId: borrowers[i % 2].id, lenderId: lender.id, status: 'PENDING_APPROVAL', startDate: start, endDate: end,
    }));
  }
  const responses = await Promise.all(ids.map((id, i) => patch(i, id, lender.cookie, { status: 'PENDING_PAYMENT' })));
  const bodies = await Promise.all(responses.map((r) => r.json()));
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
  assert.equal(statuses.filter((s) => s === 409).length, 99);
  for (const body of bodies.filter((_, i) => statuses[i] === 409)) {
    assert.equal(body.code, 'DATES_TAKEN');
    assert.match(body.detail, /이미 예약된 날짜와 겹칩니다/);
  }
  const holding = HOLDING_STATUSES.map((s) => `'${s}'`).join(', ');
  const overlaps = await a.deps.db.one<{ n: number }>(`
    SELECT count(*)::int AS n FROM reservations x JOIN reservations y
      ON x.post_id = y.post_id AND x.id < y.id AND daterange(x.start_date, x.end_date, '[]') && daterange(y.start_date, y.end_date, '[]')
    WHERE x.status IN (${holding}) AND y.status IN (${holding})`);
  assert.equal(overlaps!.n, 0);
  const approved = await a.deps.db.query(sql`SELECT id FROM reservations WHERE post_id = ${post.id} AND status = 'PENDING_PAYMENT'`);
  assert.equal(approved.length, 1);
  const logs = await a.deps.db.one<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservation_status_log WHERE to_status = 'PENDING_PAYMENT' AND reservation_id = ANY(${ids}::bigint[])`);
  assert.equal(logs!.n, 1, 'only the winner is logged');
  // the database itself refuses, even for a writer that skips the service's checks
  const loser = ids.find((id) => id !== approved[0].id)!;
  await assert.rejects(a.deps.db.query(sql`UPDATE reservations SET status = 'RENTING' WHERE id = ${loser}`), { code: '23P01' });
});

test('one reservation, 20 concurrent identical transitions on 2 instances: applied once, the rest 409', async () => {
  const lender = await a.signUp();
  const borrower = await b.signUp();
  const post = await makePost(a.deps.db, lender.id);
  const id = await insertReservation(a.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'RENTING', startDate: '2026-03-01', endDate: '2026-03-03',
  });
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(i, id, borrower.cookie, { status: 'PENDING_RETURN' })));
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
  assert.equal(statuses.filter((s) => s === 409).length, 19);
  const logs = await a.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ${id}`);
  assert.equal(logs!.n, 1);
  const notes = await a.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE target_id = ${id} AND type = 'RESERVATION_STATUS'`);
  assert.equal(notes!.n, 1);
});

test('a job run on both instances at once expires each reservation exactly once', async () => {
  const lender = await a.signUp();
  const borrower = await a.signUp();
  const ids: number[] = [];
  for (let i = 0; i < 30; i++) {
    const post = await makePost(a.deps.db, lender.id);
    ids.push(await insertReservation(a.deps.db, {
      postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_APPROVAL', startDate: '2026-05-01', endDate: '2026-05-02',
      createdAt: new Date('2026-02-20T00:00:00Z'),
    }));
  }
  const now = clock.now();
  const [ra, rb] = (await Promise.all([expireReservations({ deps: a.deps, now }), expireReservations({ deps: b.deps, now })])) as {
    expiredRequests: number;
  }[];
  assert.equal(ra.expiredRequests + rb.expiredRequests, 30);
  const perReservation = await a.deps.db.query<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM reservation_status_log WHERE reservation_id = ANY(${ids}::bigint[]) GROUP BY reservation_id`);
  assert.equal(perReservation.length, 30);
  assert.ok(perReservation.every((r) => r.n === 1));
});
