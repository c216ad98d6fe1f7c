// Stored notifications. Writers insert inside their own transaction, then publish after commit,
// so a live push never announces something that was rolled back.
import type { Database, Queryable } from '../../db/client.ts';
import type { Bus } from '../../realtime/bus.ts';
import { notificationsRepository, type NewNotification, type NotificationRow } from './repository.ts';

export type { NewNotification, NotificationRow } from './repository.ts';

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
    insert: (q, n) => notificationsRepository(q).insert(n),
    insertMany: async (q, ns) => (ns.length ? notificationsRepository(q).insertMany(ns) : []),
    insertUnlessUnread: async (q, n, types) => (await notificationsRepository(q).insertUnlessUnread(n, types)) ?? null,
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
