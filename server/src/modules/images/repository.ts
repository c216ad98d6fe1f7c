// Every SQL statement of the rendition worker: claims on post_images (FOR UPDATE SKIP LOCKED with a
// lease), results and failures.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export interface ClaimedImageRow {
  id: number;
  original_path: string;
  rendition_attempts: number;
}

export function imagesRepository(db: Queryable) {
  return {
    /** Claims up to `limit` PENDING images; rows claimed by a live worker (within `leaseMs`) are skipped. */
    claimPending(limit: number, leaseMs: number) {
      return db.query<ClaimedImageRow>(sql`
        UPDATE post_images SET rendition_claimed_at = now(), rendition_attempts = rendition_attempts + 1
        WHERE id IN (
          SELECT id FROM post_images
          WHERE status = 'PENDING'
            AND (rendition_claimed_at IS NULL OR rendition_claimed_at < now() - make_interval(secs => ${leaseMs}::double precision / 1000))
          ORDER BY id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, original_path, rendition_attempts`);
    },

    /** false when the image is no longer PENDING (removed by an edit meanwhile) */
    async markReady(id: number, paths: { thumb: string; detail: string }) {
      const rows = await db.query(sql`
        UPDATE post_images SET thumb_path = ${paths.thumb}, detail_path = ${paths.detail}, status = 'READY',
          rendition_claimed_at = NULL, rendition_error = NULL
        WHERE id = ${id} AND status = 'PENDING' RETURNING id`);
      return rows.length > 0;
    },

    exists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM post_images WHERE id = ${id}`)),

    /** Below `maxAttempts` the claim stays until its lease ends (the back-off); at the limit the image is FAILED. */
    async markFailed(id: number, error: string, maxAttempts: number) {
      await db.query(sql`
        UPDATE post_images SET rendition_error = ${error}, rendition_claimed_at = now(),
          status = CASE WHEN rendition_attempts >= ${maxAttempts} THEN 'FAILED' ELSE status END
        WHERE id = ${id} AND status = 'PENDING'`);
    },

    async releaseClaim(id: number) {
      await db.query(sql`UPDATE post_images SET rendition_claimed_at = NULL WHERE id = ${id}`);
    },
  };
}
