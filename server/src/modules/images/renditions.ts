// Background WebP renditions: an in-process queue fed by signals, plus a sweep of rows still
// PENDING (at start, so nothing is lost across restarts, and periodically for other instances' leftovers).
import type { Deps } from '../../deps.ts';
import { makeRenditions, removeFiles } from './service.ts';

export interface RenditionWorker {
  /** resolves when every PENDING image seen so far has been processed */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Signals that mean "new images may be waiting": listings emit post-changed; the seeder may emit images-pending. */
export const RENDITION_SIGNALS = ['post-changed', 'images-pending'] as const;
const BATCH = 20;

export function startRenditionWorker(deps: Deps, opts: { sweepEveryMs?: number } = {}): RenditionWorker {
  const { db, config, log } = deps;
  let stopped = false;
  let current: Promise<void> | null = null;
  let again = false;

  async function processOne(img: { id: number; original_path: string }) {
    try {
      const made = await makeRenditions(config.uploadDir, img.original_path);
      const updated = await db.query(
        "UPDATE post_images SET thumb_path = $2, detail_path = $3, status = 'READY' WHERE id = $1 AND status = 'PENDING' RETURNING id",
        [img.id, made.thumb, made.detail],
      );
      // the image was removed by an edit meanwhile: its renditions are orphans
      if (!updated.length && !(await db.one('SELECT 1 FROM post_images WHERE id = $1', [img.id]))) {
        await removeFiles(config.uploadDir, [made.thumb, made.detail]);
      }
    } catch (err) {
      log.warn({ err: (err as Error).message, imageId: img.id }, 'image rendition failed');
      await db.query("UPDATE post_images SET status = 'FAILED' WHERE id = $1 AND status = 'PENDING'", [img.id]).catch(() => {});
    }
  }

  async function sweep() {
    const tried = new Set<number>();
    while (!stopped) {
      const rows = await db.query<{ id: number; original_path: string }>(
        "SELECT id, original_path FROM post_images WHERE status = 'PENDING' AND NOT (id = ANY($1::bigint[])) ORDER BY id LIMIT $2",
        [[...tried], BATCH],
      );
      if (!rows.length) return;
      for (const img of rows) {
        if (stopped) return;
        tried.add(img.id);
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
          await sweep();
        } while (again && !stopped);
      } catch (err) {
        if (!stopped) log.error({ err: (err as Error).message }, 'image rendition sweep failed');
      } finally {
        current = null;
      }
    })();
    return current;
  }

  const onSignal = () => void kick();
  for (const s of RENDITION_SIGNALS) deps.signals.on(s, onSignal);
  const timer = setInterval(onSignal, opts.sweepEveryMs ?? 60_000);
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
