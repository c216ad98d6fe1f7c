import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createTestContext, cookieOf, type TestContext } from '../../../test/helpers.ts';
import { DEMO_PASSWORD, demoMembers, seedDemo, type SeedReport } from './demo.ts';

let ctx: TestContext;
let report: SeedReport;
before(async () => {
  ctx = await createTestContext();
  report = await seedDemo(ctx.deps);
});
after(() => ctx.close());

test('seeds members, 150+ listings over the category and region trees, images, favorites', async () => {
  assert.equal(report.seeded, true);
  assert.equal(report.members, demoMembers.length);
  assert.ok(report.posts >= 150);
  const { db } = ctx.deps;
  const counts = await db.one<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM posts) AS posts,
      (SELECT count(DISTINCT category_id)::int FROM posts) AS leaf_categories,
      (SELECT count(*)::int FROM categories WHERE parent_id IS NOT NULL) AS all_leaves,
      (SELECT count(DISTINCT p.id)::int FROM post_regions pr JOIN regions r ON r.id = pr.region_id JOIN regions p ON p.id = r.parent_id) AS provinces,
      (SELECT count(*)::int FROM posts p WHERE NOT EXISTS (SELECT 1 FROM post_images i WHERE i.post_id = p.id AND i.is_primary)) AS without_primary,
      (SELECT count(*)::int FROM posts p WHERE NOT EXISTS (SELECT 1 FROM post_regions r WHERE r.post_id = p.id)) AS without_region,
      (SELECT count(*)::int FROM post_images WHERE status = 'PENDING') AS pending_images,
      (SELECT count(*)::int FROM post_options) AS options,
      (SELECT count(DISTINCT post_id)::int FROM post_blocked_dates) AS with_blocked,
      (SELECT count(*)::int FROM favorites f JOIN posts p ON p.id = f.post_id WHERE p.author_id = f.member_id) AS own_favorites,
      (SELECT count(*)::int FROM favorites) AS favorites`);
  assert.equal(counts!.posts, report.posts);
  assert.equal(counts!.leaf_categories, counts!.all_leaves, 'every leaf category has listings');
  assert.ok(counts!.provinces >= 4, 'several provinces');
  assert.equal(counts!.without_primary, 0);
  assert.equal(counts!.without_region, 0);
  assert.equal(counts!.pending_images, report.images, 'renditions are left to the background queue');
  assert.ok(counts!.options > 10);
  assert.ok(counts!.with_blocked > 10);
  assert.equal(counts!.own_favorites, 0, 'nobody favorites their own listing');
  assert.equal(counts!.favorites, report.favorites);
});

test('images are real JPEG files in the upload folder', async () => {
  const rows = await ctx.deps.db.query<{ original_path: string; width: number }>('SELECT original_path, width FROM post_images LIMIT 5');
  for (const row of rows) {
    const file = path.join(ctx.deps.config.uploadDir, row.original_path);
    assert.ok(fs.existsSync(file), file);
    const meta = await sharp(file).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, row.width);
  }
});

test('demo members log in with the documented password and see a full feed', async () => {
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/members/login',
    payload: { email: 'borrower@chwimeet.kr', password: DEMO_PASSWORD },
  });
  assert.equal(login.statusCode, 200);
  const cookie = cookieOf(login.headers['set-cookie']);
  const feed = await ctx.app.inject({ url: '/api/v1/posts?limit=20', headers: { cookie } });
  assert.equal(feed.statusCode, 200);
  assert.equal(feed.json().items.length, 20);
  const favs = await ctx.app.inject({ url: '/api/v1/posts/favorites', headers: { cookie } });
  assert.equal(favs.json().items.length, 12);
});

test('a second run does nothing once posts exist', async () => {
  const again = await seedDemo(ctx.deps);
  assert.equal(again.seeded, false);
  const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM posts');
  assert.equal(n!.n, report.posts);
});

test('the demo accounts open on a received request, an approved one, a sent one and a chat', async () => {
  assert.equal(report.reservations, 3);
  assert.equal(report.messages, 3);
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: 'lender@chwimeet.kr', password: DEMO_PASSWORD } });
  const cookie = cookieOf(login.headers['set-cookie']);
  const get = (url: string) => ctx.app.inject({ url: `/api/v1${url}`, headers: { cookie } }).then((r) => r.json());
  const received = await get('/reservations/received');
  const open = (items: { status: string }[]) => items.map((r) => r.status).filter((s) => s !== 'REFUND_COMPLETED').sort();
  assert.deepEqual(open(received.items), ['PENDING_APPROVAL', 'PENDING_PAYMENT']);
  assert.equal(open((await get('/reservations/sent')).items).length, 1);
  assert.ok((await get('/notifications/unread-count')).count >= 2);
});

test('demo neighbours live in real 동 with finished rentals and reviews both ways: ratings, trust and distances on the first screen', async () => {
  assert.ok((report.completedRentals ?? 0) >= 10);
  const db = ctx.deps.db;
  const both = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM reviews r JOIN borrower_reviews b ON b.reservation_id = r.reservation_id');
  assert.equal(both!.n, report.completedRentals);
  const located = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM posts WHERE neighbourhood_code IS NULL');
  assert.equal(located!.n, 0);
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: 'borrower@chwimeet.kr', password: DEMO_PASSWORD } });
  const cookie = cookieOf(login.headers['set-cookie']);
  const feed = (await ctx.app.inject({ url: '/api/v1/posts?near=me&radiusKm=5', headers: { cookie } })).json();
  assert.ok(feed.items.length >= 10, `near 합정동: ${feed.items.length}`);
  assert.ok(feed.items.every((i: { distanceKm: number | null }) => i.distanceKm !== null && i.distanceKm <= 5));
  assert.ok(feed.items.some((i: { author: { rating: number | null } }) => i.author.rating !== null));
  const lender = (await db.one<{ id: number }>(`SELECT id FROM members WHERE email = 'lender@chwimeet.kr'`))!.id;
  const profile = (await ctx.app.inject({ url: `/api/v1/members/${lender}` })).json();
  assert.ok(profile.trust.score > 36.5, `trust ${profile.trust.score}`);
  assert.ok(profile.neighbourhoods.some((h: { name: string; verified: boolean }) => h.name === '망원1동' && h.verified));
});
