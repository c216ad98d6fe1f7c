// Hybrid search on PGlite at 10k (and 100k with BENCH_SIZES=10000,100000) listings: p50/p95 as a
// ratio to a primary-key lookup measured in the same loop and as absolute figures, recall@10 of the
// search's vector branch (IVFFlat index scan, exact scan only for a small filtered set) and of the
// bare index scan at several probes against an exact scan (RECALL_QUERIES), peak memory of the processes, the embedding
// worker's throughput, and the time from creating a listing to semantic search returning it
// (target ≤ 5 s). Queries go through the product's search service (searchService →
// search/repository.ts).
// Set-up is a bulk load, as an import would do it: the GIN and vector indexes are dropped first and
// built after loading (one build instead of one insert per row; the vector index by the product's
// refreshVectorIndex, as the worker's start does), then VACUUM,
// listings are inserted 10k per statement, embedded BULK_EMBED at a time by the product's embedder
// and written by the worker's own statement (embeddingsRepository.writeVectors), then marked DONE
// in one statement. The embedding worker itself (claim, embed, finish: two row versions per
// listing) is timed apart, on WORKER_SAMPLE listings added after the build, as in production.
// The database lives in a data folder, as in `npm start`. Once loaded, it is closed and searched by a
// process of its own (BENCH_SEARCH_DIR), as by a server started on the catalogue: its latency,
// recall and peak memory are the embedded server's, not the loading process's; it first runs the
// warm-up search a server runs at start (search/service.ts warmUpSearch).
// The catalogue is a marketplace's, not listings alone: BENCH_MEMBERS owners, a photo per listing, and
// favourites, reservations (a third of them active) and blocked days (seedActivity), so the per-listing
// checks of a search (owner banned, dates taken) and the cards' lookups meet tables of a real size.
// BENCH_KEEP_COPY=<folder> keeps a copy of the loaded database there (to profile searches on it).
// Two catalogues (BENCH_CATALOGUES): 15 repeated templates (near-duplicate vectors — a graph index's worst
// case) and a varied one recombined from the 155 demo listings.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { closeDeps, type Deps } from '../server/src/deps.ts';
import { sql } from '../server/src/db/sql.ts';
import { embedderFor } from '../server/src/ai/embedder.ts';
import { IVF_MAX_PROBES, SEMANTIC_LIMIT, searchService, filterConditions, vectorRank, warmUpSearch } from '../server/src/modules/search/service.ts';
import { embeddingWorker, queueEmbedding } from '../server/src/modules/embeddings/service.ts';
import { embeddingsRepository, vectorIndexName } from '../server/src/modules/embeddings/repository.ts';
import { searchRepository, type VectorHit } from '../server/src/modules/search/repository.ts';
import { listingText } from '../server/src/modules/embeddings/text.ts';
import { KOREAN_LISTINGS, insertListings, regionId } from '../server/test/factories.ts';
import { demoListings } from '../server/src/db/seed/listings.ts';
import { openBenchDeps, withPgliteDeps } from './pglite-deps.ts';
import { heldOutQueries } from './search-eval.ts';
import { refreshVectorIndex } from '../server/src/modules/embeddings/vector-index.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10000').split(',').map(Number);
const QUERIES = ['벽에 구멍 뚫을 때 필요한 거', '주말 캠핑 갈 때 필요한 거', '여행 사진 찍을 카메라', '영화 볼 프로젝터', '아기 산책',
  '한강 자전거', '이사 청소', '생일 파티 장식', '겨울 침낭', '기타 연습', '텐트', '전동드릴', '캐리어 28인치', '사다리 빌려요', '청소기'];
/** the recall queries: the latency queries and a third of the held-out search queries (bench/search-eval.ts;
 *  only recall against an exact scan is measured on them here, no relevance) — the 15 alone had hidden
 *  a graph index that missed the nearest family of listings for a tenth of other queries */
