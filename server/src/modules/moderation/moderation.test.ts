import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { insertPost, testClock, rental, reporterWithStanding } from '../../../test/factories.ts';

const clock = testClock(new Date());
let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ clock });
});
after(() => ctx.close());

const job = () => {
  const def = jobDefinitions.find((j) => j.name === 'reports-auto-ban');
  assert.ok(def, 'reports-auto-ban is registered');
  return def;
};
const runJob = () => job().run({ deps: ctx.deps, now: clock.now() });

const post = (url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
const get = (url: string, cookie?: string) => ctx.app.inject({ url: `/api/v1${url}`, headers: cookie ? { cookie } : {} });

async function moderationNotes(memberId: number) {
  return ctx.deps.db.query<{ title: string; target_type: string; target_id: number }>(
    `SELECT title, target_type, target_id FROM notifications WHERE member_id = $1 AND type = 'MODERATION' ORDER BY id`,
    [memberId],
  );
}

/** `n` members report the target at the clock's current time: reporters with standing, or fresh accounts. */
async function reportedBy(n: number, targetType: string, targetId: number, who: 'standing' | 'fresh' = 'standing') {
  for (let i = 0; i < n; i++) {
    const r = who === 'standing' ? await reporterWithStanding(ctx) : await ctx.signUp();
    const res = await post('/reports', r.cookie, { targetType, targetId, reason: 'SPAM' });
    assert.equal(res.statusCode, 201, res.body);
  }
}

const seoulDay = (d: Date, plusDays: number) =>
  new Date(d.getTime() + 9 * 3_600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);

test('admin bans a listing: hidden from the public, reservations refused, visible to admins; owner notified; unban restores', async () => {
  const owner = await ctx.signUp();
  const borrower = await ctx.signUp();
  const admin = await ctx.admin();
  const postId = await insertPost(ctx.deps.db, owner.id, '정지될 전동드릴');

  assert.equal((await post(`/adm/posts/${postId}/ban`, undefined, { reason: '허위 매물' })).statusCode, 401);
  assert.equal((await post(`/adm/posts/${postId}/ban`, owner.cookie, { reason: '허위 매물' })).statusCode, 403);
  assert.equal((await post(`/adm/posts/${postId}/ban`, admin.cookie, {})).statusCode, 400);
  assert.equal((await post(`/adm/posts/9999999/ban`, admin.cookie, { reason: '허위 매물' })).statusCode, 404);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200, 'visible before the ban');
  const listed = () => get('/posts?limit=50').then((r) => r.json().items.some((p: { id: number }) => p.id === postId));
  assert.equal(await listed(), true, 'listed before the ban');

  const banned = await post(`/adm/posts/${postId}/ban`, admin.cookie, { reason: '허위 매물' });
  assert.equal(banned.statusCode, 200);
  assert.equal(banned.json().banned, true);
  assert.equal(banned.json().banReason, '허위 매물');
  assert.equal(banned.json().changed, true);
  const again = await post(`/adm/posts/${postId}/ban`, admin.cookie, { reason: '다시' });
  assert.equal(again.json().changed, false);
  assert.equal(again.json().banReason, '허위 매물', 'a second ban changes nothing');

  const notes = await moderationNotes(owner.id);
  assert.equal(notes.length, 1, 'one notification for one ban');
  assert.deepEqual([notes[0].target_type, notes[0].target_id], ['POST', postId]);
  assert.match(notes[0].title, /숨김/);

  assert.equal((await get(`/posts/${postId}`)).statusCode, 404, 'public cannot open it');
  assert.equal((await get(`/posts/${postId}`, borrower.cookie)).statusCode, 404, 'members cannot open it');
  assert.equal((await get(`/posts/${postId}`, admin.cookie)).statusCode, 200, 'admins can');
  assert.equal(await listed(), false, 'not in the public list');
  assert.equal((await get(`/posts/${postId}/reviews`)).statusCode, 404);

  const booking = {
    postId, startDate: seoulDay(clock.now(), 20), endDate: seoulDay(clock.now(), 21), receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  };
  const refused = await post('/reservations', borrower.cookie, booking);
  assert.equal(refused.statusCode, 404, refused.body);
  assert.equal(refused.json().code, 'NOT_FOUND');

  const unbanned = await post(`/adm/posts/${postId}/unban`, admin.cookie);
  assert.equal(unbanned.statusCode, 200);
  assert.equal(unbanned.json().banned, false);
  assert.equal((await post(`/adm/posts/${postId}/unban`, owner.cookie)).statusCode, 403);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200);
  assert.equal((await moderationNotes(owner.id)).length, 2, 'the unban is announced too');
  const accepted = await post('/reservations', borrower.cookie, booking);
  assert.equal(accepted.statusCode, 201, `the same request works once unbanned: ${accepted.body}`);
});

