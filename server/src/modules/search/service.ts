// Hybrid search: a keyword branch (keyword.ts: Korean-aware terms, BM25, typo tolerance) and a vector
// branch (pgvector cosine over an IVFFlat index), fused by match strength. Every filter — public only, category
// and region with children, fee range, available dates — is inside both SQL branches, before ranking.
//
// Relevance is calibrated (calibration.ts): a vector hit counts only above the embedder's null
// floor, so a nonsense query (zzqxv, ㅋㅋㅋ, 비트코인) finds nothing. Fusion by strength: keyword
// strength is the share of the query's IDF mass a listing contains; semantic strength is how far its
// similarity clears the floor, in units of the floor's own margin over the null mean. The fused score
// is their sum — a listing both branches like ranks first, a strong match of one branch beats a weak
// match of both — and ties go to the stronger single branch, then the lower id (never "newest wins").
//
// Paging: the fused ranking is deterministic for a given query and data, so the cursor is an offset
// into it (at most KEYWORD_LIMIT + SEMANTIC_LIMIT hits per query).
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../http/errors.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { words } from '../../ai/korean-text.ts';
import { toListItem } from '../posts/mapping.ts';
import { catalogService } from '../catalog/service.ts';
import type { Point } from '../neighbourhoods/geo.ts';
import type { MatchInfo, SearchHit, SearchPage } from './schemas.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { seoulDate } from '../../lib/dates.ts';
import { keywordRank, queryWords, weighTerms, type KeywordHit, type QueryTerm } from './keyword.ts';
import { calibrationFor, type Calibration } from './calibration.ts';
import { describeMatch } from './reasons.ts';
import { embedderDown, markEmbedderDown, markEmbedderUp } from '../embeddings/health.ts';
import { embeddingsRepository } from '../embeddings/repository.ts';
import { filterSql, searchRepository, type SearchFilters, type VectorHit } from './repository.ts';
import type { Sql } from '../../db/sql.ts';

export { queryTerms } from './keyword.ts';
export type { SearchFilters } from './repository.ts';

/** the keyword branch's hits in a search */
export const KEYWORD_LIMIT = 100;
/** the vector branch's hits in a search: the index scan's cost grows with them, most under a filter that
 *  passes few of the listings it visits (100k bench with the HNSW index of then, city + fee + dates: 100 → 50 hits, 18 → 11 ms);
 *  a page shows 20, and the semantic matches past the nearest 50 add little beside the keyword hits */
export const SEMANTIC_LIMIT = 50;
/** IVFFlat lists scanned per search (embeddings/vector-index.ts: √n lists). At 100k varied listings
 *  (hundreds of near-copies of each demo listing), 116 queries: recall@10 against an exact scan 0.93 /
 *  0.96 / 0.98 / 0.99 at 4 / 6 / 8 / 10 probes (the branch 7.6 ms p50 at 10). The HNSW graph it replaced
 *  (migration 280) reached 0.93 at its widest beam (13.1 ms): its walk stayed inside one family of near-duplicates. */
const IVF_PROBES = 10;
/** a filter that passes few of the probed lists' listings makes the iterative scan probe more, up to this */
export const IVF_MAX_PROBES = 40;
/** a filtered set up to this size is scanned exactly when the index scan comes back short */
const EXACT_SCAN_MAX = 2_000;
/** the newest vectors scanned exactly beside the index, and how many of their nearest are merged: the
 *  lists' centroids are fitted to the vectors present at the index's build, so a kind of thing listed
 *  since has no centroid of its own and joins the nearest list, which a query for it need not probe */
const RECENT_VECTORS = 500;
const RECENT_NEAREST = 20;
/** a query's embedding may take this long before search answers from keywords alone */
export const QUERY_EMBED_TIMEOUT_MS = 3_000;
export type SearchMode = 'hybrid' | 'keyword' | 'semantic';
export type SearchSort = 'relevance' | 'newest' | 'fee' | 'distance';
/** why the vector branch did not take part although it was wanted */
export type SemanticFallback = 'NO_VECTOR_STORE' | 'EMBEDDER_UNAVAILABLE';

export interface RankedHit {
  id: number;
  score: number;
  match: MatchInfo;
}

/** The filters as SQL conditions, after checking them (a date range must not run backwards). */
export function filterConditions(f: SearchFilters): Sql[] {
  if (f.from && f.to && f.from > f.to) throw badRequest('BAD_DATES', '시작일은 종료일보다 늦을 수 없습니다');
  return filterSql(f);
}

