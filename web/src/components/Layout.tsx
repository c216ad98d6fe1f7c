// The frame of every page: a top bar (logo, search, account) and, on phones, a bottom tab bar.
// Later capabilities add entries to NAV_ITEMS or actions to the top bar's right side.
import { useState, type FormEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useMe } from '../api/members.ts';
import { blockEnterWhileComposing } from '../lib/ime.ts';
import { Avatar } from './ui.tsx';
import { ChatUnreadBadge, TopBarLiveLinks } from './LiveBadges.tsx';
import { EmailVerificationBanner } from './EmailVerificationBanner.tsx';
import { ChatIcon, HomeIcon, PlusCircleIcon, SearchIcon, UserIcon } from './Icons.tsx';

const NAV_ITEMS = [
  { to: '/', label: '홈', icon: HomeIcon, end: true },
  { to: '/search', label: '검색', icon: SearchIcon, end: false },
  { to: '/posts/new', label: '등록', icon: PlusCircleIcon, end: true },
  { to: '/chats', label: '채팅', icon: ChatIcon, end: false },
  { to: '/my', label: '마이', icon: UserIcon, end: false },
];

export function Layout() {
  return (
    <div className="app">
      <TopBar />
      <EmailVerificationBanner />
      <main className="app-main">
        <Outlet />
      </main>
      <BottomNav />
    </div>
  );
}

function TopBar() {
  const { data: me } = useMe();
  // the search page has its own, larger search box
  const onSearchPage = useLocation().pathname === '/search';
  return (
    <header className="topbar">
      <div className="topbar-inner">
        {/* named by its text, not aria-label (the visible words must be part of the name: WCAG 2.5.3) */}
        <Link to="/" className="logo">
          <span className="logo-mark" aria-hidden="true">취</span>
          <span className="logo-text">취밋</span>
          <span className="sr-only"> 홈</span>
        </Link>
        {onSearchPage ? <div className="topbar-spacer" /> : <HeaderSearch />}
        <nav className="topbar-actions">
          <NavLink to="/posts/new" className="topbar-link desktop-only">등록하기</NavLink>
          <TopBarLiveLinks />
          {me ? (
            <Link to="/my" className="topbar-me">
              <span className="sr-only">마이페이지</span>
              <Avatar url={me.avatarUrl} name={me.nickname} size={32} decorative />
              <span className="desktop-only">{me.nickname}</span>
            </Link>
          ) : (
            me === null && <Link to="/login" className="btn btn-small btn-primary">로그인</Link>
          )}
        </nav>
      </div>
    </header>
  );
}

function HeaderSearch() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const current = location.pathname === '/search' ? params.get('q') ?? '' : '';
  const [text, setText] = useState(current);
  const [lastCurrent, setLastCurrent] = useState(current);
  if (current !== lastCurrent) {
    // follow the URL when it changes elsewhere (filters, back button)
    setLastCurrent(current);
    setText(current);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(location.pathname === '/search' ? params : undefined);
    if (text.trim()) next.set('q', text.trim());
    else next.delete('q');
    navigate(`/search?${next}`);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> would need an extra wrapper element around the form; role=search on the form exposes the same landmark
    <form className="header-search" role="search" onSubmit={submit}>
      <SearchIcon size={18} className="header-search-icon" />
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={blockEnterWhileComposing}
        placeholder="무엇을 빌리고 싶나요?"
        aria-label="검색어"
        enterKeyHint="search"
      />
    </form>
  );
}

function BottomNav() {
  return (
    <nav className="bottom-nav" aria-label="주요 메뉴">
      {NAV_ITEMS.map(({ to, label, icon: Icon, end }) => (
        <NavLink key={to} to={to} end={end} className={({ isActive }) => `bottom-nav-item${isActive ? ' active' : ''}`}>
          <Icon size={24} />
          {to === '/chats' && <ChatUnreadBadge />}
          <span>{label}</span>
        </NavLink>
      ))}
    </nav>
  );
}
