// Notifications (SPEC §7): stored per member, pushed live on /user/queue/notifications (src/realtime),
// listed here with the unread count, mark one / mark all read, and where each one leads.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Static } from 'typebox';
import type { Notification } from '../../../server/src/modules/notifications/schemas.ts';
import { cursorPaging, type CursorPage } from './paging.ts';

export type AppNotification = Static<typeof Notification>;

export type NotificationPage = CursorPage<AppNotification>;

export const notificationKeys = {
  all: ['notifications'] as const,
  lists: ['notifications', 'list'] as const,
  unread: ['notifications', 'unread'] as const,
};

/** the page a notification is about, or null when there is none to open */
export function notificationLink(n: Pick<AppNotification, 'targetType' | 'targetId'>): string | null {
  if (n.targetId === null) return null;
  switch (n.targetType) {
    case 'RESERVATION': return `/reservations/${n.targetId}`;
    case 'POST': return `/posts/${n.targetId}`;
    case 'CHAT_ROOM': return `/chats/${n.targetId}`;
    case 'MEMBER': return `/members/${n.targetId}`;
    default: return null;
  }
}

export function useNotifications() {
  return useInfiniteQuery({
    queryKey: notificationKeys.lists,
    queryFn: ({ pageParam, signal }) => api<NotificationPage>('/notifications', { query: { cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

export function useNotificationUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => api<{ count: number }>('/notifications/unread-count', { signal }),
    select: (r) => r.count,
    enabled,
  });
}

/** marks one read in the cached list at once, and corrects the count from the server */
export function useMarkNotificationRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<AppNotification>(`/notifications/${id}/read`, { method: 'POST' }),
    onSuccess: (updated) => {
      qc.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.lists, (old) =>
        old && { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((n) => (n.id === updated.id ? updated : n)) })) },
      );
      void qc.invalidateQueries({ queryKey: notificationKeys.unread });
    },
  });
}

export function useMarkAllNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ updated: number }>('/notifications/read-all', { method: 'POST' }),
    onSuccess: () => {
      const now = new Date().toISOString();
      qc.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.lists, (old) =>
        old && { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((n) => (n.readAt ? n : { ...n, readAt: now })) })) },
      );
      qc.setQueryData(notificationKeys.unread, { count: 0 });
      void qc.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}
