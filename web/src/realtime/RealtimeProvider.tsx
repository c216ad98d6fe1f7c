// Opens the live connection when a member logs in and closes it on logout (or when the member changes);
// keeps the cached room list, unread badges and notifications current from the personal queues.
import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { chatKeys } from '../api/chat.ts';
import { useMe } from '../api/members.ts';
import { notificationKeys } from '../api/notifications.ts';
import { applyChatEvent, applyNotification } from './cache.ts';
import { RealtimeConnection, wsUrl } from './connection.ts';
import { RealtimeContext } from './context.ts';
import { useChatEvents, useNotificationsLive } from './hooks.ts';

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  const memberId = me?.id;
  const [connection, setConnection] = useState<RealtimeConnection | null>(null);
  useEffect(() => {
    if (!memberId) return;
    const conn = new RealtimeConnection(wsUrl());
    conn.start();
    setConnection(conn);
    return () => {
      conn.stop();
      setConnection(null);
    };
  }, [memberId]);
  return (
    <RealtimeContext value={connection}>
      {connection && memberId && <LiveCacheSync meId={memberId} />}
      {children}
    </RealtimeContext>
  );
}

function LiveCacheSync({ meId }: { meId: number }) {
  const qc = useQueryClient();
  // after every (re)connect the counts and lists may be behind: refetch what is on screen
  useNotificationsLive((n) => applyNotification(qc, n), () => void qc.invalidateQueries({ queryKey: notificationKeys.all }));
  useChatEvents((e) => applyChatEvent(qc, meId, e), () => void qc.invalidateQueries({ queryKey: chatKeys.all }));
  return null;
}
