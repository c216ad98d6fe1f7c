// The keyword branch of search: Korean-aware query terms, BM25 weights, typo tolerance.
//
// Terms: the query's words, lower-cased, with particles and common verb endings stripped
// ('텐트를' → '텐트', '찍으려고' → '찍' → dropped as too short), stopwords out.
// Matching: a listing contains a term when its title or content contains it (ILIKE, served by the
// stored character bigrams of migration 200, GIN-indexed — listing text keeps its particles, so substring
// containment is what meets '텐트' in '텐트를').
// Weights: BM25 (k1 1.2, b 0.75) with the title counted twice; a term's IDF comes from how many
// listings contain it, so a generic word (여행, 장비) found in thousands of listings weighs little
// beside a specific one (랜턴). `coverage` is the share of the query's IDF mass a listing matched —
// the keyword branch's strength in the fusion (service.ts).
// Typos: a term no listing contains is replaced by the closest title word (search_vocab, migration
// 100) when their jamo differ by at most one edit per two syllables ('탠트' → '텐트').
// Bounded: the listings containing every term, then — only when they cannot fill the answer — each
// term, contribute at most CANDIDATES_WITH_EVERY_TERM and CANDIDATES_PER_TERM candidates (a word found
// everywhere gets no set of its own in a longer query: ownSetTerms), filters applied in the same SQL,
// and the branch returns at most `limit` hits, ranked by the share of the query they match, then BM25.
// Candidates come from plain SQL over built-in functions and pg_trgm, and BM25 is computed here in
// JavaScript from their text, so PGlite and a server PostgreSQL rank identically.
import { disassemble } from 'es-hangul';
import type { Database, Queryable } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { stem, words } from '../../ai/korean-text.ts';
import { searchRepository, type CandidateText } from './repository.ts';

/** Candidates: each is found, filtered and read, so these bound the branch's cost (it returns at most
 *  KEYWORD_LIMIT, 100, hits). The listings with every term (of a one-word query: with the word) — the
 *  ones ranked first — up to CANDIDATES_WITH_EVERY_TERM; for a query of several terms whose every-term
 *  listings are fewer than the hits asked for, also up to CANDIDATES_PER_TERM with each term: all of a
 *  rare term's listings, an arbitrary subset of a common one's, which rank low anyway (100k bench, 50
 *  instead of 100: hybrid p50 17 → 15 ms) */
export const CANDIDATES_WITH_EVERY_TERM = 100;
export const CANDIDATES_PER_TERM = 50;
/** document frequencies are counted up to this many listings; more is "everywhere" */
export const DF_CAP = 5_000;
const BM25_K1 = 1.2;
const BM25_B = 0.75;
const TITLE_WEIGHT = 2;
const MAX_TERMS = 8;
/** how long a term's document frequency and the corpus size are reused: BM25 needs only their order of
 *  magnitude, which a catalogue's growth moves slowly, and a common term's count reads up to DF_CAP
 *  listings (100k bench: 25–30 ms for 캠핑, 여행, 주말; 15 ms for 자전거) — recounted every minute, 300
 *  popular terms at ~20 ms would take a tenth of the embedded database's time. A term found nowhere is
 *  never cached (documentFrequencies). */
const TERM_STATS_TTL_MS = 10 * 60_000;
/** how long a typo's correction is reused */
const TYPO_TTL_MS = 60_000;
const TERM_CACHE_SIZE = 5_000;

// Words that say nothing about the thing wanted; they only add keyword noise.
const STOPWORDS = new Set(['필요한', '필요', '필요해', '필요해요', '거', '것', '때', '좀', '있는', '하는', '갈', '할', '수', '및', '등', '관련', '추천',
  '빌릴', '빌려', '빌리', '빌리고', '빌려요', '빌려주세요', '대여', '싶은', '싶어', '싶어요', '싶다', '어디', '뭐', '무엇', '있어요', '없어요', '주세요', '해요',
  '하고', '해서', '그냥', '정말', '너무', '진짜', '같은', '용품', '물건']);

// Verb/adjective endings to strip after stem() has taken one particle; longest first. Not the noun-making
// '-기': in a rental catalogue a word ending in 기 is mostly a machine (청소기, 제습기, 건조기), and
// '청소기' cut to '청소' matched every listing that mentions cleaning.
// The 하다 forms ('이사할', '이사해요', '촬영하러') leave the noun they were made from.
const ENDINGS = ['하려는데', '으려는데', '하려고', '하는데', '하기', '해야', '했어요', '할때', '려는데', '으려고', '으려', '려고', '는데', '어야', '아야',
  '어요', '아요', '으면', '으니', '니까', '해요', '하면', '해서', '하러', '하게', '했던', '할', '한', '해', '는', '을', '를'];