const RECALL_QUERIES = [...QUERIES, ...heldOutQueries().map((q) => q.query).filter((_, i) => i % 3 === 0)];
/** rounds of the 15 latency queries measured after the first (each query unfiltered and filtered) */
const MEASURED_ROUNDS = 10;
/** listings per INSERT statement of the bulk load */
const CHUNK = 10_000;
/** listings embedded per batch of the bulk load */
const BULK_EMBED = 1_000;
/** listings the embedding worker embeds, timed, after the bulk load */
const WORKER_SAMPLE = 1_000;
/** members owning the listings */
const BENCH_MEMBERS = 2_000;
/** favourites, reservations and blocked days of the catalogue (seedActivity) */
const BENCH_ACTIVITY = 10_000;
/** memory for the index builds after loading (a session setting of the bench) */
const BUILD_MEMORY = '512MB';
/** built after the bulk load, from their definitions as migrated (pg_indexes) */
const BULK_INDEXES = ['posts_text_regions'];
/** A bulk insert's listings and their regions: `ra` is each region's region_ids (with its parents, the
 *  rule of migration 250, computed once per region), the
 *  INSERT … RETURNING id, region_ids is the CTE `p`, and each listing's one region is found back by its
 *  region_ids. Written with the listing, so the copy trigger on post_regions rewrites nothing. */
const regionIdsOf = sql`ra AS (SELECT id, regions_with_ancestors(ARRAY[id]) AS ids FROM regions)`;
const regionsOfInserted = sql`INSERT INTO post_regions (post_id, region_id) SELECT p.id, ra.id FROM p JOIN ra ON ra.ids = p.region_ids`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** The catalogue's owners (created once; a second call returns the same). */
async function benchMembers(deps: Deps): Promise<number[]> {
  await deps.db.query(sql`INSERT INTO members (email, password_hash, nickname)
    SELECT 'bench' || g || '@bench.local', 'x', 'bench' || g FROM generate_series(1, ${BENCH_MEMBERS}) g ON CONFLICT DO NOTHING`);
  return (await deps.db.query<{ id: number }>(sql`SELECT id FROM members WHERE email LIKE 'bench%@bench.local' ORDER BY id`)).map((r) => r.id);
}

/** What a marketplace of these listings also holds: a photo per listing, favourites, reservations (one
 *  in three active, around the filtered dates of the measurements) and blocked days. */
export async function seedActivity(deps: Deps) {
  const members = await benchMembers(deps);
  const n = BENCH_ACTIVITY;
  await deps.db.query(sql`INSERT INTO post_images (post_id, original_path, thumb_path, mime, is_primary, status)
    SELECT id, 'bench/' || id || '.jpg', 'bench/' || id || '.thumb.jpg', 'image/jpeg', true, 'READY' FROM posts`);
  // each statement spreads its rows over distinct listings (a multiplier coprime with the catalogue size)
  const listing = sql`(SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM posts) c`;
  await deps.db.query(sql`INSERT INTO favorites (member_id, post_id)
    SELECT (${members}::bigint[])[1 + g % ${members.length}], c.ids[1 + (g * 7919) % c.n] FROM generate_series(1, ${2 * n}) g, ${listing}
    ON CONFLICT DO NOTHING`);
  await deps.db.query(sql`INSERT INTO post_blocked_dates (post_id, day)
    SELECT c.ids[1 + (g * 104729) % c.n], date '2030-12-15' + (g % 40)::int FROM generate_series(1, ${n}) g, ${listing} ON CONFLICT DO NOTHING`);
  await deps.db.query(sql`INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
      days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount, status_changed_at)
    SELECT p.id, (${members}::bigint[])[1 + (g * 13) % ${members.length}], p.author_id,
      CASE WHEN g % 3 = 0 THEN 'PENDING_PICKUP' ELSE 'RETURN_COMPLETED' END,
      date '2030-12-01' + (g % 60)::int, date '2030-12-03' + (g % 60)::int, 'DIRECT', 'DIRECT', 3, 10000, 0, 30000, 50000, 0, 80000, now()
    FROM generate_series(1::bigint, ${n}) g, ${listing} JOIN posts p ON true WHERE g <= c.n AND p.id = c.ids[1 + (g * 15485863) % c.n]`);
}

