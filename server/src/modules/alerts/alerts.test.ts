// Alerts: saved searches matched by the search module's ranking (run as the alerts-match job would),
// once per alert × listing; 빈 날짜 알림 notified once when taken dates become free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { categoryId, insertReservation, jpeg, regionId, sendPost, type User } from '../../../test/factories.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';
import { matchQueuedListings, notifyFreedDates } from './service.ts';

let ctx: TestContext;
let lender: User;
let watcher: User;
let stranger: User;
let img: Buffer;
let tent: number;
let region: number;

before(async () => {
  ctx = await createTestContext();
  [lender, watcher, stranger] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  img = await jpeg();
  tent = await categoryId(ctx.deps.db, '텐트');
  region = await regionId(ctx.deps.db, '서울특별시 마포구');
});
after(() => ctx.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload: payload as object, headers: cookie ? { cookie } : {} });

async function listing(title: string, content: string, extra: Record<string, unknown> = {}) {
  const res = await sendPost(ctx.app, {
    cookie: lender.cookie, images: [img],
    data: { title, content, categoryId: tent, regionIds: [region], fee: 15000, deposit: 30000, receiveMethod: 'DIRECT', returnMethod: 'DIRECT', ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}
const alertNotes = async (memberId: number) =>
  (await ctx.deps.db.query<{ target_id: number; title: string }>(
    `SELECT target_id, title FROM notifications WHERE member_id = $1 AND type = 'ALERT_MATCH' ORDER BY id`, [memberId]));
const countRows = async (table: string) => (await ctx.deps.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))!.n;

test('saved searches: members only; bad input is 400 and stores nothing; only the owner deletes', async () => {
  assert.equal((await call('GET', '/alerts')).statusCode, 401);
  assert.equal((await call('POST', '/alerts', undefined, { query: '텐트' })).statusCode, 401);
  for (const bad of [
    {}, { query: '' }, { query: '   ' }, { query: 'x'.repeat(101) }, { query: '텐트', extra: 1 }, { query: '텐트', minFee: -1 },
    { query: '텐트', minFee: 5000, maxFee: 1000 }, { query: '텐트', categoryId: 99999999 }, { query: '텐트', regionId: 99999999 },
    { query: '텐트', radiusKm: 7 }, { query: '텐트', radiusKm: 3 }, // 3 km is allowed, but this member has no 동네
  ]) {
    const res = await call('POST', '/alerts', watcher.cookie, bad);
    assert.equal(res.statusCode, 400, `${JSON.stringify(bad)} → ${res.body}`);
    assert.match(res.headers['content-type'] as string, /problem\+json/);
  }
  assert.equal(await countRows('alerts'), 0);

  const saved = await call('POST', '/alerts', watcher.cookie, { query: ' 랜턴 ', maxFee: 20000, categoryId: tent });
  assert.equal(saved.statusCode, 201, saved.body);
  assert.equal(saved.json().query, '랜턴');
  assert.equal(saved.json().category.id, tent);
  const mine = (await call('GET', '/alerts', watcher.cookie)).json();
  assert.deepEqual(mine.items.map((a: { id: number }) => a.id), [saved.json().id]);
  assert.deepEqual((await call('GET', '/alerts', stranger.cookie)).json().items, []);
  assert.equal((await call('DELETE', `/alerts/${saved.json().id}`, stranger.cookie)).statusCode, 404);
  assert.equal((await call('DELETE', `/alerts/${saved.json().id}`, watcher.cookie)).statusCode, 204);
  assert.equal((await call('DELETE', `/alerts/${saved.json().id}`, watcher.cookie)).statusCode, 404);
});

test('a new matching listing notifies once per alert × listing, edits included; filters, other listings and the owner\'s own alerts do not fire', async () => {
  const alert = (await call('POST', '/alerts', watcher.cookie, { query: '돔텐트' })).json();
  await call('POST', '/alerts', watcher.cookie, { query: '돔텐트', maxFee: 1000 }); // too cheap for the listing below
  await call('POST', '/alerts', lender.cookie, { query: '돔텐트' }); // the author's own alert

  const other = await listing('무선 전동드릴 대여', '드릴 비트 세트 포함');
  const match = await listing('4인용 돔텐트 빌려드려요', '설치가 쉬운 돔텐트입니다');
  const outcome = await matchQueuedListings(ctx.deps);
  assert.deepEqual(outcome, { listings: 2, notified: 1 });
  const notes = await alertNotes(watcher.id);
  assert.deepEqual(notes.map((n) => n.target_id), [match]);
  assert.match(notes[0].title, /돔텐트/);
  assert.deepEqual(await alertNotes(lender.id), [], 'no alert on one\'s own listing');
  assert.ok(!notes.some((n) => n.target_id === other));

  // an edit queues the listing again: still one notification for this alert
  const edit = await sendPost(ctx.app, {
    method: 'PUT', url: `/api/v1/posts/${match}`, cookie: lender.cookie, images: [],
    data: { title: '4인용 돔텐트 (새 폴대)', content: '설치가 쉬운 돔텐트입니다', categoryId: tent, regionIds: [region], fee: 15000, deposit: 30000, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' },
  });
  assert.equal(edit.statusCode, 200, edit.body);
  assert.deepEqual(await matchQueuedListings(ctx.deps), { listings: 1, notified: 0 });
  assert.equal((await alertNotes(watcher.id)).length, 1);
  assert.equal(alert.query, '돔텐트');

  // an edit that makes another listing match fires for it, once
  const edited = await sendPost(ctx.app, {
    method: 'PUT', url: `/api/v1/posts/${other}`, cookie: lender.cookie, images: [],
    data: { title: '돔텐트용 전동드릴 팩 박기', content: '돔텐트 팩을 박을 때 쓰는 드릴', categoryId: tent, regionIds: [region], fee: 15000, deposit: 30000, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' },
  });
  assert.equal(edited.statusCode, 200);
  assert.deepEqual(await matchQueuedListings(ctx.deps), { listings: 1, notified: 1 });
  assert.deepEqual((await alertNotes(watcher.id)).map((n) => n.target_id), [match, other]);
  assert.deepEqual(await matchQueuedListings(ctx.deps), { listings: 0, notified: 0 }, 'the queue is empty');
});

test('a block either way keeps saved searches from matching the other side\'s listings (차단)', async () => {
  const [blocker, blocked] = [await ctx.signUp(), await ctx.signUp()];
  for (const u of [blocker, blocked, stranger]) assert.equal((await call('POST', '/alerts', u.cookie, { query: '캠핑의자' })).statusCode, 201);
  assert.equal((await call('POST', `/members/${lender.id}/block`, blocker.cookie)).statusCode, 204); // the watcher blocked the lender
  assert.equal((await call('POST', `/members/${blocked.id}/block`, lender.cookie)).statusCode, 204); // the lender blocked the watcher
  const chair = await listing('접이식 캠핑의자 2개', '가벼운 캠핑의자입니다');
  await matchQueuedListings(ctx.deps);
  assert.ok((await alertNotes(stranger.id)).some((n) => n.target_id === chair), 'nobody else is affected');
  assert.deepEqual(await alertNotes(blocker.id), []);
  assert.deepEqual(await alertNotes(blocked.id), []);
});

test('빈 날짜 알림: only for taken dates; notified once when a reservation holding them is cancelled', async () => {
  const post = await listing('주말용 캠핑 타프', '그늘막 타프');
  const start = addDays(seoulDate(new Date()), 5);
  const end = addDays(start, 1);
  const url = `/posts/${post}/date-alerts`;

  assert.equal((await call('POST', url, undefined, { startDate: start, endDate: end })).statusCode, 401);
  for (const bad of [{ startDate: start }, { startDate: end, endDate: start }, { startDate: '2024-02-30', endDate: '2024-03-01' },
    { startDate: '2020-01-01', endDate: '2020-01-02' }, { startDate: start, endDate: end, x: 1 }]) {
    assert.equal((await call('POST', url, watcher.cookie, bad)).statusCode, 400, JSON.stringify(bad));
  }
  assert.equal((await call('POST', '/posts/99999999/date-alerts', watcher.cookie, { startDate: start, endDate: end })).statusCode, 404);
  const free = await call('POST', url, watcher.cookie, { startDate: start, endDate: end });
  assert.equal(free.statusCode, 409);
  assert.equal(free.json().code, 'DATES_FREE');
  assert.equal(await countRows('date_alerts'), 0);

  const reservation = await insertReservation(ctx.deps.db, { postId: post, borrowerId: stranger.id, status: 'PENDING_PAYMENT', startDate: start, endDate: end });
  assert.equal((await call('POST', url, lender.cookie, { startDate: start, endDate: end })).json().code, 'OWN_POST');
  const watched = await call('POST', url, watcher.cookie, { startDate: start, endDate: end });
  assert.equal(watched.statusCode, 201, watched.body);
  assert.equal(watched.json().notifiedAt, null);

  assert.deepEqual(await notifyFreedDates(ctx.deps, new Date()), { notified: 0 }, 'still taken');
  // set-up: the borrower cancelled (the reservation module's transition is tested there)
  await ctx.deps.db.query(`UPDATE reservations SET status = 'CANCELLED' WHERE id = $1`, [reservation]);
  assert.deepEqual(await notifyFreedDates(ctx.deps, new Date()), { notified: 1 });
  assert.deepEqual(await notifyFreedDates(ctx.deps, new Date()), { notified: 0 }, 'once');
  const notes = await ctx.deps.db.query<{ title: string; target_id: number }>(
    `SELECT title, target_id FROM notifications WHERE member_id = $1 AND type = 'DATE_FREE'`, [watcher.id]);
  assert.equal(notes.length, 1);
  assert.equal(notes[0].target_id, post);
  assert.match(notes[0].title, /비었어요$/);
  const listed = (await call('GET', '/alerts', watcher.cookie)).json().dateAlerts;
  assert.equal(listed[0].post.id, post);
  assert.ok(listed[0].notifiedAt);
  assert.equal((await call('DELETE', `/alerts/dates/${listed[0].id}`, stranger.cookie)).statusCode, 404);
  assert.equal((await call('DELETE', `/alerts/dates/${listed[0].id}`, watcher.cookie)).statusCode, 204);
});
