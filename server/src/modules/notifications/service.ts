// Stored notifications. Writers insert inside their own transaction, then publish after commit,
// so a live push never announces something that was rolled back.
import type { Database, Queryable } from '../../db/client.ts';
import type { Bus } from '../../realtime/bus.ts';

export interface NewNotification {
  memberId: number;
  /** e.g. RESERVATION_STATUS, REVIEW, RETURN_REMINDER, CHAT_MESSAGE, MODERATION */
  type: string;
  title: string;
  body?: string;
  targetType?: string;
  targetId?: number;
}

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

export const NOTIFICATION_COLUMNS = `id, member_id AS "memberId", type, title, body, target_type AS "targetType",
  target_id AS "targetId", read_at AS "readAt", created_at AS "createdAt"`;

/** bus channel that carries one member's personal events */
export const userChannel = (memberId: number) => `user:${memberId}`;

export interface NotificationService {
  /** insert within the caller's transaction; call publish() with the result after commit */
  insert(q: Queryable, n: NewNotification): Promise<NotificationRow>;
  /** many at once, one statement (jobs notifying a whole batch) */
  insertMany(q: Queryable, ns: NewNotification[]): Promise<NotificationRow[]>;
  /**
   * insert, unless the member still has an unread notification of one of `types` on the same target
   * (one notice per unread burst, e.g. chat); null when skipped
   */
  insertUnlessUnread(
    q: Queryable,
    n: NewNotification & { targetType: string; targetId: number },
    types: readonly string[],
  ): Promise<NotificationRow | null>;
  publish(rows: NotificationRow[]): Promise<void>;
  /** insert + publish, outside any transaction */
  notify(n: NewNotification): Promise<NotificationRow>;
}

/** `afterPublish`: runs with every published batch (the mail module queues mail copies there). */
export function createNotificationService(db: Database, bus: Bus, afterPublish?: (rows: NotificationRow[]) => Promise<void>): NotificationService {
  const service: NotificationService = {
    async insert(q, n) {
      const row = await q.one<NotificationRow>(
        `INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${NOTIFICATION_COLUMNS}`,
        [n.memberId, n.type, n.title, n.body ?? '', n.targetType ?? null, n.targetId ?? null],
      );
      return row!;
    },
    async insertMany(q, ns) {
      if (!ns.length) return [];
      return q.query<NotificationRow>(
        `INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         RETURNING ${NOTIFICATION_COLUMNS}`,
        [
          ns.map((n) => n.memberId), ns.map((n) => n.type), ns.map((n) => n.title), ns.map((n) => n.body ?? ''),
          ns.map((n) => n.targetType ?? null), ns.map((n) => n.targetId ?? null),
        ],
      );
    },
    async insertUnlessUnread(q, n, types) {
      const row = await q.one<NotificationRow>(
        `INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
         SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::bigint
         WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE member_id = $1 AND target_type = $5 AND target_id = $6
           AND type = ANY($7::text[]) AND read_at IS NULL)
         RETURNING ${NOTIFICATION_COLUMNS}`,
        [n.memberId, n.type, n.title, n.body ?? '', n.targetType, n.targetId, [...types]],
      );
      return row ?? null;
    },
    async publish(rows) {
      for (const row of rows) await bus.publish(userChannel(row.memberId), { kind: 'notification', notification: row });
      if (rows.length) await afterPublish?.(rows);
    },
    async notify(n) {
      const row = await service.insert(db, n);
      await service.publish([row]);
      return row;
    },
  };
  return service;
}