async function seed(deps: Deps, n: number, first = 1) {
  const db = deps.db;
  const authors = await benchMembers(deps);
  const cats = await db.query<{ id: number; name: string }>(sql`SELECT id, name FROM categories WHERE parent_id IS NOT NULL`);
  const catOf = (name: string) => cats.find((c) => c.name === name)!.id;
  const regions = await db.query<{ id: number }>(sql`SELECT id FROM regions WHERE parent_id IS NOT NULL`);
  const titles = KOREAN_LISTINGS.map((l) => l.title);
  const contents = KOREAN_LISTINGS.map((l) => l.content);
  const catIds = KOREAN_LISTINGS.map((l) => catOf(l.category));
  const adj = ['깨끗한', '거의 새것', '가성비 좋은', '튼튼한', '가벼운', '대형', '소형', '프리미엄', '입문용', '전문가용', '중고', '한정판', '접이식', '휴대용', '가족용'];
  const extra = ['주말에만 가능해요.', '평일 저녁 직거래.', '택배 가능합니다.', '사용감 조금 있어요.', '박스 포함.', '설명서 있어요.', '세척 완료.',
    '흠집 없음.', '충전기 포함.', '보관 상태 좋아요.', '연락 주세요.', '장기 대여 할인.', '반려동물 없는 집.', '비흡연 가정.', '역 근처 거래.',
    '아파트 경비실 보관.', '급하면 당일 가능.', '주차 가능.', '사진 그대로예요.', '문의 환영.'];
  for (let from = first; from < first + n; from += CHUNK) await db.query(sql`WITH ${regionIdsOf}, p AS (
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, embedding_status, region_ids)
    SELECT (${authors}::bigint[])[1 + g % ${authors.length}], (${adj}::text[])[1 + g % 15] || ' ' || (${titles}::text[])[1 + (g * 7) % ${titles.length}] || ' ' || g,
           (${contents}::text[])[1 + (g * 7) % ${titles.length}] || ' ' || (${extra}::text[])[1 + (g / 3) % 20] || ' '
             || (${extra}::text[])[1 + (g * 13) % 20] || ' 관리 상태 ' || (g % 5 + 1) || '등급, 모델 ' || md5(g::text)::varchar(6) || '.',
           (${catIds}::bigint[])[1 + (g * 7) % ${titles.length}], 1000 * (1 + g % 40), 10000 * (1 + g % 30), 'ANY', 'ANY', 'WAIT',
           ra.ids
    FROM generate_series(${from}, ${Math.min(first + n - 1, from + CHUNK - 1)}) g
    JOIN ra ON ra.id = (${regions.map((r) => r.id)}::bigint[])[1 + g % ${regions.length}] RETURNING id, region_ids)
  ${regionsOfInserted}`);
}

/**
 * A varied catalogue: the 155 demo listings (server/src/db/seed/listings.ts) recombined — each listing
 * takes one demo title with a random descriptor and model code, its own description, one or two
 * sentences from other demo listings of the same top category, and two stock sentences — so vectors
 * spread out instead of forming 15 tight families of near-duplicates like seed() above.
 */
