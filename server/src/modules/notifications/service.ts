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
  publish(rows: NotificationRow[]): Promise<void>;
  /** insert + publish, outside any transaction */
  notify(n: NewNotification): Promise<NotificationRow>;
}

export function createNotificationService(db: Database, bus: Bus): NotificationService {
  const service: NotificationService = {
    async insert(q, n) {
      const row = await q.one<NotificationRow>(
        `INSERT INTO notifications (member_id, type, title, body, target_type, target_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${NOTIFICATION_COLUMNS}`,
        [n.memberId, n.type, n.title, n.body ?? '', n.targetType ?? null, n.targetId ?? null],
      );
      return row!;
    },
    async publish(rows) {
      for (const row of rows) await bus.publish(userChannel(row.memberId), { kind: 'notification', notification: row });
    },
    async notify(n) {
      const row = await service.insert(db, n);
      await service.publish([row]);
      return row;
    },
  };
  return service;
}
