// The search, embedding-worker and recommendation (similar listings, suggest) cases, run by two files against two drivers:
// search.test.ts (embedded: PGlite in-process) and search.pg-socket.test.ts (server mode: the `pg`
// pool against a PGlite with pgvector served over the Postgres wire protocol).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { runEmbeddingPass } from '../embeddings/service.ts';
import { KOREAN_LISTINGS, categoryId, insertBulkPosts, insertListings, regionId } from '../../../test/factories.ts';
import { IVF_MAX_PROBES, filterConditions, fuse, queryTerms, vectorRank } from './service.ts';
import { queryWords, titleWord } from './keyword.ts';
import { searchRepository } from './repository.ts';
import { embeddingsRepository, vectorIndexName, vectorTable } from '../embeddings/repository.ts';
import { refreshVectorIndex } from '../embeddings/vector-index.ts';
import { mulberry32 } from '../../lib/random.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { SUGGEST_BODY_LIMIT, SUGGEST_MAX_IMAGE_CHARS, SUGGEST_MAX_IMAGES } from '../recommendations/schemas.ts';

export function searchCases(open: () => Promise<TestContext>) {
let ctx: TestContext;
let ids: Record<string, number>;

before(async () => {
  ctx = await open();
  const inserted = await insertListings(ctx.deps.db, KOREAN_LISTINGS);
  ids = Object.fromEntries(KOREAN_LISTINGS.map((l, i) => [l.title, inserted[i]]));
  const pass = await runEmbeddingPass(ctx.deps);
  assert.equal(pass.done, KOREAN_LISTINGS.length);
});
after(() => ctx.close());

async function search(query: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?${qs}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    items: {
      listing: { id: number; title: string };
      match: {
        keyword: { terms: string[]; words: string[]; coverage: number; corrected: { from: string; to: string }[] } | null;
        semantic: { similarity: number; strength: number } | null;
        reason: string;
        reasons: string[];
      };
    }[];
    nextCursor: string | null;
    mode: string;
    semanticAvailable: boolean;
    semanticFallback: string | null;
  };
}
const titles = (r: Awaited<ReturnType<typeof search>>) => r.items.map((h) => h.listing.title);

test('typo tolerance at the jamo level: 탠트 finds tents, 캠팽 finds camping; the correction is explained', async () => {
  const tents = titles(await search({ q: '탠트', mode: 'keyword' }));
  assert.ok(tents.includes('4인용 돔 텐트') && tents.includes('원터치 텐트 2~3인용'), tents.join(' | '));
  const r = await search({ q: '캠팽 의자', mode: 'keyword' });
  assert.equal(r.items[0]?.listing.title, '캠핑 의자 2개 세트', titles(r).join(' | '));
  assert.deepEqual(r.items[0].match.keyword!.corrected, [{ from: '캠팽', to: '캠핑' }]);
  assert.ok(r.items[0].match.reasons.includes("'캠팽'을 '캠핑'으로 고쳐 찾았어요"), r.items[0].match.reasons.join(' / '));
  // a word that is not a near miss of any listing word is not "corrected" into one
  assert.equal((await search({ q: '비트코인', mode: 'keyword' })).items.length, 0);
  // the correction is remembered for a minute, but a listing that has the word as typed is found at once
  const [typed] = await insertListings(ctx.deps.db, [{ title: '캠팽 랜턴 (사진 그대로)', content: '상태 좋아요', category: '랜턴/조명' }]);
  const again = await search({ q: '캠팽 의자', mode: 'keyword' });
  assert.ok(titles(again).includes('캠팽 랜턴 (사진 그대로)'), titles(again).join(' | '));
  assert.deepEqual(again.items.find((h) => h.listing.id === typed)!.match.keyword!.corrected, [], 'found as typed, not corrected');
  await ctx.deps.db.query(sql`DELETE FROM posts WHERE id = ${typed}`);
});

