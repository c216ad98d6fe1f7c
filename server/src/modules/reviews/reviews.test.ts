import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, insertReservation, testClock, rental } from '../../../test/factories.ts';
import { extractiveSummary, representativeSentences } from './summary.ts';
import { REVIEWABLE_STATUSES, type Status } from '../reservations/status.ts';

const clock = testClock(new Date('2025-05-01T00:00:00Z'));
let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ clock });
});
after(() => ctx.close());

const inject = (c: TestContext, method: 'GET' | 'POST', url: string, cookie?: string, payload?: object) =>
  c.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
const scores = (e: number, k: number, r: number, comment = '텐트 상태가 아주 좋았어요.') => ({
  equipmentScore: e, kindnessScore: k, responseScore: r, comment,
});
/** The lender's review of the borrower: once both wrote, both reviews are released (blind.ts). */
const lenderReviews = async (c: TestContext, reservationId: number, lenderCookie: string) => {
  const res = await inject(c, 'POST', `/reservations/${reservationId}/borrower-review`, lenderCookie,
    { careScore: 5, punctualityScore: 5, communicationScore: 5, comment: '깨끗하게 쓰고 제때 돌려주셨어요.' });
  assert.equal(res.statusCode, 201, res.body);
};

test('only the borrower reviews, once, and only once the rental is reviewable', async () => {
  const { lender, borrower, postId, reservationId } = await rental(ctx);
  const other = await ctx.signUp();
  const url = `/reservations/${reservationId}/review`;
  assert.equal((await inject(ctx, 'POST', url, undefined, scores(5, 5, 5))).statusCode, 401);
  assert.equal((await inject(ctx, 'POST', url, other.cookie, scores(5, 5, 5))).statusCode, 404, 'strangers do not learn it exists');
  const byLender = await inject(ctx, 'POST', url, lender.cookie, scores(5, 5, 5));
  assert.equal(byLender.statusCode, 403);
  assert.equal(byLender.json().code, 'NOT_BORROWER');
  assert.equal((await inject(ctx, 'POST', '/reservations/9999999/review', borrower.cookie, scores(5, 5, 5))).statusCode, 404);

  const created = await inject(ctx, 'POST', url, borrower.cookie, scores(5, 4, 3, '  친절하고 장비도 깨끗했어요.  '));
  assert.equal(created.statusCode, 201, created.body);
  const review = created.json();
  assert.equal(review.reservationId, reservationId);
  assert.equal(review.post.id, postId);
  assert.equal(review.author.id, borrower.id);
  assert.equal(review.lenderId, lender.id);
  assert.equal(review.overallScore, 4);
  assert.equal(review.comment, '친절하고 장비도 깨끗했어요.');
  assert.equal(review.reply, null);

  const twice = await inject(ctx, 'POST', url, borrower.cookie, scores(1, 1, 1));
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().code, 'ALREADY_REVIEWED');
  const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM reviews WHERE reservation_id = $1', [reservationId]);
  assert.equal(n!.n, 1);

  const notes = await ctx.deps.db.query<{ type: string; target_type: string; target_id: number }>(
    `SELECT type, target_type, target_id FROM notifications WHERE member_id = $1`, [lender.id]);
  assert.deepEqual(notes, [{ type: 'REVIEW', target_type: 'POST', target_id: postId }], 'the lender hears of it');
});

test('reviewable statuses are exactly the settled ones', async () => {
  const notYet: Status[] = ['PENDING_APPROVAL', 'PENDING_PAYMENT', 'PENDING_PICKUP', 'RENTING', 'PENDING_RETURN', 'INSPECTING_RETURN',
    'LOST_OR_UNRETURNED', 'REJECTED', 'CANCELLED', 'EXPIRED'];
  for (const status of notYet) {
    const { borrower, reservationId } = await rental(ctx, status);
    const res = await inject(ctx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, scores(4, 4, 4));
    assert.equal(res.statusCode, 409, status);
    assert.equal(res.json().code, 'NOT_REVIEWABLE');
  }
  for (const status of REVIEWABLE_STATUSES) {
    const { borrower, reservationId } = await rental(ctx, status);
    const res = await inject(ctx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, scores(4, 4, 4));
    assert.equal(res.statusCode, 201, status);
  }
});