export async function seedVaried(deps: Deps, n: number) {
  const db = deps.db;
  const authors = await benchMembers(deps);
  const cats = await db.query<{ id: number; name: string; top: string }>(
    sql`SELECT c.id, c.name, t.name AS top FROM categories c JOIN categories t ON t.id = c.parent_id`);
  const catOf = new Map(cats.map((c) => [c.name, c]));
  const regions = (await db.query<{ id: number }>(sql`SELECT id FROM regions WHERE parent_id IS NOT NULL`)).map((r) => r.id);
  const sentencesByTop = new Map<string, string[]>();
  for (const l of demoListings) {
    const top = catOf.get(l.c)!.top;
    sentencesByTop.set(top, [...(sentencesByTop.get(top) ?? []), ...l.d.split(/(?<=[.!?요])\s+/).filter(Boolean)]);
  }
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const descriptors = ['깨끗한', '거의 새것', '가성비 좋은', '튼튼한', '가벼운', '대형', '소형', '프리미엄', '입문용', '전문가용', '중고', '한정판',
    '접이식', '휴대용', '가족용', '작년 모델', '신형', '구형', '미개봉급', '실사용 3회'];
  const stock = ['주말에만 가능해요.', '평일 저녁 직거래.', '택배 가능합니다.', '사용감 조금 있어요.', '박스 포함.', '설명서 있어요.', '세척 완료.',
    '흠집 없음.', '충전기 포함.', '보관 상태 좋아요.', '연락 주세요.', '장기 대여 할인.', '반려동물 없는 집.', '비흡연 가정.', '역 근처 거래.'];
  const rows = Array.from({ length: n }, () => {
    const l = pick(demoListings);
    const c = catOf.get(l.c)!;
    const others = sentencesByTop.get(c.top)!;
    const extra = [pick(others), ...(rand() < 0.5 ? [pick(others)] : [])];
    return {
      title: `${pick(descriptors)} ${l.t} ${Math.floor(rand() * 900 + 100)}`,
      content: [l.d, ...extra, pick(stock), pick(stock)].join(' '),
      category: c.id, fee: Math.max(1000, Math.round((l.fee * (0.6 + rand() * 0.8)) / 100) * 100), deposit: l.dep,
      region: pick(regions),
      author: pick(authors),
    };
  });
  for (let i = 0; i < n; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await db.query(sql`WITH ${regionIdsOf}, p AS (
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, embedding_status, region_ids)
    SELECT u.author, u.t, u.c, u.cat, u.fee, u.dep, 'ANY', 'ANY', 'WAIT', ra.ids
    FROM unnest(${chunk.map((r) => r.author)}::bigint[], ${chunk.map((r) => r.title)}::text[], ${chunk.map((r) => r.content)}::text[], ${chunk.map((r) => r.category)}::bigint[],
      ${chunk.map((r) => r.fee)}::int[], ${chunk.map((r) => r.deposit)}::int[], ${chunk.map((r) => r.region)}::bigint[]) AS u(author, t, c, cat, fee, dep, region)
    JOIN ra ON ra.id = u.region
    RETURNING id, region_ids)
  ${regionsOfInserted}`);
  }
}

/** The catalogue's vectors in batches: the product's embedder and vector statement, then DONE at once. */
export async function bulkEmbed(deps: Deps) {
  const embedder = embedderFor(deps.config);
  const repo = embeddingsRepository(deps.db);
  await embeddingWorker(deps).prepare();
  for (let after = 0; ; ) {
    const ids = (await deps.db.query<{ id: number }>(sql`SELECT id FROM posts WHERE id > ${after} ORDER BY id LIMIT ${BULK_EMBED}`)).map((r) => r.id);
    if (!ids.length) break;
    const sources = await repo.loadSources(ids);
    await repo.writeVectors(embedder.dimensions, embedder.id, sources.map((s) => s.id), await embedder.embed(sources.map(listingText)));
    // DONE per batch, as the worker does: one UPDATE of all 100k rows did not finish in 19 minutes
    // (2.4 TB read from temp files; migration 100's statement trigger joins the old and new row sets)
    await deps.db.query(sql`UPDATE posts SET embedding_status = 'DONE', embedding_model = ${embedder.id} WHERE id = ANY(${ids}::bigint[])`);
    after = ids[ids.length - 1];
  }
}

