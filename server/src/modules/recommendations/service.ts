// Listing helpers: similar listings, category suggestion (the seed's embedding-based classification:
// a vote of the nearest existing listings' categories), fee/deposit suggestion (median of comparable
// listings in that category) and an AI draft (vision LLM with photos, else from the hint text).
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../http/errors.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { parseJsonReply } from '../../ai/llm.ts';
import type { ChatMessage } from '../../ai/types.ts';
import { embeddingsRepository } from '../embeddings/repository.ts';
import { filterConditions, fuse, semanticAvailable, vectorRank, withListings } from '../search/service.ts';
import { keywordRank, queryTerms, weighTerms } from '../search/keyword.ts';
import { calibrationFor } from '../search/calibration.ts';
import type { SearchHit } from '../search/schemas.ts';
import { recommendationsRepository } from './repository.ts';

const NEIGHBOURS = 15;
// The category vote: only the nearest VOTERS neighbours, each weighted exp((score − best) / T), so the
// single closest listing outweighs a crowd of middling ones from a populous category (a plain sum of
// similarities over 15 neighbours let 3 tents at 0.35 beat the one camping chair at 0.52).
// T is in the branch's score units: cosine for vectors, keyword coverage (0..1) otherwise.
// Measured with leave-one-out over the demo listings (EVAL_SUGGEST=1 npm run eval:search).
const VOTERS = 5;
const VOTE_TEMPERATURE = { semantic: 0.05, keyword: 0.1 };

export interface SuggestInput {
  title: string;
  content: string;
  hint?: string;
  /** image URLs or data: URLs for the vision model */
  images?: string[];
  /** ask the LLM (when configured) for the draft; otherwise the template draft, no LLM cost */
  draft?: boolean;
}

export interface CategoryGuess {
  id: number;
  name: string;
  path: string;
  confidence: number;
}

