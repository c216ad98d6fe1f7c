// AI search (/search-ai): retrieve with hybrid search, then — with an LLM — rerank and write a short
// Korean answer citing only retrieved listings; without one (or when its reply is unusable) an
// extractive answer that says why each listing matched. A listing id the LLM invents is dropped.
import type { Deps } from '../../deps.ts';
import { josa } from 'es-hangul';
import { parseJsonReply } from '../../ai/llm.ts';
import { badRequest } from '../../http/errors.ts';
import { hasSearchableText, searchService, type SearchFilters, type SemanticFallback } from './service.ts';
import type { SearchHit } from './schemas.ts';
import { won } from '../../lib/money.ts';

export const AI_CONTEXT_SIZE = 8;
/** listings the extractive answer shows (and cites), so its count and the cards always agree */
export const EXTRACTIVE_SHOWN = 5;

export interface AiAnswer {
  answer: string;
  mode: 'llm' | 'extractive';
  /** why the LLM answer was not used, when it was tried */
  fallbackReason: string | null;
  citations: number[];
  items: SearchHit[];
  semanticAvailable: boolean;
  semanticFallback: SemanticFallback | null;
}


/** The answer without an LLM: how many listings it shows (exactly those it lists) and why each matched. */
export function extractiveAnswer(query: string, shown: SearchHit[]): string {
  const q = query.trim();
  if (!shown.length) return `'${q}'에 맞는 물건을 찾지 못했어요. 다른 표현으로 묻거나 필터를 줄여 보세요.`;
  const lines = shown.map(
    (h) => `[#${h.listing.id}] ${h.listing.title} — 하루 ${won(h.listing.fee)}, 보증금 ${won(h.listing.deposit)} (${h.match.reason})`,
  );
  return `'${q}'${josa.pick(q, '와/과')} 관련된 물건 ${shown.length}개를 보여 드려요.\n${lines.join('\n')}`;
}

function context(hits: SearchHit[]): string {
  return hits
    .map((h) => {
      const l = h.listing;
      return `#${l.id} | ${l.title} | ${l.category.parent ? `${l.category.parent.name} > ` : ''}${l.category.name} | 하루 ${l.fee}원, 보증금 ${l.deposit}원 | ${l.regions.join(', ')}`;
    })
    .join('\n');
}

/** Drops citations of listings that were not retrieved: '[#999]' that we never showed becomes ''. */
export function keepKnownCitations(text: string, known: Set<number>): string {
  return text.replace(/\[#(\d+)\]/g, (m, id) => (known.has(Number(id)) ? m : '')).replace(/[ \t]{2,}/g, ' ').trim();
}

export async function aiSearch(deps: Deps, query: string, filters: SearchFilters = {}): Promise<AiAnswer> {
  // a blank question is not a question: never answer it with whatever is newest
  if (!hasSearchableText(query)) throw badRequest('EMPTY_QUERY', '무엇을 찾는지 적어 주세요');
  const result = await searchService(deps).search(query, filters, { limit: AI_CONTEXT_SIZE });
  const hits = result.items;
  const extractive = (fallbackReason: string | null): AiAnswer => {
    const shown = hits.slice(0, EXTRACTIVE_SHOWN);
    return {
      answer: extractiveAnswer(query, shown),
      mode: 'extractive',
      fallbackReason,
      citations: shown.map((h) => h.listing.id),
      items: shown,
      semanticAvailable: result.semanticAvailable,
      semanticFallback: result.semanticFallback,
    };
  };
  if (!deps.llm || !hits.length) return extractive(null);

  let reply: string;
  try {
    reply = await deps.llm.complete(
      [
        {
          role: 'system',
          content:
            '너는 이웃 간 물건 대여 서비스 "취밋"의 검색 도우미다. 아래 목록에 있는 게시글만 근거로 답한다. ' +
            '목록에 없는 물건을 지어내지 않는다. JSON으로만 답한다: {"answer": "한국어 2~4문장, 인용은 [#게시글번호] 형식", "ids": [관련도 순 게시글 번호]}',
        },
        { role: 'user', content: `질문: ${query}\n\n게시글 목록:\n${context(hits)}` },
      ],
      { json: true, maxTokens: 600 },
    );
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'LLM call failed; extractive answer');
    return extractive('LLM 호출 실패');
  }

  const parsed = parseJsonReply(reply);
  const known = new Set(hits.map((h) => h.listing.id));
  const answerText = typeof parsed?.answer === 'string' ? parsed.answer : null;
  const ids = Array.isArray(parsed?.ids) ? parsed!.ids.map(Number).filter((id) => known.has(id)) : null;
  if (!answerText || !ids) return extractive('LLM 응답 형식 오류');
  const cited = [...new Set(ids)];
  if (!cited.length) return extractive('LLM 응답이 검색된 게시글을 인용하지 않음');
  const answer = keepKnownCitations(answerText, known);
  if (!answer) return extractive('LLM 응답 형식 오류');
  // rerank: the LLM's order first, then the remaining retrieved listings in fused order
  const byId = new Map(hits.map((h) => [h.listing.id, h]));
  const items = [...cited.map((id) => byId.get(id)!), ...hits.filter((h) => !cited.includes(h.listing.id))];
  return { answer, mode: 'llm', fallbackReason: null, citations: cited, items, semanticAvailable: result.semanticAvailable, semanticFallback: result.semanticFallback };
}