test('the words of an edited title join the typo vocabulary; an update that keeps titles adds nothing', async () => {
  const inVocab = async (term: string) => (await ctx.deps.db.query(sql`SELECT 1 FROM search_vocab WHERE term = ${term}`)).length > 0;
  const before = (await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM search_vocab`))!.n;
  // every listing updated at once, no title changed (the row trigger's WHEN skips them all)
  await ctx.deps.db.query(sql`UPDATE posts SET fee = fee WHERE deleted_at IS NULL`);
  assert.equal((await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM search_vocab`))!.n, before);
  assert.equal(await inVocab('해먹'), false);
  const id = ids['캠핑 의자 2개 세트'];
  await ctx.deps.db.query(sql`UPDATE posts SET title = '캠핑 의자 2개 세트와 해먹' WHERE id = ${id}`);
  assert.equal(await inVocab('해먹'), true);
  const r = await search({ q: '헤먹', mode: 'keyword' });
  assert.equal(r.items[0]?.listing.id, id, titles(r).join(' | '));
  assert.deepEqual(r.items[0].match.keyword!.corrected, [{ from: '헤먹', to: '해먹' }]);
  await ctx.deps.db.query(sql`UPDATE posts SET title = '캠핑 의자 2개 세트' WHERE id = ${id}`);
});

test('BM25: a generic word matched in many listings cannot outrank the specific word', async () => {
  // '여행' is in several listings, '캐리어' in one: the carrier must lead although the camera's text
  // mentions 여행 as well
  const r = await search({ q: '여행 캐리어', mode: 'keyword' });
  assert.equal(r.items[0]?.listing.title, '28인치 여행용 캐리어', titles(r).join(' | '));
  // the reason names the words as the title writes them: the term 여행 sits in 여행용
  assert.deepEqual(r.items[0].match.keyword!.words, ['여행용', '캐리어']);
  assert.equal(r.items[0].match.reasons[0], "'여행용', '캐리어'가 들어 있어요");
  const cam = r.items.find((h) => h.listing.title.startsWith('소니'));
  assert.ok(cam && cam.match.keyword!.coverage < r.items[0].match.keyword!.coverage);
  // coverage is the IDF share: the rare term alone weighs more than the common one alone
  const rare = (await search({ q: '캐리어', mode: 'keyword' })).items[0].match.keyword!;
  assert.equal(rare.coverage, 1);
  // a word too short to find by substring ('차에서' → '차') still counts in the query's mass: a listing
  // that only says 캐리어 answers a third of '차에서 자는 캐리어', not all of it
  assert.deepEqual(queryWords('차에서 자는 캐리어가 필요해'), { terms: ['캐리어'], short: 2 });
  const partial = (await search({ q: '차에서 자는 캐리어', mode: 'keyword' })).items[0].match.keyword!;
  assert.deepEqual(partial.terms, ['캐리어']);
  assert.equal(partial.coverage, 0.333);
});

test('fusion by strength: a strong match of one branch beats a weak one of the other; ties never go to the newer listing', () => {
  const cal = { nullMean: 0.1, nullStd: 0.05, minSimilarity: 0.25, source: 'embedder' as const };
  const kw = (id: number, coverage: number) => ({ id, bm25: coverage * 5, coverage, terms: ['텐트'], words: ['텐트'] });
  // each branch ranks its own hit first; plain RRF would tie them and hand the tie to the newer id 20
  let ranked = fuse([kw(20, 0.2)], [{ id: 10, sim: 0.45 }], cal);
  assert.deepEqual(ranked.map((h) => h.id), [10, 20]);
  assert.equal(ranked[0].match.semantic!.strength, 1);
  // equal sums: the stronger single branch first (31: 1.0 keyword vs 30: 0.5 + 0.5), whatever the ids
  ranked = fuse([kw(30, 0.5), kw(31, 1)], [{ id: 30, sim: 0.325 }], cal);
  assert.deepEqual(ranked.map((h) => [h.id, h.score]), [[31, 1], [30, 1]]);
  // a vector hit below the calibrated floor is no hit; without a calibration vector hits only re-rank keyword hits
  assert.deepEqual(fuse([], [{ id: 40, sim: 0.24 }], cal), []);
  assert.deepEqual(fuse([kw(50, 0.5)], [{ id: 51, sim: 0.9 }], null).map((h) => h.id), [50]);
  // strengths saturate at 1: then the closer vector decides, not the lower id
  ranked = fuse([], [{ id: 60, sim: 0.55 }, { id: 61, sim: 0.9 }, { id: 62, sim: 0.7 }], cal);
  assert.deepEqual(ranked.map((h) => [h.id, h.score]), [[61, 1], [62, 1], [60, 1]]);
});