async function measure(deps: Deps, n: number, catalogue: 'templates' | 'varied', restart: (whileClosed: (dir: string) => Promise<void>) => Promise<Deps>): Promise<Deps> {
  const indexes = await deps.db.query<{ indexname: string; indexdef: string }>(
    sql`SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(${BULK_INDEXES}::text[]) ORDER BY indexname`);
  for (const ix of indexes) await deps.db.exec(`DROP INDEX ${ix.indexname}`);
  const dims = embedderFor(deps.config).dimensions;
  await deps.db.exec(`DROP INDEX ${vectorIndexName(dims)}`);
  const t0 = performance.now();
  await (catalogue === 'varied' ? seedVaried(deps, n) : seed(deps, n));
  await seedActivity(deps);
  const tSeed = performance.now() - t0;
  console.log(`  (seeded ${n} in ${(tSeed / 1000).toFixed(1)} s)`);
  const t1 = performance.now();
  await bulkEmbed(deps);
  const tEmbed = performance.now() - t1;
  console.log(`  (embedded in ${(tEmbed / 1000).toFixed(1)} s)`);
  const builds: string[] = [];
  const vectorIndex = await refreshVectorIndex(deps.db, dims);
  builds.push(`${vectorIndexName(dims)} (${vectorIndex.lists} lists) ${((vectorIndex.ms ?? 0) / 1000).toFixed(1)} s`);
  await deps.db.exec(`SET maintenance_work_mem = '${BUILD_MEMORY}'`);
  for (const ix of indexes) {
    const t = performance.now();
    await deps.db.exec(ix.indexdef);
    builds.push(`${ix.indexname} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  // VACUUM (ANALYZE) as after any bulk import: marking the listings embedded wrote a second version of
  // each, and PGlite runs no autovacuum
  await deps.db.exec('RESET maintenance_work_mem');
  await deps.db.exec('VACUUM (ANALYZE)'); // alone: VACUUM cannot run in the transaction of a multi-statement script
  const tSetup = performance.now() - t0;
  // the production path: new listings through the embedding worker, vector index in place
  const tw = performance.now();
  await (catalogue === 'varied' ? seedVaried(deps, WORKER_SAMPLE) : seed(deps, WORKER_SAMPLE, n + 1));
  const drained = await embeddingWorker(deps).drain(() => new Date());
  const tWorker = performance.now() - tw;
  console.log(`\n[setup ${(tSetup / 1000).toFixed(1)} s (target ≤ 300 s at 100k); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores]`);
  console.log(`[${n} listings, ${catalogue === 'varied' ? 'varied catalogue from the 155 demo listings' : '15 repeated templates'}] seed ${(tSeed / 1000).toFixed(1)} s, bulk embed ${(tEmbed / 1000).toFixed(1)} s (${Math.round((n / tEmbed) * 1000)}/s incl. SQL), index builds after loading: ${builds.join(', ')}`);
  console.log(`embedding worker (claim, embed, finish; batches of 500, index in place): ${drained.done} new listings in ${(tWorker / 1000).toFixed(1)} s (${Math.round((drained.done / tWorker) * 1000)}/s incl. inserting them)`);
  // searched as by a server started on the loaded catalogue: a process of its own (the loading one's
  // heap, full of the bulk load's garbage, gave a fatter tail: p95 27–37 ms against 18–22 ms)
  return restart((dir) => inFreshProcess(dir));
}

/** Runs this file's searchFigures in a new process on the closed database folder `dir`. */
function inFreshProcess(dir: string): Promise<void> {
  if (process.env.BENCH_KEEP_COPY) spawnSync('cp', ['-a', dir, process.env.BENCH_KEEP_COPY]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      stdio: 'inherit', env: { ...process.env, BENCH_SEARCH_DIR: dir },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`searching process exited with ${code}`))));
  });
}

/** The searching server's figures: latency against the primary-key baseline, recall, its peak memory. */
async function searchFigures(dir: string) {
  const stopSampling = samplePeakRss();
  // the embedded database sizes its buffer cache from its folder at open (db/client.ts
  // autoSharedBuffersMb) unless PGLITE_SHARED_BUFFERS_MB is set
  const deps = await openBenchDeps(dir, true);
  const buffers = await deps.db.one<{ shared_buffers: string }>(sql`SHOW shared_buffers`);
  // as the server's start does (background.ts), before the first measured search
  const warmUpMs = await warmUpSearch(deps);
  console.log(`(searching in a new process, as a server started on the catalogue; shared_buffers ${buffers?.shared_buffers}; its warm-up search took ${warmUpMs} ms)`);
  const search = searchService(deps);
  const seoul = await regionId(deps.db, '서울특별시');
  const ids = (await deps.db.query<{ id: number }>(sql`SELECT id FROM posts ORDER BY random() LIMIT 200`)).map((r) => r.id);
  const filters = { regionId: seoul, maxFee: 20000, from: '2031-01-01', to: '2031-01-03' };
  const base: number[] = [];
  const hybrid: number[] = [];
  const filtered: number[] = [];
  const cold = { hybrid: [] as number[], filtered: [] as number[] };
  // round 0 is the first time each query is seen (its terms' document frequencies are counted, then
  // cached for ten minutes): reported apart as "first query"; rounds 1–MEASURED_ROUNDS are the figures
  // (150 samples a line: a p95 of the 45 of three rounds was their third-worst, and those include the
  // wasm engine's warm-up after start, reported apart for them)
  for (let round = 0; round <= MEASURED_ROUNDS; round++) {
    for (const q of QUERIES) {
      let t = performance.now();
      await deps.db.query(sql`SELECT id, title, fee FROM posts WHERE id = ${ids[(round * 15 + base.length) % ids.length]}`);
      if (round > 0) base.push(performance.now() - t);
      t = performance.now();
      await search.search(q, {}, { limit: 20 });
      (round > 0 ? hybrid : cold.hybrid).push(performance.now() - t);
      t = performance.now();
      await search.search(q, filters, { limit: 20 });
      (round > 0 ? filtered : cold.filtered).push(performance.now() - t);
    }
  }
  const b50 = pct(base, 50);
  const line = (name: string, xs: number[]) =>
    `${name}: p50 ${pct(xs, 50).toFixed(1)} ms (${(pct(xs, 50) / b50).toFixed(0)}x baseline), p95 ${pct(xs, 95).toFixed(1)} ms (${(pct(xs, 95) / b50).toFixed(0)}x baseline p50)`;
  console.log(`baseline (primary-key lookup): p50 ${b50.toFixed(2)} ms, p95 ${pct(base, 95).toFixed(2)} ms (${base.length} samples per line, rounds 1–${MEASURED_ROUNDS})`);
  console.log(line('hybrid search', hybrid));
  console.log(line('hybrid search + region/fee/date filters', filtered));
  const early = (xs: number[]) => xs.slice(0, 3 * QUERIES.length);
  const earlyBase = pct(early(base), 50);
  console.log(`rounds 1–3 alone (just after start): baseline p50 ${earlyBase.toFixed(2)} ms, hybrid p95 ${pct(early(hybrid), 95).toFixed(1)} ms (${(pct(early(hybrid), 95) / earlyBase).toFixed(0)}x), filtered p95 ${pct(early(filtered), 95).toFixed(1)} ms (${(pct(early(filtered), 95) / earlyBase).toFixed(0)}x)`);
  console.log(`first query (cold term statistics): hybrid p50 ${pct(cold.hybrid, 50).toFixed(1)} ms, max ${Math.max(...cold.hybrid).toFixed(1)} ms; filtered p50 ${pct(cold.filtered, 50).toFixed(1)} ms, max ${Math.max(...cold.filtered).toFixed(1)} ms`);
  console.log(`targets at 100k: hybrid p95 ≤ 25 ms, filtered p95 ≤ 40 ms; peak RSS so far of the searching process ${peakRssMb()} MB (≤ 1,536 MB); load average now ${os.loadavg()[0].toFixed(1)}`);

  // recall@10: the index scan (iterative) vs exact scan, unfiltered and filtered. Two ways of asking the
  // branch: for SEMANTIC_LIMIT (50) hits as search does, its best 10 compared; and for only 10 (stricter:
  // the scan stops after 10 hits; recommendations' neighbours ask for few).
  const embedder = embedderFor(deps.config);
  for (const [label, where] of [['no filter', filterConditions({})], ['region+fee filter', filterConditions({ regionId: seoul, maxFee: 20000 })]] as const) {
    for (const asked of [SEMANTIC_LIMIT, 10]) {
      let hit = 0, close = 0, total = 0;
      for (const q of RECALL_QUERIES) {
        const [v] = await embedder.embed([q]);
        const approx = (await vectorRank(deps, v, [...where], asked)).slice(0, 10);
        const exact = await vectorRank(deps, v, [...where], 10, true);
        total += exact.length;
        hit += foundBoth(approx, exact);
        close += closeEnough(approx, exact);
      }
      console.log(`recall@10 search's vector branch asked for ${asked} (index scan; exact only for a small filtered set) vs exact (${label}, ${RECALL_QUERIES.length} queries): ${(hit / total).toFixed(3)} by id, ${(close / total).toFixed(3)} by distance (ties)`);
    }
  }
  await bareIndexRecall(deps);
  await closeDeps(deps);
  stopSampling();
  console.log(`peak RSS of the searching process: ${peakRssMb()} MB (target ≤ 1,536 MB)`);
}

