// The chat tab: my rooms, newest conversation first, with the other party, the listing, the last
// message, its time and my unread count; a keyword search (?q=) over titles, nicknames and messages.
// Order and badges move live (src/realtime applies /user/queue/chat to the cached list).
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useChatRooms, type ChatRoom } from '../../api/chat.ts';
import { useMe } from '../../api/members.ts';
import { pageItems } from '../../api/paging.ts';
import { ImageIcon, SearchIcon } from '../../components/Icons.tsx';
import { CountBadge } from '../../components/LiveBadges.tsx';
import { Avatar, EmptyState, ErrorBox, LoadMore, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { relativeTime } from '../../lib/format.ts';
import { blockEnterWhileComposing } from '../../lib/ime.ts';

export function ChatListPage() {
  useDocumentTitle('채팅');
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const rooms = useChatRooms(q);
  const items = pageItems(rooms.data);

  return (
    <div className="page chat-list-page">
      <PageHeader title="채팅" back={false} />
      <RoomSearch key={q} initial={q} onSearch={(next) => setParams(next ? { q: next } : {}, { replace: true })} />
      {rooms.isPending ? <Spinner /> : rooms.error ? <ErrorBox error={rooms.error} onRetry={() => rooms.refetch()} /> : items.length === 0 ? (
        q ? (
          <EmptyState title={`'${q}' 에 맞는 대화가 없어요`}>게시글 제목, 상대 닉네임, 메시지 내용으로 찾을 수 있어요.</EmptyState>
        ) : (
          <EmptyState title="아직 대화가 없어요" action={<Link className="btn btn-primary" to="/">물건 둘러보기</Link>}>
            빌리고 싶은 물건을 찾으면 게시글의 '채팅' 버튼으로 이웃과 바로 대화할 수 있어요.
          </EmptyState>
        )
      ) : (
        <>
          <ul className="room-list" data-testid="room-list">
            {items.map((room) => <RoomRow key={room.id} room={room} />)}
          </ul>
          <LoadMore query={rooms} />
        </>
      )}
    </div>
  );
}

function RoomSearch({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> would need an extra wrapper element around the form; role=search on the form exposes the same landmark
    <form className="room-search" role="search" onSubmit={submit}>
      <SearchIcon size={18} className="room-search-icon" />
      <input type="search" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={blockEnterWhileComposing}
        placeholder="대화 검색 (제목, 닉네임, 메시지)" aria-label="대화 검색" enterKeyHint="search" maxLength={100} />
    </form>
  );
}

function RoomRow({ room }: { room: ChatRoom }) {
  const { data: me } = useMe();
  const last = room.lastMessage;
  const preview = last ? `${last.senderId === me?.id ? '나: ' : ''}${last.content}` : '대화를 시작해 보세요';
  return (
    <li>
      <Link to={`/chats/${room.id}`} className={`room-row${room.unreadCount > 0 ? ' unread' : ''}`} data-testid="room-row" data-room={room.id}>
        <Avatar url={room.other.avatarUrl} name={room.other.nickname} size={48} />
        <div className="room-row-body">
          <div className="room-row-top">
            <strong className="room-row-name">{room.other.nickname}</strong>
            <span className="room-row-time">{relativeTime(room.lastMessageAt ?? room.createdAt)}</span>
          </div>
          <p className="room-row-post">{room.post.title}</p>
          <p className="room-row-preview" data-testid="room-preview">{preview}</p>
        </div>
        <div className="room-row-side">
          <div className="room-row-thumb">
            {room.post.thumbnailUrl ? <img src={room.post.thumbnailUrl} alt="" loading="lazy" /> : <span className="thumb-placeholder"><ImageIcon size={20} /></span>}
          </div>
          <CountBadge count={room.unreadCount} testId="room-unread" />
        </div>
      </Link>
    </li>
  );
}