test('admin bans a review: hidden from lists and summaries except for admins; author notified', async () => {
  const { lender, borrower, postId, reservationId: resId } = await rental(ctx);
  const admin = await ctx.admin();
  const review = (await post(`/reservations/${resId}/review`, borrower.cookie, {
    equipmentScore: 1, kindnessScore: 1, responseScore: 1, comment: '광고성 문구가 가득한 리뷰',
  })).json();
  // the lender's review too, so the borrower's is no longer sealed (reviews/blind.ts)
  assert.equal((await post(`/reservations/${resId}/borrower-review`, lender.cookie, {
    careScore: 4, punctualityScore: 4, communicationScore: 4, comment: '무난했어요',
  })).statusCode, 201);

  assert.equal((await post(`/adm/reviews/${review.id}/ban`, lender.cookie, { reason: '광고' })).statusCode, 403);
  const banned = await post(`/adm/reviews/${review.id}/ban`, admin.cookie, { reason: '광고' });
  assert.equal(banned.statusCode, 200);
  assert.equal(banned.json().targetType, 'REVIEW');
  assert.equal((await moderationNotes(borrower.id)).length, 1);

  const publicList = (await get(`/posts/${postId}/reviews`)).json();
  assert.equal(publicList.items.length, 0);
  const memberList = (await get(`/members/${lender.id}/reviews`, lender.cookie)).json();
  assert.equal(memberList.items.length, 0);
  const adminList = (await get(`/posts/${postId}/reviews`, admin.cookie)).json();
  assert.equal(adminList.items.length, 1);
  assert.equal(adminList.items[0].banned, true);
  assert.equal((await get(`/posts/${postId}/reviews/summary`)).json().count, 0);
  assert.equal((await post(`/reviews/${review.id}/reply`, lender.cookie, { content: '답글' })).statusCode, 404);

  await post(`/adm/reviews/${review.id}/unban`, admin.cookie);
  assert.equal((await get(`/posts/${postId}/reviews`)).json().items.length, 1);
  assert.equal((await get(`/posts/${postId}/reviews/summary`)).json().count, 1);
});

test('auto-ban job: 5 reports within 30 days ban a listing once, resolve the reports and notify the owner once', async () => {
  const owner = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id, '신고 누적 게시글');
  await reportedBy(4, 'POST', postId);
  clock.advanceDays(29);
  assert.equal((await runJob())?.banned, 0);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200, 'four reports are not enough');

  await reportedBy(1, 'POST', postId);
  const outcome = await runJob();
  assert.equal(outcome?.banned, 1);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 404);
  const notes = await moderationNotes(owner.id);
  assert.equal(notes.length, 1);
  assert.deepEqual([notes[0].target_type, notes[0].target_id], ['POST', postId]);
  const statuses = await ctx.deps.db.query<{ status: string }>(`SELECT DISTINCT status FROM reports WHERE target_type = 'POST' AND target_id = $1`, [postId]);
  assert.deepEqual(statuses.map((s) => s.status), ['RESOLVED']);
  const log = await ctx.deps.db.query(`SELECT actor_id, action FROM moderation_actions WHERE target_type = 'POST' AND target_id = $1`, [postId]);
  assert.deepEqual(log, [{ actor_id: null, action: 'BAN' }]);

  // idempotent: the next run finds nothing to do
  assert.equal((await runJob())?.banned, 0);
  assert.equal((await moderationNotes(owner.id)).length, 1);

  // an admin's unban sticks: settled reports do not count again
  const admin = await ctx.admin();
  await post(`/adm/posts/${postId}/unban`, admin.cookie);
  assert.equal((await runJob())?.banned, 0);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200);
});

