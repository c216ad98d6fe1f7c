// Every SQL statement of search: the filters (inside both branches, before ranking), the vector
// branch's index scan and exact scan, the keyword branch's corpus statistics, candidates and BM25
// scores, the typo vocabulary, the listing cards of ranked ids, and the calibration sample.
// The rules (which branch, fusion, typo budget, floors) stay in service.ts / keyword.ts / calibration.ts.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { listedPostCondition } from '../posts/visibility.ts';
import { categoryFilter, regionFilter } from '../catalog/service.ts';
import { availableBetween } from '../reservations/booked.ts';
import { cardsQuery, containsText, orderOf, type CardContext, type ListRow } from '../posts/repository.ts';
import type { Point } from '../neighbourhoods/geo.ts';
import { pointKey, withinRadius } from '../neighbourhoods/repository.ts';
import { visibleToViewer } from '../blocks/repository.ts';
import { queryVector, vectorTable } from '../embeddings/repository.ts';

export interface SearchFilters {
  categoryId?: number;
  regionId?: number;
  minFee?: number;
  maxFee?: number;
  from?: string;
  to?: string;
  /** listings to leave out (e.g. the listing itself for "similar") */
  excludeIds?: number[];
  /** only these listings (an alert checks one new listing against its saved search) */
  onlyIds?: number[];
  /** the caller: listings of members blocked either way are left out */
  viewerId?: number | null;
  /** distances are measured from here (cards carry distanceKm); with radiusKm, only listings within it */
  point?: Point | null;
  radiusKm?: number;
}

/** The filters as SQL conditions on posts `p` (dates are checked by the service before). */
export function filterSql(f: SearchFilters): Sql[] {
  const where: Sql[] = [sql.raw(listedPostCondition('p'))];
  if (f.categoryId) where.push(categoryFilter([f.categoryId], 'p'));
  if (f.regionId) where.push(regionFilter([f.regionId], 'p'));
  if (f.minFee !== undefined) where.push(sql`p.fee >= ${f.minFee}`);
  if (f.maxFee !== undefined) where.push(sql`p.fee <= ${f.maxFee}`);
  if (f.from || f.to) where.push(availableBetween('p', f.from ?? f.to!, f.to ?? f.from!));
  if (f.excludeIds?.length) where.push(sql`p.id <> ALL(${f.excludeIds}::bigint[])`);
  if (f.onlyIds) where.push(sql`p.id = ANY(${f.onlyIds}::bigint[])`);
  if (f.viewerId) where.push(visibleToViewer(f.viewerId, 'p'));
  if (f.point && f.radiusKm) where.push(withinRadius('p', f.point, f.radiusKm));
  return where;
}

export interface VectorHit {
  id: number;
  sim: number;
}
export interface CandidateText {
  id: number;
  title: string;
  content: string;
}
export interface SortKeyRow {
  id: number;
  /** the newest order's key: the last bump, else the creation */
  listed_at: Date;
  fee: number;
}
export interface CalibrationRow {
  v: string;
  top: number;
  title: string;
}
export type BrowseOrder = 'newest' | 'fee' | 'distance';

/** p's title or content contains the term (stored bigrams narrow, ILIKE decides: posts/repository.ts). */
const containsTerm = (t: string): Sql => containsText('p', t);
/** p has the term's stored bigrams: the GIN index's half of containsText, to narrow before the filters */
const hasBigramsOf = (t: string): Sql => sql`p.search_bigrams @> text_bigram_codes(${t}::text)`;
const and = (where: Sql[]) => sql.join(where, ' AND ');
/** a count chosen by code, written into the statement: a prepared plan then knows it (a LIMIT parameter
 *  makes PostgreSQL's generic plan assume a tenth of the table and keep planning every run) */
const literal = (n: number) => sql.raw(String(Math.trunc(n)));
/** The query vector as a scalar subquery: computed once per run (an InitPlan), where a prepared generic
 *  plan would otherwise cast and normalise the parameter again for every row it returns. pgvector's
 *  index scan takes such a subquery as its order. */
const onceQueryVector = (vector: number[], dims: number): Sql => sql`(SELECT ${queryVector(vector, dims)})`;

/** Nearest vectors in the index's order; the filters are a per-row subquery, so the planner cannot
 *  turn them into a join that scans every post. */
const indexScanSql = (dims: number, qv: Sql, where: Sql[], limit: number): Sql => sql`
  SELECT e.post_id AS id, 1 - (e.embedding <=> ${qv}) AS sim FROM ${sql.raw(vectorTable(dims))} e
  WHERE (SELECT true FROM posts p WHERE p.id = e.post_id AND ${and(where)})
  ORDER BY e.embedding <=> ${qv} LIMIT ${literal(limit)}`;

