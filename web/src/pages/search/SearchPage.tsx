// Search: a query + category/region (parents include children) + daily fee range + dates available,
// in two modes — "검색" (hybrid keyword + meaning ranking, a reason per hit, or a sorted list) and
// "AI 검색" (a question answered in Korean, citing only listings that were found).
// Every filter lives in the URL, so results can be shared and the back button works.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useSaveAlert } from '../../api/alerts.ts';
import { errorMessage } from '../../api/client.ts';
import { useMe } from '../../api/members.ts';
import { indexTree, nodeLabel, useCategories, useRegions } from '../../api/catalog.ts';
import { usePostList, type PostSort } from '../../api/posts.ts';
import { pageItems } from '../../api/paging.ts';
import { keywordOnlyNotice, useHybridSearch, type SearchApiSort, type SearchFilters } from '../../api/search.ts';
import { FilterIcon, SearchIcon, SparkleIcon } from '../../components/Icons.tsx';
import { PostList } from '../../components/PostList.tsx';
import { PostCard } from '../../components/PostCard.tsx';
import { HitGrid } from '../../components/SearchHits.tsx';
import { TreeSelect } from '../../components/TreePicker.tsx';
import { EmptyState, ErrorBox, LoadMore, Spinner, Tabs, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { seoulDate, shortDateRange, won } from '../../lib/format.ts';
import { AiAnswerPanel } from './AiAnswerPanel.tsx';

/** 'relevance' is the hybrid ranking; the others are plain keyword lists in that order. */
export type SearchSort = 'relevance' | PostSort;
export type SearchMode = 'list' | 'ai';

const SORTS: { value: SearchSort; label: string }[] = [
  { value: 'relevance', label: '관련도순' },
  { value: 'newest', label: '최신순' },
  { value: 'fee_asc', label: '낮은 가격순' },
  { value: 'fee_desc', label: '높은 가격순' },
];

export interface SearchPageFilters extends SearchFilters {
  keyword?: string;
  sort: SearchSort;
}

const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

export function filtersFromParams(params: URLSearchParams): SearchPageFilters {
  const sort = params.get('sort') as SearchSort | null;
  const from = day(params.get('from'));
  const to = day(params.get('to'));
  return {
    keyword: params.get('q')?.trim() || undefined,
    categoryId: int(params.get('category')),
    regionId: int(params.get('region')),
    minFee: int(params.get('minFee')),
    maxFee: int(params.get('maxFee')),
    from,
    to,
    // availability is only known to the ranked search, so dates imply relevance order
    sort: sort && SORTS.some((s) => s.value === sort) && !from && !to ? sort : 'relevance',
  };
}

export const modeFromParams = (params: URLSearchParams): SearchMode => (params.get('mode') === 'ai' ? 'ai' : 'list');

const MODE_TABS: { id: SearchMode; label: ReactNode }[] = [
  { id: 'list', label: '검색' },
  { id: 'ai', label: <><SparkleIcon size={16} /> AI 검색</> },
];

const AI_EXAMPLES = ['주말 캠핑 갈 때 필요한 거', '벽에 선반 달 때 쓸 공구', '아기랑 제주 여행 갈 때 빌릴 것'];

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const mode = modeFromParams(params);
  const { keyword, sort, ...scope } = filters;
  useDocumentTitle(keyword ? `'${keyword}' ${mode === 'ai' ? 'AI 검색' : '검색'}` : mode === 'ai' ? 'AI 검색' : '검색');
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

  // a chip names its kind until the tree it is looked up in has loaded (a blank chip read " 필터 해제")
  const activeChips: { key: string; label: string; clear: Record<string, undefined> }[] = [];
  if (filters.categoryId) {
    activeChips.push({ key: 'category', label: nodeLabel(indexTree(categories), filters.categoryId, ' ') || '카테고리', clear: { category: undefined } });
  }
  if (filters.regionId) activeChips.push({ key: 'region', label: nodeLabel(indexTree(regions), filters.regionId, ' ') || '지역', clear: { region: undefined } });
  if (filters.minFee !== undefined || filters.maxFee !== undefined) {
    activeChips.push({
      key: 'fee',
      label: `${filters.minFee !== undefined ? won(filters.minFee) : ''} ~ ${filters.maxFee !== undefined ? won(filters.maxFee) : ''}`,
      clear: { minFee: undefined, maxFee: undefined },
    });
  }
  if (filters.from || filters.to) {
    const from = filters.from ?? filters.to!;
    const to = filters.to ?? filters.from!;
    activeChips.push({ key: 'dates', label: `${shortDateRange(from, to)} 대여 가능`, clear: { from: undefined, to: undefined } });
  }
  const datesSet = !!(filters.from || filters.to);

  return (
    <div className="page search-page">
      <Tabs tabs={MODE_TABS} value={mode} onChange={(m) => update({ mode: m === 'ai' ? m : undefined })} label="검색 방식" className="tabs search-modes" />
      <KeywordBox
        value={keyword ?? ''}
        onSearch={(q) => update({ q })}
        placeholder={mode === 'ai' ? '필요한 상황을 문장으로 물어보세요' : '어떤 물건을 빌리고 싶으세요?'}
        label={mode === 'ai' ? 'AI에게 물어볼 내용' : '검색어'}
        button={mode === 'ai' ? '물어보기' : '검색'}
      />
      <div className="search-toolbar">
        <button type="button" className={`chip${showFilters ? ' active' : ''}`} aria-expanded={showFilters}
          onClick={() => setShowFilters((s) => !s)}>
          <FilterIcon size={16} /> 필터{activeChips.length ? ` ${activeChips.length}` : ''}
        </button>
        {activeChips.map((c) => (
          <button key={c.key} type="button" className="chip chip-selected" aria-label={`${c.label} 필터 해제`} onClick={() => update(c.clear)}>
            {c.label} ✕
          </button>
        ))}
        {mode === 'list' && keyword && <SaveSearchButton keyword={keyword} filters={scope} />}
        {mode === 'list' && (
          <select className="select select-inline" aria-label="정렬" value={sort}
            onChange={(e) => update({ sort: e.target.value === 'relevance' ? undefined : e.target.value })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value} disabled={datesSet && s.value !== 'relevance'}>{s.label}</option>
            ))}
          </select>
        )}
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
          <DateRange from={filters.from} to={filters.to} onApply={(from, to) => update({ from, to, sort: undefined })} />
          <button type="button" className="btn btn-ghost btn-block"
            onClick={() => setParams(new URLSearchParams([...params].filter(([k]) => k === 'q' || k === 'mode')), { replace: true })}>
            필터 초기화
          </button>
        </aside>
        <section className="search-results" aria-live="polite">
          {mode === 'ai' ? (
            keyword ? (
              <AiAnswerPanel question={keyword} filters={scope} />
            ) : (
              <AiIntro onPick={(q) => update({ q })} />
            )
          ) : sort === 'relevance' || (keyword && (sort === 'newest' || sort === 'fee_asc')) ? (
            <HybridResults keyword={keyword ?? ''} filters={scope} sort={sort === 'fee_asc' ? 'fee' : sort === 'newest' ? 'newest' : 'relevance'}
              onBrowse={(changes) => update({ q: undefined, ...changes })} />
          ) : (
            <SortedResults filters={filters} sort={sort} />
          )}
        </section>
      </div>
    </div>
  );
}

