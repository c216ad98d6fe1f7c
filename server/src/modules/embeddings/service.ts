// Wires the embedding worker into the app: one worker per process (shared by the scheduled job and
// the in-process nudge), the 'embeddings-embed' job, and the post-changed listener.
import type { Deps } from '../../deps.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { embeddingsRepository } from './repository.ts';
import { createEmbeddingWorker, MAX_OUTAGE_BACKOFF_MS, type EmbeddingWorker, type PassResult } from './worker.ts';
import { markEmbedderDown, markEmbedderUp } from './health.ts';

const workers = new WeakMap<Deps, EmbeddingWorker>();

export function embeddingWorker(deps: Deps): EmbeddingWorker {
  let w = workers.get(deps);
  if (!w) {
    w = createEmbeddingWorker(deps.db, embedderFor(deps.config), deps.config.embeddingWorker);
    workers.set(deps, w);
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
      let r: PassResult;
      do {
        state.again = false;
        r = await embeddingWorker(deps).drain(() => deps.clock.now());
      } while (state.again);
      // the worker's view of the embeddings service is search's too
      if (embeddingWorker(deps).outages > 0) markEmbedderDown(deps.config);
      else if (r.done > 0) markEmbedderUp(deps.config);
      return r;
    } finally {
      running.delete(deps);
    }
  })();
  running.set(deps, state);
  return state.promise;
}

export const embeddingJobs: JobDefinition[] = [
  {
    name: 'embeddings-embed',
    description: '게시글 임베딩 생성 (대기 중인 게시글을 선점해 벡터를 만들고, 만료된 선점은 되돌립니다)',
    cron: '7 * * * *', // safety net; new and edited listings are nudged within a second
    async run({ deps }) {
      return { ...(await runEmbeddingPass(deps)) };
    },
  },
];

export const NUDGE_DEBOUNCE_MS = 250;

/**
 * Starts the in-process nudge: 'post-changed' → a worker pass within ~1 s (debounced), plus one
 * pass at start for the backlog and a changed model. Returns stop().
 */
export function startEmbeddingNudger(deps: Deps): () => Promise<void> {
  const embedder = embeddingWorker(deps).embedder;
  deps.log.info(
    { embedder: embedder.id, semanticSearch: deps.db.vectorAvailable },
    deps.db.vectorAvailable ? 'embedding worker ready' : 'embedding worker ready; semantic search unavailable (no pgvector)',
  );
  let timer: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  const pass = () => {
    timer = null;
    if (stopped) return;
    runEmbeddingPass(deps)
      .then(() => scheduleRetry())
      .catch((err) => deps.log.warn({ err: (err as Error).message }, 'embedding pass failed'));
  };
  // Listings put back after a failure or an outage are due later: pass again when the first is due
  // (not at the next hourly run), so embedding resumes as soon as the service is back.
  const scheduleRetry = async () => {
    if (stopped) return;
    const due = await embeddingsRepository(deps.db).nextRetryDue();
    if (!due || stopped) return;
    const delay = Math.min(Math.max(due.getTime() - deps.clock.now().getTime(), 0) + 50, MAX_OUTAGE_BACKOFF_MS);
    if (retry) clearTimeout(retry);
    retry = setTimeout(() => { retry = null; pass(); }, delay);
    retry.unref?.();
  };
  const onChanged = () => {
    if (!timer && !stopped) timer = setTimeout(pass, NUDGE_DEBOUNCE_MS);
  };
  deps.signals.on('post-changed', onChanged);
  pass();
  return async () => {
    stopped = true;
    deps.signals.off('post-changed', onChanged);
    if (timer) clearTimeout(timer);
    if (retry) clearTimeout(retry);
    await running.get(deps)?.promise.catch(() => {});
  };
}
