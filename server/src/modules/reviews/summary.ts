// Review summary texts: an LLM summary when one is configured, an extractive one otherwise.
import type { ChatLLM } from '../../ai/types.ts';

export interface SummaryInput {
  comment: string;
  equipmentScore: number;
  kindnessScore: number;
  responseScore: number;
}

export interface Averages {
  equipment: number;
  kindness: number;
  response: number;
  overall: number;
}

const ASPECTS: [keyof Omit<Averages, 'overall'>, string][] = [
  ['equipment', '장비 상태'],
  ['kindness', '친절도'],
  ['response', '응답 속도'],
];

const MAX_AI_REVIEWS = 60;
const MAX_SUMMARY_CHARS = 600;

/** Asks the LLM for a short Korean summary grounded in the given reviews only. */
export async function aiSummary(llm: ChatLLM, reviews: SummaryInput[], averages: Averages, count: number): Promise<string> {
  const lines = reviews
    .slice(0, MAX_AI_REVIEWS)
    .map((r, i) => `${i + 1}. [장비 ${r.equipmentScore} / 친절 ${r.kindnessScore} / 응답 ${r.responseScore}] ${r.comment.replace(/\s+/g, ' ').slice(0, 400)}`);
  const text = await llm.complete(
    [
      {
        role: 'system',
        content:
          '너는 이웃 간 물건 대여 플랫폼 "취밋"의 리뷰 요약 도우미다. 주어진 리뷰에 있는 내용만 근거로, ' +
          '빌리려는 사람에게 도움이 되도록 장점과 아쉬운 점을 한국어 2~3문장으로 요약하라. ' +
          '리뷰에 없는 사실을 지어내지 말고, 개인 정보나 닉네임은 쓰지 마라. 요약문만 출력하라.',
      },
      {
        role: 'user',
        content:
          `리뷰 ${count}개, 평균 ${averages.overall}점 (장비 상태 ${averages.equipment}, 친절도 ${averages.kindness}, 응답 속도 ${averages.response}).\n` +
          `최근 리뷰:\n${lines.join('\n')}`,
      },
    ],
    { maxTokens: 300 },
  );
  const cleaned = text.trim().replace(/^["“]|["”]$/g, '').trim();
  if (!cleaned) throw new Error('empty LLM summary');
  return cleaned.length > MAX_SUMMARY_CHARS ? `${cleaned.slice(0, MAX_SUMMARY_CHARS - 1)}…` : cleaned;
}

/** The averages in words plus the most representative sentences (those sharing the most wording with the rest). */
export function extractiveSummary(reviews: SummaryInput[], averages: Averages, count: number): string {
  const parts = [`리뷰 ${count}개, 평균 ${averages.overall}점 (${ASPECTS.map(([k, name]) => `${name} ${averages[k]}`).join(', ')}).`];
  parts.push(
    averages.overall >= 4.5
      ? '대부분 매우 만족했습니다.'
      : averages.overall >= 3.5
        ? '대체로 만족했습니다.'
        : averages.overall >= 2.5
          ? '평가가 엇갈립니다.'
          : '아쉬웠다는 평가가 많습니다.',
  );
  const sorted = [...ASPECTS].sort((a, b) => averages[b[0]] - averages[a[0]]);
  const [best, worst] = [sorted[0], sorted[sorted.length - 1]];
  if (averages[best[0]] > averages[worst[0]]) {
    if (averages[best[0]] >= 4) parts.push(`특히 ${best[1]}에 대한 평가가 좋습니다.`);
    if (averages[worst[0]] < 3.5) parts.push(`${topic(worst[1])} 아쉽다는 의견이 있습니다.`);
  }
  const picked = representativeSentences(reviews.map((r) => r.comment), 2);
  if (picked.length) parts.push(`자주 나온 이야기: ${picked.map((s) => `“${s}”`).join(' ')}`);
  return parts.join(' ');
}

/** the topic particle 은/는 chosen by the last syllable's final consonant */
function topic(word: string): string {
  const code = word.charCodeAt(word.length - 1) - 0xac00;
  const hasFinal = code >= 0 && code < 11172 && code % 28 !== 0;
  return word + (hasFinal ? '은' : '는');
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?。~])\s+|[\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/[^0-9A-Za-z가-힣]/g, '').length >= 4);
}

/** character bigrams of letters and digits: works for Korean without a morphological analyser */
function bigrams(s: string): Set<string> {
  const letters = s.toLowerCase().replace(/[^0-9a-z가-힣]/g, '');
  const out = new Set<string>();
  for (let i = 0; i < letters.length - 1; i++) out.add(letters.slice(i, i + 2));
  return out;
}

export function representativeSentences(comments: string[], howMany: number, maxChars = 60): string[] {
  const sentences = comments.flatMap(sentencesOf);
  const grams = sentences.map(bigrams);
  const df = new Map<string, number>();
  for (const g of grams) for (const b of g) df.set(b, (df.get(b) ?? 0) + 1);
  // Score: how much of a sentence's wording recurs in other sentences, normalised against length.
  const scored = sentences.map((s, i) => {
    let shared = 0;
    for (const b of grams[i]) shared += (df.get(b) ?? 1) - 1;
    return { s, i, score: grams[i].size ? shared / Math.sqrt(grams[i].size) : 0 };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const chosen: { s: string; g: Set<string> }[] = [];
  for (const c of scored) {
    if (chosen.length >= howMany) break;
    const g = grams[c.i];
    const nearDuplicate = chosen.some((x) => jaccard(x.g, g) > 0.5);
    if (!nearDuplicate) chosen.push({ s: c.s, g });
  }
  return chosen.map(({ s }) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union ? inter / union : 0;
}