function stripEnding(w: string): string {
  for (const e of ENDINGS) {
    // a one-letter ending must leave two letters ('마을' stays), a longer one may leave one ('찍으려고' → '찍')
    if (w.length >= e.length + (e.length === 1 ? 2 : 1) && w.endsWith(e)) return w.slice(0, -e.length);
  }
  return w;
}

export interface QueryWords {
  /** keyword terms: lower-cased, particles/endings stripped, stopwords out, ≤ 8 */
  terms: string[];
  /** words that mean something but are one letter once stripped ('차에서' → '차', '뚫을' → '뚫'): too
   *  short to find by substring, they still count in the query's mass (keywordRank's coverage) */
  short: number;
}

/** The query's keyword terms, and how many of its meaningful words are too short to be one. */
export function queryWords(q: string): QueryWords {
  const terms: string[] = [];
  let short = 0;
  for (const w of words(q)) {
    if (STOPWORDS.has(w)) continue;
    const bare = stripEnding(w);
    const t = (bare !== w ? bare : stripEnding(stem(w))).replace(/[\\%_]/g, '');
    if (!t || STOPWORDS.has(t)) continue;
    if (Array.from(t).length < 2) {
      short++;
      continue;
    }
    if (!terms.includes(t)) terms.push(t);
    if (terms.length === MAX_TERMS) break;
  }
  return { terms, short };
}

/** Keyword terms of a query (queryWords' terms). */
export const queryTerms = (q: string): string[] => queryWords(q).terms;

/** Levenshtein distance over Hangul jamo (es-hangul's disassemble): '탠트'/'텐트' → 1. */
export function jamoDistance(a: string, b: string): number {
  const x = Array.from(disassemble(a));
  const y = Array.from(disassemble(b));
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/** How many jamo edits a word of this many characters may be off by: 1 per 2 syllables, at least 1. */
export const typoBudget = (term: string) => Math.max(1, Math.floor(Array.from(term).length / 2));

export interface QueryTerm {
  /** the term searched for (after a typo correction) */
  term: string;
  /** what the query said, when it was corrected */
  typedAs: string | null;
  /** listings containing it (capped at DF_CAP) */
  df: number;
  idf: number;
}

export interface KeywordHit {
  id: number;
  /** BM25 score */
  bm25: number;
  /** share of the query's IDF mass matched, 0..1 */
  coverage: number;
  /** matched terms */
  terms: string[];
  /** each matched term as the listing's title writes it (titleWord), for the reasons shown to people */
  words: string[];
}

interface CorpusStats {
  n: number;
  avgLen: number;
}

const corpusCache = new WeakMap<object, Map<string, CorpusStats & { at: number }>>();
const dfCache = new WeakMap<object, Map<string, { df: number; at: number }>>();
/** a word no listing contains → its closest title word: asked again on every search of it otherwise
 *  (a trigram scan of the vocabulary, ~3 ms at 100k, the slowest part of such a query) */
const typoCache = new WeakMap<object, Map<string, { fixed: string | null; at: number }>>();

/** A per-database map of answers younger than `ttlMs`, bounded (oldest out first). */
function cached<V>(caches: WeakMap<object, Map<string, V & { at: number }>>, db: object, ttlMs: number) {
  let map = caches.get(db);
  if (!map) {
    map = new Map();
    caches.set(db, map);
  }
  return {
    get: (key: string, now: number): V | undefined => {
      const c = map.get(key);
      return c && now - c.at < ttlMs ? c : undefined;
    },
    set(key: string, value: V, now: number) {
      if (map.size >= TERM_CACHE_SIZE) map.delete(map.keys().next().value!);
      map.set(key, { ...value, at: now });
    },
  };
}

/** Listing count and mean text length (reused for TERM_STATS_TTL_MS). */
async function corpusStats(db: Database, now = Date.now()): Promise<CorpusStats> {
  const cache = cached<CorpusStats>(corpusCache, db, TERM_STATS_TTL_MS);
  const hit = cache.get('', now);
  if (hit) return hit;
  const row = await searchRepository(db).corpusStats();
  const stats = { n: row.n, avgLen: row.avgLen ?? 100 };
  cache.set('', stats, now);
  return stats;
}

async function documentFrequencies(db: Database, terms: string[], now = Date.now()): Promise<Map<string, number>> {
  const cache = cached<{ df: number }>(dfCache, db, TERM_STATS_TTL_MS);
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const t of terms) {
    const c = cache.get(t, now);
    if (c) out.set(t, c.df);
    else missing.push(t);
  }
  if (missing.length) {
    await db.transaction(async (tx) => {
      const repo = searchRepository(tx);
      await repo.useBitmapScans();
      for (const t of missing) {
        const df = await repo.documentFrequency(t, DF_CAP);
        out.set(t, df);
        // a term found nowhere is not cached: the next listing containing it must be findable at once
        // (a cached 0 hid new listings from search and from keyword alerts for a minute)
        if (df === 0) continue;
        cache.set(t, { df }, now);
      }
    });
  }
  return out;
}

