// One conversation: the listing it is about, history ("이전 메시지 보기" pages back by seq), live
// messages, optimistic sends (전송 중 / 전송 실패 + 다시 보내기 with the same clientId) and the read
// pointer, moved when the newest message is on screen. Enter sends, never while composing Hangul.
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import {
  acceptAppointment, markRoomRead, MAX_MESSAGE_LENGTH, postPhoto, proposeAppointment, useChatRoom, type Appointment, type ChatMessage, type ChatRoom,
} from '../../api/chat.ts';
import { errorMessage } from '../../api/client.ts';
import { useMyNeighbourhoods } from '../../api/neighbourhoods.ts';
import { uuid } from '../../realtime/connection.ts';
import { useMe } from '../../api/members.ts';
import { ChevronRightIcon, ImageIcon, SendIcon } from '../../components/Icons.tsx';
import { EmptyState, ErrorBox, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { koreanDayOf, seoulDate, TIME_ZONE } from '../../lib/format.ts';
import { onEnter } from '../../lib/ime.ts';
import { applyChatEvent } from '../../realtime/cache.ts';
import { useConnectionState, useRoomMessages } from '../../realtime/hooks.ts';
import type { PendingMessage } from '../../realtime/room-store.ts';

export function ChatRoomPage() {
  const id = Number(useParams().id);
  const { data: me } = useMe();
  const room = useChatRoom(id);
  useDocumentTitle(room.data ? `${room.data.other.nickname}님과의 대화` : '채팅');

  if (room.isPending || !me) return <Spinner />;
  if (room.error) {
    if (isApiError(room.error, 404) || isApiError(room.error, 400)) {
      return (
        <div className="page">
          <EmptyState title="대화방을 찾을 수 없어요" action={<Link className="btn btn-primary" to="/chats">채팅 목록</Link>}>
            참여하지 않은 대화방이거나 주소가 잘못되었어요.
          </EmptyState>
        </div>
      );
    }
    return <div className="page"><ErrorBox error={room.error} onRetry={() => room.refetch()} /></div>;
  }
  return <RoomView key={room.data.id} room={room.data} meId={me.id} />;
}

const timeFormat = new Intl.DateTimeFormat('ko-KR', { timeZone: TIME_ZONE, hour: 'numeric', minute: '2-digit' });
const timeOf = (iso: string) => timeFormat.format(new Date(iso));

function RoomView({ room, meId }: { room: ChatRoom; meId: number }) {
  const timeline = useRoomMessages(room.id, meId, true);
  const { messages, pending } = timeline;
  const scroller = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prev = useRef({ firstSeq: 0, height: 0 });

  // keep the view pinned to the newest message, and in place when earlier messages are put above
  // biome-ignore lint/correctness/useExhaustiveDependencies: the scroll position is adjusted after every change of the message list, pending messages included
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const firstSeq = messages[0]?.seq ?? 0;
    if (prev.current.firstSeq && firstSeq < prev.current.firstSeq) el.scrollTop += el.scrollHeight - prev.current.height;
    else if (atBottom.current) el.scrollTop = el.scrollHeight;
    prev.current = { firstSeq, height: el.scrollHeight };
  }, [messages, pending]);

  useMarkRead(room, meId, messages, bottom, scroller);

  const send = (content: string) => {
    atBottom.current = true;
    timeline.send(content);
  };
  const readUpTo = room.otherLastReadSeq;
  // a 약속 shows its newest state (the acceptance is a later message carrying the same card)
  const appointments = new Map<number, Appointment>();
  for (const m of messages) if (m.appointment) appointments.set(m.appointment.id, m.appointment);
  const stored = (m: ChatMessage) => {
    atBottom.current = true;
    timeline.add(m);
  };
  const lastReadMine = [...messages].reverse().find((m) => m.senderId === meId && m.seq <= readUpTo)?.seq;

  return (
    <div className="chat-room" data-testid="chat-room">
      <PageHeader title={room.other.nickname} right={<ConnectionNotice />} />
      <Link to={`/posts/${room.post.id}`} className="chat-listing" data-testid="chat-listing">
        <span className="chat-listing-thumb">
          {room.post.thumbnailUrl ? <img src={room.post.thumbnailUrl} alt="" /> : <span className="thumb-placeholder"><ImageIcon size={18} /></span>}
        </span>
        <span className="chat-listing-title">{room.post.title}</span>
        <ChevronRightIcon size={18} className="muted" />
      </Link>
      <div className="chat-scroll" ref={scroller} data-testid="chat-scroll"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}>
        {timeline.hasOlder && (
          <div className="chat-older">
            <button type="button" className="btn btn-small btn-ghost" onClick={() => timeline.loadOlder()} disabled={timeline.loadingOlder}>
              {timeline.loadingOlder ? '불러오는 중…' : '이전 메시지 보기'}
            </button>
          </div>
        )}
        {!timeline.loaded && !timeline.error && <Spinner />}
        {timeline.error != null && <ErrorBox error={timeline.error} />}
        {timeline.loaded && messages.length === 0 && pending.length === 0 && (
          <p className="chat-empty">
            {meId === room.borrowerId ? '빌리고 싶은 날짜나 궁금한 점을 물어보세요.' : '이웃이 대화를 시작했어요. 반갑게 인사해 보세요.'}
          </p>
        )}
        <ol className="chat-messages" data-testid="chat-messages">
          {messages.map((m, i) => (
            <MessageItem key={m.seq} message={m} mine={m.senderId === meId} read={m.seq === lastReadMine} meId={meId}
              appointment={m.appointment ? appointments.get(m.appointment.id) ?? m.appointment : null} onStored={stored}
              newDay={i === 0 || seoulDate(new Date(messages[i - 1].createdAt)) !== seoulDate(new Date(m.createdAt))} />
          ))}
          {pending.map((p) => (
            <PendingItem key={p.clientId} pending={p} onRetry={() => timeline.retry(p.clientId)} onDiscard={() => timeline.discard(p.clientId)} />
          ))}
        </ol>
        <div ref={bottom} className="chat-bottom" />
      </div>
      <Composer onSend={send} roomId={room.id} onStored={stored} />
    </div>
  );
}

