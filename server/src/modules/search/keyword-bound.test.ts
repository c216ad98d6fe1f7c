// The keyword branch's candidates are bounded and filtered inside the bounded statement (issue 9 point
// 15): a common word found in more listings than the bounds yields at most that many candidates,
// and a filter (category, fee, paused, deleted) is applied before the bound, so the few listings that
// pass it are found even when hundreds of others match first — and a filtered-out listing never appears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { sql } from '../../db/sql.ts';
import { categoryId, ensureMember, regionId } from '../../../test/factories.ts';
import { CANDIDATES_PER_TERM, CANDIDATES_WITH_EVERY_TERM, DF_CAP, keywordCandidates, ownSetTerms } from './keyword.ts';
import { filterSql } from './repository.ts';
import { KEYWORD_LIMIT } from './service.ts';

let ctx: TestContext;
let chairCategory: number;
/** the chairs that pass every filter, inserted after all the tents (the last rows a scan reaches) */
let chairs: number[];
/** chairs that contain the word but must never be offered: paused, deleted, too expensive */
let hidden: { paused: number; deleted: number; pricey: number };

const TENTS = CANDIDATES_WITH_EVERY_TERM + 60;

before(async () => {
  ctx = await createTestContext();
  const db = ctx.deps.db;
  const author = await ensureMember(db, 'bound');
  const [tent, region] = [await categoryId(db, '텐트'), await regionId(db, '서울특별시 마포구')];
  chairCategory = await categoryId(db, '캠핑의자/테이블');
  await db.query(sql`INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
    SELECT ${author}, '캠핑 텐트 ' || n || '호', '캠핑장에서 쓰던 텐트입니다.', ${tent}, 10000, 50000, 'ANY', 'ANY'
    FROM generate_series(1, ${TENTS}::int) n`);
  const chair = async (title: string, fee: number) => (await db.one<{ id: number }>(sql`
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
    VALUES (${author}, ${title}, '캠핑 갈 때 쓰는 접이식 의자.', ${chairCategory}, ${fee}, 20000, 'ANY', 'ANY') RETURNING id`))!.id;
  chairs = [await chair('캠핑 의자 A', 3000), await chair('캠핑 의자 B', 4000), await chair('캠핑 의자 C', 5000)];
  hidden = { paused: await chair('캠핑 의자 숨김', 3000), deleted: await chair('캠핑 의자 삭제', 3000), pricey: await chair('캠핑 의자 비쌈', 90000) };
  await db.query(sql`UPDATE posts SET paused_at = now() WHERE id = ${hidden.paused}`);
  await db.query(sql`UPDATE posts SET deleted_at = now() WHERE id = ${hidden.deleted}`);
  await db.query(sql`INSERT INTO post_regions (post_id, region_id) SELECT id, ${region} FROM posts WHERE author_id = ${author}`);
});
after(() => ctx.close());

/** The keyword branch's candidates as keywordRank gathers them for a search (KEYWORD_LIMIT hits asked). */
const candidates = (terms: string[], filters: Parameters<typeof filterSql>[0]) =>
  ctx.deps.db.transaction(async (tx) => {
    const weighed = terms.map((term) => ({ term, typedAs: null, df: 1, idf: 1 }));
    return (await keywordCandidates(tx, weighed, filterSql(filters), KEYWORD_LIMIT)).map((c) => c.id);
  });

test(`a word in ${TENTS + 6} listings yields at most ${CANDIDATES_WITH_EVERY_TERM} candidates, and each word of a longer query at most ${CANDIDATES_PER_TERM} more`, async () => {
  const matching = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM posts WHERE title LIKE '캠핑%' AND deleted_at IS NULL`);
  assert.ok(matching!.n > CANDIDATES_WITH_EVERY_TERM, `premise: ${matching!.n} listings contain 캠핑`);
  const one = await candidates(['캠핑'], {});
  assert.equal(one.length, CANDIDATES_WITH_EVERY_TERM);
  assert.equal(new Set(one).size, one.length);
  // two terms: the all-terms set, bounded; the tents hold both words and fill the answer, so no listing
  // with one of them (the chairs: 캠핑 only) is read — it would rank below every tent
  const two = await candidates(['캠핑', '텐트'], {});
  assert.equal(two.length, CANDIDATES_WITH_EVERY_TERM);
  for (const id of chairs) assert.ok(!two.includes(id), `chair ${id} (one word of two) is not read beside a full every-term set`);
  // a pair no listing holds together: each word's own set comes in, bounded (160 tents → 50)
  const apart = await candidates(['텐트', '접이식'], {});
  const chairsWithTheWord = [...chairs, hidden.pricey]; // paused and deleted are not listed
  assert.deepEqual(apart.filter((id) => chairsWithTheWord.includes(id)).sort((x, y) => x - y), chairsWithTheWord.sort((x, y) => x - y));
  assert.equal(apart.length, CANDIDATES_PER_TERM + chairsWithTheWord.length);
  // a word of the query in no listing with the other: its own set still brings its listings
  const chairWord = await candidates(['텐트', '의자'], {});
  for (const id of chairs) assert.ok(chairWord.includes(id), `chair ${id} comes in through its own word`);
});

test('filters apply inside the bound: the few listings that pass are found behind hundreds of matches, and no filtered-out one', async () => {
  const inCategory = await candidates(['캠핑'], { categoryId: chairCategory });
  assert.deepEqual([...inCategory].sort((x, y) => x - y), [...chairs, hidden.pricey].sort((x, y) => x - y));
  const cheap = await candidates(['캠핑'], { categoryId: chairCategory, maxFee: 10000 });
  assert.deepEqual([...cheap].sort((x, y) => x - y), chairs);
  for (const id of Object.values(hidden)) assert.ok(!cheap.includes(id), `filtered-out listing ${id} is not a candidate`);
});

test('GET /search: a category and fee filter finds exactly the matching chairs among hundreds of 캠핑 listings', async () => {
  const res = await ctx.app.inject({
    method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('캠핑')}&mode=keyword&categoryId=${chairCategory}&maxFee=10000&limit=50`,
  });
  assert.equal(res.statusCode, 200, res.body);
  const ids = (res.json().items as { listing: { id: number } }[]).map((h) => h.listing.id);
  assert.deepEqual([...ids].sort((x, y) => x - y), chairs);
  // and unfiltered, the answer is a page of tents and chairs, never a paused or deleted listing
  const all = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('캠핑 의자')}&mode=keyword&limit=50` });
  assert.equal(all.statusCode, 200, all.body);
  const found = (all.json().items as { listing: { id: number } }[]).map((h) => h.listing.id);
  for (const id of chairs) assert.ok(found.includes(id), `chair ${id} found by its full query`);
  assert.ok(!found.includes(hidden.paused) && !found.includes(hidden.deleted));
});

test('a word found everywhere brings no candidate set of its own in a longer query, but the rarest word always does', () => {
  const term = (t: string, df: number) => ({ term: t, typedAs: null, df, idf: 1 });
  const own = (...ts: ReturnType<typeof term>[]) => ownSetTerms(ts).map((t) => t.term);
  assert.deepEqual(own(term('주말', DF_CAP), term('캠핑', 800), term('랜턴', 40)), ['캠핑', '랜턴']);
  assert.deepEqual(own(term('주말', DF_CAP), term('여행', DF_CAP)), ['주말'], 'all common: the first of the rarest');
  assert.deepEqual(own(term('사진', DF_CAP - 1), term('여행', DF_CAP)), ['사진']);
});
