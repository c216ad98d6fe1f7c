// Every SQL statement of the embeddings domain: where vectors live, the worker's claim/finish
// statements (see worker.ts for the protocol) and the sources listings are embedded from.
//
// Vectors: post_embeddings (512 = local embedder) or post_embeddings_d<dims> for an API model with
// another dimension (a vector index needs one fixed dimension → one table per dimension). Without
// pgvector there is no store: the worker records DONE only and semantic search is off.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { LOCAL_DIMENSIONS } from '../../ai/local-embedder.ts';
import type { EmbeddingSource } from './text.ts';

export function vectorTable(dims: number): string {
  if (!Number.isInteger(dims) || dims < 1 || dims > 2000) throw new Error(`지원하지 않는 임베딩 차원: ${dims} (1–2000)`);
  return dims === LOCAL_DIMENSIONS ? 'post_embeddings' : `post_embeddings_d${dims}`;
}

/**
 * A vector as an int[] literal in steps of 1e-6 of its largest component (for a unit vector, the
 * precision of a 6-decimal float literal). pgvector casts int[] to vector about ten times faster than
 * it parses float text (strtof is slow in PGlite's wasm build: ~1 ms per 512-d vector), and
 * l2_normalize (fromInts) restores unit length; only cosine is ever asked of these vectors.
 */
export function vectorInts(v: number[]): string {
  const max = v.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
  const scale = 1e6 / Math.max(1, max);
  return `{${v.map((x) => (Number.isFinite(x) ? Math.round(x * scale) : 0)).join(',')}}`;
}
const fromInts = (ints: Sql, dims: number): Sql => sql`l2_normalize(${ints}::int[]::vector(${sql.raw(String(dims))}))`;

/** SQL for a query vector as a parameter of the table's type. */
export const queryVector = (v: number[], dims: number): Sql => fromInts(sql`${vectorInts(v)}`, dims);

/** Vectors above this many dimensions do not fit a heap page uncompressed (8 kB): they stay TOASTable. */
const PLAIN_STORAGE_MAX_DIMS = 1_900;

/** The IVFFlat index over a vector table (embeddings/vector-index.ts decides its lists). */
export const vectorIndexName = (dims: number): string => `${vectorTable(dims)}_ivf`;
const ivfIndexSql = (dims: number, name: string, lists: number) =>
  `CREATE INDEX ${name} ON ${vectorTable(dims)} USING ivfflat (embedding vector_cosine_ops) WITH (lists = ${Math.trunc(lists)})`;

/** The memory pgvector's k-means asks of maintenance_work_mem to build `lists` lists (its build fails
 *  with "memory required is … MB" below it; ivfkmeans.c): the sample (50 vectors per list, at least
 *  10,000), three arrays of centres, and per sampled vector a lower bound for each list — which grows
 *  with lists², so counting the vectors alone fell short from ~470 lists (~220k listings at 512 dims). */
function ivfBuildBytes(dims: number, lists: number): number {
  const samples = Math.max(lists * 50, 10_000);
  const vectorBytes = 8 + dims * 4;
  return (samples + 3 * lists) * vectorBytes + 4 * samples * lists + 4 * lists * lists + 8 * samples + 16 * lists;
}

export interface SourceRow extends EmbeddingSource {
  embedding_status: string;
  embedding_version: number;
}

/** A claimed row: its id and the version this claim gave it. */
export interface ClaimRow {
  id: number;
  embedding_version: number;
}

