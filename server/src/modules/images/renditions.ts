// Background WebP renditions, made once per image however many instances run: a worker claims a
// batch of PENDING images with FOR UPDATE SKIP LOCKED and a lease (claims older than the lease are
// taken over, so a crashed instance loses nothing), renders them from storage and marks them READY.
// Every instance runs a worker: it is nudged by local signals (uploads) and polls for leftovers.
import type { Deps } from '../../deps.ts';
import { imagesRepository, type ClaimedImageRow } from './repository.ts';
import { makeRenditions, removeFiles } from './service.ts';

export interface RenditionWorker {
  /** resolves when no PENDING image is left that this worker could claim */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Signals that mean "new images may be waiting": listings emit post-changed; the seeder may emit images-pending. */
export const RENDITION_SIGNALS = ['post-changed', 'images-pending'] as const;
const BATCH = 8;
/** a claim older than this is another worker's that died: take it over */
export const RENDITION_LEASE_MS = 5 * 60_000;
/** an image whose rendering failed this many times is FAILED (the original is still shown) */
export const RENDITION_MAX_ATTEMPTS = 3;

/** Claims up to `limit` PENDING images for this worker; rows claimed by a live worker are skipped. */
export function claimRenditions(deps: Deps, limit = BATCH): Promise<ClaimedImageRow[]> {
  return imagesRepository(deps.db).claimPending(limit, RENDITION_LEASE_MS);
}

export function startRenditionWorker(deps: Deps, opts: { pollEveryMs?: number } = {}): RenditionWorker {
  const { log, storage } = deps;
  const repo = imagesRepository(deps.db);
  let stopped = false;
  let current: Promise<void> | null = null;
  let again = false;

  async function processOne(img: ClaimedImageRow) {
    try {
      const made = await makeRenditions(storage, img.original_path);
      const ready = await repo.markReady(img.id, made);
      // the image was removed by an edit meanwhile: its renditions are orphans
      if (!ready && !(await repo.exists(img.id))) await removeFiles(storage, [made.thumb, made.detail]);
    } catch (err) {
      const message = (err as Error).message;
      log.warn({ err: message, imageId: img.id, attempt: img.rendition_attempts }, 'image rendition failed');
      // below the limit the claim stays until its lease ends (the back-off before the next try); at the limit the image is FAILED
      await repo.markFailed(img.id, message.slice(0, 500), RENDITION_MAX_ATTEMPTS).catch(() => {});
    }
  }

  async function run() {
    while (!stopped) {
      const batch = await claimRenditions(deps);
      if (!batch.length) return;
      for (const img of batch) {
        if (stopped) {
          // hand the rest back at once rather than after the lease
          await repo.releaseClaim(img.id).catch(() => {});
          continue;
        }
        await processOne(img);
      }
    }
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again && !stopped);
      } catch (err) {
        if (!stopped) log.error({ err: (err as Error).message }, 'image rendition worker failed');
      } finally {
        current = null;
      }
    })();
    return current;
  }

  const onSignal = () => void kick();
  for (const s of RENDITION_SIGNALS) deps.signals.on(s, onSignal);
  // other instances' uploads, released claims and expired leases
  const timer = setInterval(onSignal, opts.pollEveryMs ?? 30_000);
  timer.unref();
  kick(); // recovery: rows left PENDING by a previous run

  return {
    async drain() {
      while (current) await current;
      await kick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const s of RENDITION_SIGNALS) deps.signals.off(s, onSignal);
      await current;
    },
  };
}
