// 알림 설정: my saved searches (키워드 알림) with a form to add one, and my 빈 날짜 알림.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useAlerts, useDeleteAlert, useDeleteDateAlert, useSaveAlert, type SavedAlert } from '../../api/alerts.ts';
import { EmptyState, ErrorBox, FormError, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { shortDateRange, won } from '../../lib/format.ts';

/** e.g. "캠핑 › 텐트 · 서울특별시 마포구 · ~20,000원 · 3km" */
const scopeOf = (a: SavedAlert) =>
  [a.category?.name, a.region?.name,
    a.minFee !== null || a.maxFee !== null ? `${a.minFee !== null ? won(a.minFee) : ''}~${a.maxFee !== null ? won(a.maxFee) : ''}` : null,
    a.radiusKm ? `내 동네 ${a.radiusKm}km` : null].filter(Boolean).join(' · ');

export function AlertsPage() {
  useDocumentTitle('알림 설정');
  const alerts = useAlerts();
  const save = useSaveAlert();
  const removeAlert = useDeleteAlert();
  const removeDates = useDeleteDateAlert();
  const [query, setQuery] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) save.mutate({ query: query.trim() }, { onSuccess: () => setQuery('') });
  };

  return (
    <div className="page alerts-page">
      <PageHeader title="알림 설정" />
      <section className="detail-section">
        <h2>키워드 알림</h2>
        <p className="muted">검색어에 맞는 물건이 새로 올라오면 알려 드려요. 검색 결과에서 "이 검색 저장"을 눌러도 돼요.</p>
        <form className="search-box" onSubmit={submit}>
          <input value={query} onChange={(e) => setQuery(e.target.value)} maxLength={100} aria-label="알림 받을 검색어" placeholder="예: 캠핑 텐트" />
          <button type="submit" className="btn btn-primary btn-small" disabled={save.isPending}>추가</button>
        </form>
        <FormError error={save.error ?? removeAlert.error} />
        {alerts.isPending ? <Spinner /> : alerts.error ? <ErrorBox error={alerts.error} onRetry={() => alerts.refetch()} /> : alerts.data.items.length === 0 ? (
          <EmptyState title="저장한 검색이 없어요">관심 있는 물건의 검색어를 저장해 보세요.</EmptyState>
        ) : (
          <ul className="option-list" data-testid="saved-alerts">
            {alerts.data.items.map((a) => (
              <li key={a.id}>
                <span className="option-name"><Link to={`/search?q=${encodeURIComponent(a.query)}`}>{a.query}</Link></span>
                <span className="muted">{scopeOf(a)}</span>
                <button type="button" className="btn btn-ghost btn-small" aria-label={`${a.query} 알림 삭제`} onClick={() => removeAlert.mutate(a.id)}>삭제</button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="detail-section">
        <h2>빈 날짜 알림</h2>
        <FormError error={removeDates.error} />
        {alerts.data && alerts.data.dateAlerts.length === 0 && <p className="muted">물건 페이지에서 원하는 날짜에 빈 날짜 알림을 걸 수 있어요.</p>}
        {alerts.data && alerts.data.dateAlerts.length > 0 && (
          <ul className="option-list">
            {alerts.data.dateAlerts.map((d) => (
              <li key={d.id}>
                <span className="option-name"><Link to={`/posts/${d.post.id}`}>{d.post.name}</Link></span>
                <span className="muted">{shortDateRange(d.startDate, d.endDate)} · {d.notifiedAt ? '비었어요' : '기다리는 중'}</span>
                <button type="button" className="btn btn-ghost btn-small" aria-label={`${d.post.name} 빈 날짜 알림 삭제`} onClick={() => removeDates.mutate(d.id)}>삭제</button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