test('bad review input is 400 and stores nothing', async () => {
  const { borrower, reservationId } = await rental(ctx);
  const cases: object[] = [
    scores(0, 3, 3), scores(6, 3, 3), scores(3.5, 3, 3), { equipmentScore: 3, kindnessScore: 3, comment: '점수 빠짐' },
    { equipmentScore: '5', kindnessScore: 3, responseScore: 3, comment: '문자 점수' },
    scores(3, 3, 3, ''), scores(3, 3, 3, '    '), scores(3, 3, 3, 'x'.repeat(2001)), { ...scores(3, 3, 3), extra: 1 },
  ];
  for (const payload of cases) {
    const res = await inject(ctx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
  }
  assert.equal((await inject(ctx, 'POST', '/reservations/abc/review', borrower.cookie, scores(3, 3, 3))).statusCode, 400);
  const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM reviews WHERE reservation_id = $1', [reservationId]);
  assert.equal(n!.n, 0);
});

test('the lender replies once; nobody else may', async () => {
  const { lender, borrower, reservationId } = await rental(ctx);
  const other = await ctx.signUp();
  const review = (await inject(ctx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, scores(4, 5, 5))).json();
  const url = `/reviews/${review.id}/reply`;
  const sealed = await inject(ctx, 'POST', url, lender.cookie, { content: '아직 안 보이는 리뷰' });
  assert.equal(sealed.statusCode, 404, 'the lender cannot answer a review still sealed from them');
  await lenderReviews(ctx, reservationId, lender.cookie);
  assert.equal((await inject(ctx, 'POST', url, undefined, { content: '감사합니다' })).statusCode, 401);
  assert.equal((await inject(ctx, 'POST', url, borrower.cookie, { content: '셀프 답글' })).json().code, 'NOT_LENDER');
  assert.equal((await inject(ctx, 'POST', url, other.cookie, { content: '남의 답글' })).statusCode, 403);
  assert.equal((await inject(ctx, 'POST', url, lender.cookie, { content: '   ' })).statusCode, 400);
  assert.equal((await inject(ctx, 'POST', url, lender.cookie, {})).statusCode, 400);
  assert.equal((await inject(ctx, 'POST', '/reviews/9999999/reply', lender.cookie, { content: '없는 리뷰' })).statusCode, 404);

  const replied = await inject(ctx, 'POST', url, lender.cookie, { content: '깨끗하게 써 주셔서 감사합니다!' });
  assert.equal(replied.statusCode, 200);
  assert.equal(replied.json().reply.content, '깨끗하게 써 주셔서 감사합니다!');
  const again = await inject(ctx, 'POST', url, lender.cookie, { content: '한 번 더' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'ALREADY_REPLIED');
  const stored = await ctx.deps.db.one<{ reply: string }>('SELECT reply FROM reviews WHERE id = $1', [review.id]);
  assert.equal(stored!.reply, '깨끗하게 써 주셔서 감사합니다!');
  const notes = await ctx.deps.db.query<{ title: string }>(
    `SELECT title FROM notifications WHERE member_id = $1 AND type = 'REVIEW' ORDER BY id`, [borrower.id]);
  assert.deepEqual(notes.map((n) => n.title), ['빌려준 분이 후기를 남겼습니다', '리뷰에 답글이 달렸습니다'],
    'the reviewer hears of the lender\'s review and of the reply');
});

test('listing and member review lists page by cursor; unknown targets are 404', async () => {
  const lender = await ctx.signUp();
  const postA = await insertPost(ctx.deps.db, lender.id, '글 A');
  const postB = await insertPost(ctx.deps.db, lender.id, '글 B');
  const ids: number[] = [];
  for (const postId of [postA, postA, postA, postB]) {
    const borrower = await ctx.signUp();
    const resId = await insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status: 'REFUND_COMPLETED' });
    ids.push((await inject(ctx, 'POST', `/reservations/${resId}/review`, borrower.cookie, scores(5, 5, 5, `리뷰 ${ids.length}`))).json().id);
  }
  assert.equal((await inject(ctx, 'GET', `/posts/${postA}/reviews`)).json().items.length, 0, 'sealed for 7 days while the lender has not written');
  clock.advanceDays(7);
  const page1 = (await inject(ctx, 'GET', `/posts/${postA}/reviews?limit=2`)).json();
  assert.deepEqual(page1.items.map((r: { id: number }) => r.id), [ids[2], ids[1]]);
  const page2 = (await inject(ctx, 'GET', `/posts/${postA}/reviews?limit=2&cursor=${page1.nextCursor}`)).json();
  assert.deepEqual(page2.items.map((r: { id: number }) => r.id), [ids[0]]);
  assert.equal(page2.nextCursor, null);
  const byMember = (await inject(ctx, 'GET', `/members/${lender.id}/reviews`)).json();
  assert.deepEqual(byMember.items.map((r: { id: number }) => r.id), [ids[3], ids[2], ids[1], ids[0]]);
  assert.equal(byMember.items[0].post.title, '글 B');
  assert.equal((await inject(ctx, 'GET', '/posts/9999999/reviews')).statusCode, 404);
  assert.equal((await inject(ctx, 'GET', '/members/9999999/reviews')).statusCode, 404);
  assert.equal((await inject(ctx, 'GET', `/posts/${postA}/reviews?limit=0`)).statusCode, 400);
  assert.equal((await inject(ctx, 'GET', `/posts/${postA}/reviews?cursor=x`)).statusCode, 400);
});

