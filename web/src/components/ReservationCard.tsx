// One reservation in a list: listing photo and title, status, dates, the other party and the total.
import { Link } from 'react-router';
import type { Reservation } from '../api/reservations.ts';
import { shortDate, won } from '../lib/format.ts';
import { ImageIcon } from './Icons.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TrustScore } from './Trust.tsx';

export function ReservationCard({ r }: { r: Reservation }) {
  const other = r.myRole === 'LENDER' ? `빌리는 분 ${r.borrower.nickname}` : `빌려주는 분 ${r.lender.nickname}`;
  // cancelling is always possible early on; "처리 필요" means a step that moves the rental forward
  const actionable = r.allowedActions.some((s) => s !== 'CANCELLED') || r.payment.canConfirm;
  return (
    <Link to={`/reservations/${r.id}`} className="reservation-card" data-testid="reservation-card" data-id={r.id}>
      <div className="reservation-thumb">
        {r.post.imageUrl ? <img src={r.post.imageUrl} alt="" loading="lazy" /> : <span className="thumb-placeholder"><ImageIcon /></span>}
      </div>
      <div className="reservation-body">
        <div className="reservation-top">
          <StatusBadge status={r.status} label={r.statusLabel} />
          {actionable && <span className="todo-dot">처리 필요</span>}
        </div>
        <strong className="reservation-title">{r.post.title}</strong>
        <span className="reservation-meta">
          {r.startDate === r.endDate ? shortDate(r.startDate) : `${shortDate(r.startDate)} ~ ${shortDate(r.endDate)}`} · {r.price.days}일
        </span>
        <span className="reservation-meta">
          {other}{r.borrowerTrust && r.myRole === 'LENDER' && <> <TrustScore trust={r.borrowerTrust} /></>} · <b>{won(r.price.total)}</b>
        </span>
      </div>
    </Link>
  );
}
