// Reports for admins: newest first, filtered by status and target type, each with the target's report
// counts (5 pending in 30 days bans automatically) and the actions: dismiss, or ban the target.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  REPORT_STATUS_LABELS, useAdminReports, useDismissReport, useModerate, type AdminReport, type ReportStatus,
} from '../../api/admin.ts';
import { pageItems } from '../../api/paging.ts';
import { REPORT_TARGET_LABELS, type ReportTargetType } from '../../api/reports.ts';
import { EmptyState, ErrorBox, FormError, LoadMore, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { relativeTime } from '../../lib/format.ts';

const STATUS_FILTERS: (ReportStatus | undefined)[] = ['PENDING', 'RESOLVED', 'DISMISSED', undefined];
const TYPE_FILTERS: (ReportTargetType | undefined)[] = [undefined, 'POST', 'MEMBER', 'REVIEW'];

export function AdminReportsPage() {
  useDocumentTitle('신고 관리');
  const [status, setStatus] = useState<ReportStatus | undefined>('PENDING');
  const [type, setType] = useState<ReportTargetType | undefined>();
  const query = useAdminReports(status, type);
  const items = pageItems(query.data);
  return (
    <div className="admin-section">
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
      <div className="chips" role="group" aria-label="처리 상태">
        {STATUS_FILTERS.map((s) => (
          <button key={s ?? 'all'} type="button" className={`chip${status === s ? ' active' : ''}`} onClick={() => setStatus(s)}>
            {s ? REPORT_STATUS_LABELS[s] : '전체'}
          </button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
      <div className="chips" role="group" aria-label="대상 종류">
        {TYPE_FILTERS.map((t) => (
          <button key={t ?? 'all'} type="button" className={`chip chip-small${type === t ? ' active' : ''}`} onClick={() => setType(t)}>
            {t ? REPORT_TARGET_LABELS[t] : '모든 대상'}
          </button>
        ))}
      </div>
      {query.isPending ? <Spinner /> : query.isError && !query.data ? <ErrorBox error={query.error} onRetry={() => query.refetch()} /> :
        items.length === 0 ? <EmptyState title="신고가 없어요" /> : (
          <ul className="admin-list">
            {items.map((r) => <li key={r.id}><ReportItem report={r} /></li>)}
          </ul>
        )}
      <LoadMore query={query} />
    </div>
  );
}

export function targetLink(type: ReportTargetType, id: number, ownerId: number | null): string | null {
  if (type === 'POST') return `/posts/${id}`;
  if (type === 'MEMBER') return `/members/${id}`;
  return ownerId ? `/members/${ownerId}` : null; // a review is read on its lender's profile
}

function ReportItem({ report: r }: { report: AdminReport }) {
  const dismiss = useDismissReport();
  const link = targetLink(r.targetType, r.targetId, r.target.ownerId);
  const label = r.target.label ?? '(삭제된 대상)';
  return (
    <article className="admin-card" data-testid="admin-report">
      <header className="admin-card-head">
        <span className="badge badge-soft">{REPORT_TARGET_LABELS[r.targetType]}</span>
        {link && r.target.exists ? <Link to={link} className="admin-card-title">{label}</Link> : <span className="admin-card-title">{label}</span>}
        <span className={`badge report-${r.status.toLowerCase()}`}>{REPORT_STATUS_LABELS[r.status]}</span>
      </header>
      <p><strong>{r.reasonLabel}</strong>{r.detail && <> — {r.detail}</>}</p>
      <p className="muted admin-card-meta">
        신고자 {r.reporter.nickname} · {relativeTime(r.createdAt)} · 이 대상 신고 {r.targetCounts.total}건
        (대기 {r.targetCounts.pending}, 최근 30일 {r.targetCounts.last30Days}/5)
        {r.target.banned && <> · <b className="text-danger">제한됨</b></>}
      </p>
      {r.status === 'PENDING' && (
        <div className="admin-card-actions">
          <button type="button" className="btn btn-small" disabled={dismiss.isPending} onClick={() => dismiss.mutate(r.id)}>기각</button>
          {r.target.exists && !r.target.banned && <BanControl targetType={r.targetType} targetId={r.targetId} />}
        </div>
      )}
      <FormError error={dismiss.error} />
    </article>
  );
}

/** "제한" with the required reason, inline. */
export function BanControl({ targetType, targetId }: { targetType: ReportTargetType; targetId: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const moderate = useModerate();
  if (!open) return <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setOpen(true)}>{REPORT_TARGET_LABELS[targetType]} 제한</button>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    moderate.mutate({ targetType, targetId, ban: true, reason: reason.trim() }, { onSuccess: () => setOpen(false) });
  };
  return (
    <form className="ban-form" onSubmit={submit}>
      {/* biome-ignore lint/a11y/noAutofocus: the field appears only after the user pressed a button to open it, so focusing it is what the user asked for */}
      <input className="select-like" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="제한 사유 (작성자에게 전달돼요)" aria-label="제한 사유" autoFocus />
      <button type="submit" className="btn btn-small btn-danger" disabled={!reason.trim() || moderate.isPending}>제한</button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>취소</button>
      <FormError error={moderate.error} />
    </form>
  );
}