test('summaries: averages per score, cached text invalidated by a new review, a reply and a ban', async () => {
  const lender = await ctx.signUp();
  const admin = await ctx.admin();
  const postId = await insertPost(ctx.deps.db, lender.id);
  const empty = (await inject(ctx, 'GET', `/posts/${postId}/reviews/summary`)).json();
  assert.equal(empty.count, 0);
  assert.equal(empty.averages.overall, null);
  assert.equal(empty.summary.source, 'NONE');

  const write = async (s: ReturnType<typeof scores>) => {
    const borrower = await ctx.signUp();
    const resId = await insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status: 'RETURN_COMPLETED' });
    const review = (await inject(ctx, 'POST', `/reservations/${resId}/review`, borrower.cookie, s)).json();
    await lenderReviews(ctx, resId, lender.cookie);
    return review;
  };
  await write(scores(5, 4, 3, '텐트가 깨끗하고 튼튼했어요. 설치도 쉬웠습니다.'));
  const second = await write(scores(3, 5, 4, '텐트가 깨끗했어요. 답장이 조금 늦었어요.'));

  const summary = async (path = `/posts/${postId}`) => (await inject(ctx, 'GET', `${path}/reviews/summary`)).json();
  const s1 = await summary();
  assert.equal(s1.count, 2);
  assert.deepEqual(s1.averages, { equipment: 4, kindness: 4.5, response: 3.5, overall: 4 });
  assert.equal(s1.summary.source, 'EXTRACTIVE');
  assert.match(s1.summary.text, /리뷰 2개, 평균 4점/);
  assert.match(s1.summary.text, /친절도에 대한 평가가 좋습니다/);
  assert.match(s1.summary.text, /텐트가 깨끗/);
  const member = await summary(`/members/${lender.id}`);
  assert.equal(member.targetType, 'MEMBER');
  assert.equal(member.count, 2);

  clock.advanceDays(1);
  const cachedAgain = await summary();
  assert.equal(cachedAgain.summary.generatedAt, s1.summary.generatedAt, 'served from the cache');
  const rows = await ctx.deps.db.query(`SELECT review_count FROM review_summaries WHERE target_type = 'POST' AND target_id = $1`, [postId]);
  assert.deepEqual(rows, [{ review_count: 2 }]);

  clock.advanceDays(1);
  await write(scores(1, 1, 1, '고장 난 채로 왔어요.'));
  const s2 = await summary();
  assert.equal(s2.count, 3);
  assert.notEqual(s2.summary.generatedAt, s1.summary.generatedAt, 'a new review invalidates');
  assert.match(s2.summary.text, /리뷰 3개/);

  clock.advanceDays(1);
  await inject(ctx, 'POST', `/reviews/${second.id}/reply`, lender.cookie, { content: '다음엔 더 빨리 답할게요' });
  const s3 = await summary();
  assert.notEqual(s3.summary.generatedAt, s2.summary.generatedAt, 'a reply invalidates');

  clock.advanceDays(1);
  await inject(ctx, 'POST', `/adm/reviews/${second.id}/ban`, admin.cookie, { reason: '테스트' });
  const s4 = await summary();
  assert.notEqual(s4.summary.generatedAt, s3.summary.generatedAt, 'a ban invalidates');
  assert.equal(s4.count, 2);
  assert.deepEqual(s4.averages, { equipment: 3, kindness: 2.5, response: 2, overall: 2.5 });
});

