// 차단: a block either way hides listings from each other in every list and page, refuses new chats
// and reservation requests with a Korean 403, and tells the blocked member nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { makePost, placePosts } from '../../../test/factories.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';

let ctx: TestContext;
type User = Awaited<ReturnType<TestContext['signUp']>>;
let alice: User, bob: User, carol: User;
let alicePost = 0, bobPost = 0, carolPost = 0;

before(async () => {
  ctx = await createTestContext();
  [alice, bob, carol] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  const db = ctx.deps.db;
  alicePost = (await makePost(db, alice.id, { title: '블록테스트 캠핑 텐트 앨리스' })).id;
  bobPost = (await makePost(db, bob.id, { title: '블록테스트 캠핑 텐트 밥' })).id;
  carolPost = (await makePost(db, carol.id, { title: '블록테스트 캠핑 텐트 캐롤' })).id;
  // a 동 for everyone's listings, so distance lists include them too
  await placePosts(db, [alicePost, bobPost, carolPost], '망원1동');
});
after(() => ctx.close());

const api = (method: string, url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

/** Which of the three listings a member sees in each path. */
async function seen(u: User) {
  const ids = (items: { id: number }[]) => items.map((i) => i.id).filter((id) => [alicePost, bobPost, carolPost].includes(id)).sort();
  const feed = ids((await api('GET', '/posts?limit=50', u.cookie)).json().items);
  const near = ids((await api('GET', '/posts?lat=37.5522&lng=126.8988&radiusKm=1&limit=50', u.cookie)).json().items);
  const search = ids((await api('GET', `/search?q=${encodeURIComponent('블록테스트 텐트')}`, u.cookie)).json().items.map((h: { listing: { id: number } }) => h.listing));
  const browse = ids((await api('GET', '/search?limit=50', u.cookie)).json().items.map((h: { listing: { id: number } }) => h.listing));
  const similar = ids((await api('GET', `/posts/${carolPost}/similar`, u.cookie)).json().items.map((h: { listing: { id: number } }) => h.listing));
  const detail = [alicePost, bobPost, carolPost].filter(() => true);
  const details: number[] = [];
  for (const id of detail) if ((await api('GET', `/posts/${id}`, u.cookie)).statusCode === 200) details.push(id);
  return { feed, near, search, browse, similar: similar.concat(carolPost).sort(), detail: details.sort() };
}
const all = (...ids: number[]) => {
  const s = [...ids].sort();
  return { feed: s, near: s, search: s, browse: s, similar: s, detail: s };
};

test('before a block everyone sees everything', async () => {
  assert.deepEqual(await seen(alice), all(alicePost, bobPost, carolPost));
  assert.deepEqual(await seen(bob), all(alicePost, bobPost, carolPost));
});

test('a block hides each side’s listings from the other in feed, radius feed, search, similar and detail', async () => {
  const res = await api('POST', `/members/${bob.id}/block`, alice.cookie);
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(await seen(alice), all(alicePost, carolPost));
  assert.deepEqual(await seen(bob), all(bobPost, carolPost)); // the blocked side too
  assert.deepEqual(await seen(carol), all(alicePost, bobPost, carolPost)); // nobody else is affected
  // the hidden detail is a plain 404, the same as a listing that does not exist
  const hidden = await api('GET', `/posts/${alicePost}`, bob.cookie);
  assert.equal(hidden.statusCode, 404);
  assert.equal(hidden.json().code, 'NOT_FOUND');
  // a favorite list does not leak it either
  await ctx.deps.db.query('INSERT INTO favorites (member_id, post_id) VALUES ($1, $2)', [bob.id, alicePost]);
  assert.deepEqual((await api('GET', '/posts/favorites', bob.cookie)).json().items, []);
});

test('new chat rooms and reservation requests are refused both ways with a Korean 403', async () => {
  const start = addDays(seoulDate(new Date()), 10);
  const request = (postId: number) => ({ postId, startDate: start, endDate: addDays(start, 1), receiveMethod: 'DIRECT', returnMethod: 'DIRECT' });
  for (const [who, postId] of [[bob, alicePost], [alice, bobPost]] as const) {
    const chat = await api('POST', '/chats', who.cookie, { postId });
    assert.equal(chat.statusCode, 403, chat.body);
    assert.equal(chat.json().code, 'BLOCKED');
    assert.match(chat.headers['content-type'] as string, /problem\+json/);
    assert.match(chat.json().detail, /대화/);
    const booking = await api('POST', '/reservations', who.cookie, request(postId));
    assert.equal(booking.statusCode, 403, booking.body);
    assert.equal(booking.json().code, 'BLOCKED');
    assert.match(booking.json().detail, /예약/);
  }
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_rooms'))!.n, 0);
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM reservations'))!.n, 0);
  // a third member is unaffected
  assert.equal((await api('POST', '/chats', carol.cookie, { postId: alicePost })).statusCode, 201);
});

test('the blocked member learns nothing: no notification, their own block list is empty, the profile says nothing', async () => {
  assert.deepEqual((await api('GET', '/members/me/blocks', bob.cookie)).json().items, []);
  const mine = (await api('GET', '/members/me/blocks', alice.cookie)).json().items;
  assert.deepEqual(mine.map((m: { id: number }) => m.id), [bob.id]);
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE member_id = $1', [bob.id]))!.n, 0);
  const profile = (await api('GET', `/members/${alice.id}`, bob.cookie)).json();
  assert.equal(profile.blockedByMe, false);
  assert.ok(!JSON.stringify(profile).includes('blocked":true'));
  assert.equal((await api('GET', `/members/${bob.id}`, alice.cookie)).json().blockedByMe, true);
});

test('bad input and unblock', async () => {
  assert.equal((await api('POST', `/members/${alice.id}/block`, alice.cookie)).json().code, 'CANNOT_BLOCK_SELF');
  assert.equal((await api('POST', `/members/999999/block`, alice.cookie)).statusCode, 404);
  assert.equal((await api('POST', `/members/abc/block`, alice.cookie)).statusCode, 400);
  assert.equal((await api('POST', `/members/${bob.id}/block`)).statusCode, 401);
  assert.equal((await api('GET', '/members/me/blocks')).statusCode, 401);
  // blocking twice is harmless; bob cannot lift alice's block
  assert.equal((await api('POST', `/members/${bob.id}/block`, alice.cookie)).statusCode, 204);
  assert.equal((await api('DELETE', `/members/${alice.id}/block`, bob.cookie)).statusCode, 204);
  assert.equal((await api('GET', `/posts/${alicePost}`, bob.cookie)).statusCode, 404);
  assert.equal((await api('DELETE', `/members/${bob.id}/block`, alice.cookie)).statusCode, 204);
  assert.equal((await api('GET', `/posts/${alicePost}`, bob.cookie)).statusCode, 200);
  assert.equal((await api('POST', '/chats', bob.cookie, { postId: alicePost })).statusCode, 201);
});