const noResults = (
  <EmptyState title="조건에 맞는 물건이 없어요">
    검색어를 바꾸거나 필터를 줄여 보세요.
  </EmptyState>
);

/**
 * GET /search page by page as you scroll (relevance, or the matches by newest/fee), with why each hit
 * matched. A query nothing matches says so and offers a way on: categories people list most and the
 * newest listings. No query and no filter: the same suggestions instead of an arbitrary list.
 */
function HybridResults({ keyword, filters, sort, onBrowse }: {
  keyword: string;
  filters: SearchFilters;
  sort: SearchApiSort;
  onBrowse: (changes: Record<string, string | number | undefined>) => void;
}) {
  const noFilters = Object.values(filters).every((v) => v === undefined);
  const query = useHybridSearch(keyword, filters, sort);
  if (keyword === '' && noFilters) return <Suggestions title="어떤 물건을 찾으세요?" onBrowse={onBrowse} />;
  if (query.isPending) return <Spinner />;
  if (query.isError && !query.data) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const hits = pageItems(query.data);
  const notice = keyword !== '' ? keywordOnlyNotice(query.data.pages[0]?.semanticFallback ?? null) : null;
  return (
    <>
      {notice && <p className="search-notice" role="note" data-testid="keyword-only-notice">{notice}</p>}
      {hits.length === 0 && keyword !== '' ? (
        <Suggestions title={`'${keyword}'에 맞는 물건을 찾지 못했어요`} hint="다른 말로 찾아보거나, 이웃들이 많이 올린 물건을 둘러보세요." onBrowse={onBrowse} />
      ) : hits.length === 0 ? noResults : (
        <>
          <HitGrid hits={hits} />
          <LoadMore query={query} />
        </>
      )}
    </>
  );
}

