// Small shared building blocks: avatar, spinner, empty and error states, page header, auth guard.
import { useEffect, useRef, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useMe } from '../api/members.ts';
import { ChevronLeftIcon } from './Icons.tsx';

/** `decorative` when the surrounding link or text already names the member (an empty alt then). */
export function Avatar({ url, name, size = 40, decorative = false }: { url: string | null | undefined; name: string; size?: number; decorative?: boolean }) {
  const style = { width: size, height: size, fontSize: size * 0.42 };
  if (url) return <img className="avatar" src={url} alt={decorative ? '' : `${name} 프로필`} style={style} />;
  return <span className="avatar avatar-fallback" style={style} aria-hidden="true">{name.slice(0, 1)}</span>;
}

export function Spinner({ label = '불러오는 중' }: { label?: string }) {
  return (
    <div className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" />
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        <svg aria-hidden="true" width="56" height="56" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round">
          <path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5z" /><path d="m3 7.5 9 4.5 9-4.5M12 12v9" /><path d="m7.5 5.25 9 4.5" />
        </svg>
      </div>
      <p className="empty-title">{title}</p>
      {children && <p className="empty-text">{children}</p>}
      {action}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && <button type="button" className="btn btn-small" onClick={onRetry}>다시 시도</button>}
    </div>
  );
}

/** Inline form error (problem+json detail). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="form-error" role="alert">{errorMessage(error)}</p>;
}

export function PageHeader({ title, back = true, right }: { title: string; back?: boolean; right?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <div className="page-header">
      {back && (
        <button type="button" className="icon-btn" aria-label="뒤로" onClick={() => (history.length > 1 ? navigate(-1) : navigate('/'))}>
          <ChevronLeftIcon />
        </button>
      )}
      <h1>{title}</h1>
      <div className="page-header-right">{right}</div>
    </div>
  );
}

/** A row of tabs, one selected; the page keeps which one (usually in the URL). */
export function Tabs<T extends string>({ tabs, value, onChange, label, className = 'tabs' }: {
  tabs: readonly { id: T; label: ReactNode }[];
  value: T;
  onChange: (id: T) => void;
  label?: string;
  className?: string;
}) {
  return (
    <div className={className} role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button key={t.id} type="button" role="tab" aria-selected={value === t.id} className={`tab${value === t.id ? ' active' : ''}`}
          onClick={() => onChange(t.id)}>{t.label}</button>
      ))}
    </div>
  );
}

/** Pages for members only: guests go to the login page and come back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  if (isPending) return <Spinner />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

/** The part of an infinite query that LoadMore drives. */
interface NextPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** Loads the next page when scrolled into view (infinite lists), one request at a time; a button remains for keyboards and old browsers. */
export function LoadMore({ query }: { query: NextPages }) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(query);
  latest.current = query;
  const { hasNextPage: hasMore, isFetchingNextPage: loading } = query;
  // reads the latest query, so the observer's first-render closure stays correct
  const loadMore = () => {
    if (!latest.current.isFetchingNextPage) void latest.current.fetchNextPage();
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadMore reads the latest query through a ref; the observer is only rebuilt when hasMore changes
  useEffect(() => {
    const el = ref.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: '400px 0px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore]);
  if (!hasMore) return null;
  return (
    <div ref={ref} className="load-more">
      {loading ? <Spinner /> : <button type="button" className="btn btn-ghost" onClick={loadMore}>더 보기</button>}
    </div>
  );
}

export function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} | 취밋` : '취밋 — 이웃과 빌려 쓰는 생활';
  }, [title]);
}