test('auto-ban job: 5 reports spread over 40 days do not ban; five inside the window do', async () => {
  const owner = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id, '띄엄띄엄 신고된 글');
  for (let i = 0; i < 5; i++) {
    if (i > 0) clock.advanceDays(10);
    await reportedBy(1, 'POST', postId);
    await runJob();
  }
  // reports at day 0, 10, 20, 30, 40: only four lie within the 30 days before day 40
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200);
  assert.equal((await moderationNotes(owner.id)).length, 0);
  // day 41: reports at day 20, 30, 40 and two new ones make five within 30 days
  clock.advanceDays(1);
  await reportedBy(1, 'POST', postId);
  assert.equal((await runJob())?.banned, 0);
  await reportedBy(1, 'POST', postId);
  assert.equal((await runJob())?.banned, 1);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 404);
});

test('auto-ban job bans a member through the members service: sessions end, login refused, member notified', async () => {
  const bad = await ctx.signUp();
  assert.equal((await get('/members/me', bad.cookie)).statusCode, 200);
  await reportedBy(5, 'MEMBER', bad.id);
  assert.equal((await runJob())?.banned, 1);

  assert.equal((await get('/members/me', bad.cookie)).statusCode, 401, 'the session ended');
  const login = await post('/members/login', undefined, { email: bad.email, password: bad.password });
  assert.equal(login.statusCode, 403);
  assert.equal(login.json().code, 'MEMBER_BANNED');
  assert.equal(login.json().banReason, '신고 누적으로 자동 제한되었습니다', 'the member is told why');
  assert.match(login.json().detail, /사유: 신고 누적/);
  assert.equal((await get(`/members/${bad.id}`)).json().banned, true);
  const notes = await moderationNotes(bad.id);
  assert.equal(notes.length, 1);
  assert.deepEqual([notes[0].target_type, notes[0].target_id], ['MEMBER', bad.id]);
  assert.equal((await runJob())?.banned, 0);
  assert.equal((await moderationNotes(bad.id)).length, 1);
});

test('auto-ban job hides a review; admins are never auto-banned', async () => {
  const { borrower, postId, reservationId: resId } = await rental(ctx, 'REFUND_COMPLETED');
  const review = (await post(`/reservations/${resId}/review`, borrower.cookie, {
    equipmentScore: 1, kindnessScore: 1, responseScore: 1, comment: '비방하는 리뷰',
  })).json();
  await reportedBy(5, 'REVIEW', review.id);
  const admin = await ctx.admin();
  await reportedBy(5, 'MEMBER', admin.id);

  const outcome = await runJob();
  assert.equal(outcome?.banned, 1);
  assert.equal((await get(`/posts/${postId}/reviews`)).json().items.length, 0);
  assert.equal((await moderationNotes(borrower.id)).length, 1);
  assert.equal((await get('/members/me', admin.cookie)).statusCode, 200, 'the admin keeps working');
});

test('concurrent job runs ban once and notify once', async () => {
  const owners = [await ctx.signUp(), await ctx.signUp()];
  const posts = [await insertPost(ctx.deps.db, owners[0].id), await insertPost(ctx.deps.db, owners[1].id)];
  for (const p of posts) await reportedBy(5, 'POST', p);
  const outcomes = await Promise.all([runJob(), runJob(), runJob()]);
  assert.equal(outcomes.reduce((n, o) => n + Number(o?.banned ?? 0), 0), 2);
  for (const o of owners) assert.equal((await moderationNotes(o.id)).length, 1);
});

