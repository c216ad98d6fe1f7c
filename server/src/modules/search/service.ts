// Hybrid search: keyword (pg_trgm: ILIKE + word_similarity, works for Korean) and vector (pgvector
// cosine over HNSW), fused with reciprocal rank fusion. Every filter — public only, category and
// region with children, fee range, available dates — is inside both SQL branches, before ranking.
// Paging: the fused ranking is deterministic for a given query and data, so the cursor is an offset
// into it (at most 2 × BRANCH_LIMIT hits per query).
import type { Deps } from '../../deps.ts';
import type { Database, Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { badRequest } from '../../http/errors.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { stem, words } from '../../ai/korean-text.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { categoryFilter, regionFilter } from '../catalog/service.ts';
import { availableBetween } from '../reservations/booked.ts';
import { LIST_ITEM_FROM, LIST_ITEM_SELECT, toListItem } from '../posts/service.ts';
import type { MatchInfo, SearchHit, SearchPage } from './schemas.ts';
import { queryVector, vectorTable } from '../embeddings/store.ts';
import { decodeCursor, encodeCursor } from '../../http/wire.ts';

export const BRANCH_LIMIT = 100;
export const RRF_K = 60;
/** vector hits below this cosine similarity are noise for the local embedder, not matches */
export const MIN_SEMANTIC_SIMILARITY = 0.08;
const HNSW_EF_SEARCH = 100;
/** the walk's budget before the exact scan takes over (pgvector's default is 20,000) */
const HNSW_MAX_SCAN_TUPLES = 2_000;
/** fewer matches above MIN_SEMANTIC_SIMILARITY than this from the walk → exact scan */
const HNSW_MIN_USABLE = 10;
// Planner settings per branch, each sent as one script (one round trip) inside the branch's transaction.
const KEYWORD_SETTINGS = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off';
const HNSW_WALK_SETTINGS = `SET LOCAL hnsw.ef_search = ${HNSW_EF_SEARCH}; SET LOCAL hnsw.iterative_scan = relaxed_order;
  SET LOCAL hnsw.max_scan_tuples = ${HNSW_MAX_SCAN_TUPLES}; SET LOCAL enable_sort = off`; // the index order, not a sort of every distance
const EXACT_SCAN_SETTINGS = 'SET LOCAL enable_sort = on; SET LOCAL enable_indexscan = off';

export interface SearchFilters {
  categoryId?: number;
  regionId?: number;
  minFee?: number;
  maxFee?: number;
  from?: string;
  to?: string;
  /** listings to leave out (e.g. the listing itself for "similar") */
  excludeIds?: number[];
}

export interface RankedHit {
  id: number;
  score: number;
  match: MatchInfo;
}

// Words that say nothing about the thing wanted; they only add keyword noise.
const STOPWORDS = new Set(['필요한', '필요', '거', '것', '때', '좀', '있는', '하는', '갈', '할', '수', '및', '등', '관련', '추천', '빌릴', '빌려', '대여', '싶은', '싶어요', '어디', '뭐', '무엇']);

/** Keyword terms of a query: lower-cased words with one particle stripped, stopwords out, ≤ 8. */
export function queryTerms(q: string): string[] {
  const out: string[] = [];
  for (const w of words(q)) {
    const t = stem(w).replace(/[\\%_]/g, '');
    if (!t || STOPWORDS.has(w) || STOPWORDS.has(t)) continue;
    if (Array.from(t).length < 2 && !/^[0-9a-z]{2,}$/.test(t)) continue;
    if (!out.includes(t)) out.push(t);
    if (out.length === 8) break;
  }
  return out;
}

export function filterConditions(f: SearchFilters, alias = 'p'): Sql[] {
  const a = sql.raw(alias);
  const where: Sql[] = [sql.raw(publicPostCondition(alias))];
  if (f.categoryId) where.push(categoryFilter([f.categoryId], alias));
  if (f.regionId) where.push(regionFilter([f.regionId], alias));
  if (f.minFee !== undefined) where.push(sql`${a}.fee >= ${f.minFee}`);
  if (f.maxFee !== undefined) where.push(sql`${a}.fee <= ${f.maxFee}`);
  if (f.from || f.to) {
    const from = f.from ?? f.to!;
    const to = f.to ?? f.from!;
    if (from > to) throw badRequest('BAD_DATES', '시작일은 종료일보다 늦을 수 없습니다');
    where.push(availableBetween(alias, from, to));
  }
  if (f.excludeIds?.length) where.push(sql`${a}.id <> ALL(${f.excludeIds}::bigint[])`);
  return where;
}

const TEXT = sql.raw(`(p.title || ' ' || p.content)`);

/**
 * Keyword branch: listings whose title or content contains a term (ILIKE, found through the bigram
 * GIN index of migration 022 — the trigram index cannot serve 2-syllable Korean terms), or whose title
 * is a close trigram match of one (typos; title trigram index). Score: 1 per term in the title, 0.6
 * in the content, plus title similarity.
 */
export async function keywordRank(q: Database, terms: string[], where: Sql[], limit = BRANCH_LIMIT, query = terms.join(' ')) {
  if (!terms.length) return [];
  // Candidates as a UNION of index-only conditions (no OR): each arm is answered by its GIN index and
  // its condition is not re-evaluated per row (text_bigrams() of a long text is the costly part).
  const candidates = sql.join(
    terms.flatMap((t) => [
      sql`SELECT p.id FROM posts p WHERE text_bigrams(${TEXT}) @> text_bigrams(${t}::text) AND ${TEXT} ILIKE ${'%' + t + '%'}`,
      sql`SELECT p.id FROM posts p WHERE ${t} <% p.title`,
    ]),
    ' UNION ',
  );
  // Two statements: with the candidates as a literal id list the planner fetches them by primary key
  // instead of guessing a join order from the filters' (often poor) row estimates. Bitmap scans only:
  // the planner prices word_similarity per row far too low and would rather read every title than
  // the title trigram index (measured 48–82 ms against 6 ms at 10k listings).
  return q.transaction(async (tx) => {
    await tx.exec(KEYWORD_SETTINGS);
    const ids = (await tx.query<{ id: number }>(candidates)).map((r) => r.id);
    if (!ids.length) return [];
    return tx.query<{ id: number; kscore: number; terms: string[] }>(sql`
      SELECT p.id, k.score + 0.5 * similarity(p.title, ${query}) AS kscore, k.terms FROM posts p,
        LATERAL (SELECT coalesce(sum(s.v), 0)::float8 AS score, coalesce(array_agg(s.t) FILTER (WHERE s.v > 0), '{}') AS terms
          FROM (SELECT u.t, CASE WHEN p.title ILIKE '%' || u.t || '%' THEN 1.0
                             WHEN p.content ILIKE '%' || u.t || '%' THEN 0.6
                             ELSE 0 END AS v
                FROM unnest(${terms}::text[]) AS u(t)) s) k
      WHERE p.id = ANY(${ids}::bigint[]) AND ${sql.join(where, ' AND ')}
      ORDER BY 2 DESC, p.id DESC LIMIT ${limit}`);
  });
}

/** Is the semantic branch usable for this embedder? (pgvector present and its table exists) */
const vectorReady = new WeakMap<object, Map<number, boolean>>();
export async function semanticAvailable(deps: Deps): Promise<boolean> {
  if (!deps.db.vectorAvailable) return false;
  const dims = embedderFor(deps.config).dimensions;
  let byDims = vectorReady.get(deps.db);
  if (!byDims) vectorReady.set(deps.db, (byDims = new Map()));
  if (!byDims.has(dims)) {
    const row = await deps.db.one<{ ok: boolean }>(sql`SELECT to_regclass(${vectorTable(dims)}) IS NOT NULL AS ok`);
    if (!row?.ok) return false; // not created yet: ask again next time
    byDims.set(dims, true);
  }
  return true;
}

/**
 * Vector branch: nearest public listings by cosine under the filters.
 *
 * Default: walk the HNSW index with pgvector's iterative scan, checking the filters on each listing
 * the walk reaches (a per-row subquery, so the planner cannot turn it into a join that scans every
 * post), until `limit` pass or HNSW_MAX_SCAN_TUPLES were visited. When the walk returns fewer than
 * `limit` (a selective filter, or a small catalogue) or too few real matches, the exact scan over the
 * filtered listings answers instead. `exact` forces the exact scan (recall reference).
 */
export async function vectorRank(deps: Deps, vector: number[], where: Sql[], limit = BRANCH_LIMIT, exact = false) {
  const dims = embedderFor(deps.config).dimensions;
  const table = sql.raw(vectorTable(dims));
  const qv = queryVector(vector, dims);
  const conditions = sql.join(where, ' AND ');
  return deps.db.transaction(async (tx) => {
    let rows: { id: number; sim: number }[] = [];
    if (!exact) {
      await tx.exec(HNSW_WALK_SETTINGS);
      rows = await tx.query<{ id: number; sim: number }>(sql`
        SELECT e.post_id AS id, 1 - (e.embedding <=> ${qv}) AS sim FROM ${table} e
        WHERE (SELECT true FROM posts p WHERE p.id = e.post_id AND ${conditions})
        ORDER BY e.embedding <=> ${qv} LIMIT ${limit}`);
    }
    // The walk can also get lost: with the local embedder most listings sit at a flat, low similarity
    // to a query, and a listing unlike the rest of the catalogue (a new kind of thing) may be
    // unreachable from the graph's entry point. Few usable matches → ask the exact scan.
    const usable = rows.filter((r) => r.sim >= MIN_SEMANTIC_SIMILARITY).length;
    if (rows.length < limit || usable < Math.min(limit, HNSW_MIN_USABLE)) {
      await tx.exec(EXACT_SCAN_SETTINGS);
      rows = await tx.query<{ id: number; sim: number }>(sql`
        SELECT e.post_id AS id, 1 - (e.embedding <=> ${qv}) AS sim
        FROM ${table} e JOIN posts p ON p.id = e.post_id
        WHERE ${conditions}
        ORDER BY e.embedding <=> ${qv} LIMIT ${limit}`);
    }
    return rows.sort((x, y) => y.sim - x.sim || y.id - x.id);
  });
}

function reasonOf(m: Omit<MatchInfo, 'reason'>): string {
  const parts: string[] = [];
  if (m.keyword?.terms.length) parts.push(`키워드 '${m.keyword.terms.join("', '")}' 포함`);
  else if (m.keyword) parts.push('비슷한 철자의 단어 포함');
  if (m.semantic) parts.push(`의미 유사도 ${m.semantic.similarity.toFixed(2)}`);
  return parts.join(' · ');
}

/** Reciprocal rank fusion of the two branches; ties broken by id (newer first) for stable paging. */
export function fuse(
  keyword: { id: number; kscore: number; terms: string[] }[],
  semantic: { id: number; sim: number }[],
): RankedHit[] {
  const hits = new Map<number, RankedHit>();
  const get = (id: number) => {
    let h = hits.get(id);
    if (!h) hits.set(id, (h = { id, score: 0, match: { keyword: null, semantic: null, reason: '' } }));
    return h;
  };
  keyword.forEach((k, rank) => {
    const h = get(k.id);
    h.score += 1 / (RRF_K + rank + 1);
    h.match.keyword = { terms: k.terms, score: Math.round(k.kscore * 1000) / 1000 };
  });
  semantic.forEach((s, rank) => {
    const h = get(s.id);
    h.score += 1 / (RRF_K + rank + 1);
    h.match.semantic = { similarity: Math.round(s.sim * 1000) / 1000 };
  });
  const out = [...hits.values()].sort((a, b) => b.score - a.score || b.id - a.id);
  for (const h of out) {
    h.match.reason = reasonOf(h.match);
    h.score = Math.round(h.score * 1e6) / 1e6;
  }
  return out;
}

type ListRow = Parameters<typeof toListItem>[0];

/** Ranked ids → hits with their listing cards, in rank order (a listing gone meanwhile is skipped). */
export async function withListings(q: Queryable, ranked: RankedHit[]): Promise<SearchHit[]> {
  if (!ranked.length) return [];
  const rows = await q.query<ListRow>(sql`SELECT ${LIST_ITEM_SELECT} FROM ${LIST_ITEM_FROM} WHERE p.id = ANY(${ranked.map((h) => h.id)}::bigint[])`);
  const byId = new Map(rows.map((r) => [r.id, toListItem(r)]));
  return ranked.flatMap((h) => {
    const listing = byId.get(h.id);
    return listing ? [{ listing, score: h.score, match: h.match }] : [];
  });
}

export const encodeOffset = (offset: number): string => encodeCursor({ o: offset });
export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  return decodeCursor<{ o: number }>(cursor, ({ o }) => Number.isInteger(o) && o >= 0 && o <= 10_000).o;
}