/** Categories people list most (among the newest listings) and the newest listings themselves. */
function Suggestions({ title, hint, onBrowse }: {
  title: string;
  hint?: string;
  onBrowse: (changes: Record<string, string | number | undefined>) => void;
}) {
  const newest = usePostList({ sort: 'newest' });
  const recent = newest.data ? pageItems(newest.data) : [];
  const counts = new Map<number, { name: string; n: number }>();
  for (const p of recent) {
    const c = counts.get(p.category.id) ?? { name: p.category.name, n: 0 };
    c.n++;
    counts.set(p.category.id, c);
  }
  const popular = [...counts.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 6);
  return (
    <div className="search-suggestions" data-testid="search-suggestions">
      <EmptyState title={title}>{hint}</EmptyState>
      {popular.length > 0 && (
        <>
          <h2 className="section-title">많이 올라오는 카테고리</h2>
          {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
          <div className="chips chips-wrap" role="group" aria-label="많이 올라오는 카테고리">
            {popular.map(([id, c]) => (
              <button key={id} type="button" className="chip" onClick={() => onBrowse({ category: id })}>{c.name}</button>
            ))}
          </div>
        </>
      )}
      {recent.length > 0 && (
        <>
          <h2 className="section-title">새로 올라온 물건</h2>
          <div className="post-grid">{recent.slice(0, 4).map((p) => <PostCard key={p.id} post={p} />)}</div>
        </>
      )}
    </div>
  );
}

/** 이 검색 저장: a keyword alert for this query and its category, region and fee filters. */
function SaveSearchButton({ keyword, filters }: { keyword: string; filters: { categoryId?: number; regionId?: number; minFee?: number; maxFee?: number } }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const save = useSaveAlert();
  const saved = save.isSuccess && save.variables?.query === keyword;
  const onSave = () => {
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    save.mutate({ query: keyword, categoryId: filters.categoryId, regionId: filters.regionId, minFee: filters.minFee, maxFee: filters.maxFee });
  };
  return (
    <>
      <button type="button" className="chip" onClick={onSave} disabled={save.isPending || saved}>
        {saved ? '알림 저장됨' : '이 검색 저장'}
      </button>
      {save.error && <span className="form-error" role="alert">{errorMessage(save.error)}</span>}
    </>
  );
}

/** Newest or by fee: the plain listing endpoint (keyword contained in title/content). */
function SortedResults({ filters, sort }: { filters: SearchPageFilters; sort: PostSort }) {
  const query = usePostList({
    keyword: filters.keyword,
    categoryId: filters.categoryId,
    regionId: filters.regionId,
    minFee: filters.minFee,
    maxFee: filters.maxFee,
    sort,
  });
  return <PostList query={query} empty={noResults} />;
}

function AiIntro({ onPick }: { onPick: (q: string) => void }) {
  return (
    <div className="ai-intro">
      <p className="ai-intro-title">필요한 상황을 말하면 AI가 이웃의 물건을 찾아 드려요</p>
      <p className="muted">검색된 물건만 근거로 답하고, 답에 나온 물건을 바로 보여 드려요.</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
      <div className="chips chips-wrap" role="group" aria-label="질문 예시">
        {AI_EXAMPLES.map((q) => (
          <button key={q} type="button" className="chip" onClick={() => onPick(q)}>{q}</button>
        ))}
      </div>
    </div>
  );
}

function KeywordBox({ value, onSearch, placeholder, label, button }: {
  value: string;
  onSearch: (q: string) => void;
  placeholder: string;
  label: string;
  button: string;
}) {
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
    // biome-ignore lint/a11y/useSemanticElements: <search> would need an extra wrapper element around the form; role=search on the form exposes the same landmark
    <form className="search-box" role="search" onSubmit={submit}>
      <SearchIcon size={20} />
      <input type="search" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={blockEnterWhileComposing}
        placeholder={placeholder} aria-label={label} enterKeyHint="search" name="q" maxLength={200} />
      <button type="submit" className="btn btn-primary btn-small">{button}</button>
    </form>
  );
}

