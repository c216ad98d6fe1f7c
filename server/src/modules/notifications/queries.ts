// Reading and marking a member's stored notifications (writing lives in service.ts).
import type { Database } from '../../db/client.ts';
import { notFound } from '../../http/errors.ts';
import { NOTIFICATION_COLUMNS, type NotificationRow } from './service.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';

export const toNotificationJson = (r: NotificationRow) => ({ ...r, readAt: isoOrNull(r.readAt), createdAt: iso(r.createdAt) });

export function notificationQueries(db: Database) {
  return {
    /** newest first; cursor = the last id of the previous page */
    async list(memberId: number, opts: { cursor?: string; limit?: number; unread?: boolean }) {
      const limit = opts.limit ?? 20;
      const rows = await db.query<NotificationRow>(
        `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE member_id = $1 AND ($2::bigint IS NULL OR id < $2)
           AND (NOT $3 OR read_at IS NULL) ORDER BY id DESC LIMIT $4`,
        [memberId, decodeIdCursor(opts.cursor), opts.unread ?? false, limit + 1],
      );
      const page = rows.slice(0, limit);
      return { items: page.map(toNotificationJson), nextCursor: nextIdCursor(rows, limit) };
    },
    async unreadCount(memberId: number) {
      const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE member_id = $1 AND read_at IS NULL', [memberId]);
      return row!.n;
    },
    /** someone else's notification is "not found", never "forbidden" */
    async markRead(memberId: number, id: number) {
      const row = await db.one<NotificationRow>(
        `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND member_id = $2 RETURNING ${NOTIFICATION_COLUMNS}`,
        [id, memberId],
      );
      if (!row) throw notFound('알림');
      return toNotificationJson(row);
    },
    async markAllRead(memberId: number) {
      const rows = await db.query('UPDATE notifications SET read_at = now() WHERE member_id = $1 AND read_at IS NULL RETURNING id', [memberId]);
      return rows.length;
    },
    /** retention: read notifications older than `days` go; unread ones stay whatever their age */
    async deleteOldRead(now: Date, days: number) {
      const rows = await db.query(
        `DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1::timestamptz - make_interval(days => $2) RETURNING id`,
        [now.toISOString(), days],
      );
      return rows.length;
    },
  };
}
