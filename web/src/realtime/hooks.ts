// React hooks over the shared live connection: connection state, personal queues, and one room's timeline.
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ChatEvent, ChatMessage } from '../api/chat.ts';
import type { AppNotification } from '../api/notifications.ts';
import type { ConnectionState } from './connection.ts';
import { useRealtime } from './context.ts';
import { RoomStore } from './room-store.ts';

/** null for guests */
export function useConnectionState(): ConnectionState | null {
  const conn = useRealtime();
  const subscribe = useCallback((l: () => void) => (conn ? conn.onStateChange(l) : () => {}), [conn]);
  return useSyncExternalStore(subscribe, () => conn?.state ?? null);
}

/** listens on a destination while mounted; onReady runs whenever the subscription is (again) live */
function useDestination<T>(destination: string | null, onMessage: (body: T) => void, onReady?: () => void) {
  const conn = useRealtime();
  const latest = useRef({ onMessage, onReady });
  useEffect(() => {
    latest.current = { onMessage, onReady };
  });
  useEffect(() => {
    if (!conn || !destination) return;
    return conn.listen(destination, {
      onMessage: (body) => latest.current.onMessage(body as T),
      onReady: () => latest.current.onReady?.(),
    });
  }, [conn, destination]);
}

/** my notifications as they are created (/user/queue/notifications) */
export function useNotificationsLive(onNotification: (n: AppNotification) => void, onReady?: () => void) {
  useDestination('/user/queue/notifications', onNotification, onReady);
}

/** my chat events: new messages in any of my rooms, read pointers moving (/user/queue/chat) */
export function useChatEvents(onEvent: (e: ChatEvent) => void, onReady?: () => void) {
  useDestination('/user/queue/chat', onEvent, onReady);
}

/**
 * One room's timeline: history, live messages, resync, optimistic sends.
 * `live` is false until the room is known to be mine (a refused subscription would end the connection).
 */
export function useRoomMessages(roomId: number, meId: number, live: boolean) {
  const conn = useRealtime();
  const store = useMemo(() => new RoomStore(roomId, meId), [roomId, meId]);
  useEffect(() => {
    if (live) void store.load();
  }, [store, live]);
  useEffect(() => {
    store.connection = conn;
    if (!conn || !live) return;
    return conn.listen(`/topic/chat/${roomId}`, {
      onMessage: (body) => store.receive(body as ChatMessage),
      onReady: () => void store.catchUp(),
    });
  }, [store, conn, live, roomId]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { ...snapshot, loadOlder: store.loadOlder, send: store.send, retry: store.retry, discard: store.discard, add: store.add };
}
