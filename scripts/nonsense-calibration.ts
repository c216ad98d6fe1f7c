// Queries about nothing anyone rents, for the built-in embedder's null loss and its calibration
// (scripts/train-embedder.ts). Generated, deterministic (fixed seed), from training-side sources only:
// random Hangul syllables, jamo runs (ㅋㅋ, ㅠㅠ, random consonants), Latin key mashes, and KorSTS
// train news sentences that share no word stem with the rental data (other topics: economy, politics).
// The tests' nonsense lists, the paraphrases and the held-out search set are never read here.
import { stem, words } from '../server/src/ai/korean-text.ts';
import { mulberry32 } from '../server/src/lib/random.ts';

/** one unrelated query in a thousand may reach the floor against its best listing */
export const NULL_QUANTILE_FIT = 0.999;
const PER_KIND = 1500;

/** Every stem of the rental pairs' queries and listings. */
export function rentalVocabulary(rows: { query: string; listing: string }[]): Set<string> {
  const vocab = new Set<string>();
  for (const r of rows) for (const t of [r.query, r.listing]) for (const w of words(t)) vocab.add(stem(w));
  return vocab;
}

const JAMO = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/** Nonsense and other-topic queries, interleaved by kind (so any i % k split keeps every kind). */
export function nullQueries(sts: { a: string; b: string }[], rentalVocab: ReadonlySet<string>): string[] {
  const rand = mulberry32(990013);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const chars = (alphabet: string | string[], n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  const syllable = () => String.fromCharCode(0xac00 + Math.floor(rand() * 11172));
  const kinds: (() => string)[] = [
    () => Array.from({ length: int(1, 3) }, () => Array.from({ length: int(1, 4) }, syllable).join('')).join(' '),
    () => {
      const j = JAMO[Math.floor(rand() * JAMO.length)];
      return rand() < 0.5 ? j.repeat(int(2, 8)) : chars(JAMO, int(2, 8));
    },
    () => Array.from({ length: int(1, 3) }, () => chars(LATIN, int(3, 10))).join(' '),
  ];
  const news = [...new Set(sts.flatMap((s) => [s.a, s.b]))]
    .filter((s) => words(s).length > 0 && words(s).every((w) => !rentalVocab.has(stem(w))));
  const generated = kinds.map((make) => Array.from({ length: PER_KIND }, make));
  const out: string[] = [];
  for (let i = 0; i < PER_KIND; i++) {
    for (const g of generated) out.push(g[i]);
    if (i < news.length) out.push(news[i]);
  }
  return out;
}