test('the extractive summary phrases averages in Korean and quotes representative sentences', () => {
  const reviews = [
    '텐트가 정말 깨끗했어요. 주인분이 친절하셨어요.',
    '텐트가 깨끗하고 넓어요!',
    '주차가 어려웠습니다.',
    '텐트 상태가 깨끗했고 설명도 친절했어요.',
  ].map((comment) => ({ comment, equipmentScore: 5, kindnessScore: 4, responseScore: 2 }));
  const text = extractiveSummary(reviews, { equipment: 5, kindness: 4, response: 2, overall: 3.7 }, 4);
  assert.match(text, /^리뷰 4개, 평균 3.7점 \(장비 상태 5, 친절도 4, 응답 속도 2\)\./);
  assert.match(text, /대체로 만족했습니다/);
  assert.match(text, /특히 장비 상태에 대한 평가가 좋습니다/);
  assert.match(text, /응답 속도는 아쉽다는 의견이 있습니다/);
  const picked = representativeSentences(reviews.map((r) => r.comment), 2);
  assert.equal(picked.length, 2);
  assert.ok(picked.every((s) => s.includes('깨끗') || s.includes('친절')), picked.join(' | '));
  assert.ok(!picked.includes('주차가 어려웠습니다.'), 'the outlier is not representative');
});

describe('with an OpenAI-compatible LLM configured', () => {
  let llmCtx: TestContext;
  let server: http.Server;
  const requests: { model: string; messages: { role: string; content: string }[] }[] = [];
  let mode: 'ok' | 'fail' = 'ok';

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url !== '/v1/chat/completions') {
          res.writeHead(404).end();
          return;
        }
        requests.push(JSON.parse(body));
        if (mode === 'fail') {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'boom' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'fake',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: ' 장비가 깨끗하고 빌려준 분이 친절하다는 평가가 많습니다. ' } }],
        }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    llmCtx = await createTestContext({ env: { LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'fake-summarizer', LLM_TIMEOUT_MS: '5000' } });
  });
  after(async () => {
    await llmCtx.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('the AI summary is requested with the reviews, cached, and refreshed by a new review', async () => {
    const { lender, borrower, postId, reservationId } = await rental(llmCtx);
    await inject(llmCtx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, scores(5, 5, 4, '버너 화력이 좋고 깨끗했어요.'));
    await lenderReviews(llmCtx, reservationId, lender.cookie);
    const s1 = (await inject(llmCtx, 'GET', `/posts/${postId}/reviews/summary`)).json();
    assert.equal(s1.summary.source, 'AI');
    assert.equal(s1.summary.text, '장비가 깨끗하고 빌려준 분이 친절하다는 평가가 많습니다.');
    assert.equal(requests.length, 1);
    assert.equal(requests[0].model, 'fake-summarizer');
    assert.match(requests[0].messages[1].content, /버너 화력이 좋고 깨끗했어요/);
    assert.match(requests[0].messages[1].content, /리뷰 1개/);

    await inject(llmCtx, 'GET', `/posts/${postId}/reviews/summary`);
    assert.equal(requests.length, 1, 'second read is served from the cache');

    const b2 = await llmCtx.signUp();
    const r2 = await insertReservation(llmCtx.deps.db, { postId, borrowerId: b2.id, status: 'PENDING_REFUND' });
    await inject(llmCtx, 'POST', `/reservations/${r2}/review`, b2.cookie, scores(4, 4, 4, '무난했어요.'));
    await lenderReviews(llmCtx, r2, lender.cookie);
    const s2 = (await inject(llmCtx, 'GET', `/posts/${postId}/reviews/summary`)).json();
    assert.equal(s2.count, 2);
    assert.equal(requests.length, 2, 'a new review asks the LLM again');
  });

  test('an LLM failure falls back to the extractive summary and is retried on the next read', async () => {
    const { lender, borrower, postId, reservationId } = await rental(llmCtx);
    await inject(llmCtx, 'POST', `/reservations/${reservationId}/review`, borrower.cookie, scores(2, 3, 4, '조금 낡았지만 쓸 만했어요.'));
    await lenderReviews(llmCtx, reservationId, lender.cookie);
    mode = 'fail';
    const before = requests.length;
    const s1 = (await inject(llmCtx, 'GET', `/posts/${postId}/reviews/summary`)).json();
    assert.equal(s1.summary.source, 'EXTRACTIVE');
    assert.match(s1.summary.text, /리뷰 1개/);
    assert.equal(requests.length, before + 1);
    mode = 'ok';
    const s2 = (await inject(llmCtx, 'GET', `/posts/${postId}/reviews/summary`)).json();
    assert.equal(s2.summary.source, 'AI', 'the failed attempt was not cached');
    assert.equal(requests.length, before + 2);
  });
});
