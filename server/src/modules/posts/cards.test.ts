// Listing cards (feed, search) and the listing page: the owner's 인증 badge and rating are judged at
// the app's clock (not the database's), the page's owner row carries the profile's trust, and
// distance pages walk listings at one 동's point (ties) in id order without skipping or repeating one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, insertReservation, placePosts, testClock } from '../../../test/factories.ts';
import { REVIEW_BLIND_DAYS } from '../reviews/blind.ts';
import { VERIFY_VALID_DAYS } from '../neighbourhoods/geo.ts';

// Far from the database's own now(), in the future: a query judging by now() would answer otherwise.
const clock = testClock(new Date(Date.now() + 400 * 86_400_000));
let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ clock });
});
after(() => ctx.close());

const api = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
const MANGWON1 = { lat: 37.5522, lng: 126.8988 };

test('the 인증 badge and the owner rating on cards, search and the listing page follow the app clock', async () => {
  const [owner, borrower] = [await ctx.signUp(), await ctx.signUp()];
  const code = (await ctx.deps.db.one<{ code: string }>(`SELECT code FROM neighbourhoods WHERE name = '망원1동' ORDER BY code LIMIT 1`))!.code;
  assert.equal((await api('PUT', '/members/me/neighbourhoods', owner.cookie, { codes: [code] })).statusCode, 200);
  assert.equal((await api('POST', '/members/me/neighbourhoods/verify', owner.cookie, MANGWON1)).statusCode, 200);
  const postId = await insertPost(ctx.deps.db, owner.id, '시계 테스트 캠핑 텐트');
  await placePosts(ctx.deps.db, [postId], '망원1동');
  const reservationId = await insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status: 'RETURN_COMPLETED' });
  const review = await api('POST', `/reservations/${reservationId}/review`, borrower.cookie,
    { equipmentScore: 5, kindnessScore: 4, responseScore: 3, comment: '물건이 깨끗하고 친절하셨어요.' });
  assert.equal(review.statusCode, 201, review.body);

  type Card = { id: number; author: { rating: number | null; reviewCount: number }; neighbourhood: { verified: boolean } };
  const seen = async () => {
    const feed: Card = (await api('GET', `/posts?authorId=${owner.id}`)).json().items.find((i: Card) => i.id === postId);
    const found: Card = (await api('GET', `/search?q=${encodeURIComponent('시계 테스트')}`)).json().items
      .map((h: { listing: Card }) => h.listing).find((i: Card) => i.id === postId);
    const page = (await api('GET', `/posts/${postId}`)).json();
    return [
      [feed.neighbourhood.verified, feed.author.rating, feed.author.reviewCount],
      [found.neighbourhood.verified, found.author.rating, found.author.reviewCount],
      [page.neighbourhood.verified, page.owner.rating, page.owner.reviewCount],
    ];
  };
  const all = (row: unknown[]) => [row, row, row];

  // just verified; the review is sealed (the lender has not written theirs, 7 days have not passed)
  assert.deepEqual(await seen(), all([true, null, 0]));
  clock.advanceDays(REVIEW_BLIND_DAYS + 1);
  assert.deepEqual(await seen(), all([true, 4, 1]), 'released 7 days on, by the app clock');
  // the listing page's owner row carries the same trust as the profile (score, rentals, chat figures)
  const pageTrust = (await api('GET', `/posts/${postId}`)).json().owner.trust;
  assert.deepEqual(pageTrust, (await api('GET', `/members/${owner.id}`)).json().trust);
  assert.ok(pageTrust.score > 36.5 && pageTrust.reviewCount === 1 && pageTrust.completedRentals === 1, JSON.stringify(pageTrust));
  assert.ok('responseRate' in pageTrust && 'typicalReply' in pageTrust);
  clock.advanceDays(VERIFY_VALID_DAYS - REVIEW_BLIND_DAYS - 2);
  assert.deepEqual(await seen(), all([true, 4, 1]), 'the 인증 holds for 30 days');
  clock.advanceDays(2);
  assert.deepEqual(await seen(), all([false, 4, 1]), 'and lapses after, by the app clock');
});

test('distance pages walk listings at one 동 point in id order, none skipped or repeated', async () => {
  const owner = await ctx.signUp();
  const same: number[] = [];
  for (let i = 0; i < 5; i++) same.push(await insertPost(ctx.deps.db, owner.id, `같은 동 물건 ${i}`));
  const near = await insertPost(ctx.deps.db, owner.id, '가까운 물건');
  const far = await insertPost(ctx.deps.db, owner.id, '먼 물건');
  await placePosts(ctx.deps.db, same, '서교동');
  await placePosts(ctx.deps.db, [near], '망원1동');
  await placePosts(ctx.deps.db, [far], '우1동');

  const walked: number[] = [];
  const kms: number[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const url: string = `/posts?lat=${MANGWON1.lat}&lng=${MANGWON1.lng}&sort=distance&authorId=${owner.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await api('GET', url);
    assert.equal(res.statusCode, 200, res.body);
    for (const i of res.json().items as { id: number; distanceKm: number }[]) {
      walked.push(i.id);
      kms.push(i.distanceKm);
    }
    cursor = res.json().nextCursor;
    if (!cursor) break;
  }
  assert.deepEqual(walked, [near, ...same, far]);
  assert.ok(kms.every((k, i) => i === 0 || k >= kms[i - 1]), `nearest first: ${kms}`);
  assert.ok(kms[kms.length - 1] > 300, 'the 해운대 listing is hundreds of km away');
});
