// Korean text helpers shared by the local embedder and keyword search: normalisation,
// Hangul jamo decomposition, particle (josa) stripping, character n-grams.

const SBASE = 0xac00;
const SCOUNT = 11172;
const LEADS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
const VOWELS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
const TAILS = ['', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

export function isHangulSyllable(ch: string): boolean {
  const c = ch.charCodeAt(0) - SBASE;
  return c >= 0 && c < SCOUNT;
}

/** '캠핑' → 'ㅋㅐㅁㅍㅣㅇ'; other characters pass through. */
export function toJamo(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0) - SBASE;
    if (c >= 0 && c < SCOUNT) {
      out += LEADS[Math.floor(c / 588)] + VOWELS[Math.floor((c % 588) / 28)] + TAILS[c % 28];
    } else out += ch;
  }
  return out;
}

/** Lower-cased words of letters/digits (Hangul, Latin, digits); punctuation splits words. */
export function words(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// Common particles and endings, longest first. Stripping them lets '텐트를' and '텐트가' meet.
const SUFFIXES = [
  '에서부터', '으로부터', '에게서', '까지는', '에서는', '으로는', '이라고', '하고있다', '하고', '있다', '이다', '에서',
  '에게', '으로', '부터', '까지', '처럼', '보다', '라고', '하는', '하다', '한다', '했다', '되는', '된다', '에는', '와는', '과는',
  '들이', '들을', '들은', '들의', '들과', '들', '은', '는', '이', '가', '을', '를', '의', '에', '와', '과', '도', '로', '만', '고', '며', '서', '요',
];

/** A crude stem: the word without one trailing particle/ending when the rest keeps ≥ 1 syllable. */
export function stem(word: string): string {
  for (const s of SUFFIXES) {
    if (word.length > s.length && word.endsWith(s)) return word.slice(0, -s.length);
  }
  return word;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Character n-grams of a string (n = min..max), by code point. */
export function charNgrams(s: string, min: number, max: number, out: string[] = [], prefix = ''): string[] {
  if (!SURROGATE.test(s)) {
    // one UTF-16 unit per character (all of Hangul, jamo and Latin): slice the string itself
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= s.length; i++) out.push(prefix + s.slice(i, i + n));
    }
    return out;
  }
  const chars = Array.from(s);
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) out.push(prefix + chars.slice(i, i + n).join(''));
  }
  return out;
}
