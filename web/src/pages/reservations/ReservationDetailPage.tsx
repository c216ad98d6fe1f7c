// One reservation for its borrower, lender (or an admin): status, what to do now, the deal, the
// price breakdown, the review, and the status log as a timeline (actor, time, reason, tracking).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { LOG_EVENT_LABELS, statusLabel, useReservation, type ReservationDetail, type StatusLogEntry } from '../../api/reservations.ts';
import { CancellationPolicyNote, PriceTable } from '../../components/RequestFields.tsx';
import { ImageIcon } from '../../components/Icons.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { TrustFacts, TrustScore } from '../../components/Trust.tsx';
import { EmptyState, ErrorBox, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { koreanDate, koreanDateRange, koreanDayOf, methodLabel, rentalDays, seoulDate, won } from '../../lib/format.ts';
import { canEditRequest, RequestEditor } from './RequestEditor.tsx';
import { ReviewBlock } from './ReviewBlock.tsx';
import { ConditionBlock } from './ConditionBlock.tsx';
import { ExtensionBlock } from './ExtensionBlock.tsx';
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
  const guide = statusGuide(r);
  const [editing, setEditing] = useState(false);
  const editable = canEditRequest(r); // a live status change (approval) closes the editor
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
          {r.borrowerTrust && r.myRole !== 'BORROWER' && (
            <span className="reservation-meta" data-testid="borrower-trust">
              빌리는 분 신뢰 온도 <TrustScore trust={r.borrowerTrust} /> <TrustFacts trust={r.borrowerTrust} />
            </span>
          )}
        </div>
      </Link>

      <section className="reservation-section next-step" aria-label="지금 할 일">
        <h2>지금 할 일</h2>
        {guide && <p className="status-guide" data-testid="status-guide">{guide}</p>}
        <PaymentStep r={r} />
        {r.allowedActions.length > 0 && <StatusActions r={r} />}
        {editable && !editing && (
          <button type="button" className="btn btn-block" onClick={() => setEditing(true)}>요청 수정</button>
        )}
        {editable && editing && <RequestEditor r={r} onClose={() => setEditing(false)} />}
      </section>

      <ExtensionBlock r={r} />

      <section className="reservation-section">
        <h2>거래 정보</h2>
        <dl className="kv">
          <dt>대여 기간</dt>
          <dd>{koreanDateRange(r.startDate, r.endDate)} ({rentalDays(r.startDate, r.endDate)}일)</dd>
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
        {r.refund && (
          <p className="refund-line" data-testid="refund">
            {r.refund.kind === 'CANCEL' ? '취소 환불' : '돌려받는 보증금'} <strong>{won(r.refund.amount)}</strong>
            {r.refund.kind === 'DEPOSIT' && <span className="muted"> (보증금에서 인정된 차감액을 뺀 금액)</span>}
          </p>
        )}
        <CancellationPolicyNote policy={r.cancellation} />
      </section>

      <ConditionBlock r={r} />

      <ReviewBlock r={r} />

      <section className="reservation-section">
        <h2>진행 기록</h2>
        <Timeline log={r.log} r={r} />
      </section>
    </div>
  );
}

/** One line on where the rental stands and whose turn it is (the buttons come from allowedActions). */
function statusGuide(r: ReservationDetail): string | null {
  const borrower = r.myRole === 'BORROWER';
  const lender = r.myRole === 'LENDER';
  switch (r.status) {
    case 'PENDING_APPROVAL': return borrower ? '빌려주는 분의 승인을 기다리고 있어요.' : '예약 요청을 확인하고 승인하거나 거절해 주세요.';
    case 'PENDING_PAYMENT': return null; // the payment step says it
    case 'PENDING_PICKUP':
      // the hand-over steps open the day before the start (the server leaves them out of allowedActions until then)
      if (seoulDate() < r.handoverFrom) return `결제가 확인되었어요. 물건은 ${koreanDate(r.handoverFrom)}부터 주고받을 수 있어요.`;
      if (r.receiveMethod === 'DELIVERY') return lender ? '결제가 확인되었어요. 물건을 보내고 운송장 번호를 입력해 주세요.' : '결제가 확인되었어요. 빌려주는 분이 물건을 보낼 예정이에요.';
      return '결제가 확인되었어요. 약속한 날 만나 물건을 주고받은 뒤 검수를 시작해 주세요.';
    case 'SHIPPING': return borrower ? '물건이 배송 중이에요. 받으면 검수를 시작해 주세요.' : '물건이 배송 중이에요.';
    case 'INSPECTING_RENTAL': return '물건 상태를 확인하는 중이에요. 문제가 없으면 빌리는 분이 대여를 시작해요.';
    case 'RENTING': return `${koreanDate(r.endDate)}까지 대여 중이에요.`;
    case 'PENDING_RETURN': return borrower ? '물건을 돌려줄 준비를 해 주세요.' : '빌리는 분의 반납을 기다리고 있어요.';
    case 'RETURNING': return '반납 물건이 배송 중이에요.';
    case 'INSPECTING_RETURN': return lender ? '돌려받은 물건의 상태를 확인해 주세요.' : '빌려주는 분이 돌려받은 물건을 확인하고 있어요.';
    case 'RETURN_COMPLETED': return '반납이 완료되었어요. 보증금 환급이 진행돼요.';
    case 'PENDING_REFUND': return lender ? '보증금을 돌려준 뒤 환급 완료를 눌러 주세요.' : '보증금 환급을 기다리고 있어요.';
    case 'REFUND_COMPLETED': return '보증금 환급까지 모두 끝난 거래예요.';
    case 'LOST_OR_UNRETURNED': return '분실 또는 미반납으로 처리되었어요.';
    case 'CLAIMING': return '손해 청구가 진행 중이에요.';
    case 'CLAIM_COMPLETED': return '청구가 완료된 거래예요.';
    case 'REJECTED': return '거절된 예약이에요.';
    case 'CANCELLED': return '취소된 예약이에요.';
    case 'EXPIRED': return '응답이나 결제가 없어 만료된 예약이에요.';
  }
}

/** An extension step's text is the change itself (반납일 … → …); a rejection's and a status change's is a reason. */
const reasonText = (e: StatusLogEntry) =>
  e.event === 'EXTENSION_REQUESTED' || e.event === 'EXTENSION_APPROVED' ? e.reason : `사유: ${e.reason}`;

function actorName(e: StatusLogEntry, r: ReservationDetail): string {
  if (e.actorRole === 'SYSTEM') return '자동 처리';
  const name = e.actor?.nickname ?? (e.actorRole === 'BORROWER' ? r.borrower.nickname : r.lender.nickname);
  return `${name} (${e.actorRole === 'BORROWER' ? '빌리는 분' : '빌려주는 분'})`;
}

const timeFormat = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', hour12: false });

function Timeline({ log, r }: { log: StatusLogEntry[]; r: ReservationDetail }) {
  const entries = [...log].reverse(); // newest first
  if (entries.length === 0) return <p className="muted">기록이 없어요.</p>;
  return (
    <ol className="timeline" data-testid="status-log">
      {entries.map((e) => (
        <li key={e.id}>
          <span className="timeline-dot" aria-hidden="true" />
          <div>
            <strong>{e.event ? LOG_EVENT_LABELS[e.event] : statusLabel(e.to)}</strong>
            <span className="muted timeline-meta">
              {koreanDayOf(e.at)} {timeFormat.format(new Date(e.at))} · {actorName(e, r)}
            </span>
            {e.reason && <p className="timeline-reason">{reasonText(e)}</p>}
            {e.carrier && <p className="timeline-reason">{e.carrier} {e.trackingNumber}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
