// "신고" button + dialog for a listing, member or review: reasons from the server, detail required for
// "기타", one report per target (the server's refusal is shown as it comes).
import { josa } from 'es-hangul';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/members.ts';
import { DETAIL_REQUIRED_REASON, REPORT_TARGET_LABELS, useCreateReport, useReportReasons, type ReportReasonCode, type ReportTargetType } from '../api/reports.ts';
import { CloseIcon } from './Icons.tsx';
import { FormError, Spinner } from './ui.tsx';

export function ReportButton({ targetType, targetId, className = 'btn btn-small btn-ghost' }: {
  targetType: ReportTargetType;
  targetId: number;
  className?: string;
}) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const onClick = () => {
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    setOpen(true);
  };
  return (
    <>
      <button type="button" className={className} onClick={onClick}>신고</button>
      {/* a portal: the button may sit inside a <p> or a transformed bar, the dialog must not */}
      {open && createPortal(<ReportDialog targetType={targetType} targetId={targetId} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

export function ReportDialog({ targetType, targetId, onClose }: { targetType: ReportTargetType; targetId: number; onClose: () => void }) {
  const reasons = useReportReasons();
  const report = useCreateReport();
  const [reason, setReason] = useState<ReportReasonCode | ''>('');
  const [detail, setDetail] = useState('');
  const [localError, setLocalError] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const what = REPORT_TARGET_LABELS[targetType];

  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    panel.current?.focus(); // once, on open
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason) return setLocalError('신고 사유를 골라 주세요');
    if (reason === DETAIL_REQUIRED_REASON && !detail.trim()) return setLocalError('기타 사유는 내용을 적어 주세요');
    setLocalError('');
    report.mutate({ targetType, targetId, reason, detail: detail.trim() || undefined });
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a backdrop click is a mouse shortcut; keyboards close the dialog with Escape (listener above) or the 닫기 button
    <div className="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="report-title" tabIndex={-1} ref={panel}>
        <div className="dialog-head">
          <h2 id="report-title">{what} 신고</h2>
          <button type="button" className="icon-btn" aria-label="닫기" onClick={onClose}><CloseIcon size={20} /></button>
        </div>
        {report.isSuccess ? (
          <div className="dialog-done" role="status">
            <p><strong>신고가 접수되었어요.</strong></p>
            <p className="muted">운영팀이 확인 후 조치할게요. 같은 {josa(what, '은/는')} 한 번만 신고할 수 있어요.</p>
            <button type="button" className="btn btn-primary btn-block" onClick={onClose}>확인</button>
          </div>
        ) : (
          <form className="form" onSubmit={submit}>
            {reasons.isPending ? <Spinner /> : (
              <fieldset className="reason-list">
                <legend className="sr-only">신고 사유</legend>
                {(reasons.data ?? []).map((r) => (
                  <label key={r.code} className={`reason-item${reason === r.code ? ' on' : ''}`}>
                    <input type="radio" name="reason" value={r.code} checked={reason === r.code} onChange={() => setReason(r.code)} />
                    {r.label}
                  </label>
                ))}
              </fieldset>
            )}
            <label className="field">
              <span className="field-label">상세 내용{reason === DETAIL_REQUIRED_REASON ? '' : ' (선택)'}</span>
              <textarea rows={3} maxLength={1000} value={detail} onChange={(e) => setDetail(e.target.value)}
                placeholder="어떤 점이 문제인지 알려 주세요" />
            </label>
            {localError && <p className="form-error" role="alert">{localError}</p>}
            <FormError error={report.error} />
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={onClose}>취소</button>
              <button type="submit" className="btn btn-primary" disabled={report.isPending}>신고하기</button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