export function embeddingsRepository(db: Queryable) {
  return {
    /** listings waiting for an embedding (the embedding_backlog gauge) */
    backlog: async () =>
      (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM posts WHERE embedding_status IN ('WAIT', 'PENDING') AND deleted_at IS NULL`))?.n ?? 0,
    /** Creates the table for a non-default dimension (idempotent); the 512 table comes from migration 021. */
    async ensureVectorTable(dims: number): Promise<void> {
      if (dims === LOCAL_DIMENSIONS) return;
      const t = vectorTable(dims);
      await db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
          post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
          embedder_id text NOT NULL,
          embedding vector(${dims}) NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now());
        ${dims <= PLAIN_STORAGE_MAX_DIMS ? `ALTER TABLE ${t} ALTER COLUMN embedding SET STORAGE PLAIN;` : ''}
        ${ivfIndexSql(dims, `IF NOT EXISTS ${vectorIndexName(dims)}`, 1)};
        CREATE INDEX IF NOT EXISTS ${t}_updated ON ${t} (updated_at);`);
    },

    /** The table's IVFFlat index: its lists (null when it has none: a table indexed before migration
     *  280) and when buildVectorIndex built it (null for the one-list index a table is created with). */
    async vectorIndexState(dims: number): Promise<{ lists: number | null; builtAt: Date | null }> {
      const row = await db.one<{ lists: string | null; built_at: Date | null }>(sql`
        SELECT substring(array_to_string(c.reloptions, ',') FROM 'lists=([0-9]+)') AS lists,
          (SELECT b.built_at FROM vector_index_builds b WHERE b.table_name = ${vectorTable(dims)}) AS built_at
        FROM (SELECT to_regclass(${vectorIndexName(dims)}) AS oid) i LEFT JOIN pg_class c ON c.oid = i.oid`);
      return { lists: row?.lists ? Number(row.lists) : null, builtAt: row?.built_at ?? null };
    },

    async vectorCount(dims: number): Promise<number> {
      return (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(vectorTable(dims))}`))?.n ?? 0;
    },

    /** Vectors written after `since` (the updated_at index finds them). */
    async vectorsWrittenSince(dims: number, since: Date): Promise<number> {
      return (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(vectorTable(dims))} WHERE updated_at > ${since}`))?.n ?? 0;
    },

    /** The vector index's build lock, held until the transaction ends; false when another session holds it. */
    async lockVectorIndexBuild(dims: number): Promise<boolean> {
      const row = await db.one<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext(${`vector index ${vectorTable(dims)}`})) AS ok`);
      return row?.ok ?? false;
    },

    /** Builds the IVFFlat index with `lists` lists beside the current one, swaps them (an HNSW index of
     *  before migration 280 goes too) and records when. Call inside a transaction: until it commits,
     *  searches use the old index. No statement timeout: a server's role-level one, set for requests,
     *  would cancel every build longer than it (~25 s at 100k listings) and the index would never fit. */
    async buildVectorIndex(dims: number, lists: number): Promise<void> {
      const name = vectorIndexName(dims);
      const buildMb = Math.max(64, Math.ceil((ivfBuildBytes(dims, lists) * 1.1) / 2 ** 20) + 16);
      await db.exec(`SET LOCAL maintenance_work_mem = '${buildMb}MB'; SET LOCAL statement_timeout = 0; ${ivfIndexSql(dims, `${name}_next`, lists)};
        DROP INDEX IF EXISTS ${name}; DROP INDEX IF EXISTS ${vectorTable(dims)}_hnsw; ALTER INDEX ${name}_next RENAME TO ${name}`);
      await db.query(sql`INSERT INTO vector_index_builds (table_name, built_at) VALUES (${vectorTable(dims)}, now())
        ON CONFLICT (table_name) DO UPDATE SET built_at = EXCLUDED.built_at`);
    },

    async vectorTableExists(dims: number): Promise<boolean> {
      const row = await db.one<{ ok: boolean }>(sql`SELECT to_regclass(${vectorTable(dims)}) IS NOT NULL AS ok`);
      return row?.ok ?? false;
    },

    /** A listing's stored vector, or null when it has none yet. */
    async vectorOf(dims: number, postId: number): Promise<number[] | null> {
      const row = await db.one<{ v: string }>(sql`SELECT embedding::text AS v FROM ${sql.raw(vectorTable(dims))} WHERE post_id = ${postId}`);
      return row ? (JSON.parse(row.v) as number[]) : null;
    },

    /** Upserts vectors in one statement (unnest of int[] literals: arrays of vector do not bind; see vectorInts). */
    async writeVectors(dims: number, embedderId: string, ids: number[], vectors: number[][]): Promise<void> {
      if (!ids.length) return;
      await db.query(sql`INSERT INTO ${sql.raw(vectorTable(dims))} (post_id, embedder_id, embedding, updated_at)
        SELECT u.id, ${embedderId}, ${fromInts(sql`u.v`, dims)}, now() FROM unnest(${ids}::bigint[], ${vectors.map(vectorInts)}::text[]) AS u(id, v)
        ON CONFLICT (post_id) DO UPDATE SET embedder_id = EXCLUDED.embedder_id, embedding = EXCLUDED.embedding, updated_at = now()`);
    },

    /** Listings embedded by another model go back to WAIT; returns how many. */
    async requeueOtherModels(embedderId: string): Promise<number> {
      const rows = await db.query<{ id: number }>(sql`UPDATE posts SET embedding_status = 'WAIT', embedding_attempts = 0,
          embedding_error = NULL, embedding_next_attempt_at = NULL
        WHERE embedding_status = 'DONE' AND embedding_model IS DISTINCT FROM ${embedderId} RETURNING id`);
      return rows.length;
    },

    async deleteOtherModelVectors(dims: number, embedderId: string): Promise<void> {
      await db.query(sql`DELETE FROM ${sql.raw(vectorTable(dims))} WHERE embedder_id <> ${embedderId}`);
    },

    /** Claims older than `before` return to WAIT (one attempt counted; FAILED at maxAttempts). */
    async recoverExpiredLeases(before: Date, maxAttempts: number): Promise<number> {
      const rows = await db.query<{ id: number }>(sql`UPDATE posts SET
          embedding_status = CASE WHEN embedding_attempts + 1 >= ${maxAttempts} THEN 'FAILED' ELSE 'WAIT' END,
          embedding_attempts = embedding_attempts + 1, embedding_error = 'lease expired',
          embedding_claimed_at = NULL
        WHERE embedding_status = 'PENDING' AND id IN (SELECT id FROM posts WHERE embedding_status = 'PENDING'
          AND embedding_claimed_at < ${before} ORDER BY id FOR UPDATE)
        RETURNING id`);
      return rows.length;
    },

    /** WAIT listings due at `now`, oldest id first. */
    async dueIds(now: Date, limit: number): Promise<number[]> {
      const rows = await db.query<{ id: number }>(sql`SELECT id FROM posts
        WHERE embedding_status = 'WAIT' AND deleted_at IS NULL
          AND (embedding_next_attempt_at IS NULL OR embedding_next_attempt_at <= ${now})
        ORDER BY id LIMIT ${limit}`);
      return rows.map((r) => r.id);
    },

    /** One conditional UPDATE: WAIT → PENDING, version + 1; only rows still WAIT are returned (ours). */
    claim(ids: number[], now: Date): Promise<ClaimRow[]> {
      // rows locked in id order (the FOR UPDATE subquery) so concurrent claims and finishes never deadlock
      return db.query<ClaimRow>(sql`UPDATE posts SET
          embedding_status = 'PENDING', embedding_version = embedding_version + 1, embedding_claimed_at = ${now}
        WHERE embedding_status = 'WAIT' AND id IN (SELECT id FROM posts
          WHERE id = ANY(${ids}::bigint[]) AND embedding_status = 'WAIT' ORDER BY id FOR UPDATE)
        RETURNING id, embedding_version`);
    },

    /** Row locks always taken in id order: no lock cycles between workers' multi-row updates. */
    async lockInOrder(ids: number[]): Promise<void> {
      await db.query(sql`SELECT id FROM posts WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`);
    },

    /** The service was unavailable: our claims back to WAIT, no attempt counted, due at `due`. */
    async releaseForOutage(ids: number[], versions: number[], message: string, due: Date): Promise<number> {
      const rows = await db.query<{ id: number }>(sql`UPDATE posts SET embedding_status = 'WAIT', embedding_error = ${message},
          embedding_claimed_at = NULL, embedding_next_attempt_at = ${due}
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
        WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
        RETURNING posts.id`);
      return rows.length;
    },

    /** These listings failed: back to WAIT with exponential backoff, FAILED after maxAttempts. */
    failClaims(ids: number[], versions: number[], message: string, now: Date, o: { maxAttempts: number; backoffBaseMs: number; maxBackoffMs: number }) {
      return db.query<{ embedding_status: string }>(sql`UPDATE posts SET
          embedding_status = CASE WHEN embedding_attempts + 1 >= ${o.maxAttempts} THEN 'FAILED' ELSE 'WAIT' END,
          embedding_attempts = embedding_attempts + 1,
          embedding_error = ${message},
          embedding_claimed_at = NULL,
          embedding_next_attempt_at = ${now}::timestamptz
            + (${o.backoffBaseMs}::float8 * least(power(2, embedding_attempts), ${o.maxBackoffMs / Math.max(1, o.backoffBaseMs)}::float8)) * interval '1 millisecond'
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
        WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
        RETURNING posts.embedding_status`);
    },

    /** Our claims still PENDING become DONE; returns their ids (a row re-queued meanwhile is left alone). */
    async finishClaims(ids: number[], versions: number[], embedderId: string): Promise<number[]> {
      const rows = await db.query<{ id: number }>(sql`UPDATE posts SET embedding_status = 'DONE',
          embedding_model = ${embedderId}, embedding_attempts = 0, embedding_error = NULL,
          embedding_claimed_at = NULL, embedding_next_attempt_at = NULL
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
        WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
        RETURNING posts.id`);
      return rows.map((r) => r.id);
    },

    /** When the first listing put back after a failure is due again, or null. */
    async nextRetryDue(): Promise<Date | null> {
      const row = await db.one<{ due: Date | null }>(sql`SELECT min(embedding_next_attempt_at) AS due FROM posts
        WHERE embedding_status = 'WAIT' AND deleted_at IS NULL AND embedding_next_attempt_at IS NOT NULL`);
      return row?.due ? new Date(row.due) : null;
    },

    /** The embedding sources of the given posts (any state; the caller filters). */
    loadSources(ids: number[]): Promise<SourceRow[]> {
      if (!ids.length) return Promise.resolve([]);
      return db.query<SourceRow>(sql`SELECT p.id, p.title, p.content, p.fee, p.deposit, p.receive_method, p.return_method,
          p.embedding_status, p.embedding_version,
          coalesce(pc.name || ' > ', '') || c.name AS category_path,
          (SELECT string_agg(coalesce(rp.name || ' ', '') || r.name, ', ' ORDER BY r.id)
             FROM post_regions pr JOIN regions r ON r.id = pr.region_id LEFT JOIN regions rp ON rp.id = r.parent_id
            WHERE pr.post_id = p.id) AS regions
        FROM posts p JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
        WHERE p.id = ANY(${ids}::bigint[])`);
    },
  };
}
