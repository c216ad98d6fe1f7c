import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { jobDefinitions } from '../../jobs/registry.ts';

let ctx: TestContext;
type User = { id: number; cookie: string };
let alice: User, bob: User;

before(async () => {
  ctx = await createTestContext({ env: { NOTIFICATION_RETENTION_DAYS: '30' } });
  alice = await ctx.signUp();
  bob = await ctx.signUp();
});
after(() => ctx.close());

const api = (method: 'GET' | 'POST', url: string, user?: User) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user ? { cookie: user.cookie } : {} });

test('list with cursor, unread count, mark one (own only) and all read', async () => {
  for (let i = 1; i <= 5; i++) await ctx.deps.notifications.notify({ memberId: alice.id, type: 'RESERVATION_STATUS', title: `예약 상태 변경 ${i}`, targetType: 'RESERVATION', targetId: i });
  const bobs = await ctx.deps.notifications.notify({ memberId: bob.id, type: 'REVIEW', title: '후기' });

  const page1 = (await api('GET', '/notifications?limit=3', alice)).json();
  assert.deepEqual(page1.items.map((n: any) => n.title), ['예약 상태 변경 5', '예약 상태 변경 4', '예약 상태 변경 3']);
  assert.equal(page1.items[0].targetType, 'RESERVATION');
  assert.equal(page1.items[0].readAt, null);
  const page2 = (await api('GET', `/notifications?limit=3&cursor=${page1.nextCursor}`, alice)).json();
  assert.deepEqual(page2.items.map((n: any) => n.title), ['예약 상태 변경 2', '예약 상태 변경 1']);
  assert.equal(page2.nextCursor, null);
  assert.equal((await api('GET', '/notifications/unread-count', alice)).json().count, 5);

  const one = await api('POST', `/notifications/${page1.items[0].id}/read`, alice);
  assert.equal(one.statusCode, 200);
  assert.match(one.json().readAt, /^\d{4}-/);
  assert.equal((await api('GET', '/notifications/unread-count', alice)).json().count, 4);
  assert.equal((await api('GET', '/notifications?unread=true', alice)).json().items.length, 4);

  assert.equal((await api('POST', `/notifications/${bobs.id}/read`, alice)).statusCode, 404);
  assert.equal((await api('POST', `/notifications/99999999/read`, alice)).statusCode, 404);
  assert.equal((await api('POST', `/notifications/abc/read`, alice)).statusCode, 400);
  assert.equal((await api('GET', `/notifications?cursor=xyz`, alice)).statusCode, 400);
  assert.equal((await api('GET', '/notifications')).statusCode, 401);
  assert.equal((await api('GET', '/notifications/unread-count', bob)).json().count, 1);

  assert.equal((await api('POST', '/notifications/read-all', alice)).json().updated, 4);
  assert.equal((await api('GET', '/notifications/unread-count', alice)).json().count, 0);
  assert.equal((await api('GET', '/notifications/unread-count', bob)).json().count, 1);
});

test('notifications-cleanup deletes read notifications past the retention, keeps unread and recent ones', async () => {
  const job = jobDefinitions.find((j) => j.name === 'notifications-cleanup');
  assert.ok(job);
  const db = ctx.deps.db;
  const old = await ctx.deps.notifications.notify({ memberId: bob.id, type: 'REVIEW', title: '오래 전에 읽음' });
  const recent = await ctx.deps.notifications.notify({ memberId: bob.id, type: 'REVIEW', title: '최근에 읽음' });
  const unread = await ctx.deps.notifications.notify({ memberId: bob.id, type: 'REVIEW', title: '안 읽음' });
  const now = new Date('2030-06-01T00:00:00Z');
  await db.query(`UPDATE notifications SET read_at = $2::timestamptz - interval '31 days', created_at = $2::timestamptz - interval '40 days' WHERE id = $1`, [old.id, now.toISOString()]);
  await db.query(`UPDATE notifications SET read_at = $2::timestamptz - interval '29 days' WHERE id = $1`, [recent.id, now.toISOString()]);
  await db.query(`UPDATE notifications SET created_at = $2::timestamptz - interval '400 days' WHERE id = $1`, [unread.id, now.toISOString()]);
  const outcome = await job!.run({ deps: ctx.deps, now });
  assert.equal((outcome as any).deleted >= 1, true);
  const left = await db.query<{ id: number }>('SELECT id FROM notifications WHERE id = ANY($1::bigint[])', [[old.id, recent.id, unread.id]]);
  assert.deepEqual(left.map((r) => r.id).sort((a, b) => a - b), [recent.id, unread.id]);
});
