// The trust score is fed from the database: each input (released reviews, completed rentals, on-time
// and late returns, chat reply time, upheld reports) changed in the DB moves GET /members/{id}'s
// trust by the amount score.ts documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, insertReservation, testClock } from '../../../test/factories.ts';

const clock = testClock('2025-07-01T03:00:00Z');
let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ clock });
});
after(() => ctx.close());

const call = (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
const trust = async (memberId: number) => (await call('GET', `/members/${memberId}`)).json().trust;
const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000);

/** A chat room where `asker` writes first and `replier` answers `replyAfterMin` minutes later. */
async function chat(postId: number, lenderId: number, asker: number, replier: number, replyAfterMin: number) {
  const db = ctx.deps.db;
  const room = (await db.one<{ id: number }>(
    'INSERT INTO chat_rooms (post_id, lender_id, borrower_id) VALUES ($1, $2, $3) RETURNING id', [postId, lenderId, asker]))!.id;
  await db.query('INSERT INTO chat_members (room_id, member_id) VALUES ($1, $2), ($1, $3)', [room, asker, replier]);
  const send = (seq: number, sender: number, at: Date) => db.query(
    'INSERT INTO chat_messages (room_id, seq, sender_id, client_id, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [room, seq, sender, randomUUID(), '안녕하세요, 빌릴 수 있을까요?', at]);
  await send(1, asker, minutesAgo(600));
  await send(2, replier, minutesAgo(600 - replyAfterMin));
}

test('each input read from the DB moves the score as score.ts documents', async () => {
  const me = await ctx.signUp();
  const borrower = await ctx.signUp();
  const other = await ctx.signUp();
  const myPost = await insertPost(ctx.deps.db, me.id);
  const theirPost = await insertPost(ctx.deps.db, other.id);

  let t = await trust(me.id);
  assert.deepEqual(t, { score: 36.5, reviewCount: 0, completedRentals: 0, responseRate: null, typicalReplyMinutes: null, typicalReply: null });

  // a completed rental (as lender): +0.1
  const lent = await insertReservation(ctx.deps.db, { postId: myPost, borrowerId: borrower.id, status: 'RETURN_COMPLETED' });
  t = await trust(me.id);
  assert.equal(t.completedRentals, 1);
  assert.equal(t.score, 36.6);

  // a 5★ review received: nothing while sealed, +0.6 once released (here: the other side wrote too)
  const review = { equipmentScore: 5, kindnessScore: 5, responseScore: 5, comment: '최고의 이웃이에요.' };
  assert.equal((await call('POST', `/reservations/${lent}/review`, borrower.cookie, review)).statusCode, 201);
  assert.equal((await trust(me.id)).score, 36.6, 'a sealed review does not count');
  const mine = { careScore: 3, punctualityScore: 3, communicationScore: 3, comment: '무난했어요.' };
  assert.equal((await call('POST', `/reservations/${lent}/borrower-review`, me.cookie, mine)).statusCode, 201);
  t = await trust(me.id);
  assert.equal(t.reviewCount, 1);
  assert.equal(t.score, 37.2);

  // an on-time return as borrower: +0.1 (completed) +0.2 (on time)
  await insertReservation(ctx.deps.db, { postId: theirPost, borrowerId: me.id, status: 'REFUND_COMPLETED' });
  t = await trust(me.id);
  assert.equal(t.completedRentals, 2);
  assert.equal(t.score, 37.5);

  // a late return (the overdue notice went out): −1.0
  const late = await insertReservation(ctx.deps.db, { postId: theirPost, borrowerId: me.id, status: 'RENTING' });
  await ctx.deps.db.query('UPDATE reservations SET overdue_notified_at = $2 WHERE id = $1', [late, clock.now()]);
  assert.equal((await trust(me.id)).score, 36.5);

  // chat: replies within an hour → +0.5; the response rate and typical reply come from the same rows
  await chat(myPost, me.id, borrower.id, me.id, 20);
  t = await trust(me.id);
  assert.equal(t.score, 37);
  assert.equal(t.responseRate, 100);
  assert.equal(t.typicalReplyMinutes, 20);
  assert.equal(t.typicalReply, '보통 1시간 이내 응답');
  // two slow answers (over a day) make the median slow → −0.5 instead, and lower the response rate
  const asker2 = await ctx.signUp();
  const asker3 = await ctx.signUp();
  await chat(myPost, me.id, asker2.id, me.id, 26 * 60);
  await chat(myPost, me.id, asker3.id, me.id, 30 * 60);
  t = await trust(me.id);
  assert.equal(t.score, 36);
  assert.equal(t.responseRate, 33);

  // an upheld report on the member: −3.0; a dismissed or pending one: nothing
  const reporter = await ctx.signUp();
  const report = (await ctx.deps.db.one<{ id: number }>(
    `INSERT INTO reports (reporter_id, target_type, target_id, reason) VALUES ($1, 'MEMBER', $2, 'FRAUD') RETURNING id`, [reporter.id, me.id]))!.id;
  assert.equal((await trust(me.id)).score, 36);
  await ctx.deps.db.query(`UPDATE reports SET status = 'DISMISSED', resolved_at = now() WHERE id = $1`, [report]);
  assert.equal((await trust(me.id)).score, 36);
  await ctx.deps.db.query(`UPDATE reports SET status = 'RESOLVED' WHERE id = $1`, [report]);
  assert.equal((await trust(me.id)).score, 33);
});