/** How long fee typing must pause before the range applies (each keystroke would otherwise search). */
const FEE_APPLY_DELAY_MS = 700;

/**
 * 하루 대여료 range. Like every other filter it applies by itself, no 적용 button: when typing pauses,
 * on Enter, or when leaving the field, and only while the range is valid.
 */
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
  const negative = (loN !== undefined && !(loN >= 0)) || (hiN !== undefined && !(hiN >= 0));
  const invalid = negative || (loN !== undefined && hiN !== undefined && loN > hiN);
  const changed = !invalid && (loN !== min || hiN !== max);
  const apply = useRef(() => {});
  apply.current = () => { if (changed) onApply(loN, hiN); };
  // biome-ignore lint/correctness/useExhaustiveDependencies: each keystroke (lo, hi) restarts the debounce timer; the body calls the latest apply through a ref
  useEffect(() => {
    if (!changed) return;
    const timer = setTimeout(() => apply.current(), FEE_APPLY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [changed, lo, hi]);
  const onKeyDown = (e: KeyboardEvent) => { if (e.key === 'Enter') apply.current(); };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
    <div className="field" role="group" aria-labelledby="fee-range-label">
      <span className="field-label" id="fee-range-label">하루 대여료</span>
      <div className="range-row">
        <input type="number" inputMode="numeric" min={0} step={1000} placeholder="최소" aria-label="최소 대여료" value={lo}
          onChange={(e) => setLo(e.target.value)} onKeyDown={onKeyDown} onBlur={() => apply.current()} />
        <span>~</span>
        <input type="number" inputMode="numeric" min={0} step={1000} placeholder="최대" aria-label="최대 대여료" value={hi}
          onChange={(e) => setHi(e.target.value)} onKeyDown={onKeyDown} onBlur={() => apply.current()} />
      </div>
      {invalid && <span className="field-hint bad">{negative ? '금액은 0원 이상으로 입력해 주세요' : '최소 금액이 최대 금액보다 커요'}</span>}
    </div>
  );
}

/**
 * "빌릴 날짜": only listings free (not blocked, not booked) on every day of the range. Applies as soon as
 * a picked day makes a valid range, like the other filters.
 */
function DateRange({ from, to, onApply }: { from?: string; to?: string; onApply: (from?: string, to?: string) => void }) {
  const [start, setStart] = useState(from ?? '');
  const [end, setEnd] = useState(to ?? '');
  const [last, setLast] = useState(`${from}-${to}`);
  if (`${from}-${to}` !== last) {
    setLast(`${from}-${to}`);
    setStart(from ?? '');
    setEnd(to ?? '');
  }
  const today = seoulDate();
  const invalid = start !== '' && end !== '' && start > end;
  const pick = (nextStart: string, nextEnd: string) => {
    setStart(nextStart);
    setEnd(nextEnd);
    if (!(nextStart !== '' && nextEnd !== '' && nextStart > nextEnd)) onApply(nextStart || undefined, nextEnd || undefined);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
    <div className="field" role="group" aria-labelledby="date-range-label">
      <span className="field-label" id="date-range-label">빌릴 날짜</span>
      <div className="range-row date-row">
        <input type="date" min={today} aria-label="빌리는 날" value={start} onChange={(e) => pick(e.target.value, end)} />
        <span>~</span>
        <input type="date" min={start || today} aria-label="돌려주는 날" value={end} onChange={(e) => pick(start, e.target.value)} />
      </div>
      {invalid ? <span className="field-hint bad">돌려주는 날이 빌리는 날보다 빨라요</span>
        : <span className="field-hint muted">그 기간에 예약이 없고 막힌 날이 없는 물건만 보여요</span>}
    </div>
  );
}