test('admin bans list: what is banned now, per target type, admins only', async () => {
  const owner = await ctx.signUp();
  const admin = await ctx.admin();
  const postId = await insertPost(ctx.deps.db, owner.id, '목록에 나올 정지 글');
  await post(`/adm/posts/${postId}/ban`, admin.cookie, { reason: '불법 물품' });
  const res = await get('/adm/bans?targetType=POST&limit=50', admin.cookie);
  assert.equal(res.statusCode, 200);
  const item = res.json().items.find((i: { targetId: number }) => i.targetId === postId);
  assert.deepEqual({ ...item, bannedAt: typeof item.bannedAt }, {
    targetType: 'POST', targetId: postId, label: '목록에 나올 정지 글', owner: { id: owner.id, nickname: (await get(`/members/${owner.id}`)).json().nickname },
    banReason: '불법 물품', bannedAt: 'string',
  });
  const members = (await get('/adm/bans?targetType=MEMBER&limit=50', admin.cookie)).json();
  assert.ok(members.items.every((i: { targetType: string }) => i.targetType === 'MEMBER'));
  assert.ok(members.items.length >= 1, 'the auto-banned member is listed');
  assert.equal((await get('/adm/bans?targetType=POST', owner.cookie)).statusCode, 403);
  assert.equal((await get('/adm/bans', admin.cookie)).statusCode, 400);
  await post(`/adm/posts/${postId}/unban`, admin.cookie);
  const after = (await get('/adm/bans?targetType=POST&limit=50', admin.cookie)).json();
  assert.ok(!after.items.some((i: { targetId: number }) => i.targetId === postId));
});

const cases = (cookie: string, status = 'OPEN') =>
  get(`/adm/moderation-cases?status=${status}&limit=100`, cookie).then((r) => {
    assert.equal(r.statusCode, 200, r.body);
    return r.json().items as { id: number; targetType: string; targetId: number; reportCount: number; score: number; note: string; status: string }[];
  });

test('five throwaway accounts cannot ban anyone: the case goes to the admin queue, and an admin decides', async () => {
  const victim = await ctx.signUp();
  const admin = await ctx.admin();
  await reportedBy(5, 'MEMBER', victim.id, 'fresh');
  const outcome = await runJob();
  assert.equal(outcome?.banned, 0, 'fresh accounts ban nobody');
  assert.equal(outcome?.queued, 1);
  assert.equal((await get('/members/me', victim.cookie)).statusCode, 200, 'the victim keeps working');
  assert.equal((await moderationNotes(victim.id)).length, 0);

  const open = (await cases(admin.cookie)).filter((c) => c.targetType === 'MEMBER' && c.targetId === victim.id);
  assert.equal(open.length, 1);
  assert.equal(open[0].reportCount, 5);
  assert.equal(open[0].score, 0);
  assert.match(open[0].note, /완료한 대여가 없는 신고자 5명/);
  assert.equal((await get('/adm/moderation-cases', victim.cookie)).statusCode, 403);

  // the next run refreshes the same case, it does not open another
  assert.equal((await runJob())?.queued, 0);
  assert.equal((await cases(admin.cookie)).filter((c) => c.targetId === victim.id && c.targetType === 'MEMBER').length, 1);

  // the admin dismisses it: the reports stop counting and the case leaves the queue
  const dismissed = await post(`/adm/moderation-cases/${open[0].id}/dismiss`, admin.cookie);
  assert.equal(dismissed.statusCode, 200, dismissed.body);
  assert.equal(dismissed.json().status, 'DISMISSED');
  assert.equal((await post(`/adm/moderation-cases/${open[0].id}/dismiss`, admin.cookie)).json().code, 'CASE_NOT_OPEN');
  assert.equal((await runJob())?.queued, 0);
  assert.ok(!(await cases(admin.cookie)).some((c) => c.targetId === victim.id && c.targetType === 'MEMBER'));
});

