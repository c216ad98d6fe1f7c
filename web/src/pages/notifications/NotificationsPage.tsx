// My notifications, newest first: unread ones stand out; opening one marks it read and goes to what it
// is about (reservation, listing, chat room, profile). New ones appear live (src/realtime).
import { Link, useNavigate } from 'react-router';
import {
  notificationLink, useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications, type AppNotification,
} from '../../api/notifications.ts';
import { pageItems } from '../../api/paging.ts';
import { EmptyState, ErrorBox, FormError, LoadMore, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { relativeTime } from '../../lib/format.ts';

const TYPE_LABELS: Record<string, string> = {
  RESERVATION_STATUS: '예약',
  RETURN_REMINDER: '반납 알림',
  REVIEW: '후기',
  MODERATION: '운영',
  CHAT_ROOM: '채팅',
  CHAT_MESSAGE: '채팅',
  ALERT_MATCH: '키워드 알림',
  DATE_FREE: '빈 날짜 알림',
};
const typeLabel = (n: AppNotification) =>
  TYPE_LABELS[n.type] ?? (n.type.startsWith('RESERVATION') ? '예약' : n.type.startsWith('REVIEW') ? '후기' : '알림');

export function NotificationsPage() {
  useDocumentTitle('알림');
  const list = useNotifications();
  const markAll = useMarkAllNotificationsRead();
  const items = pageItems(list.data);
  const anyUnread = items.some((n) => !n.readAt);
  return (
    <div className="page notifications-page">
      <PageHeader title="알림" right={
        <button type="button" className="btn btn-small btn-ghost" onClick={() => markAll.mutate()} disabled={!anyUnread || markAll.isPending}>
          모두 읽음
        </button>
      } />
      <FormError error={markAll.error} />
      {list.isPending ? <Spinner /> : list.error ? <ErrorBox error={list.error} onRetry={() => list.refetch()} /> : items.length === 0 ? (
        <EmptyState title="아직 알림이 없어요" action={<Link className="btn btn-primary" to="/">물건 둘러보기</Link>}>
          예약, 채팅, 후기 소식이 생기면 여기에서 알려 드릴게요.
        </EmptyState>
      ) : (
        <>
          <ul className="notification-list" data-testid="notification-list">
            {items.map((n) => <NotificationRow key={n.id} n={n} />)}
          </ul>
          <LoadMore query={list} />
        </>
      )}
    </div>
  );
}

function NotificationRow({ n }: { n: AppNotification }) {
  const navigate = useNavigate();
  const markRead = useMarkNotificationRead();
  const link = notificationLink(n);
  const open = () => {
    if (!n.readAt) markRead.mutate(n.id);
    if (link) navigate(link);
  };
  return (
    <li>
      <button type="button" className={`notification-row${n.readAt ? '' : ' unread'}`} onClick={open}
        data-testid="notification" data-id={n.id} aria-label={`${n.readAt ? '' : '읽지 않음, '}${n.title}`}>
        <span className="notification-dot" aria-hidden="true" />
        <span className="notification-body">
          <span className="notification-top">
            <span className="notification-type">{typeLabel(n)}</span>
            <time className="muted" dateTime={n.createdAt}>{relativeTime(n.createdAt)}</time>
          </span>
          <strong className="notification-title">{n.title}</strong>
          {n.body && <span className="notification-text">{n.body}</span>}
        </span>
      </button>
    </li>
  );
}
