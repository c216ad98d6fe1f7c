// The "AI 검색" answer: the Korean answer with its [#id] citations turned into numbered links, then
// the cited listings as cards. Only listings the server returned are ever shown or linked.
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import { keywordOnlyNotice, useAiSearch, type AiSearchResult, type SearchFilters } from '../../api/search.ts';
import { HitGrid } from '../../components/SearchHits.tsx';
import { EmptyState, ErrorBox } from '../../components/ui.tsx';

export function AiAnswerPanel({ question, filters }: { question: string; filters: SearchFilters }) {
  const query = useAiSearch(question, filters);
  if (query.isPending) {
    return (
      <div className="ai-answer ai-loading" role="status" aria-live="polite">
        <span className="spinner" />
        <p>이웃들의 물건을 살펴보고 답을 만들고 있어요…</p>
      </div>
    );
  }
  if (query.isError) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  return <AiAnswer result={query.data} />;
}

/** Cited hits in citation order; a citation outside `items` cannot happen, but is skipped if it does. */
export function citedHits(result: AiSearchResult) {
  const byId = new Map(result.items.map((h) => [h.listing.id, h]));
  return result.citations.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

function AiAnswer({ result }: { result: AiSearchResult }) {
  const cited = citedHits(result);
  const number = new Map(cited.map((h, i) => [h.listing.id, i + 1]));
  return (
    <>
      <section className="ai-answer" aria-label="AI 답변" data-testid="ai-answer">
        <p className="ai-answer-head">
          <span className="badge ai-badge">{result.mode === 'llm' ? 'AI 답변' : '검색 요약'}</span>
          {result.fallbackReason && <span className="muted">AI 답변을 만들지 못해 검색 결과로 정리했어요</span>}
        </p>
        <p className="ai-answer-text">{withCitationLinks(result.answer, number)}</p>
        {keywordOnlyNotice(result.semanticFallback) && <p className="search-notice" data-testid="keyword-only-notice">{keywordOnlyNotice(result.semanticFallback)}</p>}
      </section>
      {cited.length > 0 ? (
        <>
          <h2 className="section-title">답변에 나온 물건 {cited.length}개</h2>
          <HitGrid hits={cited} />
        </>
      ) : result.items.length > 0 ? (
        <>
          <h2 className="section-title">검색된 물건</h2>
          <HitGrid hits={result.items} />
        </>
      ) : (
        <EmptyState title="알맞은 물건을 찾지 못했어요">다른 표현으로 물어보거나 필터를 줄여 보세요.</EmptyState>
      )}
    </>
  );
}

/** "… [#12] …" → "… ① …" linking to the listing; ids that are not cited are dropped from the text. */
function withCitationLinks(answer: string, number: Map<number, number>): ReactNode[] {
  return answer.split(/\[#(\d+)\]/g).map((part, i) => {
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one answer string, which never changes once shown; the position is their identity
    if (i % 2 === 0) return <Fragment key={i}>{part}</Fragment>;
    const n = number.get(Number(part));
    return n === undefined ? null : (
      // biome-ignore lint/suspicious/noArrayIndexKey: as above, the position in the split answer is the identity
      <Link key={i} to={`/posts/${part}`} className="cite" aria-label={`인용 ${n}: 게시글 보기`}>{n}</Link>
    );
  });
}
