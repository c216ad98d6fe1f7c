// posts-purge: hard-deletes listings soft-deleted more than 30 days ago that nothing references
// any more, and removes image files no row points at.
import type { Deps } from '../../deps.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { removeFiles } from '../images/service.ts';
import { postsRepository } from './repository.ts';

export const PURGE_AFTER_DAYS = 30;
/** a file younger than this may belong to an upload whose row is not committed yet */
const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;
/** folders of the upload dir owned by listings and avatars; other modules keep their own folders */
export const MANAGED_FOLDERS = ['originals', 'renditions', 'avatars'];
const BATCH = 500;

export async function purgeDeletedPosts(deps: Deps, now: Date) {
  const repo = postsRepository(deps.db);
  const cutoff = new Date(now.getTime() - PURGE_AFTER_DAYS * 86_400_000);
  const candidates = await repo.purgeCandidates(cutoff, BATCH);
  let purged = 0;
  let kept = 0;
  for (const { id } of candidates) {
    const images = await repo.images(id);
    try {
      await repo.hardDelete(id);
    } catch (err) {
      // still referenced by another module's rows (chat rooms, reviews...): keep it
      if ((err as { code?: string }).code === '23503') {
        kept++;
        continue;
      }
      throw err;
    }
    await removeFiles(deps.storage, images.flatMap((i) => [i.original_path, i.thumb_path, i.detail_path]));
    purged++;
  }
  return { purged, kept };
}

/** Removes files in the managed folders (of the local folder or the bucket) that no post image or avatar refers to. */
export async function purgeOrphanFiles(deps: Deps, now: Date) {
  const { storage } = deps;
  const referenced = await postsRepository(deps.db).referencedFiles();
  let removed = 0;
  for (const folder of MANAGED_FOLDERS) {
    for await (const obj of storage.list(`${folder}/`)) {
      if (referenced.has(obj.key)) continue;
      if (now.getTime() - obj.lastModified.getTime() < ORPHAN_GRACE_MS) continue;
      await removeFiles(storage, [obj.key]);
      removed++;
    }
  }
  return removed;
}

export const postsJobs: JobDefinition[] = [
  {
    name: 'posts-purge',
    description: `삭제 후 ${PURGE_AFTER_DAYS}일이 지난 게시글(예약 기록이 없는 것)과 어디에도 쓰이지 않는 이미지 파일을 정리합니다`,
    cron: '30 4 * * *',
    async run({ deps, now }) {
      const posts = await purgeDeletedPosts(deps, now);
      const orphanFiles = await purgeOrphanFiles(deps, now);
      return { ...posts, orphanFiles };
    },
  },
];