/** Exact hits the approximate answer also returned (by id). */
const foundBoth = (approx: { id: number }[], exact: { id: number }[]) => exact.filter((r) => approx.some((a) => a.id === r.id)).length;

/** Approximate hits at least as close as the exact 10th: a near-duplicate listing at the same
 *  distance as the one the exact scan happened to list is as good an answer (the varied catalogue
 *  recombines 155 texts, so ties are common); by-id recall counts it as a miss. */
function closeEnough(approx: { sim: number }[], exact: { sim: number }[]): number {
  if (!exact.length) return 0;
  const kth = exact[exact.length - 1].sim;
  return Math.min(exact.length, approx.filter((a) => a.sim >= kth - 1e-6).length);
}

/** recall@10 and time of the bare index scan (no filters, no fallback) vs exact at several probes
 *  (search probes 10: see IVF_PROBES in search/service.ts). Every index scan runs before the exact
 *  scans: an exact scan sweeps the vector table through the buffer cache and pushes the index out. */
async function bareIndexRecall(deps: Deps) {
  const embedder = embedderFor(deps.config);
  const vectors = await embedder.embed(RECALL_QUERIES);
  const scans = [4, 10, 20].map((probes) => ({ probes, approx: [] as VectorHit[][], times: [] as number[] }));
  for (const w of scans) {
    for (const v of vectors) {
      const t = performance.now();
      // the search's own index statement, with no filter, no newest-vectors merge and no exact fallback
      w.approx.push(await deps.db.transaction(async (tx) => {
        const repo = searchRepository(tx);
        await repo.useIvfScan(w.probes, IVF_MAX_PROBES);
        return repo.vectorScan(embedder.dimensions, v, [sql`true`], 10);
      }));
      w.times.push(performance.now() - t);
    }
  }
  const exact: VectorHit[][] = [];
  for (const v of vectors) exact.push(await vectorRank(deps, v, [sql`true`], 10, true));
  const total = exact.reduce((n, e) => n + e.length, 0);
  for (const w of scans) {
    const hit = exact.reduce((n, e, i) => n + foundBoth(w.approx[i], e), 0);
    const close = exact.reduce((n, e, i) => n + closeEnough(w.approx[i], e), 0);
    console.log(`recall@10 bare index scan (${w.probes} probes) vs exact: ${(hit / total).toFixed(3)} by id, ${(close / total).toFixed(3)} by distance (ties), p50 ${pct(w.times, 50).toFixed(1)} ms`);
  }
}

