// My reservations: 보낸 예약 (what I borrow) and 받은 예약 (requests for my listings, per listing),
// filtered by status with the counts per status from the server. ?tab=sent|received&status=&post=
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { pageItems } from '../../api/paging.ts';
import { useMyPosts } from '../../api/posts.ts';
import {
  STATUSES, statusLabel, useReceivedReservations, useSentReservations, type ReservationPage, type Status,
} from '../../api/reservations.ts';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { ReservationCard } from '../../components/ReservationCard.tsx';
import { EmptyState, ErrorBox, LoadMore, PageHeader, Spinner, Tabs, useDocumentTitle } from '../../components/ui.tsx';

const TABS = [
  { id: 'sent', label: '보낸 예약' },
  { id: 'received', label: '받은 예약' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function ReservationsPage() {
  useDocumentTitle('예약 내역');
  const [params, setParams] = useSearchParams();
  const tab: TabId = params.get('tab') === 'received' ? 'received' : 'sent';
  const raw = params.get('status');
  const status = (STATUSES as readonly string[]).includes(raw ?? '') ? (raw as Status) : undefined;
  const postId = Number(params.get('post')) || undefined;

  const update = (next: { tab?: TabId; status?: Status | null; post?: number | null }) => {
    const p = new URLSearchParams(params);
    const set = (k: string, v: string | number | null | undefined) => (v ? p.set(k, String(v)) : p.delete(k));
    if (next.tab !== undefined) {
      set('tab', next.tab === 'sent' ? null : next.tab);
      p.delete('status');
      p.delete('post');
    }
    if (next.status !== undefined) set('status', next.status);
    if (next.post !== undefined) {
      set('post', next.post);
      p.delete('status');
    }
    setParams(p, { replace: true });
  };

  return (
    <div className="page reservations-page">
      <PageHeader title="예약 내역" />
      <Tabs tabs={TABS} value={tab} onChange={(id) => update({ tab: id })} />
      {tab === 'sent'
        ? <SentList status={status} onStatus={(s) => update({ status: s })} />
        : <ReceivedList status={status} postId={postId} onStatus={(s) => update({ status: s })} onPost={(id) => update({ post: id })} />}
    </div>
  );
}

function SentList({ status, onStatus }: { status?: Status; onStatus: (s: Status | null) => void }) {
  const query = useSentReservations(status);
  return (
    <ReservationList query={query} status={status} onStatus={onStatus}
      empty={<EmptyState title="보낸 예약이 없어요">마음에 드는 물건의 날짜를 골라 예약을 요청해 보세요.</EmptyState>} />
  );
}

function ReceivedList({ status, postId, onStatus, onPost }: {
  status?: Status; postId?: number; onStatus: (s: Status | null) => void; onPost: (id: number | null) => void;
}) {
  const query = useReceivedReservations(postId, status);
  const myPosts = pageItems(useMyPosts().data);
  return (
    <>
      {myPosts.length > 0 && (
        <label className="field post-filter">
          <span className="sr-only">물건</span>
          <select className="select" value={postId ?? ''} aria-label="물건별 보기" onChange={(e) => onPost(Number(e.target.value) || null)}>
            <option value="">모든 물건</option>
            {myPosts.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </label>
      )}
      <ReservationList query={query} status={status} onStatus={onStatus}
        empty={<EmptyState title="받은 예약이 없어요">이웃이 내 물건에 예약을 요청하면 여기에 모여요.</EmptyState>} />
    </>
  );
}

function ReservationList({ query, status, onStatus, empty }: {
  query: UseInfiniteQueryResult<InfiniteData<ReservationPage>>;
  status?: Status;
  onStatus: (s: Status | null) => void;
  empty: ReactNode;
}) {
  const counts = query.data?.pages[0]?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const shown = STATUSES.filter((s) => (counts[s] ?? 0) > 0 || s === status);
  const items = pageItems(query.data);
  return (
    <>
      {query.data && total > 0 && (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
        <div className="chips status-chips" role="group" aria-label="상태별 보기">
          <button type="button" className={`chip${!status ? ' active' : ''}`} onClick={() => onStatus(null)}>전체 {total}</button>
          {shown.map((s) => (
            <button key={s} type="button" className={`chip${status === s ? ' active' : ''}`} aria-pressed={status === s}
              onClick={() => onStatus(s)}>{statusLabel(s)} {counts[s] ?? 0}</button>
          ))}
        </div>
      )}
      {query.isPending ? <Spinner /> : query.isError && !query.data ? <ErrorBox error={query.error} onRetry={() => query.refetch()} /> :
        items.length === 0 ? empty : (
          <div className="reservation-list">
            {items.map((r) => <ReservationCard key={r.id} r={r} />)}
            <LoadMore query={query} />
          </div>
        )}
    </>
  );
}
