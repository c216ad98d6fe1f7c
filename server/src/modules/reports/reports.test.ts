import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, insertReservation, rental } from '../../../test/factories.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const report = (cookie: string | undefined, payload: unknown) =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/reports', headers: cookie ? { cookie } : {}, payload: payload as object });

test('a member reports a listing once; the second time is 409 and stores nothing new', async () => {
  const owner = await ctx.signUp();
  const reporter = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id);
  const first = await report(reporter.cookie, { targetType: 'POST', targetId: postId, reason: 'FRAUD', detail: '  입금만 받고 연락이 없어요 ' });
  assert.equal(first.statusCode, 201);
  const body = first.json();
  assert.equal(body.targetType, 'POST');
  assert.equal(body.targetId, postId);
  assert.equal(body.reason, 'FRAUD');
  assert.equal(body.detail, '입금만 받고 연락이 없어요');
  assert.equal(body.status, 'PENDING');
  const again = await report(reporter.cookie, { targetType: 'POST', targetId: postId, reason: 'SPAM' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'ALREADY_REPORTED');
  const n = await ctx.deps.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE target_type = 'POST' AND target_id = $1`, [postId]);
  assert.equal(n!.n, 1);
  // another member may report the same listing
  const other = await ctx.signUp();
  assert.equal((await report(other.cookie, { targetType: 'POST', targetId: postId, reason: 'SPAM' })).statusCode, 201);
});

test('members and reviews can be reported; anonymous callers cannot report', async () => {
  const { lender, borrower, reservationId: resId } = await rental(ctx);
  const reporter = await ctx.signUp();
  const review = await ctx.app.inject({
    method: 'POST', url: `/api/v1/reservations/${resId}/review`, headers: { cookie: borrower.cookie },
    payload: { equipmentScore: 1, kindnessScore: 1, responseScore: 1, comment: '욕설이 담긴 리뷰' },
  });
  assert.equal(review.statusCode, 201);
  assert.equal((await report(reporter.cookie, { targetType: 'MEMBER', targetId: borrower.id, reason: 'ABUSE' })).statusCode, 201);
  assert.equal((await report(lender.cookie, { targetType: 'REVIEW', targetId: review.json().id, reason: 'ABUSE' })).statusCode, 201);
  const anon = await report(undefined, { targetType: 'MEMBER', targetId: borrower.id, reason: 'SPAM' });
  assert.equal(anon.statusCode, 401);
});

test('reporting oneself, one\'s own listing or one\'s own review is refused', async () => {
  const me = await ctx.signUp();
  const lender = await ctx.signUp();
  const myPost = await insertPost(ctx.deps.db, me.id);
  const theirPost = await insertPost(ctx.deps.db, lender.id);
  const resId = await insertReservation(ctx.deps.db, { postId: theirPost, borrowerId: me.id, status: 'REFUND_COMPLETED' });
  const review = await ctx.app.inject({
    method: 'POST', url: `/api/v1/reservations/${resId}/review`, headers: { cookie: me.cookie },
    payload: { equipmentScore: 5, kindnessScore: 5, responseScore: 5, comment: '좋았어요' },
  });
  for (const [targetType, targetId] of [['MEMBER', me.id], ['POST', myPost], ['REVIEW', review.json().id]] as const) {
    const res = await report(me.cookie, { targetType, targetId, reason: 'SPAM' });
    assert.equal(res.statusCode, 400, targetType);
    assert.equal(res.json().code, 'CANNOT_REPORT_SELF');
  }
  const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1', [me.id]);
  assert.equal(n!.n, 0);
});

test('a missing, deleted or banned target is 404', async () => {
  const reporter = await ctx.signUp();
  const owner = await ctx.signUp();
  const deleted = await insertPost(ctx.deps.db, owner.id);
  await ctx.deps.db.query('UPDATE posts SET deleted_at = now() WHERE id = $1', [deleted]);
  const banned = await insertPost(ctx.deps.db, owner.id);
  await ctx.deps.db.query('UPDATE posts SET banned_at = now() WHERE id = $1', [banned]);
  const cases = [
    { targetType: 'POST', targetId: 9_999_999 },
    { targetType: 'POST', targetId: deleted },
    { targetType: 'POST', targetId: banned },
    { targetType: 'MEMBER', targetId: 9_999_999 },
    { targetType: 'REVIEW', targetId: 9_999_999 },
  ];
  for (const c of cases) {
    const res = await report(reporter.cookie, { ...c, reason: 'SPAM' });
    assert.equal(res.statusCode, 404, JSON.stringify(c));
    assert.equal(res.json().code, 'NOT_FOUND');
  }
});

test('bad input is 400 problem+json, never stored', async () => {
  const reporter = await ctx.signUp();
  const owner = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id);
  const cases: unknown[] = [
    {},
    { targetType: 'POST', targetId: postId },
    { targetType: 'POST', targetId: postId, reason: 'BORING' },
    { targetType: 'CHAT', targetId: postId, reason: 'SPAM' },
    { targetType: 'POST', targetId: 0, reason: 'SPAM' },
    { targetType: 'POST', targetId: 'abc', reason: 'SPAM' },
    { targetType: 'POST', targetId: postId, reason: 'SPAM', detail: 'x'.repeat(1001) },
    { targetType: 'POST', targetId: postId, reason: 'SPAM', extra: true },
    { targetType: 'POST', targetId: postId, reason: 'OTHER' },
    { targetType: 'POST', targetId: postId, reason: 'OTHER', detail: '   ' },
  ];
  for (const payload of cases) {
    const res = await report(reporter.cookie, payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  }
  const other = await report(reporter.cookie, { targetType: 'POST', targetId: postId, reason: 'OTHER', detail: '가품으로 보입니다' });
  assert.equal(other.statusCode, 201);
  const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1', [reporter.id]);
  assert.equal(n!.n, 1);
});

test('the reason list is public and Korean', async () => {
  const res = await ctx.app.inject({ url: '/api/v1/reports/reasons' });
  assert.equal(res.statusCode, 200);
  const reasons = res.json() as { code: string; label: string }[];
  assert.ok(reasons.some((r) => r.code === 'FRAUD' && r.label === '사기 의심'));
});

test('admin report list: filters, counts per target, cursor paging, dismiss; admins only', async () => {
  const owner = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, owner.id, '신고 많이 받은 글');
  const reporters = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  for (const r of reporters) await report(r.cookie, { targetType: 'POST', targetId: postId, reason: 'SPAM' });
  await report(reporters[0].cookie, { targetType: 'MEMBER', targetId: owner.id, reason: 'FRAUD' });

  const user = await ctx.signUp();
  assert.equal((await ctx.app.inject({ url: '/api/v1/adm/reports' })).statusCode, 401);
  assert.equal((await ctx.app.inject({ url: '/api/v1/adm/reports', headers: { cookie: user.cookie } })).statusCode, 403);

  const admin = await ctx.admin();
  const get = (qs: string) => ctx.app.inject({ url: `/api/v1/adm/reports?${qs}`, headers: { cookie: admin.cookie } });
  const posts = await get(`targetType=POST&status=PENDING&limit=2`);
  assert.equal(posts.statusCode, 200);
  const page1 = posts.json();
  assert.equal(page1.items.length, 2);
  assert.ok(page1.nextCursor);
  const mine = page1.items[0];
  assert.equal(mine.targetId, postId);
  assert.equal(mine.target.label, '신고 많이 받은 글');
  assert.equal(mine.target.ownerId, owner.id);
  assert.equal(mine.target.banned, false);
  assert.deepEqual(mine.targetCounts, { total: 3, pending: 3, last30Days: 3 });
  assert.equal(mine.reasonLabel, '스팸·광고');
  const page2 = (await get(`targetType=POST&status=PENDING&limit=2&cursor=${page1.nextCursor}`)).json();
  assert.ok(page2.items.every((i: { id: number }) => i.id < page1.items[1].id));
  assert.ok(page2.items.some((i: { targetId: number }) => i.targetId === postId));

  const members = (await get('targetType=MEMBER')).json();
  assert.ok(members.items.every((i: { targetType: string }) => i.targetType === 'MEMBER'));
  assert.ok(members.items.some((i: { targetId: number }) => i.targetId === owner.id));

  assert.equal((await get('status=WHATEVER')).statusCode, 400);
  assert.equal((await get('cursor=abc')).statusCode, 400);

  const dismissed = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/reports/${mine.id}/dismiss`, headers: { cookie: admin.cookie } });
  assert.equal(dismissed.statusCode, 200);
  assert.equal(dismissed.json().status, 'DISMISSED');
  const twice = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/reports/${mine.id}/dismiss`, headers: { cookie: admin.cookie } });
  assert.equal(twice.json().code, 'REPORT_NOT_PENDING');
  const byUser = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/reports/${mine.id}/dismiss`, headers: { cookie: user.cookie } });
  assert.equal(byUser.statusCode, 403);
  const after = (await get('targetType=POST&status=DISMISSED')).json();
  assert.equal(after.items[0].id, mine.id);
  assert.deepEqual(after.items[0].targetCounts, { total: 3, pending: 2, last30Days: 2 });
});
