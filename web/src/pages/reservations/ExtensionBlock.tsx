// 대여 연장 on a running rental: the borrower picks a later return date and sees the extra fee (the server
// quotes it with the same checks as the request), the lender approves or rejects a pending request. What
// may be done now comes from the server (`extension.can*`), so the rules live in one place.
import { useId, useState, type FormEvent } from 'react';
import { josa } from 'es-hangul';
import { errorMessage } from '../../api/client.ts';
import { useExtensionAction, useExtensionQuote, type Extension, type ReservationDetail } from '../../api/reservations.ts';
import { FormError } from '../../components/ui.tsx';
import { addDays, koreanDate, won } from '../../lib/format.ts';

export function ExtensionBlock({ r }: { r: ReservationDetail }) {
  const x = r.extension;
  if (!x || (!x.current && !x.canRequest)) return null;
  return (
    <section className="reservation-section extension" aria-labelledby={`extension-${r.id}`} data-testid="extension-block">
      <h2 id={`extension-${r.id}`}>대여 연장</h2>
      {x.current && <CurrentRequest r={r} ext={x.current} />}
      {x.approvedFee > 0 && <p className="muted">승인된 연장의 추가 요금은 모두 {won(x.approvedFee)}이에요. 두 분이 직접 정산해 주세요.</p>}
      {x.canRequest && <RequestForm r={r} />}
    </section>
  );
}

function CurrentRequest({ r, ext }: { r: ReservationDetail; ext: Extension }) {
  const act = useExtensionAction(r.id);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const change = `${koreanDate(ext.fromEndDate)} → ${koreanDate(ext.toEndDate)}, 추가 요금 ${won(ext.extraFee)}`;
  const lender = r.myRole === 'LENDER';
  const text: Record<Extension['status'], string> = {
    PENDING: lender
      ? `${r.borrower.nickname}님이 반납일을 ${josa(koreanDate(ext.toEndDate), '으로/로')} 늦추고 싶어 해요.`
      : '빌려주는 분의 답을 기다리고 있어요.',
    APPROVED: `연장이 승인되어 반납일이 ${josa(koreanDate(ext.toEndDate), '으로/로')} 바뀌었어요.`,
    REJECTED: `연장 요청이 거절되었어요${ext.reason ? ` (사유: ${ext.reason})` : ''}.`,
    WITHDRAWN: '연장 요청을 취소했어요.',
  };
  const x = r.extension;
  return (
    <div className="extension-current" data-testid="extension-current" data-status={ext.status}>
      <p><strong>{text[ext.status]}</strong></p>
      <p className="muted">{change}</p>
      {x?.canDecide && !rejecting && (
        <div className="status-action-buttons">
          <button type="button" className="btn btn-primary" disabled={act.isPending} onClick={() => act.mutate({ kind: 'approve' })}>연장 승인</button>
          <button type="button" className="btn btn-danger-ghost" disabled={act.isPending} onClick={() => { act.reset(); setRejecting(true); }}>연장 거절</button>
        </div>
      )}
      {x?.canDecide && rejecting && (
        <form className="form" aria-label="연장 거절"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            act.mutate({ kind: 'reject', reason: reason.trim() || undefined }, { onSuccess: () => setRejecting(false) });
          }}>
          <label htmlFor={reasonId}>거절 사유 (선택)</label>
          <input id={reasonId} className="input" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)}
            placeholder="예: 다음 예약이 있어요" />
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setRejecting(false)}>닫기</button>
            <button type="submit" className="btn btn-danger-ghost" disabled={act.isPending}>거절하기</button>
          </div>
        </form>
      )}
      {x?.canWithdraw && (
        <button type="button" className="btn" disabled={act.isPending} onClick={() => act.mutate({ kind: 'withdraw' })}>연장 요청 취소</button>
      )}
      <FormError error={act.error} />
    </div>
  );
}

function RequestForm({ r }: { r: ReservationDetail }) {
  const [endDate, setEndDate] = useState('');
  const act = useExtensionAction(r.id);
  const chosen = /^\d{4}-\d{2}-\d{2}$/.test(endDate) ? endDate : null;
  const quote = useExtensionQuote(r.id, chosen);
  const dateId = useId();
  const quoteId = useId();
  return (
    <form className="form extension-form" aria-label="대여 연장 요청"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (chosen) act.mutate({ kind: 'request', endDate: chosen }, { onSuccess: () => setEndDate('') });
      }}>
      <p className="muted">지금 반납일은 {koreanDate(r.endDate)}이에요. 더 쓰고 싶다면 새 반납일을 골라 요청해 주세요.</p>
      <label htmlFor={dateId}>새 반납일</label>
      <input id={dateId} type="date" className="input" min={addDays(r.endDate, 1)} value={endDate} required
        aria-describedby={quoteId} onChange={(e) => { act.reset(); setEndDate(e.target.value); }} />
      <p id={quoteId} className="extension-quote" role="status" data-testid="extension-quote">
        {!chosen ? '' : quote.isPending ? '추가 요금을 계산하는 중…'
          : quote.error ? errorMessage(quote.error)
          : quote.data ? `추가 요금 ${won(quote.data.extraFee)} · 전체 ${quote.data.days}일` : ''}
      </p>
      <FormError error={act.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={!chosen || !quote.data || act.isPending}>연장 요청</button>
    </form>
  );
}
