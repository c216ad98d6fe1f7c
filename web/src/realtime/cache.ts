// Live events applied to the TanStack Query cache, so lists and badges move without refetching everything.
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { chatKeys, type ChatEvent, type ChatRoom, type RoomPage } from '../api/chat.ts';
import { notificationKeys, type AppNotification, type NotificationPage } from '../api/notifications.ts';
import { pageItems } from '../api/paging.ts';
import { reservationKeys } from '../api/reservations.ts';

type Count = { count: number };

function patchRooms(qc: QueryClient, patch: (r: ChatRoom) => ChatRoom) {
  qc.setQueriesData<InfiniteData<RoomPage>>({ queryKey: chatKeys.lists }, (old) =>
    old && { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map(patch) })) },
  );
}

export function applyChatEvent(qc: QueryClient, meId: number, e: ChatEvent) {
  if (e.kind === 'chat-message') {
    const m = e.message;
    const fromOther = m.senderId !== meId;
    let known = false;
    qc.setQueriesData<InfiniteData<RoomPage>>({ queryKey: chatKeys.lists }, (old) => {
      const room = pageItems(old).find((r) => r.id === m.roomId);
      if (!old || !room) return old;
      known = true;
      if (m.seq <= room.lastSeq) return old;
      const updated: ChatRoom = {
        ...room, lastSeq: m.seq, lastMessage: m, lastMessageAt: m.createdAt, unreadCount: room.unreadCount + (fromOther ? 1 : 0),
      };
      // newest conversation first: the room moves to the top
      return {
        ...old,
        pages: old.pages.map((p, i) => ({ ...p, items: [...(i === 0 ? [updated] : []), ...p.items.filter((r) => r.id !== m.roomId)] })),
      };
    });
    if (!known) void qc.invalidateQueries({ queryKey: chatKeys.lists });
    qc.setQueryData<ChatRoom>(chatKeys.room(m.roomId), (old) =>
      old && m.seq > old.lastSeq ? { ...old, lastSeq: m.seq, lastMessage: m, lastMessageAt: m.createdAt } : old,
    );
    if (fromOther) {
      qc.setQueryData<Count>(chatKeys.unread, (old) => old && { count: old.count + 1 });
      void qc.invalidateQueries({ queryKey: chatKeys.unread });
    }
    return;
  }
  const mine = e.memberId === meId;
  const patch = (r: ChatRoom): ChatRoom => {
    if (r.id !== e.roomId) return r;
    return mine
      ? { ...r, lastReadSeq: Math.max(r.lastReadSeq, e.lastReadSeq), unreadCount: e.unreadCount }
      : { ...r, otherLastReadSeq: Math.max(r.otherLastReadSeq, e.lastReadSeq) };
  };
  patchRooms(qc, patch);
  qc.setQueryData<ChatRoom>(chatKeys.room(e.roomId), (old) => old && patch(old));
  if (mine) {
    void qc.invalidateQueries({ queryKey: chatKeys.unread });
    // reading a room also marks its chat notifications read (server side)
    void qc.invalidateQueries({ queryKey: notificationKeys.all });
  }
}

export function applyNotification(qc: QueryClient, n: AppNotification) {
  qc.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.lists, (old) => {
    if (!old || old.pages.some((p) => p.items.some((x) => x.id === n.id))) return old;
    const [first, ...rest] = old.pages;
    return { ...old, pages: [{ ...first, items: [n, ...first.items] }, ...rest] };
  });
  if (!n.readAt) qc.setQueryData<Count>(notificationKeys.unread, (old) => old && { count: old.count + 1 });
  // a new room is announced only by its notification: the room list needs it
  if (n.type === 'CHAT_ROOM') void qc.invalidateQueries({ queryKey: chatKeys.lists });
  // the other party changed a reservation (status, edited request): open lists and details follow
  if (n.targetType === 'RESERVATION') void qc.invalidateQueries({ queryKey: reservationKeys.all });
}
