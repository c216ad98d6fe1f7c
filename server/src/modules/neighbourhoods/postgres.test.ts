// The 동네 migrations and radius queries on the server's real PostgreSQL (not PGlite): cube +
// earthdistance installed by the migrations, the GiST indexes (동: ll_to_earth(lat, lng); listings: the
// stored posts.earth a trigger fills) present and chosen by the planner for a radius filter and for
// nearest-first order, and GET /posts' radius search and nearest-동 answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/postgres.ts';
import { insertPost, placePosts } from '../../../test/factories.ts';
import { sql } from '../../db/sql.ts';
import { pointKey, withinRadius } from './repository.ts';

let tmp: TemporaryDatabase;
let ctx: TestContext;
before(async () => {
  tmp = await createTemporaryDatabase('hood');
  ctx = await createTestContext({ env: { DATABASE_URL: tmp.url, SINGLE_INSTANCE: 'true' } });
});
after(async () => {
  await ctx.close();
  await tmp.drop();
});

const MANGWON = { lat: 37.5559, lng: 126.9015 };

test('on PostgreSQL: extensions, GiST index, radius search and nearest 동', async () => {
  const { db } = ctx.deps;
  assert.equal(db.kind, 'postgres');
  const ext = await db.query<{ extname: string }>(sql`SELECT extname FROM pg_extension WHERE extname IN ('cube', 'earthdistance') ORDER BY 1`);
  assert.deepEqual(ext.map((e) => e.extname), ['cube', 'earthdistance']);
  const idx = await db.query<{ indexdef: string }>(sql`SELECT indexdef FROM pg_indexes WHERE indexname IN ('posts_earth', 'neighbourhoods_earth') ORDER BY indexname`);
  assert.equal(idx.length, 2);
  assert.match(idx[0].indexdef, /neighbourhoods_earth .*USING gist \(ll_to_earth\(lat, lng\)\)/);
  assert.match(idx[1].indexdef, /posts_earth .*USING gist \(earth\)/);
  const dongs = (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM neighbourhoods`))!.n;
  assert.equal(dongs, 3512);

  // Listings at real 동: two in 마포구, one in 해운대 (placed from the 동's point, as posts do).
  const owner = await ctx.signUp();
  const place = async (title: string, dongName: string) => {
    const id = await insertPost(db, owner.id, title);
    await placePosts(db, [id], dongName);
    return id;
  };
  const mangwon = await place('망원동 텐트', '망원1동');
  const seogyo = await place('서교동 카메라', '서교동');
  const haeundae = await place('해운대 서핑보드', '우1동');

  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/posts?lat=${MANGWON.lat}&lng=${MANGWON.lng}&radiusKm=3&sort=distance` });
  assert.equal(res.statusCode, 200, res.body);
  const items: { id: number; distanceKm: number; neighbourhood: { name: string } | null }[] = res.json().items;
  assert.deepEqual(items.map((i) => i.id), [mangwon, seogyo]);
  assert.ok(items[0].distanceKm < items[1].distanceKm && items[1].distanceKm <= 3);
  assert.ok(!/"lat"|"lng"/.test(res.body), 'no coordinates leave the server');
  const wide = (await ctx.app.inject({ method: 'GET', url: `/api/v1/posts?lat=${MANGWON.lat}&lng=${MANGWON.lng}` })).json();
  assert.ok(wide.items.some((i: { id: number }) => i.id === haeundae), 'without a radius the far listing is listed');
  const bad = await ctx.app.inject({ method: 'GET', url: `/api/v1/posts?lat=${MANGWON.lat}&lng=${MANGWON.lng}&radiusKm=7` });
  assert.equal(bad.statusCode, 400);

  const nearest = (await ctx.app.inject({ method: 'GET', url: `/api/v1/neighbourhoods/nearest?lat=${MANGWON.lat}&lng=${MANGWON.lng}` })).json();
  assert.match(nearest.neighbourhood.name, /망원/);

  // The trigger keeps the stored point in step with lat/lng: moving a listing moves its point.
  await placePosts(db, [haeundae], '서교동');
  const moved = (await ctx.app.inject({ method: 'GET', url: `/api/v1/posts?lat=${MANGWON.lat}&lng=${MANGWON.lng}&radiusKm=3&sort=distance` })).json();
  // (the two at 서교동's point tie on distance and follow in id order)
  assert.deepEqual(moved.items.map((i: { id: number }) => i.id), [mangwon, seogyo, haeundae]);

  // The planner answers the radius filter and nearest-first order from the GiST index (sequential
  // scans off, as on a big table).
  const plans = await db.transaction(async (tx) => {
    await tx.query(sql`SET LOCAL enable_seqscan = off`);
    const explain = async (q: ReturnType<typeof sql>) => (await tx.query<{ 'QUERY PLAN': string }>(sql`EXPLAIN ${q}`)).map((r) => r['QUERY PLAN']).join('\n');
    return [
      await explain(sql`SELECT p.id FROM posts p WHERE p.deleted_at IS NULL AND ${withinRadius('p', MANGWON, 3)}`),
      await explain(sql`SELECT p.id FROM posts p WHERE p.deleted_at IS NULL AND p.earth IS NOT NULL ORDER BY ${pointKey('p', MANGWON)} LIMIT 5`),
    ];
  });
  assert.match(plans[0], /posts_earth/);
  assert.match(plans[1], /Index Scan using posts_earth[\s\S]*Order By/);
});
