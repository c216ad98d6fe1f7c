// Every SQL statement of stored notifications. Writers pass their own transaction handle.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export interface NotificationRow {
  id: number;
  memberId: number;
  type: string;
  title: string;
  body: string;
  targetType: string | null;
  targetId: number | null;
  readAt: string | null;
  createdAt: string;
}

export interface NewNotification {
  memberId: number;
  /** e.g. RESERVATION_STATUS, REVIEW, RETURN_REMINDER, CHAT_MESSAGE, MODERATION */
  type: string;
  title: string;
  body?: string;
  targetType?: string;
  targetId?: number;
}

const COLUMNS = sql.raw(`id, member_id AS "memberId", type, title, body, target_type AS "targetType",
  target_id AS "targetId", read_at AS "readAt", created_at AS "createdAt"`);

export function notificationsRepository(db: Queryable) {
  return {
    async insert(n: NewNotification) {
      const row = await db.one<NotificationRow>(sql`
        INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
        VALUES (${n.memberId}, ${n.type}, ${n.title}, ${n.body ?? ''}, ${n.targetType ?? null}, ${n.targetId ?? null})
        RETURNING ${COLUMNS}`);
      return row!;
    },

    /** many at once, one statement */
    insertMany(ns: NewNotification[]) {
      return db.query<NotificationRow>(sql`
        INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
        SELECT * FROM unnest(${ns.map((n) => n.memberId)}::bigint[], ${ns.map((n) => n.type)}::text[], ${ns.map((n) => n.title)}::text[],
          ${ns.map((n) => n.body ?? '')}::text[], ${ns.map((n) => n.targetType ?? null)}::text[], ${ns.map((n) => n.targetId ?? null)}::bigint[])
        RETURNING ${COLUMNS}`);
    },

    /** inserts unless the member has an unread notification of one of `types` on the same target; undefined when skipped */
    insertUnlessUnread(n: NewNotification & { targetType: string; targetId: number }, types: readonly string[]) {
      return db.one<NotificationRow>(sql`
        INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
        SELECT ${n.memberId}::bigint, ${n.type}::text, ${n.title}::text, ${n.body ?? ''}::text, ${n.targetType}::text, ${n.targetId}::bigint
        WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE member_id = ${n.memberId} AND target_type = ${n.targetType}
          AND target_id = ${n.targetId} AND type = ANY(${[...types]}::text[]) AND read_at IS NULL)
        RETURNING ${COLUMNS}`);
    },

    /** newest first, one row more than `limit` when there is a next page */
    list(memberId: number, opts: { before?: number; limit: number; unreadOnly: boolean }) {
      return db.query<NotificationRow>(sql`
        SELECT ${COLUMNS} FROM notifications WHERE member_id = ${memberId} AND (${opts.before ?? null}::bigint IS NULL OR id < ${opts.before ?? null})
          AND (NOT ${opts.unreadOnly} OR read_at IS NULL) ORDER BY id DESC LIMIT ${opts.limit + 1}`);
    },

    async unreadCount(memberId: number) {
      const row = await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE member_id = ${memberId} AND read_at IS NULL`);
      return row!.n;
    },

    /** undefined when it is not this member's notification */
    markRead(memberId: number, id: number) {
      return db.one<NotificationRow>(sql`
        UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = ${id} AND member_id = ${memberId} RETURNING ${COLUMNS}`);
    },

    async markAllRead(memberId: number) {
      const rows = await db.query(sql`UPDATE notifications SET read_at = now() WHERE member_id = ${memberId} AND read_at IS NULL RETURNING id`);
      return rows.length;
    },

    /** read notifications older than `days` before `now`; unread ones stay whatever their age */
    async deleteOldRead(now: Date, days: number) {
      const rows = await db.query(sql`
        DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ${now.toISOString()}::timestamptz - make_interval(days => ${days})
        RETURNING id`);
      return rows.length;
    },
  };
}
