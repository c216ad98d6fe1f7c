// Search: keyword + category/region (parents include children) + daily fee range + sort.
// Every filter lives in the URL, so results can be shared and the back button works.
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { indexTree, nodeLabel, useCategories, useRegions } from '../../api/catalog.ts';
import { usePostList, type PostFilters, type PostSort } from '../../api/posts.ts';
import { FilterIcon, SearchIcon } from '../../components/Icons.tsx';
import { PostList } from '../../components/PostList.tsx';
import { TreeSelect } from '../../components/TreePicker.tsx';
import { EmptyState, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { won } from '../../lib/format.ts';

const SORTS: { value: PostSort; label: string }[] = [
  { value: 'newest', label: '최신순' },
  { value: 'fee_asc', label: '낮은 가격순' },
  { value: 'fee_desc', label: '높은 가격순' },
];

const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export function filtersFromParams(params: URLSearchParams): PostFilters {
  const sort = params.get('sort') as PostSort | null;
  return {
    keyword: params.get('q')?.trim() || undefined,
    categoryId: int(params.get('category')),
    regionId: int(params.get('region')),
    minFee: int(params.get('minFee')),
    maxFee: int(params.get('maxFee')),
    sort: sort && SORTS.some((s) => s.value === sort) ? sort : 'newest',
  };
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  useDocumentTitle(filters.keyword ? `'${filters.keyword}' 검색` : '검색');
  const query = usePostList(filters);
  const { data: categories } = useCategories();
  const { data: regions } = useRegions();
  const [showFilters, setShowFilters] = useState(false);

  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };

  const activeChips: { key: string; label: string }[] = [];
  if (filters.categoryId) activeChips.push({ key: 'category', label: nodeLabel(indexTree(categories), filters.categoryId, ' ') });
  if (filters.regionId) activeChips.push({ key: 'region', label: nodeLabel(indexTree(regions), filters.regionId, ' ') });
  if (filters.minFee !== undefined || filters.maxFee !== undefined) {
    activeChips.push({
      key: 'fee',
      label: `${filters.minFee !== undefined ? won(filters.minFee) : ''} ~ ${filters.maxFee !== undefined ? won(filters.maxFee) : ''}`,
    });
  }

  return (
    <div className="page search-page">
      <KeywordBox value={filters.keyword ?? ''} onSearch={(q) => update({ q })} />
      <div className="search-toolbar">
        <button type="button" className={`chip${showFilters ? ' active' : ''}`} aria-expanded={showFilters}
          onClick={() => setShowFilters((s) => !s)}>
          <FilterIcon size={16} /> 필터{activeChips.length ? ` ${activeChips.length}` : ''}
        </button>
        {activeChips.map((c) => (
          <button key={c.key} type="button" className="chip chip-selected" aria-label={`${c.label} 필터 해제`}
            onClick={() => update(c.key === 'fee' ? { minFee: undefined, maxFee: undefined } : { [c.key]: undefined })}>
            {c.label} ✕
          </button>
        ))}
        <select className="select select-inline" aria-label="정렬" value={filters.sort}
          onChange={(e) => update({ sort: e.target.value === 'newest' ? undefined : e.target.value })}>
          {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </div>
      <div className={`search-layout${showFilters ? ' filters-open' : ''}`}>
        <aside className="filters" aria-label="검색 필터">
          <label className="field">
            <span className="field-label">카테고리</span>
            <TreeSelect roots={categories} value={filters.categoryId} placeholder="전체 카테고리" name="category"
              onChange={(id) => update({ category: id })} />
          </label>
          <label className="field">
            <span className="field-label">지역</span>
            <TreeSelect roots={regions} value={filters.regionId} placeholder="전체 지역" name="region"
              onChange={(id) => update({ region: id })} />
          </label>
          <FeeRange min={filters.minFee} max={filters.maxFee} onApply={(minFee, maxFee) => update({ minFee, maxFee })} />
          <button type="button" className="btn btn-ghost btn-block"
            onClick={() => setParams(filters.keyword ? { q: filters.keyword } : {}, { replace: true })}>필터 초기화</button>
        </aside>
        <section className="search-results" aria-live="polite">
          <PostList
            query={query}
            empty={
              <EmptyState title="조건에 맞는 물건이 없어요">
                검색어를 바꾸거나 필터를 줄여 보세요.
              </EmptyState>
            }
          />
        </section>
      </div>
    </div>
  );
}

function KeywordBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [last, setLast] = useState(value);
  if (value !== last) {
    setLast(value);
    setText(value);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form className="search-box" role="search" onSubmit={submit}>
      <SearchIcon size={20} />
      <input type="search" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={blockEnterWhileComposing}
        placeholder="어떤 물건을 빌리고 싶으세요?" aria-label="검색어" enterKeyHint="search" name="q" />
      <button className="btn btn-primary btn-small">검색</button>
    </form>
  );
}

function FeeRange({ min, max, onApply }: { min?: number; max?: number; onApply: (min?: number, max?: number) => void }) {
  const [lo, setLo] = useState(min?.toString() ?? '');
  const [hi, setHi] = useState(max?.toString() ?? '');
  const [last, setLast] = useState(`${min}-${max}`);
  if (`${min}-${max}` !== last) {
    setLast(`${min}-${max}`);
    setLo(min?.toString() ?? '');
    setHi(max?.toString() ?? '');
  }
  const loN = lo === '' ? undefined : Number(lo);
  const hiN = hi === '' ? undefined : Number(hi);
  const invalid = loN !== undefined && hiN !== undefined && loN > hiN;
  return (
    <form className="field" onSubmit={(e) => { e.preventDefault(); if (!invalid) onApply(loN, hiN); }}>
      <span className="field-label">하루 대여료</span>
      <div className="range-row">
        <input type="number" inputMode="numeric" min={0} step={1000} placeholder="최소" aria-label="최소 대여료" value={lo}
          onChange={(e) => setLo(e.target.value)} />
        <span>~</span>
        <input type="number" inputMode="numeric" min={0} step={1000} placeholder="최대" aria-label="최대 대여료" value={hi}
          onChange={(e) => setHi(e.target.value)} />
        <button className="btn btn-small" disabled={invalid}>적용</button>
      </div>
      {invalid && <span className="field-hint bad">최소 금액이 최대 금액보다 커요</span>}
    </form>
  );
}