test('nonsense and blank queries return no hits (hybrid, keyword and semantic)', async () => {
  for (const q of ['zzqxv', 'ㅋㅋㅋㅋ', '비트코인', '양자역학 교과서', 'qwpoeiruty asdkfj', ' ', '?!']) {
    for (const mode of ['hybrid', 'keyword', 'semantic']) {
      const r = await search({ q, mode });
      assert.deepEqual(titles(r), [], `${mode} '${q}'`);
    }
  }
  // no q at all is the filtered catalogue (browsing), not a search
  assert.ok((await search({})).items.length > 0);
});

test('mode: keyword-only hits carry no semantic part, semantic-only no keyword part; sort orders the matches', async () => {
  const kw = await search({ q: '텐트', mode: 'keyword' });
  assert.equal(kw.mode, 'keyword');
  assert.ok(kw.items.length >= 2 && kw.items.every((h) => h.match.keyword && !h.match.semantic));
  const sem = await search({ q: '텐트', mode: 'semantic' });
  assert.ok(sem.items.every((h) => !h.match.keyword && h.match.semantic));
  const byFee = await search({ q: '텐트', mode: 'keyword', sort: 'fee', limit: 50 });
  const fees = byFee.items.map((h) => (h.listing as unknown as { fee: number }).fee);
  assert.deepEqual(fees, [...fees].sort((a, b) => a - b));
  assert.deepEqual(new Set(titles(byFee)), new Set(titles(await search({ q: '텐트', mode: 'keyword', limit: 50 }))), 'same matches, other order');
  for (const bad of ['mode=fuzzy', 'sort=random']) {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=x&${bad}` });
    assert.equal(res.statusCode, 400, bad);
  }
});

test('every listing got a vector in the DONE transaction (PGlite has pgvector)', async () => {
  const row = await ctx.deps.db.one(sql`SELECT count(*)::int AS n FROM post_embeddings`);
  assert.equal(row!.n, KOREAN_LISTINGS.length);
  const states = await ctx.deps.db.query(sql`SELECT DISTINCT embedding_status, embedding_model FROM posts`);
  assert.deepEqual(states.map((s) => s.embedding_status), ['DONE']);
  assert.match(states[0].embedding_model, /^local-/);
});

test('keyword hits say which terms matched', async () => {
  const r = await search({ q: '텐트' });
  const hit = r.items.find((h) => h.listing.title === '원터치 텐트 2~3인용')!;
  assert.deepEqual((hit.match.keyword as { terms: string[] }).terms, ['텐트']);
  // a stripped stem is shown as the title's word ('곰팡이' is searched as '곰팡'), the term itself when
  // the title lacks it (only the description has it)
  assert.equal(titleWord('곰팡이 제거 스팀 건 + 솔 세트', '곰팡'), '곰팡이');
  assert.equal(titleWord('크레모아 LED 랜턴', 'led'), 'LED');
  assert.equal(titleWord('크레모아 LED 랜턴', '캠핑'), '캠핑');
  assert.equal(hit.match.reasons[0], "'텐트'가 들어 있어요");
  assert.doesNotMatch(hit.match.reason, /[0-9]/, 'no numbers in the words shown to people');
  // particles and endings are stripped from the query's words; filler words are not terms
  assert.deepEqual(queryTerms('텐트를 빌리고 싶어요'), ['텐트']);
  assert.deepEqual(queryTerms('캠핑장에서 쓸 랜턴이 필요해요'), ['캠핑장', '랜턴']);
  assert.deepEqual(queryTerms('사진을 찍으려고'), ['사진']);
  assert.deepEqual(queryTerms('청소기를 빌려요'), ['청소기'], 'a machine keeps its 기');
  assert.deepEqual(queryTerms('이사할 때 촬영하러'), ['이사', '촬영'], 'a 하다 form leaves its noun');
  assert.deepEqual(queryTerms('역할 놀이'), ['역할'], 'a two-letter word ending like one stays whole');
});

test('filters apply before ranking: banned, owner banned, deleted, out of region, unavailable, fee, category', async () => {
  const db = ctx.deps.db;
  const [banned, deleted, busan, blocked, reserved, ownerBanned] = await insertListings(db, [
    { title: '금지된 텐트', content: '텐트', category: '텐트' },
    { title: '삭제된 텐트', content: '텐트', category: '텐트' },
    { title: '부산 텐트', content: '텐트', category: '텐트', region: '부산광역시 해운대구' },
    { title: '막힌 날짜 텐트', content: '텐트', category: '텐트' },
    { title: '예약된 텐트', content: '텐트', category: '텐트' },
    { title: '정지회원 텐트', content: '텐트', category: '텐트', authorId: (await db.one(sql`INSERT INTO members (email, password_hash, nickname, banned_at) VALUES ('b@x.test', 'x', '정지회원', now()) RETURNING id`))!.id },
  ]);
  await db.query(sql`UPDATE posts SET banned_at = now() WHERE id = ${banned}`);
  await db.query(sql`UPDATE posts SET deleted_at = now() WHERE id = ${deleted}`);
  await db.query(sql`INSERT INTO post_blocked_dates (post_id, day) VALUES (${blocked}, '2031-05-03')`);
  const borrower = await db.one(sql`INSERT INTO members (email, password_hash, nickname) VALUES ('r@x.test', 'x', '빌리는이') RETURNING id`);
  await db.query(sql`INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
      days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount)
    SELECT ${reserved}, ${borrower!.id}, author_id, 'PENDING_PICKUP', '2031-05-01', '2031-05-04', 'DIRECT', 'DIRECT', 4, 1, 0, 4, 0, 0, 4 FROM posts WHERE id = ${reserved}`);
  await runEmbeddingPass(ctx.deps);

  const all = titles(await search({ q: '텐트', limit: 50 }));
  for (const t of ['금지된 텐트', '삭제된 텐트', '정지회원 텐트']) assert.ok(!all.includes(t), t);
  assert.ok(all.includes('부산 텐트') && all.includes('막힌 날짜 텐트') && all.includes('예약된 텐트'));
  // semantic-only queries must obey the same rules
  const camping = titles(await search({ q: '주말 캠핑 갈 때 필요한 거', limit: 50 }));
  for (const t of ['금지된 텐트', '삭제된 텐트', '정지회원 텐트']) assert.ok(!camping.includes(t), t);

  // the index scan (a limit the catalogue fills, so the exact fallback does not answer) obeys the same rules
  const [v] = await embedderFor(ctx.deps.config).embed(['텐트']);
  const seoulOnly = filterConditions({ regionId: await regionId(db, '서울특별시') });
  const walked = await vectorRank(ctx.deps, v, seoulOnly, 5);
  assert.equal(walked.length, 5);
  for (const id of [banned, deleted, busan, ownerBanned]) assert.ok(!walked.some((w) => w.id === id), String(id));
  assert.deepEqual(walked.map((w) => w.id), (await vectorRank(ctx.deps, v, seoulOnly, 5, true)).map((w) => w.id));

  const seoul = titles(await search({ q: '텐트', regionId: await regionId(db, '서울특별시'), limit: 50 }));
  assert.ok(!seoul.includes('부산 텐트') && seoul.includes('4인용 돔 텐트'), 'region parent includes its children');

  const dated = titles(await search({ q: '텐트', from: '2031-05-02', to: '2031-05-03', limit: 50 }));
  assert.ok(!dated.includes('막힌 날짜 텐트') && !dated.includes('예약된 텐트'), dated.join(' | '));
  assert.ok(dated.includes('부산 텐트'));
  const later = titles(await search({ q: '텐트', from: '2031-05-10', to: '2031-05-12', limit: 50 }));
  assert.ok(later.includes('막힌 날짜 텐트') && later.includes('예약된 텐트'));

  const cheap = await search({ q: '캠핑', maxFee: 9000, limit: 50 });
  assert.ok(cheap.items.length > 0);
  const fees = await db.query(sql`SELECT fee FROM posts WHERE id = ANY(${cheap.items.map((h) => h.listing.id)}::bigint[])`);
  assert.ok(fees.every((f) => f.fee <= 9000));

  const tools = await search({ q: '벽에 구멍 뚫을 때 필요한 거', categoryId: await categoryId(db, '캠핑'), limit: 50 });
  assert.ok(!titles(tools).includes('보쉬 전동드릴 대여'), 'category parent filter excludes other trees');
  assert.ok(titles(await search({ q: '텐트', categoryId: await categoryId(db, '캠핑') })).includes('4인용 돔 텐트'));
});

test('cursor paging walks the fused ranking without repeats', async () => {
  const first = await search({ q: '캠핑 텐트 의자', limit: 2 });
  assert.equal(first.items.length, 2);
  assert.ok(first.nextCursor);
  const second = await search({ q: '캠핑 텐트 의자', limit: 2, cursor: first.nextCursor! });
  const seen = new Set(first.items.map((h) => h.listing.id));
  for (const h of second.items) assert.ok(!seen.has(h.listing.id));
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/search?q=x&cursor=garbage' });
  assert.equal(bad.statusCode, 400);
  const badDates = await ctx.app.inject({ method: 'GET', url: '/api/v1/search?q=x&from=2031-05-05&to=2031-05-01' });
  assert.equal(badDates.statusCode, 400);
});

test('an edit re-queues the listing and a deleted listing disappears from search and its vector goes with it', async () => {
  const [id] = await insertListings(ctx.deps.db, [{ title: '캠핑 해먹', content: '나무 사이에 거는 해먹', category: '텐트' }]);
  await runEmbeddingPass(ctx.deps);
  assert.ok(titles(await search({ q: '해먹' })).includes('캠핑 해먹'));
  await ctx.deps.db.query(sql`UPDATE posts SET deleted_at = now() WHERE id = ${id}`);
  assert.ok(!titles(await search({ q: '해먹' })).includes('캠핑 해먹'));
  await ctx.deps.db.query(sql`DELETE FROM posts WHERE id = ${id}`);
  assert.equal((await ctx.deps.db.one(sql`SELECT count(*)::int AS n FROM post_embeddings WHERE post_id = ${id}`))!.n, 0);
});

test('similar listings: vector neighbours, public only, never itself', async () => {
  const id = ids['4인용 돔 텐트'];
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/posts/${id}/similar` });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  const got = body.items.map((h: any) => h.listing.title);
  assert.ok(!body.items.some((h: any) => h.listing.id === id));
  assert.ok(got[0].includes('텐트'), got.join(' | '));
  assert.ok(got.includes('원터치 텐트 2~3인용'), got.join(' | '));
  assert.ok(!got.includes('금지된 텐트'));
  assert.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/posts/999999/similar' })).statusCode, 404);
});

