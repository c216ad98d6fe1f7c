// Where vectors live: post_embeddings (512 = local embedder) or post_embeddings_d<dims> for an API
// model with another dimension (HNSW needs one fixed dimension per index → one table per dimension).
// Without pgvector there is no store: the worker records DONE only and semantic search is off.
import type { Database, Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { LOCAL_DIMENSIONS } from '../../ai/local-embedder.ts';

export function vectorTable(dims: number): string {
  if (!Number.isInteger(dims) || dims < 1 || dims > 2000) throw new Error(`지원하지 않는 임베딩 차원: ${dims} (1–2000)`);
  return dims === LOCAL_DIMENSIONS ? 'post_embeddings' : `post_embeddings_d${dims}`;
}

/** Creates the table for a non-default dimension (idempotent); the 512 table comes from migration 021. */
export async function ensureVectorTable(db: Database, dims: number): Promise<void> {
  if (!db.vectorAvailable || dims === LOCAL_DIMENSIONS) return;
  const t = vectorTable(dims);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
      post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
      embedder_id text NOT NULL,
      embedding vector(${dims}) NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX IF NOT EXISTS ${t}_hnsw ON ${t} USING hnsw (embedding vector_cosine_ops);`);
}

export const vectorLiteral = (v: number[]) => '[' + v.map((x) => (Number.isFinite(x) ? x.toFixed(6) : '0')).join(',') + ']';

/** Upserts vectors inside the caller's transaction (unnest of text[] → vector: arrays of vector do not bind). */
export async function writeVectors(tx: Queryable, dims: number, embedderId: string, ids: number[], vectors: number[][]): Promise<void> {
  if (!ids.length) return;
  const t = sql.raw(vectorTable(dims));
  await tx.query(sql`INSERT INTO ${t} (post_id, embedder_id, embedding, updated_at)
    SELECT u.id, ${embedderId}, u.v::vector, now() FROM unnest(${ids}::bigint[], ${vectors.map(vectorLiteral)}::text[]) AS u(id, v)
    ON CONFLICT (post_id) DO UPDATE SET embedder_id = EXCLUDED.embedder_id, embedding = EXCLUDED.embedding, updated_at = now()`);
}

/** SQL for `vector literal` as a parameter cast to the table's type. */
export const queryVector = (v: number[], dims: number): Sql => sql`${vectorLiteral(v)}::vector(${sql.raw(String(dims))})`;