async function freshness(deps: Deps) {
  // create → searchable by meaning: each listing queues the embedding job (as the posts service does),
  // which this instance's scheduler runs (pg-boss, woken by LISTEN/NOTIFY)
  await deps.jobs.start();
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    // a kind of thing the catalogue's templates never list: at 100k the varied catalogue holds hundreds of
    // near-copies of each demo listing, and a new headset need not rank among the 100 nearest headsets
    const [id] = await insertListings(deps.db, [{ title: `천체 망원경 ${i}호`, content: '별 보기 좋은 굴절식 천체 망원경, 삼각대 포함', category: '기타 생활용품' }]);
    await queueEmbedding(deps);
    for (;;) {
      // searchable by meaning: its vector is in and the vector branch returns it
      const r = await searchService(deps).rank(`천체 망원경 ${i}호 별 보기`, {}, { mode: 'semantic' });
      if (r.hits.some((h) => h.id === id && h.match.semantic)) break;
      if (performance.now() - t > 30_000) {
        // say where it was lost: not embedded yet (the job), or embedded but not returned by the index scan
        const stored = (await deps.db.query(sql`SELECT 1 FROM post_embeddings WHERE post_id = ${id}`)).length > 0;
        const v = (await embedderFor(deps.config).embed([`천체 망원경 ${i}호 별 보기`]))[0];
        const exactRank = (await vectorRank(deps, v, [sql`true`], 10, true)).findIndex((h) => h.id === id);
        throw new Error(`not returned by semantic search after 30 s: vector ${stored ? 'stored' : 'NOT stored'}; ` +
          `exact scan rank ${exactRank < 0 ? '> 10' : exactRank + 1}; semantic hits ${r.hits.length}`);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    samples.push(performance.now() - t);
  }
  await deps.jobs.stop();
  console.log(`create → returned by semantic search: ${samples.map((s) => `${(s / 1000).toFixed(2)} s`).join(', ')} (target ≤ 5 s)`);
}

// this process's peak memory (target ≤ 1.5 GB at 100k), sampled from samplePeakRss() until it is stopped
let peakRss = 0;
function samplePeakRss(): () => void {
  const timer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);
  timer.unref();
  return () => clearInterval(timer);
}
const peakRssMb = () => (Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20).toFixed(0);

