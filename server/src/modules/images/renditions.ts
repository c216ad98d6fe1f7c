// Background WebP renditions, made once per image however many instances run: the 'images-render'
// job claims a batch of PENDING images with FOR UPDATE SKIP LOCKED and a lease (claims older than the
// lease are taken over, so a crashed instance loses nothing), renders them from storage and marks them
// READY. An upload nudges the job (queueRenditions), so a worker on any instance starts within a second;
// its cron is the net for released claims and expired leases.
import type { Deps } from '../../deps.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { imagesRepository, type ClaimedImageRow } from './repository.ts';
import { makeRenditions, removeFiles } from './service.ts';

const BATCH = 8;
/** a claim older than this is another worker's that died: take it over */
export const RENDITION_LEASE_MS = 5 * 60_000;
/** an image whose rendering failed this many times is FAILED (the original is still shown) */
export const RENDITION_MAX_ATTEMPTS = 3;
export const RENDER_JOB = 'images-render';

/** Claims up to `limit` PENDING images for this worker; rows claimed by a live worker are skipped. */
export function claimRenditions(deps: Deps, limit = BATCH): Promise<ClaimedImageRow[]> {
  return imagesRepository(deps.db).claimPending(limit, RENDITION_LEASE_MS);
}

/** New images are PENDING: render them within seconds, on any instance. */
export function queueRenditions(deps: Deps): Promise<void> {
  return deps.jobs.nudge(RENDER_JOB);
}

/**
 * Renders every PENDING image this worker can claim, a batch at a time. When `signal` aborts (the
 * instance stops) the rest of the batch is handed back at once rather than after the lease.
 */
export async function renderPending(deps: Deps, signal?: AbortSignal): Promise<{ rendered: number; failed: number }> {
  const { log, storage } = deps;
  const repo = imagesRepository(deps.db);
  const result = { rendered: 0, failed: 0 };
  while (!signal?.aborted) {
    const batch = await claimRenditions(deps);
    if (!batch.length) break;
    for (const img of batch) {
      if (signal?.aborted) {
        await repo.releaseClaim(img.id).catch(() => {});
        continue;
      }
      try {
        const made = await makeRenditions(storage, img.original_path);
        const ready = await repo.markReady(img.id, made);
        // the image was removed by an edit meanwhile: its renditions are orphans
        if (!ready && !(await repo.exists(img.id))) await removeFiles(storage, [made.thumb, made.detail]);
        result.rendered++;
      } catch (err) {
        const message = (err as Error).message;
        log.warn({ err: message, imageId: img.id, attempt: img.rendition_attempts }, 'image rendition failed');
        // below the limit the claim stays until its lease ends (the back-off before the next try); at the limit the image is FAILED
        await repo.markFailed(img.id, message.slice(0, 500), RENDITION_MAX_ATTEMPTS).catch(() => {});
        result.failed++;
      }
    }
  }
  return result;
}

export const imageJobs: JobDefinition[] = [
  {
    name: RENDER_JOB,
    description: '이미지 WebP 변환 (업로드된 사진의 썸네일·상세 크기를 만들고, 실패한 변환은 선점 만료 후 다시 시도합니다)',
    cron: '*/5 * * * *', // safety net for expired leases and retries; uploads are nudged within a second
    runAtStart: true, // images left PENDING by a previous run
    async run({ deps, signal }) {
      return renderPending(deps, signal);
    },
  },
];