/** Is the semantic branch usable for this embedder? (pgvector present and its table exists) */
const vectorReady = new WeakMap<object, Map<number, boolean>>();
export async function semanticAvailable(deps: Deps): Promise<boolean> {
  if (!deps.db.vectorAvailable) return false;
  const dims = embedderFor(deps.config).dimensions;
  let byDims = vectorReady.get(deps.db);
  if (!byDims) {
    byDims = new Map();
    vectorReady.set(deps.db, byDims);
  }
  if (!byDims.has(dims)) {
    if (!(await embeddingsRepository(deps.db).vectorTableExists(dims))) return false; // not created yet: ask again next time
    byDims.set(dims, true);
  }
  return true;
}

/**
 * Vector branch: nearest public listings by cosine under the filters.
 *
 * Scan the IVFFlat index's IVF_PROBES lists nearest the query, checking the filters on each listing
 * in distance order (a per-row subquery, so the planner cannot turn it into a join that scans every
 * post), probing more lists (pgvector's iterative scan, up to IVF_MAX_PROBES) while fewer than `limit`
 * pass. Only a scan that comes back short can miss anything — a selective filter, or a small
 * catalogue — and then, if the filtered listings number at most EXACT_SCAN_MAX (counted with a LIMIT),
 * the exact scan over them answers: cheap, since they are few. A filter that passes more keeps the
 * index's answer. The nearest of the newest vectors are merged in (RECENT_VECTORS). How similar the
 * hits are plays no part: a nonsense query's scan is as quick as any other, and its hits fall below
 * the floor later. `exact` forces the exact scan (the recall reference).
 */
export async function vectorRank(deps: Deps, vector: number[], where: Sql[], limit = SEMANTIC_LIMIT, exact = false): Promise<VectorHit[]> {
  const dims = embedderFor(deps.config).dimensions;
  return deps.db.transaction(async (tx) => {
    const repo = searchRepository(tx);
    let rows: VectorHit[] = [];
    let recent: VectorHit[] = [];
    if (!exact) {
      await repo.useIvfScan(IVF_PROBES, IVF_MAX_PROBES);
      const found = await repo.vectorScanAndRecent(dims, vector, where, limit, RECENT_VECTORS, Math.min(limit, RECENT_NEAREST));
      rows = found.filter((r) => !r.recent);
      recent = found.filter((r) => r.recent);
    }
    if (exact || (rows.length < limit && (await repo.countFiltered(where, EXACT_SCAN_MAX + 1)) <= EXACT_SCAN_MAX)) {
      await repo.useExactScan();
      rows = await repo.vectorExact(dims, vector, where, limit);
    } else {
      const scanned = new Set(rows.map((r) => r.id));
      rows = [...rows, ...recent.filter((r) => !scanned.has(r.id))];
    }
    return rows.sort((x, y) => y.sim - x.sim || x.id - y.id).slice(0, limit);
  });
}