const meetFormat = new Intl.DateTimeFormat('ko-KR', { timeZone: TIME_ZONE, month: 'long', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit' });

interface ItemProps {
  message: ChatMessage;
  mine: boolean;
  read: boolean;
  newDay: boolean;
  meId: number;
  /** the card's newest state, when the message carries a 약속 */
  appointment: Appointment | null;
  onStored: (m: ChatMessage) => void;
}

function MessageItem({ message, mine, read, newDay, meId, appointment, onStored }: ItemProps) {
  return (
    <>
      {newDay && <li className="chat-day"><span>{koreanDayOf(message.createdAt)}</span></li>}
      <li className={`chat-msg ${mine ? 'mine' : 'theirs'}`} data-testid="chat-message" data-seq={message.seq} data-kind={message.kind}>
        {message.photo ? (
          <a className="chat-photo" href={message.photo.url} target="_blank" rel="noreferrer">
            <img src={message.photo.url} width={message.photo.width} height={message.photo.height} alt="채팅 사진" loading="lazy" />
          </a>
        ) : appointment ? (
          <AppointmentCard roomId={message.roomId} appointment={appointment} meId={meId} note={message.content} onStored={onStored} />
        ) : (
          <p className="chat-bubble">{message.content}</p>
        )}
        <span className="chat-meta">
          {read && <span className="chat-read">읽음</span>}
          <time dateTime={message.createdAt}>{timeOf(message.createdAt)}</time>
        </span>
        {message.warning && <p className="chat-warning" role="note" data-testid="chat-warning">{message.warning}</p>}
      </li>
    </>
  );
}

function AppointmentCard({ roomId, appointment, meId, note, onStored }: { roomId: number; appointment: Appointment; meId: number; note: string; onStored: (m: ChatMessage) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const accepted = appointment.status === 'ACCEPTED';
  const canAccept = !accepted && appointment.proposerId !== meId;
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      onStored(await acceptAppointment(roomId, appointment.id, uuid()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="chat-appointment" data-testid="chat-appointment" data-status={appointment.status}>
      <p className="chat-appointment-title">{note.startsWith('약속을 수락') ? '약속을 수락했어요' : '약속 제안'}</p>
      <dl>
        <dt>언제</dt><dd>{meetFormat.format(new Date(appointment.meetAt))}</dd>
        <dt>어디서</dt><dd>{appointment.place}{appointment.neighbourhood ? ` · ${appointment.neighbourhood.name}` : ''}</dd>
      </dl>
      <p className="chat-appointment-status">{accepted ? '확정된 약속이에요. 1시간 전에 알려 드릴게요.' : '상대방의 수락을 기다리고 있어요.'}</p>
      {canAccept && (
        <button type="button" className="btn btn-small btn-primary" onClick={accept} disabled={busy}>
          {busy ? '수락하는 중…' : '약속 수락하기'}
        </button>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}

function PendingItem({ pending, onRetry, onDiscard }: { pending: PendingMessage; onRetry: () => void; onDiscard: () => void }) {
  const failed = pending.status === 'failed';
  return (
    <li className={`chat-msg mine pending${failed ? ' failed' : ''}`} data-testid="chat-pending" data-status={pending.status}>
      <p className="chat-bubble">{pending.content}</p>
      <span className="chat-meta">
        {failed ? (
          <span className="chat-failed" role="alert">
            전송 실패{pending.error ? ` · ${pending.error}` : ''}
            <button type="button" className="link-btn" onClick={onRetry}>다시 보내기</button>
            <button type="button" className="link-btn" onClick={onDiscard}>삭제</button>
          </span>
        ) : (
          '전송 중…'
        )}
      </span>
    </li>
  );
}

function Composer({ onSend, roomId, onStored }: { onSend: (content: string) => void; roomId: number; onStored: (m: ChatMessage) => void }) {
  const [text, setText] = useState('');
  const [planning, setPlanning] = useState(false);
  const [photoState, setPhotoState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const input = useRef<HTMLTextAreaElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the height is re-measured whenever the text changes; the body reads the textarea through a ref
  useLayoutEffect(() => {
    // grows with the text up to five lines
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
  }, [text]);
  const submit = () => {
    const content = text.trim();
    if (!content) return;
    onSend(content);
    setText('');
    input.current?.focus();
  };
  const sendPhoto = async (file: File | undefined) => {
    if (!file) return;
    setPhotoState({ busy: true, error: null });
    try {
      onStored(await postPhoto(roomId, uuid(), file));
      setPhotoState({ busy: false, error: null });
    } catch (e) {
      setPhotoState({ busy: false, error: errorMessage(e) });
    }
  };
  return (
    <div className="chat-compose-area">
      {planning && <AppointmentForm roomId={roomId} onDone={(m) => { setPlanning(false); onStored(m); }} onCancel={() => setPlanning(false)} />}
      {photoState.error && <p className="form-error chat-compose-error" role="alert">{photoState.error}</p>}
      <form className="chat-composer" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <label className="chat-tool" title="사진 첨부">
          <ImageIcon size={20} />
          <input type="file" accept="image/jpeg,image/png,image/webp" className="sr-only" aria-label="사진 첨부" disabled={photoState.busy}
            data-testid="chat-photo-input"
            onChange={(e) => { void sendPhoto(e.currentTarget.files?.[0]); e.currentTarget.value = ''; }} />
        </label>
        <button type="button" className="chat-tool chat-tool-text" aria-expanded={planning} onClick={() => setPlanning((v) => !v)}>약속</button>
        <textarea ref={input} rows={1} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onEnter(submit)}
          placeholder={photoState.busy ? '사진 보내는 중…' : '메시지 보내기'} aria-label="메시지" maxLength={MAX_MESSAGE_LENGTH} enterKeyHint="send" />
        <button type="submit" className="chat-send" aria-label="보내기" disabled={!text.trim()}>
          <SendIcon size={20} />
        </button>
      </form>
    </div>
  );
}

/** 약속 잡기: a time, a place, and optionally one of my 동네 */
function AppointmentForm({ roomId, onDone, onCancel }: { roomId: number; onDone: (m: ChatMessage) => void; onCancel: () => void }) {
  const hoods = useMyNeighbourhoods();
  const [when, setWhen] = useState('');
  const [place, setPlace] = useState('');
  const [hood, setHood] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      // the picker gives Seoul wall-clock time; the server takes an instant
      const meetAt = new Date(`${when}:00+09:00`).toISOString();
      onDone(await proposeAppointment(roomId, { clientId: uuid(), meetAt, place: place.trim(), ...(hood ? { neighbourhoodCode: hood } : {}) }));
    } catch (e) {
      setError(e instanceof RangeError ? '약속 시간을 골라 주세요' : errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <form className="chat-appointment-form" aria-label="약속 잡기" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <label>언제<input type="datetime-local" required value={when} onChange={(e) => setWhen(e.target.value)} /></label>
      <label>어디서<input type="text" required maxLength={100} placeholder="예: 망원역 2번 출구" value={place} onChange={(e) => setPlace(e.target.value)} /></label>
      <label>동네 (선택)
        <select value={hood} onChange={(e) => setHood(e.target.value)}>
          <option value="">선택 안 함</option>
          {hoods.data?.map((h) => <option key={h.code} value={h.code}>{h.name}</option>)}
        </select>
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="chat-appointment-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>취소</button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !when || !place.trim()}>{busy ? '보내는 중…' : '약속 제안하기'}</button>
      </div>
    </form>
  );
}

/** "연결 중…" once the live connection has been away for a moment (sends still go through REST) */
function ConnectionNotice() {
  const state = useConnectionState();
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (state !== 'connecting') return setLate(false);
    const t = setTimeout(() => setLate(true), 1500);
    return () => clearTimeout(t);
  }, [state]);
  if (!late) return null;
  return <span className="chat-connecting" role="status">연결 중…</span>;
}

function usePageVisible() {
  return useSyncExternalStore(
    (l) => {
      document.addEventListener('visibilitychange', l);
      return () => document.removeEventListener('visibilitychange', l);
    },
    () => document.visibilityState === 'visible',
  );
}

/** moves my read pointer to the newest message while it is on screen and the page is visible */
function useMarkRead(
  room: ChatRoom, meId: number, messages: ChatMessage[],
  bottom: RefObject<HTMLDivElement | null>, scroller: RefObject<HTMLDivElement | null>,
) {
  const qc = useQueryClient();
  const pageVisible = usePageVisible();
  const [bottomVisible, setBottomVisible] = useState(true);
  const marked = useRef(room.lastReadSeq);
  useEffect(() => {
    const el = bottom.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => setBottomVisible(entries.some((e) => e.isIntersecting)), { root: scroller.current });
    observer.observe(el);
    return () => observer.disconnect();
  }, [bottom, scroller]);
  const newest = messages[messages.length - 1]?.seq ?? 0;
  const unreadFromOther = messages.some((m) => m.seq > marked.current && m.senderId !== meId);
  useEffect(() => {
    if (!pageVisible || !bottomVisible || !unreadFromOther) return;
    const before = marked.current;
    marked.current = newest;
    markRoomRead(room.id, newest).then(
      (r) => applyChatEvent(qc, meId, { kind: 'chat-read', memberId: meId, ...r }),
      () => (marked.current = before),
    );
  }, [pageVisible, bottomVisible, unreadFromOther, newest, room.id, meId, qc]);
}
