// The admin area (/admin, ADMIN only): a tab bar over reports, bans, jobs and the catalog trees.
// Guests go to login; members who are not admins see "권한이 없어요" (the API refuses them anyway).
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useMe } from '../../api/members.ts';
import { EmptyState, Spinner } from '../../components/ui.tsx';

const ADMIN_TABS = [
  { to: '/admin/reports', label: '신고' },
  { to: '/admin/bans', label: '제한 목록' },
  { to: '/admin/jobs', label: '예약 작업' },
  { to: '/admin/catalog', label: '카테고리·지역' },
];

export function AdminLayout() {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  if (isPending) return <Spinner />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (me.role !== 'ADMIN') {
    return <div className="page"><EmptyState title="권한이 없어요" action={<Link className="btn" to="/">홈으로</Link>}>관리자만 볼 수 있는 페이지예요.</EmptyState></div>;
  }
  return (
    <div className="page admin-page">
      <h1 className="admin-title">관리자</h1>
      <nav className="tabs admin-tabs" aria-label="관리 메뉴">
        {ADMIN_TABS.map((t) => (
          <NavLink key={t.to} to={t.to} className={({ isActive }) => `tab${isActive ? ' active' : ''}`}>{t.label}</NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