export function searchService(deps: Deps) {
  /** The fused ranking (ids + why) for a query under filters; the HTTP page is a slice of it. */
  async function rank(query: string, filters: SearchFilters, opts: { branchLimit?: number } = {}) {
    const where = filterConditions(filters);
    const terms = queryTerms(query);
    const semantic = await semanticAvailable(deps);
    const limit = opts.branchLimit ?? BRANCH_LIMIT;
    const keyword = await keywordRank(deps.db, terms, where, limit, query);
    let vector: { id: number; sim: number }[] = [];
    if (semantic && query.trim()) {
      const [v] = await embedderFor(deps.config).embed([query]);
      vector = (await vectorRank(deps, v, where, limit)).filter((r) => r.sim >= MIN_SEMANTIC_SIMILARITY);
    }
    return { hits: fuse(keyword, vector), terms, semantic };
  }

  async function search(query: string, filters: SearchFilters, page: { cursor?: string; limit?: number } = {}): Promise<SearchPage> {
    const offset = decodeOffset(page.cursor);
    const limit = Math.min(Math.max(page.limit ?? 20, 1), 50);
    if (!query.trim()) {
      // no query: the filtered catalogue, newest first, cards and all in one statement
      const rows = await deps.db.query<ListRow>(sql`SELECT ${LIST_ITEM_SELECT} FROM ${LIST_ITEM_FROM}
        WHERE ${sql.join(filterConditions(filters), ' AND ')}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit + 1} OFFSET ${offset}`);
      return {
        items: rows.slice(0, limit).map((r) => ({ listing: toListItem(r), score: 0, match: { keyword: null, semantic: null, reason: '필터 조건 일치' } })),
        nextCursor: rows.length > limit ? encodeOffset(offset + limit) : null,
        semanticAvailable: await semanticAvailable(deps),
        terms: [],
      };
    }
    const { hits, terms, semantic } = await rank(query, filters);
    return {
      items: await withListings(deps.db, hits.slice(offset, offset + limit)),
      nextCursor: hits.length > offset + limit ? encodeOffset(offset + limit) : null,
      semanticAvailable: semantic,
      terms,
    };
  }

  return { rank, search };
}
