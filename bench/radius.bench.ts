// 동네 radius query at 10k listings (issue 10 §3): p50/p95 of GET /posts' query measured from a point
// with radiusKm vs the same query without the radius (target ≤ 2×), on PGlite with the GiST index on
// posts.earth (migration 180). Listings sit at the points of real 동 around the 수도권 and 부산, their 500
// owners have released reviews and 동네 인증, so the cards' rating and 인증 (one aggregate over the
// page's owners, joined) do real work; their share of a page is printed too.
import type { Deps } from '../server/src/deps.ts';
import { sql } from '../server/src/db/sql.ts';
import { postsService } from '../server/src/modules/posts/service.ts';
import { ownerTrustColumns, ownerTrustJoins } from '../server/src/modules/posts/repository.ts';
import type { ListQuery } from '../server/src/modules/posts/schemas.ts';
import { withPgliteDeps } from './pglite-deps.ts';

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 10_000);
const OWNERS = 500;
const RUNS = 60;
const MANGWON = { lat: 37.5559, lng: 126.9015 }; // 망원동: a dense area of the seeded listings
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function seed(deps: Deps) {
  const { db } = deps;
  // Owners in 동 of 서울/경기/인천/부산 (a few hundred points), listings spread over their 동.
  await db.query(sql`INSERT INTO members (email, password_hash, nickname)
    SELECT 'radius' || g || '@bench.local', 'x', '이웃' || g FROM generate_series(1, ${OWNERS}) g`);
  await db.query(sql`WITH owners AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM members WHERE email LIKE 'radius%@bench.local'),
      dongs AS (SELECT n.code, row_number() OVER (ORDER BY n.code) AS k FROM neighbourhoods n JOIN regions g ON g.id = n.region_id
        JOIN regions s ON s.id = g.parent_id WHERE s.name IN ('서울특별시', '경기도', '인천광역시', '부산광역시')),
      nd AS (SELECT count(*) AS n FROM dongs)
    INSERT INTO member_neighbourhoods (member_id, position, code, verified_at)
    SELECT o.id, 1, d.code, CASE WHEN o.k % 2 = 0 THEN now() END FROM owners o, nd JOIN dongs d ON true WHERE d.k = 1 + (o.k * 37) % nd.n`);
  const cat = (await db.one<{ id: number }>(sql`SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`))!.id;
  await db.query(sql`WITH owners AS (SELECT mn.member_id, mn.code, n.lat, n.lng, row_number() OVER (ORDER BY mn.member_id) AS k
        FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code JOIN members m ON m.id = mn.member_id
        WHERE m.email LIKE 'radius%@bench.local')
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, neighbourhood_code, lat, lng, created_at)
    SELECT o.member_id, '반경 벤치 물건 ' || g, '동네에서 빌려드려요 ' || g, ${cat}, 1000 * (1 + g % 40), 10000, 'ANY', 'ANY', o.code, o.lat, o.lng,
      now() - make_interval(mins => g)
    FROM generate_series(1, ${LISTINGS}) g JOIN owners o ON o.k = 1 + g % ${OWNERS}`);
  // Two settled rentals with released reviews both ways per owner, so ratings are not empty.
  await db.query(sql`WITH res AS (
      INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
        days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount)
      SELECT p.id, b.id, p.author_id, 'REFUND_COMPLETED', date '2024-01-10', date '2024-01-12', 'DIRECT', 'DIRECT', 3, 1000, 0, 3000, 10000, 0, 13000
      FROM (SELECT DISTINCT ON (author_id, k) id, author_id FROM (SELECT id, author_id, row_number() OVER (PARTITION BY author_id ORDER BY id) AS k FROM posts) x
            WHERE k <= 2) p
      JOIN LATERAL (SELECT id FROM members WHERE email LIKE 'radius%@bench.local' AND id <> p.author_id ORDER BY id LIMIT 1) b ON true
      RETURNING id, post_id, borrower_id, lender_id)
    INSERT INTO reviews (reservation_id, post_id, author_id, lender_id, equipment_score, kindness_score, response_score, comment, created_at)
    SELECT id, post_id, borrower_id, lender_id, 4 + id % 2, 5, 4, '좋았어요', now() - interval '30 days' FROM res`);
  await db.exec('ANALYZE');
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

await withPgliteDeps(async (deps) => {
  const t0 = performance.now();
  await seed(deps);
  const counted = (await deps.db.one<{ n: number; located: number }>(
    sql`SELECT count(*)::int AS n, count(lat)::int AS located FROM posts`))!;
  console.log(`seeded ${counted.n} listings (${counted.located} located) by ${OWNERS} owners in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const posts = postsService(deps);
  // bench queries are built here, not parsed from a request: typed loosely and handed over as a ListQuery
  const list = (q: Record<string, number | string>) => () => posts.list({ limit: 20, ...q } as ListQuery, null);

  const cases: [string, Record<string, number | string>][] = [
    ['from a point, no radius (baseline)', { ...MANGWON }],
    ['radius 3 km', { ...MANGWON, radiusKm: 3 }],
    ['radius 10 km', { ...MANGWON, radiusKm: 10 }],
    ['radius 3 km, sort=distance', { ...MANGWON, radiusKm: 3, sort: 'distance' }],
    ['no radius, sort=distance', { ...MANGWON, sort: 'distance' }],
  ];
  const found = (await list({ ...MANGWON, radiusKm: 3, limit: 50 })()).items.length;
  console.log(`radius 3 km around 망원동 returns ${found} items on its first page of 50`);
  let base = 0;
  for (const [name, q] of cases) {
    const xs = await time(list(q));
    const p50 = pct(xs, 50);
    const p95 = pct(xs, 95);
    if (!base) base = p95;
    console.log(`${name.padEnd(36)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  p95 ratio ${(p95 / base).toFixed(2)}×`);
  }

  // The cards' rating and 인증 alone, for one page of 20 listings (the joins the card query makes).
  const page = (await list({ ...MANGWON, radiusKm: 3 })()).items.map((i) => i.id);
  const now = deps.clock.now();
  const cardExtras = await time(() => deps.db.query(sql`SELECT ${ownerTrustColumns(now)} FROM posts p
    ${ownerTrustJoins(sql`SELECT author_id FROM posts WHERE id = ANY(${page}::bigint[])`, now)} WHERE p.id = ANY(${page}::bigint[])`));
  const pageTimes = await time(list({ ...MANGWON, radiusKm: 3 }));
  console.log(`rating + 인증 columns of a 20-card page: p95 ${pct(cardExtras, 95).toFixed(2)} ms of a ${pct(pageTimes, 95).toFixed(1)} ms page ` +
    `(${((pct(cardExtras, 95) / pct(pageTimes, 95)) * 100).toFixed(0)}%)`);
});