test('related reporters with standing count as one voice: same sign-up address → admin queue, and an admin ban closes the case', async () => {
  const owner = await ctx.signUp();
  const admin = await ctx.admin();
  const postId = await insertPost(ctx.deps.db, owner.id, '한 곳에서 만든 계정들이 신고한 글');
  const reporters = [];
  for (let i = 0; i < 5; i++) reporters.push(await reporterWithStanding(ctx));
  await ctx.deps.db.query(`UPDATE members SET signup_ip = '203.0.113.7' WHERE id = ANY($1::bigint[])`, [reporters.map((r) => r.id)]);
  for (const r of reporters) assert.equal((await post('/reports', r.cookie, { targetType: 'POST', targetId: postId, reason: 'SPAM' })).statusCode, 201);
  const outcome = await runJob();
  assert.equal(outcome?.banned, 0);
  assert.equal(outcome?.queued, 1);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200);
  const open = (await cases(admin.cookie)).find((c) => c.targetType === 'POST' && c.targetId === postId);
  assert.ok(open);
  assert.equal(open.score, 1, 'five related accounts weigh as one');
  assert.match(open.note, /신고자 묶음 1개/);

  assert.equal((await post(`/adm/posts/${postId}/ban`, admin.cookie, { reason: '검토 후 제한' })).statusCode, 200);
  assert.ok(!(await cases(admin.cookie)).some((c) => c.targetType === 'POST' && c.targetId === postId));
  assert.ok((await cases(admin.cookie, 'BANNED')).some((c) => c.targetType === 'POST' && c.targetId === postId));
});

test('accounts signed up within an hour of each other are related even from different addresses', async () => {
  const owner = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id, '같은 시각에 만든 계정들');
  const reporters = [];
  for (let i = 0; i < 5; i++) reporters.push(await reporterWithStanding(ctx));
  await ctx.deps.db.query(
    `UPDATE members SET created_at = now() - interval '40 days' + make_interval(mins => id::int % 50) WHERE id = ANY($1::bigint[])`,
    [reporters.map((r) => r.id)],
  );
  for (const r of reporters) await post('/reports', r.cookie, { targetType: 'POST', targetId: postId, reason: 'SPAM' });
  const outcome = await runJob();
  assert.equal(outcome?.banned, 0);
  assert.equal((await get(`/posts/${postId}`)).statusCode, 200);
});

test('admin member ban is one transaction: audit row, settled reports, notification with the reason, sessions ended; admins cannot be banned', async () => {
  const bad = await ctx.signUp();
  const admin = await ctx.admin();
  await reportedBy(1, 'MEMBER', bad.id, 'fresh');
  const res = await post(`/adm/members/${bad.id}/ban`, admin.cookie, { reason: '거래 사기' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().banned, true);
  assert.equal((await get('/members/me', bad.cookie)).statusCode, 401);
  const log = await ctx.deps.db.query(`SELECT actor_id, action, reason FROM moderation_actions WHERE target_type = 'MEMBER' AND target_id = $1`, [bad.id]);
  assert.deepEqual(log, [{ actor_id: admin.id, action: 'BAN', reason: '거래 사기' }]);
  const notes = await ctx.deps.db.query<{ title: string; body: string }>(
    `SELECT title, body FROM notifications WHERE member_id = $1 AND type = 'MODERATION'`, [bad.id],
  );
  assert.equal(notes.length, 1);
  assert.match(notes[0].body, /거래 사기/);
  const pending = await ctx.deps.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE target_type = 'MEMBER' AND target_id = $1 AND status = 'PENDING'`, [bad.id]);
  assert.equal(pending!.n, 0);
  // a second ban changes nothing and logs nothing
  assert.equal((await post(`/adm/members/${bad.id}/ban`, admin.cookie, { reason: '다시' })).statusCode, 200);
  assert.equal((await ctx.deps.db.query(`SELECT 1 FROM moderation_actions WHERE target_type = 'MEMBER' AND target_id = $1`, [bad.id])).length, 1);
  const login = await post('/members/login', undefined, { email: bad.email, password: bad.password });
  assert.equal(login.json().banReason, '거래 사기');

  const unban = await post(`/adm/members/${bad.id}/unban`, admin.cookie);
  assert.equal(unban.json().banned, false);
  assert.equal((await post('/members/login', undefined, { email: bad.email, password: bad.password })).statusCode, 200);
  assert.equal((await ctx.deps.db.query(`SELECT 1 FROM moderation_actions WHERE target_type = 'MEMBER' AND target_id = $1`, [bad.id])).length, 2);

  const other = await ctx.admin();
  const refused = await post(`/adm/members/${other.id}/ban`, admin.cookie, { reason: 'x' });
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json().code, 'CANNOT_BAN_ADMIN');
});