export function searchRepository(db: Queryable) {
  return {
    // ── vector branch (each setting is SET LOCAL: call inside the branch's transaction) ──
    /** Scan the IVFFlat index in index order: the `probes` lists nearest the query, more (up to
     *  maxProbes) while fewer rows than asked pass the filters (pgvector's iterative scan). */
    useIvfScan: (probes: number, maxProbes: number) => db.exec(`SET LOCAL ivfflat.probes = ${Math.trunc(probes)};
      SET LOCAL ivfflat.iterative_scan = relaxed_order; SET LOCAL ivfflat.max_probes = ${Math.trunc(maxProbes)};
      SET LOCAL enable_sort = off`), // the index order, not a sort of every distance
    useExactScan: () => db.exec('SET LOCAL enable_sort = on; SET LOCAL enable_indexscan = off'),

    /** Nearest vectors by the index scan (see indexScanSql). */
    vectorScan: (dims: number, vector: number[], where: Sql[], limit: number) =>
      db.queryPrepared<VectorHit>(indexScanSql(dims, onceQueryVector(vector, dims), where, limit)),
    /** The index scan and, in the same statement (one round trip), the `nearest` closest of the
     *  `recent` newest vectors (an exact scan of them) that pass the filters, marked `recent`. */
    vectorScanAndRecent: (dims: number, vector: number[], where: Sql[], limit: number, recent: number, nearest: number) => {
      const qv = onceQueryVector(vector, dims);
      return db.queryPrepared<VectorHit & { recent: boolean }>(sql`
        SELECT s.id, s.sim, false AS recent FROM (${indexScanSql(dims, qv, where, limit)}) s
        UNION ALL
        SELECT e.id, e.sim, true FROM (SELECT r.post_id AS id, 1 - (r.embedding <=> ${qv}) AS sim
          FROM (SELECT post_id, embedding FROM ${sql.raw(vectorTable(dims))} ORDER BY updated_at DESC LIMIT ${literal(recent)}) r
          ORDER BY r.embedding <=> ${qv} LIMIT ${literal(nearest)}) e
        WHERE (SELECT true FROM posts p WHERE p.id = e.id AND ${and(where)})`);
    },
    /** Listings passing the filters, counted up to `cap` (the index scan's fallback asks whether they are few). */
    async countFiltered(where: Sql[], cap: number): Promise<number> {
      const [row] = await db.queryPrepared<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM posts p WHERE ${and(where)} LIMIT ${literal(cap)}) s`);
      return row?.n ?? 0;
    },
    /** Nearest vectors by an exact scan over the filtered listings. */
    vectorExact: (dims: number, vector: number[], where: Sql[], limit: number) => {
      const qv = onceQueryVector(vector, dims);
      return db.queryPrepared<VectorHit>(sql`
        SELECT e.post_id AS id, 1 - (e.embedding <=> ${qv}) AS sim
        FROM ${sql.raw(vectorTable(dims))} e JOIN posts p ON p.id = e.post_id
        WHERE ${and(where)}
        ORDER BY e.embedding <=> ${qv} LIMIT ${literal(limit)}`);
    },

    /** An even spread of up to `sample` stored vectors by post id (no random()), with top category and title. */
    async calibrationSample(dims: number, embedderId: string, sample: number): Promise<CalibrationRow[]> {
      const table = sql.raw(vectorTable(dims));
      const ids = (await db.query<{ id: number }>(sql`
        WITH n AS (SELECT count(*)::int AS n FROM ${table})
        SELECT e.post_id AS id FROM (SELECT post_id, row_number() OVER (ORDER BY post_id) AS rn FROM ${table}) e, n
        WHERE e.rn % greatest(1, n.n / ${sample}) = 0 LIMIT ${sample}`)).map((r) => r.id);
      return db.query<CalibrationRow>(sql`
        SELECT e.embedding::text AS v, coalesce(c.parent_id, c.id) AS top, p.title
        FROM ${table} e JOIN posts p ON p.id = e.post_id JOIN categories c ON c.id = p.category_id
        WHERE e.post_id = ANY(${ids}::bigint[]) AND e.embedder_id = ${embedderId}`);
    },

    // ── keyword branch ──
    /** Bitmap scans only: the planner prices the bigram containment per row far too low and would
     *  rather read every listing than the GIN index. SET LOCAL: call inside a transaction. */
    useBitmapScans: () => db.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off'),

    /** Live listings and the mean text length of the newest 1,000 (BM25 needs only its order of magnitude). */
    async corpusStats(): Promise<{ n: number; avgLen: number | null }> {
      const row = await db.one<{ n: number; avg_len: number | null }>(sql`SELECT
          (SELECT count(*) FROM posts WHERE deleted_at IS NULL)::int AS n,
          (SELECT avg(char_length(title) + char_length(content)) FROM (SELECT title, content FROM posts ORDER BY id DESC LIMIT 1000) s)::float8 AS avg_len`);
      return { n: row?.n ?? 0, avgLen: row?.avg_len ?? null };
    },

    /** Live listings containing the term, counted up to `cap`. */
    async documentFrequency(term: string, cap: number): Promise<number> {
      const row = await db.one<{ df: number }>(sql`SELECT count(*)::int AS df FROM (SELECT 1 FROM posts p
        WHERE ${containsTerm(term)} AND p.deleted_at IS NULL LIMIT ${cap}) s`);
      return row?.df ?? 0;
    },

    /** Title words that sound like the term (trigram similarity of their romanisation), best first. */
    typoCandidates: (term: string) => db.query<{ term: string; sim: number }>(sql`SELECT v.term, similarity(v.roman, hangul_roman(${term})) AS sim
      FROM search_vocab v WHERE v.roman % hangul_roman(${term}) AND v.term <> ${term}
      ORDER BY 2 DESC, v.term LIMIT 20`),

    /** Candidate sets for BM25, in one statement: per set, up to `limit` listings that pass the filters
     *  and contain every term of the set, with their text (a listing in several sets appears in each).
     *  The filters run before the ILIKE (OFFSET 0 keeps them inside): in the same scan, ILIKE read every
     *  listing with the bigrams, though a region filter passes one in ten (at 100k, 113 → 24 ms).
     *  keyword.ts scores the text, as string counting is many times faster in JavaScript than in
     *  PGlite's wasm (10–50 ms a query at 20k). */
    candidateSets(sets: { terms: string[]; limit: number }[], where: Sql[]): Promise<CandidateText[]> {
      if (!sets.length) return Promise.resolve([]);
      return db.queryPrepared<CandidateText>(sql.join(
        sets.map((set) => sql`(SELECT p.id, p.title, p.content FROM (SELECT p.id, p.title, p.content, p.search_bigrams FROM posts p
          WHERE ${and(set.terms.map(hasBigramsOf))} AND ${and(where)} OFFSET 0) p WHERE ${and(set.terms.map(containsTerm))} LIMIT ${literal(set.limit)})`),
        ' UNION ALL ',
      ));
    },

    // ── results ──
    /** Listing cards of these ids (any order; the caller orders). */
    listCards: (ids: number[], ctx: CardContext) => ids.length
      ? db.queryPrepared<ListRow>(cardsQuery(sql`SELECT p.id, p.author_id FROM posts p WHERE p.id = ANY(${ids}::bigint[])`, null, ctx))
      : Promise.resolve([]),

    /** Creation time and fee of these ids, for sort=newest|fee. */
    sortKeys: (ids: number[]) => db.query<SortKeyRow>(sql`SELECT p.id, p.listed_at, p.fee FROM posts p WHERE p.id = ANY(${ids}::bigint[])`),

    /** The distance order's key (pointKey: nearer is smaller) of these ids that have a location. */
    distances: (ids: number[], point: Point) => db.query<{ id: number; d: number }>(
      sql`SELECT p.id, ${pointKey('p', point)} AS d FROM posts p WHERE p.id = ANY(${ids}::bigint[]) AND p.earth IS NOT NULL`),

    /** No query: the filtered catalogue as cards, one page of it (limit + 1 rows tell whether more exist). */
    browse(where: Sql[], order: BrowseOrder, ctx: CardContext, limit: number, offset: number): Promise<ListRow[]> {
      const by = order === 'distance' ? orderOf('distance', ctx.point)
        : order === 'fee' ? sql.raw('p.fee ASC, p.id DESC') : orderOf('newest', null);
      const all = order === 'distance' ? [...where, sql`p.earth IS NOT NULL`] : where;
      return db.query<ListRow>(cardsQuery(sql`SELECT p.id, p.author_id FROM posts p
        WHERE ${and(all)}
        ORDER BY ${by} LIMIT ${limit + 1} OFFSET ${offset}`, by, ctx));
    },
  };
}
