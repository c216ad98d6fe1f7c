// The embedding worker: the seed's claim pattern, exactly, plus leases, backoff and re-embedding.
//
//   1. select WAIT rows that are due (a batch);
//   2. claim them with ONE conditional UPDATE: WAIT → PENDING, embedding_version + 1,
//      only WHERE embedding_status = 'WAIT' — concurrent workers cannot both win a row;
//   3. re-read and process only rows still PENDING with the version this worker claimed;
//   4. DONE in the same transaction that writes the vector (again conditional on PENDING + version);
//      on failure back to WAIT with attempts + 1 and an exponential backoff, FAILED after N attempts.
// Beyond the seed: a PENDING claim older than the lease returns to WAIT (a crashed worker loses
// nothing), and a changed embedder id sends every DONE listing back to WAIT at start. When the
// embeddings service itself is unavailable (down, wrong dimensions — EmbedderUnavailableError) the
// batch goes back to WAIT without counting an attempt, with a backoff that grows per consecutive
// outage up to MAX_OUTAGE_BACKOFF_MS: an outage of any length loses nothing, and the first pass after
// it embeds everything.
// Safe with any number of workers in any number of processes: every state change is conditional.
import type { Database, Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import type { Embedder } from '../../ai/types.ts';
import { isEmbedderUnavailable } from '../../ai/openai-embedder.ts';
import { listingText, loadSources } from './text.ts';
import { ensureVectorTable, vectorTable, writeVectors } from './store.ts';

export interface WorkerOptions {
  leaseMs: number;
  maxAttempts: number;
  batchSize: number;
  backoffBaseMs: number;
}

export interface PassResult {
  recovered: number;
  claimed: number;
  done: number;
  retried: number;
  failed: number;
}

const MAX_BACKOFF_MS = 6 * 60 * 60_000;
/** an outage is retried at least this often, however long it lasts */
export const MAX_OUTAGE_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** Row locks always taken in id order: no lock cycles between workers' multi-row updates. */
async function lockInOrder(tx: Queryable, ids: number[]) {
  await tx.query(sql`SELECT id FROM posts WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`);
}

export interface EmbeddingWorker {
  readonly embedder: Embedder;
  /** consecutive batches the embeddings service could not answer (0 once it answers) */
  readonly outages: number;
  /** once per process: re-queue listings embedded by another model, create the vector table */
  prepare(): Promise<{ requeued: number }>;
  /** one batch: lease recovery, select, claim, embed, finish */
  runOnce(now: Date): Promise<PassResult & { candidates: number }>;
  /** batches until no WAIT listing is due (or maxBatches) */
  drain(now: () => Date, maxBatches?: number): Promise<PassResult>;
}

export function createEmbeddingWorker(db: Database, embedder: Embedder, opts: WorkerOptions): EmbeddingWorker {
  let prepared: Promise<{ requeued: number }> | null = null;
  let outages = 0;

  async function prepare() {
    await ensureVectorTable(db, embedder.dimensions);
    const rows = await db.query(sql`UPDATE posts SET embedding_status = 'WAIT', embedding_attempts = 0,
        embedding_error = NULL, embedding_next_attempt_at = NULL
      WHERE embedding_status = 'DONE' AND embedding_model IS DISTINCT FROM ${embedder.id} RETURNING id`);
    if (db.vectorAvailable) {
      await db.query(sql`DELETE FROM ${sql.raw(vectorTable(embedder.dimensions))} WHERE embedder_id <> ${embedder.id}`);
    }
    return { requeued: rows.length };
  }

  async function runOnce(now: Date) {
    const result = { recovered: 0, claimed: 0, done: 0, retried: 0, failed: 0, candidates: 0 };

    // Lease: a claim older than leaseMs belongs to a worker that died; the row goes back to WAIT
    // (counted as an attempt, so a listing that kills workers ends FAILED instead of looping).
    const expired = await db.query(sql`UPDATE posts SET
        embedding_status = CASE WHEN embedding_attempts + 1 >= ${opts.maxAttempts} THEN 'FAILED' ELSE 'WAIT' END,
        embedding_attempts = embedding_attempts + 1, embedding_error = 'lease expired',
        embedding_claimed_at = NULL
      WHERE embedding_status = 'PENDING' AND id IN (SELECT id FROM posts WHERE embedding_status = 'PENDING'
        AND embedding_claimed_at < ${new Date(now.getTime() - opts.leaseMs)} ORDER BY id FOR UPDATE)
      RETURNING id`);
    result.recovered = expired.length;

    // 1. select due WAIT rows
    const candidates = await db.query<{ id: number }>(sql`SELECT id FROM posts
      WHERE embedding_status = 'WAIT' AND deleted_at IS NULL
        AND (embedding_next_attempt_at IS NULL OR embedding_next_attempt_at <= ${now})
      ORDER BY id LIMIT ${opts.batchSize}`);
    result.candidates = candidates.length;
    if (!candidates.length) return result;

    // 2. claim: one conditional UPDATE; only rows still WAIT are ours. Rows are locked in id order
    //    (the FOR UPDATE subquery) so concurrent claims and finishes can never deadlock.
    const claimed = await db.query<{ id: number; embedding_version: number }>(sql`UPDATE posts SET
        embedding_status = 'PENDING', embedding_version = embedding_version + 1, embedding_claimed_at = ${now}
      WHERE embedding_status = 'WAIT' AND id IN (SELECT id FROM posts
        WHERE id = ANY(${candidates.map((c) => c.id)}::bigint[]) AND embedding_status = 'WAIT' ORDER BY id FOR UPDATE)
      RETURNING id, embedding_version`);
    result.claimed = claimed.length;
    if (!claimed.length) return result;
    const version = new Map(claimed.map((c) => [c.id, c.embedding_version]));

    // 3. re-read: only rows still PENDING with our version (an edit may have re-queued one meanwhile)
    const sources = (await loadSources(db, [...version.keys()])).filter(
      (s) => s.embedding_status === 'PENDING' && s.embedding_version === version.get(s.id),
    );
    if (!sources.length) return result;
    const ids = sources.map((s) => s.id);
    const versions = ids.map((id) => version.get(id)!);

    let vectors: number[][];
    try {
      vectors = await embedder.embed(sources.map(listingText));
      if (vectors.length !== sources.length) throw new Error(`embedder returned ${vectors.length} vectors for ${sources.length} texts`);
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 500);
      if (isEmbedderUnavailable(err)) {
        // the service, not these listings: back to WAIT, no attempt counted, retried after the outage backoff
        const delayMs = Math.min(backoffMs(++outages, opts.backoffBaseMs), MAX_OUTAGE_BACKOFF_MS);
        const rows = await db.transaction(async (tx) => {
          await lockInOrder(tx, ids);
          return tx.query(sql`UPDATE posts SET embedding_status = 'WAIT', embedding_error = ${message}, embedding_claimed_at = NULL,
              embedding_next_attempt_at = ${new Date(now.getTime() + delayMs)}
            FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
            WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
            RETURNING posts.id`);
        });
        result.retried += rows.length;
        return result;
      }
      // back to WAIT with backoff, or FAILED after maxAttempts; the last error is kept
      const rows = await db.transaction(async (tx) => {
        await lockInOrder(tx, ids);
        return tx.query<{ embedding_status: string }>(sql`UPDATE posts SET
          embedding_status = CASE WHEN embedding_attempts + 1 >= ${opts.maxAttempts} THEN 'FAILED' ELSE 'WAIT' END,
          embedding_attempts = embedding_attempts + 1,
          embedding_error = ${message},
          embedding_claimed_at = NULL,
          embedding_next_attempt_at = ${now}::timestamptz
            + (${opts.backoffBaseMs}::float8 * least(power(2, embedding_attempts), ${MAX_BACKOFF_MS / Math.max(1, opts.backoffBaseMs)}::float8)) * interval '1 millisecond'
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
        WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
        RETURNING posts.embedding_status`);
      });
      for (const r of rows) r.embedding_status === 'FAILED' ? result.failed++ : result.retried++;
      return result;
    }

    outages = 0;
    // 4. DONE and the vector in one transaction; a row re-queued meanwhile is left alone
    result.done = await db.transaction(async (tx) => {
      await lockInOrder(tx, ids);
      const done = await tx.query<{ id: number }>(sql`UPDATE posts SET embedding_status = 'DONE',
          embedding_model = ${embedder.id}, embedding_attempts = 0, embedding_error = NULL,
          embedding_claimed_at = NULL, embedding_next_attempt_at = NULL
        FROM unnest(${ids}::bigint[], ${versions}::int[]) AS u(id, v)
        WHERE posts.id = u.id AND posts.embedding_version = u.v AND posts.embedding_status = 'PENDING'
        RETURNING posts.id`);
      if (db.vectorAvailable && done.length) {
        const keep = new Set(done.map((d) => d.id));
        const idx = ids.map((id, i) => [id, i] as const).filter(([id]) => keep.has(id));
        await writeVectors(tx, embedder.dimensions, embedder.id, idx.map(([id]) => id), idx.map(([, i]) => vectors[i]));
      }
      return done.length;
    });
    return result;
  }

  return {
    embedder,
    get outages() {
      return outages;
    },
    prepare() {
      prepared ??= prepare().catch((err) => {
        prepared = null;
        throw err;
      });
      return prepared;
    },
    runOnce,
    async drain(now, maxBatches = 10_000) {
      await this.prepare();
      const total: PassResult = { recovered: 0, claimed: 0, done: 0, retried: 0, failed: 0 };
      for (let i = 0; i < maxBatches; i++) {
        const r = await runOnce(now());
        total.recovered += r.recovered;
        total.claimed += r.claimed;
        total.done += r.done;
        total.retried += r.retried;
        total.failed += r.failed;
        // no due WAIT rows left; a lost race (claimed 0 of some candidates) just selects again
        if (r.candidates === 0) break;
      }
      return total;
    },
  };
}
