// Booking on the listing page: the request fields (RequestFields: calendar, options, methods, live
// price) then "예약 요청". The owner sees the listing's received requests instead.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/members.ts';
import type { PostDetail } from '../api/posts.ts';
import { pageItems } from '../api/paging.ts';
import { useCreateReservation, useReceivedReservations, type Reservation } from '../api/reservations.ts';
import { koreanDateRange, won } from '../lib/format.ts';
import { ReservationCard } from './ReservationCard.tsx';
import { RequestFields, useRequestDraft } from './RequestFields.tsx';
import { EmptyState, ErrorBox, FormError, Spinner } from './ui.tsx';

export function BookingPanel({ post }: { post: PostDetail }) {
  if (post.isOwner) return <OwnerReservations postId={post.id} />;
  return <BookingForm post={post} />;
}

function BookingForm({ post }: { post: PostDetail }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const create = useCreateReservation();
  const draft = useRequestDraft(post);
  const [done, setDone] = useState<Reservation | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    const request = draft.toRequest();
    // a refusal may be about days taken meanwhile: the calendar catches up
    if (request) create.mutate({ postId: post.id, ...request }, { onSuccess: setDone, onError: () => void draft.unavailable.refetch() });
  };

  if (done) {
    // 바로 예약: approved already, the next step is paying
    const approved = done.status === 'PENDING_PAYMENT';
    return (
      <section className="detail-section booking" id="booking">
        <div className="booking-done" role="status" data-testid="booking-done">
          <p className="booking-done-title">{approved ? '바로 예약되었어요' : '예약 요청을 보냈어요'}</p>
          <p className="muted">
            {koreanDateRange(done.startDate, done.endDate)} · 합계 {won(done.price.total)}
            <br />{approved ? '예약 상세에서 결제하면 물건을 받을 수 있어요.' : `${done.lender.nickname}님이 승인하면 알려 드릴게요.`}
          </p>
          <div className="booking-done-actions">
            <Link className="btn btn-primary" to={`/reservations/${done.id}`}>예약 상세 보기</Link>
            <Link className="btn" to="/reservations">보낸 예약</Link>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className="detail-section booking" id="booking">
      <h2>예약하기 {post.instantBooking && <span className="badge badge-soft" data-testid="instant-badge">바로 예약</span>}</h2>
      {post.instantBooking && <p className="muted">빈 날짜를 고르면 빌려주는 분의 승인 없이 바로 예약돼요.</p>}
      {post.banned ? <p className="muted">이용이 제한된 게시글은 예약할 수 없어요.</p> : (
        <form className="form" onSubmit={submit}>
          <RequestFields draft={draft} />
          <FormError error={create.error} />
          <button type="submit" className="btn btn-primary btn-large btn-block" disabled={create.isPending}>
            {!me ? '로그인하고 예약하기' : post.instantBooking ? '바로 예약' : '예약 요청'}
          </button>
        </form>
      )}
    </section>
  );
}

/** For the owner: this listing's requests and rentals, newest first. */
function OwnerReservations({ postId }: { postId: number }) {
  const query = useReceivedReservations(postId);
  const items = pageItems(query.data);
  const waiting = query.data?.pages[0]?.counts.PENDING_APPROVAL ?? 0;
  return (
    <section className="detail-section" id="booking" data-testid="owner-reservations">
      <h2>받은 예약 {waiting > 0 && <span className="count-pill">승인 대기 {waiting}</span>}</h2>
      {query.isPending ? <Spinner /> : query.error ? <ErrorBox error={query.error} /> : items.length === 0 ? (
        <EmptyState title="아직 받은 예약이 없어요" />
      ) : (
        <>
          <div className="reservation-list">{items.slice(0, 5).map((r) => <ReservationCard key={r.id} r={r} />)}</div>
          <Link className="btn btn-block" to={`/reservations?tab=received&post=${postId}`}>이 물건의 예약 모두 보기</Link>
        </>
      )}
    </section>
  );
}
