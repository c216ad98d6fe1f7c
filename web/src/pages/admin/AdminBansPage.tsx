// Current bans (listings, members, reviews) with the reason and time, and unban.
import { josa } from 'es-hangul';
import { useState } from 'react';
import { Link } from 'react-router';
import { useBans, useModerate, type BannedItem } from '../../api/admin.ts';
import { pageItems } from '../../api/paging.ts';
import { REPORT_TARGET_LABELS, type ReportTargetType } from '../../api/reports.ts';
import { EmptyState, ErrorBox, FormError, LoadMore, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { relativeTime } from '../../lib/format.ts';
import { targetLink } from './AdminReportsPage.tsx';

const TYPES: ReportTargetType[] = ['POST', 'MEMBER', 'REVIEW'];

export function AdminBansPage() {
  useDocumentTitle('제한 목록');
  const [type, setType] = useState<ReportTargetType>('POST');
  const query = useBans(type);
  const items = pageItems(query.data);
  return (
    <div className="admin-section">
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
      <div className="chips" role="group" aria-label="대상 종류">
        {TYPES.map((t) => (
          <button key={t} type="button" className={`chip${type === t ? ' active' : ''}`} onClick={() => setType(t)}>{REPORT_TARGET_LABELS[t]}</button>
        ))}
      </div>
      {query.isPending ? <Spinner /> : query.isError && !query.data ? <ErrorBox error={query.error} onRetry={() => query.refetch()} /> :
        items.length === 0 ? <EmptyState title={`제한된 ${josa(REPORT_TARGET_LABELS[type], '이/가')} 없어요`} /> : (
          <ul className="admin-list">
            {items.map((b) => <li key={`${b.targetType}-${b.targetId}`}><BanItem ban={b} /></li>)}
          </ul>
        )}
      <LoadMore query={query} />
    </div>
  );
}

function BanItem({ ban }: { ban: BannedItem }) {
  const moderate = useModerate();
  const link = targetLink(ban.targetType, ban.targetId, ban.owner.id);
  return (
    <article className="admin-card" data-testid="admin-ban">
      <header className="admin-card-head">
        <span className="badge badge-soft">{REPORT_TARGET_LABELS[ban.targetType]}</span>
        {link ? <Link to={link} className="admin-card-title">{ban.label}</Link> : <span className="admin-card-title">{ban.label}</span>}
      </header>
      <p className="muted admin-card-meta">
        {ban.targetType !== 'MEMBER' && <>작성자 {ban.owner.nickname} · </>}{relativeTime(ban.bannedAt)} 제한
        {ban.banReason && <> · 사유: {ban.banReason}</>}
      </p>
      <div className="admin-card-actions">
        <button type="button" className="btn btn-small" disabled={moderate.isPending}
          onClick={() => moderate.mutate({ targetType: ban.targetType, targetId: ban.targetId, ban: false })}>제한 해제</button>
      </div>
      <FormError error={moderate.error} />
    </article>
  );
}