/** Semantic strength in [0, 1]: 0 at the floor, 1 one floor-margin (floor − null mean) above it. */
export function semanticStrength(sim: number, c: Calibration): number {
  const margin = Math.max(c.minSimilarity - c.nullMean, 1e-6);
  return Math.min(1, Math.max(0, (sim - c.minSimilarity) / margin));
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Fusion by strength. Keyword hits enter with their coverage (share of the query's IDF mass, 0..1),
 * semantic hits with semanticStrength; a listing's score is the sum. Semantic hits at or below the
 * floor were dropped before; without a calibration (`calibration` null) they only re-rank keyword hits.
 */
export function fuse(keyword: KeywordHit[], semantic: { id: number; sim: number }[], calibration: Calibration | null, terms: QueryTerm[] = []): RankedHit[] {
  // best/bm25/sim only break ties: strengths saturate at 1, and then the raw closeness must still decide
  const hits = new Map<number, RankedHit & { best: number; bm25: number; sim: number }>();
  const get = (id: number) => {
    let h = hits.get(id);
    if (!h) {
      h = { id, score: 0, best: 0, bm25: 0, sim: 0, match: { keyword: null, semantic: null, reason: '', reasons: [] } };
      hits.set(id, h);
    }
    return h;
  };
  const corrected = new Map(terms.filter((t) => t.typedAs).map((t) => [t.term, t.typedAs!]));
  for (const k of keyword) {
    const h = get(k.id);
    h.score += k.coverage;
    h.best = Math.max(h.best, k.coverage);
    h.bm25 = k.bm25;
    h.match.keyword = {
      terms: k.terms,
      words: k.words,
      score: round(k.bm25),
      coverage: round(k.coverage),
      corrected: k.terms.filter((t) => corrected.has(t)).map((t) => ({ from: corrected.get(t)!, to: t })),
    };
  }
  for (const s of semantic) {
    const strength = calibration ? semanticStrength(s.sim, calibration) : 0;
    if (calibration && s.sim < calibration.minSimilarity) continue;
    if (!calibration && !hits.has(s.id)) continue;
    const h = get(s.id);
    h.score += strength;
    h.best = Math.max(h.best, strength);
    h.sim = s.sim;
    h.match.semantic = { similarity: round(s.sim), strength: round(strength) };
  }
  const out = [...hits.values()].sort((a, b) =>
    b.score - a.score || b.best - a.best || b.sim - a.sim || b.bm25 - a.bm25 || a.id - b.id);
  return out.map(({ best: _best, bm25: _bm25, sim: _sim, ...h }) => {
    const { reasons, reason } = describeMatch(h.match);
    return { ...h, score: round(h.score, 6), match: { ...h.match, reasons, reason } };
  });
}

/** Ranked ids → hits with their listing cards, in rank order (a listing gone meanwhile is skipped). */
export async function withListings(deps: Deps, ranked: RankedHit[], point: Point | null = null): Promise<SearchHit[]> {
  const rows = await searchRepository(deps.db).listCards(ranked.map((h) => h.id), { point, now: deps.clock.now() });
  const byId = new Map(rows.map((r) => [r.id, toListItem(r)]));
  return ranked.flatMap((h) => {
    const listing = byId.get(h.id);
    return listing ? [{ listing, score: h.score, match: h.match }] : [];
  });
}

/** Orders matched hits by something other than relevance (ties keep relevance order). */
async function orderHits(deps: Deps, hits: RankedHit[], sort: Exclude<SearchSort, 'distance'>): Promise<RankedHit[]> {
  if (sort === 'relevance' || hits.length < 2) return hits;
  const rows = await searchRepository(deps.db).sortKeys(hits.map((h) => h.id));
  const key = new Map(rows.map((r) => [r.id, r]));
  const rank = new Map(hits.map((h, i) => [h.id, i]));
  const by = sort === 'newest'
    ? (a: RankedHit, b: RankedHit) => new Date(key.get(b.id)?.listed_at ?? 0).getTime() - new Date(key.get(a.id)?.listed_at ?? 0).getTime()
    : (a: RankedHit, b: RankedHit) => (key.get(a.id)?.fee ?? 0) - (key.get(b.id)?.fee ?? 0);
  return [...hits].sort((a, b) => by(a, b) || rank.get(a.id)! - rank.get(b.id)!);
}

export const encodeOffset = (offset: number): string => encodeCursor({ o: offset });
export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  return decodeCursor<{ o: number }>(cursor, ({ o }) => Number.isInteger(o) && o >= 0 && o <= 10_000).o;
}

/** A query worth searching: some letter or digit. ' ', '?!' and '' are not. */
export const hasSearchableText = (q: string) => words(q).length > 0;

/** The query's vector, or why there is none (the caller falls back to keywords). */
export async function embedQuery(deps: Deps, query: string): Promise<{ vector: number[] } | { fallback: SemanticFallback }> {
  if (embedderDown(deps.config)) return { fallback: 'EMBEDDER_UNAVAILABLE' };
  let timer: NodeJS.Timeout | undefined;
  try {
    const [v] = await Promise.race([
      embedderFor(deps.config).embed([query]),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`임베딩 서버가 ${QUERY_EMBED_TIMEOUT_MS}ms 안에 답하지 않음`)), QUERY_EMBED_TIMEOUT_MS); }),
    ]);
    markEmbedderUp(deps.config);
    return { vector: v };
  } catch (err) {
    markEmbedderDown(deps.config);
    deps.log.warn({ err: (err as Error).message }, 'query embedding failed; keyword search only');
    return { fallback: 'EMBEDDER_UNAVAILABLE' };
  } finally {
    clearTimeout(timer);
  }
}

export interface RankOptions {
  mode?: SearchMode;
}