test('suggest: category by neighbours, fee/deposit medians, template draft without an LLM', async () => {
  const me = await ctx.signUp();
  const res = await ctx.app.inject({
    method: 'POST', url: '/api/v1/posts/suggest', headers: { cookie: me.cookie },
    payload: { title: '', content: '', hint: '가족끼리 쓰던 큰 텐트 빌려줄게요' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json();
  assert.equal(s.categories[0].name, '텐트');
  assert.ok(s.fee.suggested > 0 && s.fee.min <= s.fee.suggested && s.fee.suggested <= s.fee.max);
  assert.ok(s.deposit.suggested > 0);
  assert.equal(s.draft.source, 'template');
  // the draft neither copies the hint into the title nor repeats the form's fields as the description
  assert.notEqual(s.draft.title, '가족끼리 쓰던 큰 텐트 빌려줄게요');
  assert.match(s.draft.title, /텐트/);
  assert.doesNotMatch(s.draft.content, /카테고리|대여료|보증금/);
  assert.match(s.draft.content, /가족끼리 쓰던 큰 텐트 빌려줄게요/);
  const anon = await ctx.app.inject({ method: 'POST', url: '/api/v1/posts/suggest', payload: { title: 'x', content: 'y' } });
  assert.equal(anon.statusCode, 401);
});

test('suggest: the closest listing decides the category, not the most populous category among the neighbours', async () => {
  const me = await ctx.signUp();
  // by now the catalogue has 5 public tents and one camping-chair listing
  const cases: [string, string][] = [
    ['캠핑 의자 두 개, 거의 새것', '캠핑의자/테이블'],
    ['가족끼리 쓰던 큰 텐트', '텐트'],
    ['겨울에 쓰는 따뜻한 침낭', '침낭/매트'],
    ['접이식 사다리 빌려드려요', '사다리'],
    ['미러리스 카메라 바디', '카메라'],
  ];
  for (const [hint, category] of cases) {
    const res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/posts/suggest', headers: { cookie: me.cookie }, payload: { title: '', content: '', hint },
    });
    assert.equal(res.statusCode, 200, res.body);
    const got = res.json().categories as { name: string; confidence: number }[];
    assert.equal(got[0]?.name, category, `${hint}: ${JSON.stringify(got)}`);
    assert.ok(got[0].confidence > 0.5, `${hint}: a clear winner, ${got[0].confidence}`);
  }
});

test('suggest: the body limit fits the schema — the largest documented body is accepted, one byte more is 413', async () => {
  const me = await ctx.signUp();
  const photo = (chars: number) => `data:image/jpeg;base64,${'A'.repeat(chars - 'data:image/jpeg;base64,'.length)}`;
  const largest = {
    title: '텐'.repeat(100), content: '트'.repeat(5000), hint: '캠'.repeat(1000),
    images: Array.from({ length: SUGGEST_MAX_IMAGES }, () => photo(SUGGEST_MAX_IMAGE_CHARS)),
  };
  const body = JSON.stringify(largest);
  assert.ok(body.length > 1024 * 1024 * 5 && Buffer.byteLength(body) <= SUGGEST_BODY_LIMIT);
  const post = (payload: string, cookie = me.cookie) => ctx.app.inject({
    method: 'POST', url: '/api/v1/posts/suggest', headers: { cookie, 'content-type': 'application/json' }, payload,
  });
  const ok = await post(body);
  assert.equal(ok.statusCode, 200, ok.body.slice(0, 300));
  assert.equal(ok.json().categories[0].name, '텐트');

  // padded with spaces (still valid JSON, same fields) to exactly the limit: accepted; one byte more: 413
  const atLimit = body + ' '.repeat(SUGGEST_BODY_LIMIT - Buffer.byteLength(body));
  assert.equal((await post(atLimit)).statusCode, 200);
  const over = await post(`${atLimit} `);
  assert.equal(over.statusCode, 413);
  assert.match(String(over.headers['content-type']), /application\/problem\+json/);
  assert.equal(over.json().status, 413);
  assert.equal(over.json().detail, '요청이 너무 큽니다');

  // one image over its own limit is a 400 (validation), not a 413
  const tooLong = await post(JSON.stringify({ title: '', content: '', images: [photo(SUGGEST_MAX_IMAGE_CHARS + 1)] }));
  assert.equal(tooLong.statusCode, 400);
  // only inline images: a fetchable URL would make the vision LLM fetch any address
  for (const url of ['http://127.0.0.1:1/x.png', 'file:///etc/passwd', 'data:text/html;base64,PGgxPg==']) {
    const refused = await post(JSON.stringify({ title: '', content: '', images: [url], draft: true }));
    assert.equal(refused.statusCode, 400, url);
    assert.equal(refused.json().code, 'VALIDATION_FAILED');
  }
  // anonymous: 401 before the body is read
  assert.equal((await post(body, '')).statusCode, 401);
});

test('search-ai without an LLM: says how many it shows (with the right particle), only when something matched', async () => {
  const ask = (q: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/search-ai?q=${encodeURIComponent(q)}` });
  const res = await ask('텐트');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.mode, 'extractive');
  const shown = new Set(body.items.map((h: any) => h.listing.id));
  for (const id of body.citations) assert.ok(shown.has(id));
  assert.ok(body.items.length >= 2);
  assert.match(body.answer, new RegExp(`^'텐트'와 관련된 물건 ${body.items.length}개를 보여 드려요`));
  assert.match(body.answer, /'텐트'가 들어 있어요/);
  assert.match((await ask('전동드릴')).json().answer, /^'전동드릴'과 관련된 물건 \d+개/);

  const nothing = (await ask('zzqxv')).json();
  assert.deepEqual([nothing.items, nothing.citations], [[], []]);
  assert.match(nothing.answer, /찾지 못했어요/);
  for (const blank of [' ', '  ', '?']) {
    const r = await ask(blank);
    assert.equal(r.statusCode, 400, blank);
    assert.equal(r.json().code, 'EMPTY_QUERY');
  }
});

test('the vector index follows the catalogue: one list while small, √n lists once grown (an index of before replaced), re-fitted once a tenth is newer, answers as an exact scan', async () => {
  // a table of its own dimension (as an API model's), so the shared catalogue is untouched; its
  // listings are deleted ones, never searched
  const db = ctx.deps.db;
  // the nightly job over the catalogue's own table: 15 listings, one list, nothing to do
  const indexJob = jobDefinitions.find((j) => j.name === 'embeddings-index');
  assert.ok(indexJob, 'registered for the scheduler');
  assert.deepEqual(await indexJob.run({ deps: ctx.deps, now: new Date() }), { vectors: (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM post_embeddings`))!.n, lists: 1, rebuilt: false });

  const dims = 48;
  const repo = embeddingsRepository(db);
  await repo.ensureVectorTable(dims);
  assert.deepEqual(await repo.vectorIndexState(dims), { lists: 1, builtAt: null }, 'created with one list');
  const table = vectorTable(dims);
  await db.exec(`DROP INDEX ${vectorIndexName(dims)}; CREATE INDEX ${table}_hnsw ON ${table} USING hnsw (embedding vector_cosine_ops)`);

  // 40 clusters of 30 vectors, from a fixed seed
  const random = mulberry32(7);
  const rand = () => random() - 0.5;
  const centres = Array.from({ length: 40 }, () => Array.from({ length: dims }, rand));
  const near = (c: number[], spread: number) => c.map((x) => x + spread * rand());
  const ids = await insertBulkPosts(db, 1200, { deleted: true });
  await repo.writeVectors(dims, 'test', ids, ids.map((_, i) => near(centres[i % 40], 0.3)));

  assert.deepEqual(await refreshVectorIndex(db, dims).then(({ ms: _ms, ...r }) => r), { vectors: 1200, lists: 35, rebuilt: true });
  const indexes = (await db.query<{ name: string }>(sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${table} ORDER BY 1`)).map((r) => r.name);
  assert.deepEqual(indexes, [vectorIndexName(dims), `${table}_pkey`, `${table}_updated`], 'the HNSW index of before is gone');
  assert.equal((await repo.vectorIndexState(dims)).lists, 35);
  assert.equal((await refreshVectorIndex(db, dims)).rebuilt, false, 'the right size: left alone');
  // vectors written after the build: re-fitted once they are a tenth of the table (120 of 1,200)
  const rewrite = (from: number, to: number) => repo.writeVectors(dims, 'test', ids.slice(from, to), ids.slice(from, to).map((_, i) => near(centres[(from + i) % 40], 0.3)));
  await rewrite(0, 119);
  assert.equal((await refreshVectorIndex(db, dims)).rebuilt, false, '119 newer: left alone');
  await rewrite(119, 120);
  assert.deepEqual(await refreshVectorIndex(db, dims).then(({ ms: _ms, ...r }) => r), { vectors: 1200, lists: 35, rebuilt: true });
  assert.equal((await refreshVectorIndex(db, dims)).rebuilt, false, 'none newer than the new build');
  // a build lifts the statement timeout for its transaction (a server role's, set for requests, would cancel it)
  const buildTimeout = await db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL statement_timeout = '5s'`);
    await embeddingsRepository(tx).buildVectorIndex(dims, 35);
    return (await tx.one<{ statement_timeout: string }>(sql`SHOW statement_timeout`))!.statement_timeout;
  });
  assert.equal(buildTimeout, '0');

  // the search's index scan against an exact scan, queries near the clusters' centres
  let found = 0;
  for (const c of centres.slice(0, 20)) {
    const v = near(c, 0.1);
    const [approx, exact] = await db.transaction(async (tx) => {
      const r = searchRepository(tx);
      await r.useIvfScan(10, IVF_MAX_PROBES);
      const scanned = await r.vectorScan(dims, v, [sql`true`], 10);
      await r.useExactScan();
      return [scanned, await r.vectorExact(dims, v, [sql`true`], 10)];
    });
    assert.equal(exact.length, 10);
    found += exact.filter((e) => approx.some((a) => a.id === e.id)).length;
  }
  assert.ok(found / 200 >= 0.95, `recall@10 ${found / 200}`);

  // shrunk below the partitioned size: back to one list
  await db.query(sql`DELETE FROM posts WHERE id = ANY(${ids.slice(300)}::bigint[])`);
  assert.deepEqual(await refreshVectorIndex(db, dims).then(({ ms: _ms, ...r }) => r), { vectors: 300, lists: 1, rebuilt: true });
  await db.exec(`DROP TABLE ${table}`);
  await db.query(sql`DELETE FROM posts WHERE id = ANY(${ids}::bigint[])`);
});

test('a big vector index gets the build memory pgvector asks for (k-means keeps a bound per sample and list)', async () => {
  // 30,000 vectors into 600 lists: the lists² part of k-means' memory (~72 MB) exceeds what counting the
  // sampled vectors alone gave (64 MB: "memory required is 72 MB"); at 512 dims the same happens from ~470 lists.
  // A bare table of its own dimension (no listings: the build reads only the vectors)
  const db = ctx.deps.db;
  const dims = 8;
  const table = vectorTable(dims);
  await db.exec(`CREATE TABLE ${table} (post_id bigint PRIMARY KEY, embedder_id text NOT NULL, embedding vector(${dims}) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO ${table} (post_id, embedder_id, embedding)
      SELECT g, 'test', ARRAY[sin(g), cos(g), sin(3 * g), cos(5 * g), sin(7 * g), cos(11 * g), sin(13 * g), 1]::vector(${dims}) FROM generate_series(1, 30000) g`);
  try {
    await db.transaction((tx) => embeddingsRepository(tx).buildVectorIndex(dims, 600));
    assert.equal((await embeddingsRepository(db).vectorIndexState(dims)).lists, 600);
  } finally {
    await db.exec(`DROP TABLE ${table}`);
  }
});
}