async function main() {
  const stopSampling = samplePeakRss();
  // BENCH_CATALOGUES=templates,varied (default both): the repeated-template catalogue keeps figures
  // comparable with earlier runs; the varied one is closer to real listings for recall.
  const CATALOGUES = (process.env.BENCH_CATALOGUES ?? 'templates,varied').split(',') as ('templates' | 'varied')[];
  for (const n of SIZES) {
    for (const catalogue of CATALOGUES) {
      await withPgliteDeps(async (first, restart) => {
        const deps = await measure(first, n, catalogue, restart);
        if (n === SIZES[0] && catalogue === CATALOGUES[0]) await freshness(deps);
      }, { onDisk: true, env: { EMBEDDING_BATCH_SIZE: '500', JOBS_ENABLED: 'true' } }); // jobs: the freshness check's scheduler (started there only)
    }
  }
  stopSampling();
  console.log(`peak RSS of the loading process: ${peakRssMb()} MB (target ≤ 1,536 MB)`);
}

// run as a script (npm run bench; with BENCH_SEARCH_DIR, the searching process of one catalogue);
// imported, it only lends its catalogue seeds
if (process.argv[1]?.endsWith('search.bench.ts')) await (process.env.BENCH_SEARCH_DIR ? searchFigures(process.env.BENCH_SEARCH_DIR) : main());
