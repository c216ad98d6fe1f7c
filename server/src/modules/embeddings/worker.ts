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
import type { Database } from '../../db/client.ts';
import type { Embedder } from '../../ai/types.ts';
import { isEmbedderUnavailable } from '../../ai/openai-embedder.ts';
import { listingText } from './text.ts';
import { embeddingsRepository } from './repository.ts';
import { refreshVectorIndex, type VectorIndexRefresh } from './vector-index.ts';

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

export const emptyPass = (): PassResult => ({ recovered: 0, claimed: 0, done: 0, retried: 0, failed: 0 });
/** Adds pass `r`'s counts to `total`. */
export function addPass(total: PassResult, r: PassResult): void {
  total.recovered += r.recovered;
  total.claimed += r.claimed;
  total.done += r.done;
  total.retried += r.retried;
  total.failed += r.failed;
}

const MAX_BACKOFF_MS = 6 * 60 * 60_000;
/** an outage is retried at least this often, however long it lasts */
export const MAX_OUTAGE_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export interface EmbeddingWorker {
  readonly embedder: Embedder;
  /** consecutive batches the embeddings service could not answer (0 once it answers) */
  readonly outages: number;
  /** once per process: re-queue listings embedded by another model, create the vector table, fit its index to its size */
  prepare(): Promise<Prepared>;
  /** the vector index check (vector-index.ts), as prepare() runs it: a failed rebuild is reported, not thrown */
  refreshIndex(): Promise<Prepared['vectorIndex']>;
  /** one batch: lease recovery, select, claim, embed, finish */
  runOnce(now: Date): Promise<PassResult & { candidates: number }>;
  /** batches until no WAIT listing is due (or maxBatches) */
  drain(now: () => Date, maxBatches?: number): Promise<PassResult>;
}

export interface Prepared {
  requeued: number;
  /** the vector index check, or why its rebuild failed */
  vectorIndex: VectorIndexRefresh | { failed: string } | null;
}

/** `onIndexFailure` hears of a vector index rebuild that failed (the service logs it). */
export function createEmbeddingWorker(db: Database, embedder: Embedder, opts: WorkerOptions, onIndexFailure: (message: string) => void = () => {}): EmbeddingWorker {
  let prepared: Promise<Prepared> | null = null;
  let outages = 0;
  const repo = embeddingsRepository(db);

  async function prepare() {
    if (db.vectorAvailable) await repo.ensureVectorTable(embedder.dimensions);
    const requeued = await repo.requeueOtherModels(embedder.id);
    if (!db.vectorAvailable) return { requeued, vectorIndex: null };
    await repo.deleteOtherModelVectors(embedder.dimensions, embedder.id);
    return { requeued, vectorIndex: await refreshIndex() };
  }

  // the index only makes search faster: a rebuild that fails leaves the old one serving and must not
  // stop new listings from being embedded (the nightly 'embeddings-index' job tries again and reports it)
  async function refreshIndex(): Promise<Prepared['vectorIndex']> {
    if (!db.vectorAvailable) return null;
    return refreshVectorIndex(db, embedder.dimensions).catch((err: Error) => {
      onIndexFailure(err.message);
      return { failed: err.message };
    });
  }

  async function runOnce(now: Date) {
    const result = { recovered: 0, claimed: 0, done: 0, retried: 0, failed: 0, candidates: 0 };

    // Lease: a claim older than leaseMs belongs to a worker that died; the row goes back to WAIT
    // (counted as an attempt, so a listing that kills workers ends FAILED instead of looping).
    result.recovered = await repo.recoverExpiredLeases(new Date(now.getTime() - opts.leaseMs), opts.maxAttempts);

    // 1. select due WAIT rows
    const candidates = await repo.dueIds(now, opts.batchSize);
    result.candidates = candidates.length;
    if (!candidates.length) return result;

    // 2. claim: one conditional UPDATE; only rows still WAIT are ours
    const claimed = await repo.claim(candidates, now);
    result.claimed = claimed.length;
    if (!claimed.length) return result;
    const version = new Map(claimed.map((c) => [c.id, c.embedding_version]));

    // 3. re-read: only rows still PENDING with our version (an edit may have re-queued one meanwhile)
    const sources = (await repo.loadSources([...version.keys()])).filter(
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
        result.retried += await db.transaction(async (tx) => {
          const r = embeddingsRepository(tx);
          await r.lockInOrder(ids);
          return r.releaseForOutage(ids, versions, message, new Date(now.getTime() + delayMs));
        });
        return result;
      }
      // back to WAIT with backoff, or FAILED after maxAttempts; the last error is kept
      const rows = await db.transaction(async (tx) => {
        const r = embeddingsRepository(tx);
        await r.lockInOrder(ids);
        return r.failClaims(ids, versions, message, now, { maxAttempts: opts.maxAttempts, backoffBaseMs: opts.backoffBaseMs, maxBackoffMs: MAX_BACKOFF_MS });
      });
      for (const r of rows) r.embedding_status === 'FAILED' ? result.failed++ : result.retried++;
      return result;
    }

    outages = 0;
    // 4. DONE and the vector in one transaction; a row re-queued meanwhile is left alone
    result.done = await db.transaction(async (tx) => {
      const r = embeddingsRepository(tx);
      await r.lockInOrder(ids);
      const done = new Set(await r.finishClaims(ids, versions, embedder.id));
      if (db.vectorAvailable && done.size) {
        const idx = ids.map((id, i) => [id, i] as const).filter(([id]) => done.has(id));
        await r.writeVectors(embedder.dimensions, embedder.id, idx.map(([id]) => id), idx.map(([, i]) => vectors[i]));
      }
      return done.size;
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
    refreshIndex,
    runOnce,
    async drain(now, maxBatches = 10_000) {
      await this.prepare();
      const total = emptyPass();
      for (let i = 0; i < maxBatches; i++) {
        const r = await runOnce(now());
        addPass(total, r);
        // no due WAIT rows left; a lost race (claimed 0 of some candidates) just selects again
        if (r.candidates === 0) break;
      }
      return total;
    },
  };
}
