// One reservation for its borrower, lender (or an admin): status, what to do now, the deal, the
// price breakdown, the review, and the status log as a timeline (actor, time, reason, tracking).
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { statusLabel, useReservation, type ReservationDetail, type StatusLogEntry } from '../../api/reservations.ts';
import { PriceTable } from '../../components/BookingPanel.tsx';
import { ImageIcon } from '../../components/Icons.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { EmptyState, ErrorBox, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { koreanDate, methodLabel, seoulDate } from '../../lib/format.ts';
import { ReviewBlock } from './ReviewBlock.tsx';
import { PaymentStep, StatusActions } from './StatusActions.tsx';

export function ReservationDetailPage() {
  const id = Number(useParams().id);
  const { data: r, isPending, error, refetch } = useReservation(id);
  useDocumentTitle(r ? `예약 · ${r.post.title}` : '예약 상세');
  if (isPending) return <Spinner />;
  if (error) {
    if (isApiError(error, 404) || isApiError(error, 403) || isApiError(error, 400)) {
      return <div className="page"><EmptyState title="예약을 찾을 수 없어요" action={<Link className="btn" to="/reservations">예약 내역</Link>} /></div>;
    }
    return <div className="page"><ErrorBox error={error} onRetry={() => refetch()} /></div>;
  }
  return <ReservationView r={r} />;
}

function ReservationView({ r }: { r: ReservationDetail }) {
  const roleText = r.myRole === 'BORROWER' ? `${r.lender.nickname}님에게 빌려요` : r.myRole === 'LENDER' ? `${r.borrower.nickname}님이 빌려가요` : `관리자 보기 · ${r.borrower.nickname} ← ${r.lender.nickname}`;
  const hasActions = r.allowedActions.length > 0 || r.status === 'PENDING_PAYMENT';
  return (
    <div className="page reservation-page">
      <PageHeader title="예약 상세" />
      <Link to={`/posts/${r.post.id}`} className="reservation-head">
        <div className="reservation-thumb">
          {r.post.imageUrl ? <img src={r.post.imageUrl} alt="" /> : <span className="thumb-placeholder"><ImageIcon /></span>}
        </div>
        <div className="reservation-body">
          <StatusBadge status={r.status} label={r.statusLabel} />
          <strong className="reservation-title">{r.post.title}</strong>
          <span className="reservation-meta">{roleText}</span>
        </div>
      </Link>

      <section className="reservation-section next-step" aria-label="지금 할 일">
        <h2>지금 할 일</h2>
        <PaymentStep r={r} />
        {r.allowedActions.length > 0 && <StatusActions r={r} />}
        {!hasActions && <p className="muted" data-testid="waiting-text">{waitingText(r)}</p>}
      </section>

      <section className="reservation-section">
        <h2>거래 정보</h2>
        <dl className="kv">
          <dt>대여 기간</dt>
          <dd>{koreanDate(r.startDate)}{r.startDate !== r.endDate && ` ~ ${koreanDate(r.endDate)}`} ({r.price.days}일)</dd>
          <dt>받는 방법</dt><dd>{methodLabel(r.receiveMethod)}</dd>
          {r.address && <><dt>받을 주소</dt><dd>{r.address}</dd></>}
          <dt>돌려주는 방법</dt><dd>{methodLabel(r.returnMethod)}</dd>
          {r.options.length > 0 && <><dt>옵션</dt><dd>{r.options.map((o) => o.name).join(', ')}</dd></>}
          {r.receiveShipment && <><dt>발송</dt><dd>{r.receiveShipment.carrier} {r.receiveShipment.trackingNumber}</dd></>}
          {r.returnShipment && <><dt>반납 발송</dt><dd>{r.returnShipment.carrier} {r.returnShipment.trackingNumber}</dd></>}
        </dl>
      </section>

      <section className="reservation-section">
        <h2>결제 금액</h2>
        <PriceTable price={r.price} />
      </section>

      <ReviewBlock r={r} />

      <section className="reservation-section">
        <h2>진행 기록</h2>
        <Timeline log={r.log} r={r} />
      </section>
    </div>
  );
}

/** What the caller is waiting for when there is nothing to press. */
function waitingText(r: ReservationDetail): string {
  const other = r.myRole === 'BORROWER' ? '빌려주는 분' : '빌리는 분';
  switch (r.status) {
    case 'PENDING_APPROVAL': return r.myRole === 'BORROWER' ? '빌려주는 분의 승인을 기다리고 있어요.' : '예약 요청을 확인해 주세요.';
    case 'REFUND_COMPLETED': return '보증금 환급까지 모두 끝난 거래예요.';
    case 'CLAIM_COMPLETED': return '청구가 완료된 거래예요.';
    case 'REJECTED': return '거절된 예약이에요.';
    case 'CANCELLED': return '취소된 예약이에요.';
    case 'EXPIRED': return '응답이나 결제가 없어 만료된 예약이에요.';
    default: return `${other}의 다음 단계를 기다리고 있어요.`;
  }
}

function actorName(e: StatusLogEntry, r: ReservationDetail): string {
  if (e.actorRole === 'SYSTEM') return '자동 처리';
  const name = e.actor?.nickname ?? (e.actorRole === 'BORROWER' ? r.borrower.nickname : r.lender.nickname);
  return `${name} (${e.actorRole === 'BORROWER' ? '빌리는 분' : '빌려주는 분'})`;
}

const timeFormat = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', hour12: false });

function Timeline({ log, r }: { log: StatusLogEntry[]; r: ReservationDetail }) {
  const entries = [...log].reverse(); // newest first
  return (
    <ol className="timeline" data-testid="status-log">
      {entries.map((e) => (
        <li key={e.id}>
          <span className="timeline-dot" aria-hidden="true" />
          <div>
            <strong>{statusLabel(e.to)}</strong>
            <span className="muted timeline-meta">
              {koreanDate(seoulDate(new Date(e.at)))} {timeFormat.format(new Date(e.at))} · {actorName(e, r)}
            </span>
            {e.reason && <p className="timeline-reason">사유: {e.reason}</p>}
            {e.carrier && <p className="timeline-reason">{e.carrier} {e.trackingNumber}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
