// Reviews both ways (issue 10 §6): the lender reviews the borrower once per settled reservation, and
// each side's review stays sealed from the other (and from everyone) until both wrote one or 7 days passed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { rental, testClock } from '../../../test/factories.ts';
import { REVIEW_BLIND_DAYS } from './blind.ts';

const clock = testClock(new Date('2025-06-01T00:00:00Z'));
let ctx: TestContext;

before(async () => {
  ctx = await createTestContext({ clock });
});
after(() => ctx.close());

const call = async (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
const ofBorrower = (care: number, punctuality: number, communication: number, comment = '깨끗하게 쓰고 제때 돌려주셨어요.') => ({
  careScore: care, punctualityScore: punctuality, communicationScore: communication, comment,
});
const ofLender = { equipmentScore: 5, kindnessScore: 5, responseScore: 5, comment: '물건이 깨끗하고 친절하셨어요.' };
const trustOf = async (memberId: number) => (await call('GET', `/members/${memberId}`)).json().trust;
const storedCount = async (reservationId: number) =>
  (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM borrower_reviews WHERE reservation_id = $1', [reservationId]))!.n;

test('the lender reviews the borrower once, after return; nobody else may', async () => {
  const { lender, borrower, postId, reservationId } = await rental(ctx);
  const stranger = await ctx.signUp();
  const url = `/reservations/${reservationId}/borrower-review`;
  assert.equal((await call('POST', url, undefined, ofBorrower(5, 5, 5))).statusCode, 401);
  assert.equal((await call('POST', url, stranger.cookie, ofBorrower(5, 5, 5))).statusCode, 404, 'strangers do not learn it exists');
  const byBorrower = await call('POST', url, borrower.cookie, ofBorrower(5, 5, 5));
  assert.equal(byBorrower.statusCode, 403);
  assert.equal(byBorrower.json().code, 'NOT_LENDER');
  assert.equal((await call('POST', '/reservations/99999999/borrower-review', lender.cookie, ofBorrower(5, 5, 5))).statusCode, 404);

  const created = await call('POST', url, lender.cookie, ofBorrower(5, 4, 3, '  아껴 써 주셨어요.  '));
  assert.equal(created.statusCode, 201, created.body);
  const review = created.json();
  assert.equal(review.reservationId, reservationId);
  assert.equal(review.post.id, postId);
  assert.equal(review.author.id, lender.id);
  assert.equal(review.borrowerId, borrower.id);
  assert.deepEqual([review.careScore, review.punctualityScore, review.communicationScore, review.overallScore], [5, 4, 3, 4]);
  assert.equal(review.comment, '아껴 써 주셨어요.');

  const twice = await call('POST', url, lender.cookie, ofBorrower(1, 1, 1));
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().code, 'ALREADY_REVIEWED');
  assert.equal(await storedCount(reservationId), 1);
  const notes = await ctx.deps.db.query<{ type: string; target_type: string; target_id: number }>(
    'SELECT type, target_type, target_id FROM notifications WHERE member_id = $1', [borrower.id]);
  assert.deepEqual(notes, [{ type: 'REVIEW', target_type: 'RESERVATION', target_id: reservationId }], 'the borrower hears of it');
});

test('before return the lender cannot review; bad input is 400 and stores nothing', async () => {
  const renting = await rental(ctx, 'RENTING');
  const early = await call('POST', `/reservations/${renting.reservationId}/borrower-review`, renting.lender.cookie, ofBorrower(5, 5, 5));
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().code, 'NOT_REVIEWABLE');

  const { lender, reservationId } = await rental(ctx);
  const cases: object[] = [
    ofBorrower(0, 3, 3), ofBorrower(3, 6, 3), ofBorrower(3, 3, 2.5), { careScore: 3, punctualityScore: 3, comment: '점수 빠짐' },
    ofBorrower(3, 3, 3, ''), ofBorrower(3, 3, 3, '   '), ofBorrower(3, 3, 3, 'x'.repeat(2001)), { ...ofBorrower(3, 3, 3), extra: 1 },
  ];
  for (const payload of cases) {
    const res = await call('POST', `/reservations/${reservationId}/borrower-review`, lender.cookie, payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.match(res.headers['content-type'] as string, /problem\+json/);
  }
  assert.equal((await call('POST', '/reservations/abc/borrower-review', lender.cookie, ofBorrower(3, 3, 3))).statusCode, 400);
  assert.equal(await storedCount(reservationId), 0);
});

test('sealed until both wrote: lists, summaries, single reads, the reservation view and trust', async () => {
  const { lender, borrower, reservationId } = await rental(ctx);
  const stranger = await ctx.signUp();
  const written = (await call('POST', `/reservations/${reservationId}/review`, borrower.cookie, ofLender)).json();

  // Only the borrower wrote: the lender and everyone else see nothing of it yet.
  assert.equal((await call('GET', `/members/${lender.id}/reviews`)).json().items.length, 0);
  assert.equal((await call('GET', `/members/${lender.id}/reviews`, lender.cookie)).json().items.length, 0);
  assert.equal((await call('GET', `/members/${lender.id}/reviews/summary`)).json().count, 0);
  assert.equal((await call('GET', `/reviews/${written.id}`, lender.cookie)).statusCode, 404);
  assert.equal((await call('GET', `/reviews/${written.id}`, stranger.cookie)).statusCode, 404);
  assert.equal((await call('GET', `/reviews/${written.id}`, borrower.cookie)).statusCode, 200, 'its author sees it');
  assert.deepEqual((await call('GET', `/members/${lender.id}/reviews`, borrower.cookie)).json().items.map((r: { id: number }) => r.id), [written.id]);
  assert.equal((await trustOf(lender.id)).reviewCount, 0, 'a sealed review does not move trust');

  const lenderView = (await call('GET', `/reservations/${reservationId}/reviews`, lender.cookie)).json();
  assert.equal(lenderView.fromBorrower, null);
  assert.equal(lenderView.fromLender, null);
  assert.deepEqual(lenderView.sealed, { fromBorrower: true, fromLender: false });
  assert.equal(lenderView.releaseAt, new Date(clock.now().getTime() + REVIEW_BLIND_DAYS * 86_400_000).toISOString());
  assert.equal(lenderView.canWrite, true);
  const borrowerView = (await call('GET', `/reservations/${reservationId}/reviews`, borrower.cookie)).json();
  assert.equal(borrowerView.fromBorrower.id, written.id);
  assert.equal(borrowerView.canWrite, false);
  assert.equal((await call('GET', `/reservations/${reservationId}/reviews`, stranger.cookie)).statusCode, 404);
  assert.equal((await call('GET', `/reservations/${reservationId}/reviews`)).statusCode, 401);

  // The lender writes theirs: both open at once, for everyone.
  const answer = (await call('POST', `/reservations/${reservationId}/borrower-review`, lender.cookie, ofBorrower(2, 2, 2, '반납이 늦었어요.'))).json();
  assert.deepEqual((await call('GET', `/members/${lender.id}/reviews`)).json().items.map((r: { id: number }) => r.id), [written.id]);
  assert.deepEqual((await call('GET', `/members/${borrower.id}/borrower-reviews`)).json().items.map((r: { id: number }) => r.id), [answer.id]);
  assert.equal((await call('GET', `/members/${lender.id}/reviews/summary`)).json().count, 1);
  const both = (await call('GET', `/reservations/${reservationId}/reviews`, borrower.cookie)).json();
  assert.equal(both.fromBorrower.id, written.id);
  assert.equal(both.fromLender.id, answer.id);
  assert.deepEqual(both.sealed, { fromBorrower: false, fromLender: false });
  assert.equal(both.releaseAt, null);
  const lenderTrust = await trustOf(lender.id);
  assert.equal(lenderTrust.reviewCount, 1);
  const borrowerTrust = await trustOf(borrower.id);
  assert.equal(borrowerTrust.reviewCount, 1);
  assert.ok(lenderTrust.score > borrowerTrust.score, 'a 5★ review lifts, a 2★ review lowers');
});

test('a lone review opens by itself after 7 days', async () => {
  const { lender, borrower, reservationId } = await rental(ctx);
  const review = (await call('POST', `/reservations/${reservationId}/borrower-review`, lender.cookie, ofBorrower(5, 5, 5))).json();
  const listed = async () => (await call('GET', `/members/${borrower.id}/borrower-reviews`)).json().items.map((r: { id: number }) => r.id);
  assert.deepEqual(await listed(), []);
  assert.deepEqual((await call('GET', `/reservations/${reservationId}/reviews`, borrower.cookie)).json().sealed, { fromBorrower: false, fromLender: true });
  assert.equal((await trustOf(borrower.id)).reviewCount, 0);
  clock.advanceDays(REVIEW_BLIND_DAYS - 1);
  assert.deepEqual(await listed(), [], 'still sealed a day before');
  clock.advanceDays(1);
  assert.deepEqual(await listed(), [review.id]);
  assert.equal((await trustOf(borrower.id)).reviewCount, 1);
  const view = (await call('GET', `/reservations/${reservationId}/reviews`, borrower.cookie)).json();
  assert.equal(view.fromLender.id, review.id);
  assert.equal(view.canWrite, true, 'the borrower may still write theirs');
  assert.equal((await call('GET', `/members/99999999/borrower-reviews`)).statusCode, 404);
  assert.equal((await call('GET', `/members/${borrower.id}/borrower-reviews?limit=0`)).statusCode, 400);
});

test('lenders see the borrower\'s trust on incoming requests; the borrower\'s own view carries none', async () => {
  const { lender, borrower, reservationId } = await rental(ctx, 'PENDING_APPROVAL');
  const expected = await trustOf(borrower.id);
  const received = (await call('GET', '/reservations/received', lender.cookie)).json();
  const item = received.items.find((r: { id: number }) => r.id === reservationId);
  assert.deepEqual(item.borrowerTrust, expected);
  assert.deepEqual((await call('GET', `/reservations/${reservationId}`, lender.cookie)).json().borrowerTrust, expected);
  assert.equal((await call('GET', `/reservations/${reservationId}`, borrower.cookie)).json().borrowerTrust, null);
  const sent = (await call('GET', '/reservations/sent', borrower.cookie)).json();
  assert.equal(sent.items.find((r: { id: number }) => r.id === reservationId).borrowerTrust, null);
});
