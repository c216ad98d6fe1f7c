// My page: my listings, my favorites and my profile, as tabs (?tab=). Later capabilities add tabs
// to TABS (reservations sent/received, reviews).
import { useSearchParams, Link, useNavigate } from 'react-router';
import { useLogout, useMe } from '../../api/members.ts';
import { useFavoritePosts, useMyPosts } from '../../api/posts.ts';
import { PostList } from '../../components/PostList.tsx';
import { Avatar, EmptyState, Tabs, useDocumentTitle } from '../../components/ui.tsx';
import { ProfileForm } from './ProfileForm.tsx';

const TABS = [
  { id: 'posts', label: '내 물건' },
  { id: 'favorites', label: '관심 목록' },
  { id: 'profile', label: '프로필 수정' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function MyPage() {
  useDocumentTitle('마이페이지');
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const tab: TabId = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'posts';
  const logout = useLogout();
  const navigate = useNavigate();
  if (!me) return null;

  return (
    <div className="page my-page">
      <section className="profile-head">
        <Avatar url={me.avatarUrl} name={me.nickname} size={64} />
        <div className="profile-head-text">
          <h1>{me.nickname}</h1>
          <p className="muted">{me.region ? me.region.name : '동네를 설정해 주세요'} · {me.email}</p>
        </div>
        <div className="profile-head-actions">
          <Link to={`/members/${me.id}`} className="btn btn-small">내 프로필 보기</Link>
          <button type="button" className="btn btn-small btn-ghost" disabled={logout.isPending}
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/', { replace: true }) })}>로그아웃</button>
        </div>
      </section>
      <nav className="my-links" aria-label="예약 내역">
        <Link to="/reservations" className="my-link">보낸 예약</Link>
        <Link to="/reservations?tab=received" className="my-link">받은 예약</Link>
        <Link to="/alerts" className="my-link">알림 설정</Link>
        {me.role === 'ADMIN' && <Link to="/admin" className="my-link">관리자</Link>}
      </nav>
      <Tabs tabs={TABS} value={tab} label="마이페이지 메뉴" onChange={(id) => setParams(id === 'posts' ? {} : { tab: id }, { replace: true })} />
      {tab === 'posts' && <MyPosts />}
      {tab === 'favorites' && <MyFavorites />}
      {tab === 'profile' && <ProfileForm me={me} />}
    </div>
  );
}

function MyPosts() {
  const query = useMyPosts();
  return (
    <PostList query={query} empty={
      <EmptyState title="아직 등록한 물건이 없어요" action={<Link className="btn btn-primary" to="/posts/new">물건 등록하기</Link>}>
        잘 쓰지 않는 물건을 빌려주고 용돈을 벌어 보세요.
      </EmptyState>
    } />
  );
}

function MyFavorites() {
  const query = useFavoritePosts();
  return (
    <PostList query={query} empty={
      <EmptyState title="찜한 물건이 없어요" action={<Link className="btn btn-primary" to="/">둘러보기</Link>}>
        마음에 드는 물건의 하트를 눌러 모아 보세요.
      </EmptyState>
    } />
  );
}
