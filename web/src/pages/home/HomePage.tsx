// Home: the newest listings, narrowed by a top-level category chip, loaded page by page as you scroll.
import { Link, useSearchParams } from 'react-router';
import { usePostList } from '../../api/posts.ts';
import { useMe } from '../../api/members.ts';
import { CategoryChips } from '../../components/CategoryChips.tsx';
import { DemoLoadingNotice } from '../../components/DemoLoadingNotice.tsx';
import { PostList } from '../../components/PostList.tsx';
import { EmptyState, useDocumentTitle } from '../../components/ui.tsx';

export function HomePage() {
  useDocumentTitle(undefined);
  const [params, setParams] = useSearchParams();
  const categoryId = Number(params.get('category')) || undefined;
  const { data: me } = useMe();
  const query = usePostList({ categoryId, sort: 'newest' });

  const setCategory = (id: number | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('category', String(id));
    else next.delete('category');
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <section className="hero">
        <div>
          <h1 className="hero-title">{me ? `${me.nickname}님, ` : ''}필요한 건 이웃에게 빌려요</h1>
          <p className="hero-sub">캠핑장비부터 공구, 유아용품까지 — 사지 말고 하루만 빌려 쓰세요</p>
        </div>
        <Link to="/posts/new" className="btn btn-primary hero-cta">내 물건 빌려주기</Link>
      </section>
      <DemoLoadingNotice />
      <CategoryChips value={categoryId} onChange={setCategory} />
      <h2 className="section-title">방금 올라온 물건</h2>
      <PostList
        query={query}
        empty={
          <EmptyState title="아직 등록된 물건이 없어요" action={<Link className="btn btn-primary" to="/posts/new">첫 물건 등록하기</Link>}>
            집에서 쉬고 있는 물건을 이웃에게 빌려주세요.
          </EmptyState>
        }
      />
    </div>
  );
}
