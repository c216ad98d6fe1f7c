// Unread badges of the top bar and the tab bar: the notification bell and the chat count.
// Counts come from the server on load and after every reconnect, and move live in between (src/realtime).
import { Link } from 'react-router';
import { useChatUnreadCount } from '../api/chat.ts';
import { useMe } from '../api/members.ts';
import { useNotificationUnreadCount } from '../api/notifications.ts';
import { BellIcon, ChatIcon } from './Icons.tsx';

/** "3", or "99+" */
export const countLabel = (n: number) => (n > 99 ? '99+' : String(n));

export function CountBadge({ count, testId }: { count: number | undefined; testId?: string }) {
  if (!count) return null;
  return <span className="count-badge" data-testid={testId} aria-hidden="true">{countLabel(count)}</span>;
}

/**
 * An icon link's name with its badge, read as "알림 (읽지 않은 알림 3개)": built from the link's own text
 * rather than an aria-label, so the visible count is part of the name (WCAG 2.5.3 label in name).
 */
function SpokenCount({ name, what, count, testId }: { name: string; what: string; count: number | undefined; testId?: string }) {
  if (!count) return <span className="sr-only">{name}</span>;
  return (
    <>
      <span className="sr-only">{`${name} (${what} `}</span>
      <span className="count-badge" data-testid={testId}>{countLabel(count)}</span>
      <span className="sr-only">개)</span>
    </>
  );
}

/** on the 채팅 tab */
export function ChatUnreadBadge() {
  const { data: me } = useMe();
  const { data: count } = useChatUnreadCount(!!me);
  return <CountBadge count={me ? count : 0} testId="chat-unread-badge" />;
}

/** top bar: chat (desktop, where there is no tab bar) and the notification bell */
export function TopBarLiveLinks() {
  const { data: me } = useMe();
  const { data: chats } = useChatUnreadCount(!!me);
  const { data: notifications } = useNotificationUnreadCount(!!me);
  if (!me) return null;
  return (
    <>
      <Link to="/chats" className="icon-btn live-link desktop-only">
        <ChatIcon size={22} />
        <SpokenCount name="채팅" what="안 읽은 메시지" count={chats} />
      </Link>
      <Link to="/notifications" className="icon-btn live-link" data-testid="notification-bell">
        <BellIcon size={22} />
        <SpokenCount name="알림" what="읽지 않은 알림" count={notifications} testId="notification-badge" />
      </Link>
    </>
  );
}
