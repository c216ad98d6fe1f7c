// Reading and marking a member's stored notifications (writing lives in service.ts).
import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../http/errors.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';
import { notificationsRepository, type NotificationRow } from './repository.ts';

export const toNotificationJson = (r: NotificationRow) => ({ ...r, readAt: isoOrNull(r.readAt), createdAt: iso(r.createdAt) });

export function notificationQueries(db: Queryable) {
  const repo = notificationsRepository(db);
  return {
    /** newest first; cursor = the last id of the previous page */
    async list(memberId: number, opts: { cursor?: string; limit?: number; unread?: boolean }) {
      const limit = opts.limit ?? 20;
      const rows = await repo.list(memberId, { before: decodeIdCursor(opts.cursor) ?? undefined, limit, unreadOnly: opts.unread ?? false });
      const page = rows.slice(0, limit);
      return { items: page.map(toNotificationJson), nextCursor: nextIdCursor(rows, limit) };
    },
    unreadCount: (memberId: number) => repo.unreadCount(memberId),
    /** someone else's notification is "not found", never "forbidden" */
    async markRead(memberId: number, id: number) {
      const row = await repo.markRead(memberId, id);
      if (!row) throw notFound('알림');
      return toNotificationJson(row);
    },
    markAllRead: (memberId: number) => repo.markAllRead(memberId),
    /** retention: read notifications older than `days` go; unread ones stay whatever their age */
    deleteOldRead: (now: Date, days: number) => repo.deleteOldRead(now, days),
  };
}
