// Wires the embedding worker into the app: one worker per process and the 'embeddings-embed' job,
// which a listing change nudges (queueEmbedding) so a new listing is searchable within seconds; and
// the nightly 'embeddings-index' job, which fits the vector index to the catalogue (vector-index.ts).
import type { Deps } from '../../deps.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { embeddingsRepository } from './repository.ts';
import { addPass, createEmbeddingWorker, emptyPass, MAX_OUTAGE_BACKOFF_MS, type EmbeddingWorker, type PassResult } from './worker.ts';
import { markEmbedderDown, markEmbedderUp } from './health.ts';
import { refreshVectorIndex } from './vector-index.ts';

const workers = new WeakMap<Deps, EmbeddingWorker>();

export function embeddingWorker(deps: Deps): EmbeddingWorker {
  let w = workers.get(deps);
  if (!w) {
    w = createEmbeddingWorker(deps.db, embedderFor(deps.config), deps.config.embeddingWorker,
      (message) => deps.log.error({ err: message }, 'vector index rebuild failed; search keeps the old index, the nightly embeddings-index job tries again'));
    workers.set(deps, w);
    deps.log.info(
      { embedder: w.embedder.id, semanticSearch: deps.db.vectorAvailable },
      deps.db.vectorAvailable ? 'embedding worker ready' : 'embedding worker ready; semantic search unavailable (no pgvector)',
    );
  }
  return w;
}

// One pass at a time per process; a nudge during a pass asks for one more pass after it.
const running = new WeakMap<Deps, { promise: Promise<PassResult>; again: boolean }>();

export function runEmbeddingPass(deps: Deps): Promise<PassResult> {
  const current = running.get(deps);
  if (current) {
    current.again = true;
    return current.promise;
  }
  const state = { again: false, promise: null as unknown as Promise<PassResult> };
  state.promise = (async () => {
    try {
      const total = emptyPass();
      do {
        state.again = false;
        addPass(total, await embeddingWorker(deps).drain(() => deps.clock.now()));
      } while (state.again);
      // the worker's view of the embeddings service is search's too
      if (embeddingWorker(deps).outages > 0) markEmbedderDown(deps.config);
      else if (total.done > 0) markEmbedderUp(deps.config);
      return total;
    } finally {
      running.delete(deps);
    }
  })();
  running.set(deps, state);
  return state.promise;
}

/** Listings waiting for an embedding (the embedding_backlog gauge of /metrics). */
export function embeddingBacklog(deps: Deps): Promise<number> {
  return embeddingsRepository(deps.db).backlog();
}

export const EMBED_JOB = 'embeddings-embed';
/** listings embedded in one pass that make it refit the vector index (vector-index.ts decides whether
 *  to rebuild): a catalogue re-embedded into a one-list index would be scanned exactly by every search
 *  until the nightly check */
export const REFIT_AFTER_EMBEDDED = 1_000;

/** A listing was created or changed (its row is WAIT again): embed it within seconds, on any instance. */
export function queueEmbedding(deps: Deps): Promise<void> {
  return deps.jobs.nudge(EMBED_JOB);
}

export const embeddingJobs: JobDefinition[] = [
  {
    name: EMBED_JOB,
    description: '게시글 임베딩 생성 (대기 중인 게시글을 선점해 벡터를 만들고, 만료된 선점은 되돌립니다)',
    cron: '7 * * * *', // safety net; new and edited listings are nudged within a second
    runAtStart: true, // the backlog, and everything again after a model change
    async run({ deps }) {
      const result = await runEmbeddingPass(deps);
      // a pass that embedded the catalogue anew (a model change, an import) refits the index now, not at night
      const vectorIndex = result.done < REFIT_AFTER_EMBEDDED ? undefined : await embeddingWorker(deps).refreshIndex();
      // Listings put back after a failure or an outage are due later: run again when the first is due
      // (not at the next hourly tick), so embedding resumes as soon as the service is back.
      // (A due time already past was left by this pass on purpose, e.g. claimed elsewhere: the cron is its net.)
      const due = await embeddingsRepository(deps.db).nextRetryDue();
      const now = deps.clock.now().getTime();
      if (due && due.getTime() > now) await deps.jobs.nudge(EMBED_JOB, { at: new Date(Math.min(due.getTime(), now + MAX_OUTAGE_BACKOFF_MS)) });
      return { ...result, ...(vectorIndex && { vectorIndex }) };
    },
  },
  {
    name: 'embeddings-index',
    description: '벡터 색인 맞춤: 게시글 수에 비해 목록 수가 맞지 않거나 색인 뒤에 쓰인 벡터가 10%를 넘으면 색인을 다시 만듭니다',
    cron: '50 4 * * *', // at night: a rebuild holds the embedded database (~25 s at 100k listings)
    async run({ deps }) {
      const dims = embedderFor(deps.config).dimensions;
      if (!deps.db.vectorAvailable || !(await embeddingsRepository(deps.db).vectorTableExists(dims))) return { skipped: 'no vector store' };
      return { ...(await refreshVectorIndex(deps.db, dims)) };
    },
  },
];
