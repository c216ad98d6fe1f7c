// Why a listing matched, in words a renter understands ("'텐트'가 들어 있어요", "찾는 용도와 비슷해요").
// The numbers (BM25 score, coverage, cosine similarity) stay in the API's match object only.
import { josa } from 'es-hangul';
import type { MatchInfo } from './schemas.ts';

type Match = Pick<MatchInfo, 'keyword' | 'semantic'>;

/** "'텐트'", "'텐트', '랜턴'" — quoted words; the particle follows the last one. */
const quoted = (terms: string[]) => terms.map((t) => `'${t}'`).join(', ');

export function describeMatch(m: Match): { reasons: string[]; reason: string } {
  const reasons: string[] = [];
  if (m.keyword) {
    const fixed = new Set(m.keyword.corrected.map((c) => c.to));
    // as the listing writes them (a term is a stripped stem: '곰팡이' is searched as '곰팡')
    const exact = [...new Set(m.keyword.words.filter((_, i) => !fixed.has(m.keyword!.terms[i])))];
    if (exact.length) {
      const last = exact[exact.length - 1];
      reasons.push(`${quoted(exact)}${josa.pick(last, '이/가')} 들어 있어요`);
    }
    for (const c of m.keyword.corrected) reasons.push(`'${c.from}'${josa.pick(c.from, '을/를')} '${c.to}'${josa.pick(c.to, '으로/로')} 고쳐 찾았어요`);
  }
  if (m.semantic) reasons.push(m.semantic.strength >= 0.5 ? '찾는 용도와 비슷해요' : '찾는 용도와 관련 있어 보여요');
  return { reasons, reason: reasons.join(' · ') };
}
