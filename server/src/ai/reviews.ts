// Review summary provider hook (used by the reviews module): an LLM summary when configured,
// otherwise an extractive one built from the reviews themselves. Never throws for LLM trouble.
import type { ChatLLM } from './types.ts';

export interface ReviewInput {
  rating: number; // 1..5
  content: string;
}

export interface ReviewSummary {
  summary: string;
  source: 'llm' | 'extractive' | 'none';
  averageRating: number | null;
  count: number;
}

function extractive(reviews: ReviewInput[], avg: number): string {
  const sorted = [...reviews].filter((r) => r.content.trim()).sort((a, b) => b.rating - a.rating || b.content.length - a.content.length);
  const best = sorted[0];
  const worst = sorted.length > 1 ? sorted[sorted.length - 1] : null;
  const clip = (s: string) => (s.length > 80 ? s.slice(0, 79) + '…' : s);
  const parts = [`후기 ${reviews.length}개, 평균 별점 ${avg.toFixed(1)}점.`];
  if (best) parts.push(`좋았던 점: "${clip(best.content.trim())}"`);
  if (worst && worst.rating < best!.rating) parts.push(`아쉬운 점: "${clip(worst.content.trim())}"`);
  return parts.join(' ');
}

export async function summarizeReviews(llm: ChatLLM | null, reviews: ReviewInput[]): Promise<ReviewSummary> {
  if (!reviews.length) return { summary: '아직 후기가 없습니다.', source: 'none', averageRating: null, count: 0 };
  const avg = reviews.reduce((s, r) => s + r.rating, 0) / reviews.length;
  const base = { averageRating: Math.round(avg * 10) / 10, count: reviews.length };
  if (llm) {
    try {
      const text = await llm.complete(
        [
          { role: 'system', content: '대여 서비스 후기들을 한국어 2문장 이내로 요약한다. 후기에 없는 내용은 쓰지 않는다. 요약문만 답한다.' },
          { role: 'user', content: reviews.slice(0, 50).map((r) => `(${r.rating}점) ${r.content.slice(0, 300)}`).join('\n') },
        ],
        { maxTokens: 200 },
      );
      const summary = text.trim();
      if (summary && summary.length <= 600) return { summary, source: 'llm', ...base };
    } catch {
      /* extractive below */
    }
  }
  return { summary: extractive(reviews, avg), source: 'extractive', ...base };
}