/** correctTypo, remembered for a minute per database (the vocabulary changes with new titles only). */
async function cachedCorrection(db: Database, term: string, now = Date.now()): Promise<string | null> {
  const cache = cached<{ fixed: string | null }>(typoCache, db, TYPO_TTL_MS);
  const hit = cache.get(term, now);
  if (hit) return hit.fixed;
  const fixed = await correctTypo(db, term);
  cache.set(term, { fixed }, now);
  return fixed;
}

/** The closest known title word to a term nobody wrote, within the typo budget; null if none. */
export async function correctTypo(q: Queryable, term: string): Promise<string | null> {
  const rows = await searchRepository(q).typoCandidates(term);
  const budget = typoBudget(term);
  let best: { term: string; d: number; sim: number } | null = null;
  for (const r of rows) {
    const d = jamoDistance(term, r.term);
    if (d > budget) continue;
    if (!best || d < best.d || (d === best.d && r.sim > best.sim)) best = { term: r.term, d, sim: r.sim };
  }
  return best?.term ?? null;
}

const bm25Idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** The query's terms with their weights; a term found nowhere is corrected when a close word exists. */
export async function weighTerms(db: Database, raw: string[]): Promise<QueryTerm[]> {
  if (!raw.length) return [];
  const { n } = await corpusStats(db);
  const df = await documentFrequencies(db, raw);
  const out: QueryTerm[] = [];
  for (const t of raw) {
    let term = t;
    let typedAs: string | null = null;
    let count = df.get(t) ?? 0;
    if (count === 0) {
      const fixed = await cachedCorrection(db, t);
      if (fixed) {
        const fixedDf = (await documentFrequencies(db, [fixed])).get(fixed) ?? 0;
        if (fixedDf > 0) {
          term = fixed;
          typedAs = t;
          count = fixedDf;
        }
      }
    }
    if (out.some((o) => o.term === term)) continue;
    out.push({ term, typedAs, df: count, idf: bm25Idf(Math.max(n, count), count) });
  }
  return out;
}

/** BM25 parameters (k1, b), the title's weight and the corpus's mean length. */
export interface Bm25Params {
  k1: number;
  b: number;
  titleWeight: number;
  avgLen: number;
}

export interface Bm25Row {
  id: number;
  bm25: number;
  /** IDF mass of the matched terms */
  matched: number;
  terms: string[];
}

/** Non-overlapping occurrences of `term` in `text`. */
function occurrences(text: string, term: string): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

/** Length in characters (code points, as PostgreSQL's char_length counts; a string's iterator yields them). */
const charLength = (s: string) => [...s].length;

/**
 * BM25 of the candidates for the weighted terms, best first (at most `limit`; listings matching no
 * term left out). A term's tf counts the title titleWeight times; the length is title + content.
 * Best first as the fusion ranks keyword hits: by the IDF mass matched (their coverage), then BM25.
 */
export function bm25Scores(docs: CandidateText[], terms: { term: string; idf: number }[], p: Bm25Params, limit: number): Bm25Row[] {
  const rows: Bm25Row[] = [];
  for (const d of docs) {
    const title = d.title.toLowerCase();
    const content = d.content.toLowerCase();
    const norm = p.k1 * (1 - p.b + (p.b * (charLength(d.title) + charLength(d.content))) / p.avgLen);
    let bm25 = 0;
    let matched = 0;
    const found: string[] = [];
    for (const t of terms) {
      const tf = p.titleWeight * occurrences(title, t.term) + occurrences(content, t.term);
      if (tf === 0) continue;
      bm25 += (t.idf * tf * (p.k1 + 1)) / (tf + norm);
      matched += t.idf;
      found.push(t.term);
    }
    if (found.length) rows.push({ id: d.id, bm25, matched, terms: found });
  }
  return rows.sort((a, b) => b.matched - a.matched || b.bm25 - a.bm25 || a.id - b.id).slice(0, limit);
}

