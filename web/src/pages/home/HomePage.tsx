// Home: "근처 동네" for a member with a 동네 (3 km by default, widened step by step while the feed would
// be nearly empty, with a range control); a 지역 picker for visitors and members without a 동네.
// Either way narrowed by a top-level category chip and loaded page by page as you scroll.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { placeFeed, usePostList } from '../../api/posts.ts';
import { useMe } from '../../api/members.ts';
import { useRegions } from '../../api/catalog.ts';
import { RADII_KM, type RadiusKm, useMyNeighbourhoods } from '../../api/neighbourhoods.ts';
import { CategoryChips } from '../../components/CategoryChips.tsx';
import { DemoLoadingNotice } from '../../components/DemoLoadingNotice.tsx';
import { PostList } from '../../components/PostList.tsx';
import { EmptyState, useDocumentTitle } from '../../components/ui.tsx';

/** Fewer cards than this within the range → try the next wider range (until the user picks one). */
const NEARLY_EMPTY = 2;
const DEFAULT_RADIUS: RadiusKm = 3;

export function HomePage() {
  useDocumentTitle(undefined);
  const [params, setParams] = useSearchParams();
  const categoryId = Number(params.get('category')) || undefined;
  const regionId = Number(params.get('region')) || undefined;
  const picked = Number(params.get('radius'));
  const { data: me } = useMe();
  const hoods = useMyNeighbourhoods(!!me);
  const home = me && hoods.data?.length ? hoods.data[0] : null;
  const [autoRadius, setAutoRadius] = useState<RadiusKm>(DEFAULT_RADIUS);
  const radius = RADII_KM.find((r) => r === picked) ?? autoRadius;
  const query = usePostList(
    home ? { categoryId, near: 'me', radiusKm: radius, sort: 'newest' } : placeFeed(categoryId, regionId),
  );
  const loaded = query.data?.pages.reduce((n, p) => n + p.items.length, 0) ?? 0;

  // widen in steps while nearly empty, unless the member chose a range themselves
  useEffect(() => {
    if (!home || picked || query.isPending || query.isError || query.hasNextPage) return;
    if (loaded >= NEARLY_EMPTY) return;
    const wider = RADII_KM.find((r) => r > autoRadius);
    if (wider) setAutoRadius(wider);
  }, [home, picked, query.isPending, query.isError, query.hasNextPage, loaded, autoRadius]);

  const setParam = (key: string, value: number | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, String(value));
    else next.delete(key);
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
      <CategoryChips value={categoryId} onChange={(id) => setParam('category', id)} />
      {home ? (
        <>
          <div className="section-head">
            <h2 className="section-title">근처 동네 · {home.name} {radius}km</h2>
            <Link to="/my/neighbourhoods" className="btn btn-small">내 동네</Link>
          </div>
          {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
          <div className="range-control" role="group" aria-label="거리 범위">
            {RADII_KM.map((r) => (
              <button key={r} type="button" className={`chip${r === radius ? ' active' : ''}`} aria-pressed={r === radius}
                onClick={() => setParam('radius', r)}>
                {r}km
              </button>
            ))}
          </div>
        </>
      ) : (
        <>
          <div className="section-head">
            <h2 className="section-title">{regionId ? '이 지역의 물건' : '방금 올라온 물건'}</h2>
            {me ? <Link to="/my/neighbourhoods" className="btn btn-small">내 동네 설정</Link> : null}
          </div>
          <RegionPicker value={regionId} onChange={(id) => setParam('region', id)} />
        </>
      )}
      <PostList
        query={query}
        empty={
          <EmptyState title={home ? `${radius}km 안에 등록된 물건이 없어요` : '아직 등록된 물건이 없어요'}
            action={<Link className="btn btn-primary" to="/posts/new">첫 물건 등록하기</Link>}>
            {home ? '범위를 넓혀 보거나, 집에서 쉬고 있는 물건을 이웃에게 빌려주세요.' : '집에서 쉬고 있는 물건을 이웃에게 빌려주세요.'}
          </EmptyState>
        }
      />
    </div>
  );
}

/** 시도 › 시군구 for visitors: the feed of one place. */
function RegionPicker({ value, onChange }: { value: number | undefined; onChange: (id: number | undefined) => void }) {
  const { data: tree } = useRegions();
  const root = tree?.find((r) => r.id === value || r.children.some((c) => c.id === value));
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
    <div className="region-picker" role="group" aria-label="지역 선택">
      <select aria-label="시·도" value={root?.id ?? ''} onChange={(e) => onChange(Number(e.target.value) || undefined)}>
        <option value="">전국</option>
        {tree?.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
      </select>
      {root && (
        <select aria-label="시·군·구" value={value !== root.id ? value : ''} onChange={(e) => onChange(Number(e.target.value) || root.id)}>
          <option value="">{root.name} 전체</option>
          {root.children.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      )}
    </div>
  );
}