export function searchService(deps: Deps) {
  /** The fused ranking (ids + why) for a query under filters; the HTTP page is a slice of it. */
  async function rank(query: string, filters: SearchFilters, opts: RankOptions = {}) {
    const mode = opts.mode ?? 'hybrid';
    const where = filterConditions(filters);
    const none = { hits: [] as RankedHit[], terms: [] as QueryTerm[], semantic: false, fallback: null as SemanticFallback | null };
    if (!hasSearchableText(query)) return none;

    const asked = queryWords(query);
    const terms = mode === 'semantic' ? [] : await weighTerms(deps.db, asked.terms);
    const keyword = mode === 'semantic' ? [] : await keywordRank(deps.db, terms, where, KEYWORD_LIMIT, asked.short);

    let vector: { id: number; sim: number }[] = [];
    let calibration: Calibration | null = null;
    let fallback: SemanticFallback | null = null;
    let semantic = false;
    if (mode !== 'keyword') {
      if (!(await semanticAvailable(deps))) fallback = 'NO_VECTOR_STORE';
      else {
        const embedded = await embedQuery(deps, query);
        if ('fallback' in embedded) fallback = embedded.fallback;
        else {
          semantic = true;
          calibration = await calibrationFor(deps);
          vector = await vectorRank(deps, embedded.vector, where);
        }
      }
    }
    return { hits: fuse(keyword, vector, calibration, terms), terms, semantic, fallback };
  }

  async function search(
    query: string,
    filters: SearchFilters,
    page: { cursor?: string; limit?: number } = {},
    opts: { mode?: SearchMode; sort?: SearchSort } = {},
  ): Promise<SearchPage> {
    const offset = decodeOffset(page.cursor);
    const limit = Math.min(Math.max(page.limit ?? 20, 1), 50);
    const mode = opts.mode ?? 'hybrid';
    const sort = opts.sort ?? 'relevance';
    const point = filters.point ?? null;
    if (sort === 'distance' && !point) throw badRequest('POINT_REQUIRED', '거리순 정렬에는 near=me 또는 lat/lng가 필요합니다');
    if (query === '') {
      // no query at all: the filtered catalogue (newest first, by fee or nearest first), cards and all in one statement
      const order = sort === 'distance' || sort === 'fee' ? sort : 'newest';
      const rows = await searchRepository(deps.db).browse(filterConditions(filters), order, { point, now: deps.clock.now() }, limit, offset);
      return {
        items: rows.slice(0, limit).map((r) => ({ listing: toListItem(r), score: 0, match: { keyword: null, semantic: null, reason: '', reasons: [] } })),
        nextCursor: rows.length > limit ? encodeOffset(offset + limit) : null,
        mode,
        semanticAvailable: await semanticAvailable(deps),
        semanticFallback: null,
        terms: [],
      };
    }
    const ranked = await rank(query, filters, { mode });
    const hits = sort === 'distance' ? await byDistance(deps, ranked.hits, point!) : await orderHits(deps, ranked.hits, sort);
    return {
      items: await withListings(deps, hits.slice(offset, offset + limit), point),
      nextCursor: hits.length > offset + limit ? encodeOffset(offset + limit) : null,
      mode,
      semanticAvailable: ranked.fallback ? false : await semanticAvailable(deps),
      semanticFallback: ranked.fallback,
      terms: ranked.terms.map((t) => t.term),
    };
  }

  return { rank, search };
}

/**
 * Searches each top-level category's name, once as it is and once for listings available today, so
 * the first visitors after a start do not pay for the database engine's first runs of the search path
 * (PGlite compiles its wasm code as it is used, V8 optimises what runs often, and the indexes' pages
 * are read from disk on first use); the names are words renters type, so their term statistics are
 * then cached too. Kept 100k catalogue, a fresh process: the first search took 470–560 ms with no
 * warm-up; the first three rounds of the bench's 15 queries had hybrid p95 18.4–23.0 ms after this
 * (1.4–1.5 s there), 21.1–22.5 after one query searched twice. Returns its milliseconds.
 */
export async function warmUpSearch(deps: Deps): Promise<number> {
  const started = performance.now();
  const today = seoulDate(deps.clock.now());
  const search = searchService(deps);
  for (const { name } of await catalogService(deps.db).tree('categories')) {
    await search.search(name, {});
    await search.search(name, { from: today, to: today });
  }
  return Math.round(performance.now() - started);
}

/** The matches re-ordered nearest first (located listings only; ties keep their rank order). */
async function byDistance(deps: Deps, hits: RankedHit[], point: Point): Promise<RankedHit[]> {
  if (!hits.length) return hits;
  const rows = await searchRepository(deps.db).distances(hits.map((h) => h.id), point);
  const dist = new Map(rows.map((r) => [r.id, r.d]));
  return hits.filter((h) => dist.has(h.id)).sort((a, b) => dist.get(a.id)! - dist.get(b.id)!);
}