/** The terms of a several-term query that bring candidates of their own: not a word found everywhere
 *  (DF_CAP listings or more) — 50 arbitrary ones of its thousands carry no signal, and its GIN scan reads
 *  all of them; it still counts in the every-term set and in each candidate's BM25 — but at least the
 *  rarest term, so a query of common words alone still has candidates beyond the every-term set. */
export function ownSetTerms(terms: QueryTerm[]): QueryTerm[] {
  const specific = terms.filter((t) => t.df < DF_CAP);
  return specific.length ? specific : [terms.reduce((a, b) => (b.df < a.df ? b : a))];
}

/**
 * BM25's candidates under the filters: up to CANDIDATES_WITH_EVERY_TERM listings with every term and,
 * only when those cannot fill the `limit` hits asked for, up to CANDIDATES_PER_TERM with each term of
 * ownSetTerms. A listing with only some of the terms ranks below every listing with all of them (hits
 * are ranked by the IDF mass they match), so once those fill the answer the per-term sets — the
 * costliest part of a common word's search — would be read for nothing. Runs the bitmap-only
 * setting: call inside a transaction.
 */
export async function keywordCandidates(tx: Queryable, terms: QueryTerm[], where: Sql[], limit: number): Promise<CandidateText[]> {
  const repo = searchRepository(tx);
  await repo.useBitmapScans();
  const every = await repo.candidateSets([{ terms: terms.map((t) => t.term), limit: CANDIDATES_WITH_EVERY_TERM }], where);
  if (terms.length === 1 || every.length >= limit) return every;
  const some = await repo.candidateSets(ownSetTerms(terms).map((t) => ({ terms: [t.term], limit: CANDIDATES_PER_TERM })), where);
  // a listing in several sets is scored once
  const seen = new Set<number>();
  return [...every, ...some].filter((d) => !seen.has(d.id) && seen.add(d.id));
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The title's word that holds the term, as written there ('곰팡' → '곰팡이', '드릴' → '전동드릴'), else
 *  the term: a term is a stripped stem, and shown alone it can read as no word at all. Widens the
 *  term's first occurrence to the letters around it (splitting every title into words took ~7× as
 *  long: 0.35 ms a search of 100 hits and 3 terms). */
export function titleWord(title: string, term: string): string {
  const at = title.toLowerCase().indexOf(term);
  if (at < 0) return term;
  let start = at;
  let end = at + term.length;
  while (start > 0 && WORD_CHAR.test(title[start - 1])) start--;
  while (end < title.length && WORD_CHAR.test(title[end])) end++;
  return title.slice(start, end);
}

/** Listings containing the terms under the filters, best first (at most `limit`; see bm25Scores).
 *  Coverage is over the query's whole mass: its terms' IDF, and each of its `short` words (queryWords)
 *  weighed as its terms' mean — '차에서 자는 여행' is not fully answered by every listing that says 여행. */
export async function keywordRank(db: Database, terms: QueryTerm[], where: Sql[], limit: number, short = 0): Promise<KeywordHit[]> {
  const found = terms.filter((t) => t.df > 0);
  if (!found.length) return [];
  const { avgLen } = await corpusStats(db);
  const meanIdf = terms.reduce((s, t) => s + t.idf, 0) / terms.length;
  const totalIdf = meanIdf * (terms.length + short);
  const docs = await db.transaction((tx) => keywordCandidates(tx, found, where, limit));
  const rows = bm25Scores(docs, found, { k1: BM25_K1, b: BM25_B, titleWeight: TITLE_WEIGHT, avgLen }, limit);
  const titles = new Map(docs.map((d) => [d.id, d.title]));
  return rows.map((r) => ({
    id: r.id, bm25: r.bm25, coverage: totalIdf > 0 ? r.matched / totalIdf : 0, terms: r.terms,
    words: r.terms.map((t) => titleWord(titles.get(r.id)!, t)),
  }));
}