export interface Suggestion {
  categories: CategoryGuess[];
  fee: { suggested: number; min: number; max: number; basedOn: number } | null;
  deposit: { suggested: number; min: number; max: number; basedOn: number } | null;
  draft: { title: string; content: string; source: 'llm' | 'template' };
  semanticAvailable: boolean;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

/** Round to a price people write: 100원 under 10,000, 1,000원 above. */
const priceRound = (n: number) => (n < 10_000 ? Math.round(n / 100) * 100 : Math.round(n / 1000) * 1000);

/** Neighbours (best first) with their vote: a softmax of the score over the nearest VOTERS, 0 beyond. */
export function voteWeights<T extends { score: number }>(near: T[], temperature: number): (T & { weight: number })[] {
  const best = near.length ? Math.max(...near.map((n) => n.score)) : 0;
  return near.map((n, i) => ({ ...n, weight: i < VOTERS ? Math.exp((n.score - best) / temperature) : 0 }));
}

export function recommendationsService(deps: Deps) {
  const repo = recommendationsRepository(deps.db);
  /** Nearest public listings to a text: vector neighbours, or keyword ones without pgvector. */
  async function neighbours(text: string, excludeIds: number[] = []) {
    const where = filterConditions({ excludeIds });
    if (await semanticAvailable(deps)) {
      const [v] = await embedderFor(deps.config).embed([text]);
      const rows = await vectorRank(deps, v, where, NEIGHBOURS);
      if (rows.length) return voteWeights(rows.map((r) => ({ id: r.id, score: r.sim, sim: r.sim as number | null })), VOTE_TEMPERATURE.semantic);
    }
    const rows = await keywordRank(deps.db, await weighTerms(deps.db, queryTerms(text)), where, NEIGHBOURS);
    return voteWeights(rows.map((r) => ({ id: r.id, score: r.coverage, sim: null as number | null })), VOTE_TEMPERATURE.keyword);
  }

  async function similar(postId: number, limit = 6, viewerId: number | null = null): Promise<{ items: SearchHit[]; semanticAvailable: boolean }> {
    const post = await repo.publicPost(postId, viewerId);
    if (!post) throw notFound('게시글');
    const where = filterConditions({ excludeIds: [postId], viewerId });
    const semantic = await semanticAvailable(deps);
    let ranked: ReturnType<typeof fuse> = [];
    if (semantic) {
      const own = await embeddingsRepository(deps.db).vectorOf(embedderFor(deps.config).dimensions, postId);
      const calibration = await calibrationFor(deps);
      if (own) ranked = fuse([], await vectorRank(deps, own, where, limit), calibration);
    }
    // keyword fallback: no vector store, or this listing is not embedded yet
    if (!ranked.length) ranked = fuse(await keywordRank(deps.db, await weighTerms(deps.db, queryTerms(post.title)), where, limit), [], null);
    return { items: await withListings(deps, ranked), semanticAvailable: semantic };
  }

  async function suggestCategories(text: string, excludeIds: number[] = []): Promise<{ guesses: CategoryGuess[]; neighbourIds: number[] }> {
    const near = await neighbours(text, excludeIds);
    if (!near.length) return { guesses: [], neighbourIds: [] };
    const rows = await repo.categoriesOf(near.map((n) => n.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const votes = new Map<number, { guess: CategoryGuess; weight: number }>();
    let total = 0;
    for (const n of near) {
      const r = byId.get(n.id);
      if (!r) continue;
      total += n.weight;
      const v = votes.get(r.category_id) ?? { guess: { id: r.category_id, name: r.name, path: r.path, confidence: 0 }, weight: 0 };
      v.weight += n.weight;
      votes.set(r.category_id, v);
    }
    const guesses = [...votes.values()]
      .filter((v) => v.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 3)
      .map((v) => ({ ...v.guess, confidence: Math.round((v.weight / (total || 1)) * 100) / 100 }));
    return { guesses, neighbourIds: near.map((n) => n.id).filter((id) => byId.has(id)) };
  }

  /** Median fee/deposit of comparable listings: the neighbours in the category, else the whole category. */
  async function priceSuggestion(categoryId: number, neighbourIds: number[]) {
    let rows = await repo.pricesAmong(neighbourIds, categoryId);
    if (rows.length < 3) rows = await repo.recentPrices(categoryId, 50);
    if (!rows.length) return { fee: null, deposit: null };
    const stat = (xs: number[]) => ({ suggested: priceRound(median(xs)), min: Math.min(...xs), max: Math.max(...xs), basedOn: xs.length });
    return { fee: stat(rows.map((r) => r.fee)), deposit: stat(rows.map((r) => r.deposit)) };
  }

  /**
   * The draft without an LLM: extractive, never a copy of the form. The title names the thing (the
   * category, with any size or capacity the member wrote, e.g. "4인용"); the description keeps the
   * member's own words as sentences and adds what a borrower wants to read, not the fee, deposit or
   * category the form already shows.
   */
  function templateDraft(input: SuggestInput, category: CategoryGuess | undefined) {
    const hint = (input.hint ?? '').trim();
    const words = `${input.title} ${input.content} ${hint}`;
    const specs = [...new Set(words.match(/\d+(?:\.\d+)?\s?(?:인용|인|m|cm|mm|L|리터|kg|인치|단|구)(?![가-힣a-zA-Z])/g) ?? [])].slice(0, 2);
    const thing = category?.name ?? '물건';
    const title = input.title.trim() || `${[...specs, thing].join(' ')} 빌려드려요`.slice(0, 40);
    const sentence = (t: string) => (/[.!?요다]$/.test(t) ? t : `${t}.`);
    const own = (input.content.trim() || hint).split(/\n+|(?<=[.!?])\s+/).map((t) => t.trim()).filter(Boolean).map(sentence);
    const lines = [
      own.length ? own.join(' ') : `${thing}${josa.pick(thing, '을/를')} 필요한 날만 빌려드려요.`,
      '빌려 가실 때 상태와 구성품을 함께 확인하고, 돌려받을 때도 같이 확인해요.',
      '궁금한 점은 채팅으로 편하게 물어보세요.',
    ];
    return { title, content: lines.join('\n'), source: 'template' as const };
  }

  async function llmDraft(input: SuggestInput, category: CategoryGuess | undefined, fee: Suggestion['fee'], deposit: Suggestion['deposit']) {
    if (!deps.llm) return null;
    const images = (input.images ?? []).slice(0, 3);
    const facts = [
      input.title && `제목 초안: ${input.title}`,
      input.content && `설명 초안: ${input.content}`,
      input.hint && `힌트: ${input.hint}`,
      category && `추천 카테고리: ${category.path}`,
      fee && `비슷한 물건의 하루 대여료 중앙값: ${fee.suggested}원`,
      deposit && `보증금 중앙값: ${deposit.suggested}원`,
    ].filter(Boolean).join('\n');
    const text = `이웃 간 물건 대여 게시글을 한국어로 써 줘. 사진과 정보에 없는 사실(브랜드, 상태)은 지어내지 마. JSON으로만 답해: {"title": "40자 이내", "content": "3~6문장"}\n${facts}`;
    const content: ChatMessage['content'] = images.length
      ? [{ type: 'text', text }, ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))]
      : text;
    try {
      const reply = parseJsonReply(await deps.llm.complete([{ role: 'user', content }], { json: true, vision: images.length > 0, maxTokens: 700 }));
      if (typeof reply?.title !== 'string' || typeof reply?.content !== 'string' || !reply.title.trim()) return null;
      return { title: reply.title.trim().slice(0, 100), content: reply.content.trim().slice(0, 5000), source: 'llm' as const };
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'LLM draft failed; template draft');
      return null;
    }
  }

  async function suggest(input: SuggestInput): Promise<Suggestion> {
    const text = [input.title, input.content, input.hint].filter(Boolean).join('\n');
    const { guesses, neighbourIds } = text.trim() ? await suggestCategories(text) : { guesses: [], neighbourIds: [] };
    const top = guesses[0];
    const prices = top ? await priceSuggestion(top.id, neighbourIds) : { fee: null, deposit: null };
    // the form asks for suggestions as the user types; only the draft button pays for an LLM call
    const draft = (input.draft ? await llmDraft(input, top, prices.fee, prices.deposit) : null) ?? templateDraft(input, top);
    return { categories: guesses, ...prices, draft, semanticAvailable: await semanticAvailable(deps) };
  }

  return { similar, suggest, suggestCategories };
}
