// "Is this vector hit a match at all?" — decided from the embedder's own score distribution, never a
// hand-picked cosine floor.
//
// A calibrated embedder (the built-in one) ships `calibration`, fitted when it was trained: the mean
// and spread of cosine similarities of unrelated (query, listing) pairs and a high percentile of
// that null distribution as `minSimilarity`. An embedder without one (an external API) is
// calibrated here from the vectors already stored: listings of different top-level categories are
// unrelated by construction, so the similarities of (one listing's title as a query, another
// category's stored listing vector) over a sample of up to SAMPLE listings are the null distribution,
// and its NULL_QUANTILE quantile is the floor (from a normal fit while there are few pairs).
// Cached per database and embedder for CACHE_MS; too few stored vectors → null (no semantic-only hits).
import type { Deps } from '../../deps.ts';
import { embedderFor } from '../../ai/embedder.ts';
import { searchRepository } from './repository.ts';

export interface Calibration {
  nullMean: number;
  nullStd: number;
  minSimilarity: number;
  source: 'embedder' | 'stored-vectors';
}

const SAMPLE = 300;
/** fewer cross-category pairs than this cannot estimate a 99.9th percentile: a normal fit is used */
const EMPIRICAL_PAIRS = 2_000;
/** fewer pairs than this say nothing (about 12 listings in 3 top categories) */
const MIN_PAIRS = 45;
/** one unrelated pair in a thousand passes the floor */
export const NULL_QUANTILE = 0.999;
/** the same quantile of a normal distribution, in standard deviations */
const NULL_Z = 3.09;
const CACHE_MS = 10 * 60_000;

const cache = new WeakMap<object, { key: string; at: number; value: Promise<Calibration | null> }>();

/** The floor and null statistics for the configured embedder, or null when they cannot be known yet. */
export function calibrationFor(deps: Deps): Promise<Calibration | null> {
  const embedder = embedderFor(deps.config);
  if (embedder.calibration) return Promise.resolve({ ...embedder.calibration, source: 'embedder' });
  const now = deps.clock.now().getTime();
  const hit = cache.get(deps.db);
  if (hit && hit.key === embedder.id && now - hit.at < CACHE_MS) return hit.value;
  const value = deriveFromStoredVectors(deps).catch((err) => {
    deps.log.warn({ err: (err as Error).message }, 'search calibration failed');
    return null;
  });
  cache.set(deps.db, { key: embedder.id, at: now, value });
  // an unknown calibration is asked again on the next search, not cached for ten minutes
  void value.then((c) => { if (!c) cache.delete(deps.db); });
  return value;
}

export function nullStatistics(sims: number[]): { mean: number; std: number; quantile: (q: number) => number } {
  const mean = sims.reduce((s, x) => s + x, 0) / sims.length;
  const std = Math.sqrt(sims.reduce((s, x) => s + (x - mean) ** 2, 0) / sims.length);
  const sorted = [...sims].sort((a, b) => a - b);
  return { mean, std, quantile: (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] };
}

async function deriveFromStoredVectors(deps: Deps): Promise<Calibration | null> {
  const embedder = embedderFor(deps.config);
  const rows = await searchRepository(deps.db).calibrationSample(embedder.dimensions, embedder.id, SAMPLE);
  if (new Set(rows.map((r) => r.top)).size < 2) return null;
  // Queries are short; listing texts carry shared boilerplate (fee, methods, region) that makes two
  // listings look alike. So the pseudo-queries are the sampled listings' titles, embedded now, and the
  // null pairs are (title of one listing, stored vector of a listing of another top category).
  const queries: number[][] = [];
  for (let i = 0; i < rows.length; i += 64) queries.push(...(await embedder.embed(rows.slice(i, i + 64).map((r) => r.title))));
  const unit = (v: number[]) => {
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };
  const docs = rows.map((r) => unit(JSON.parse(r.v) as number[]));
  const qs = queries.map(unit);
  const sims: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < rows.length; j++) {
      if (rows[i].top === rows[j].top) continue;
      let dot = 0;
      const a = qs[i];
      const b = docs[j];
      for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
      sims.push(dot);
    }
  }
  if (sims.length < MIN_PAIRS) return null;
  const s = nullStatistics(sims);
  const floor = sims.length >= EMPIRICAL_PAIRS ? s.quantile(NULL_QUANTILE) : s.mean + NULL_Z * s.std;
  return { nullMean: s.mean, nullStd: s.std, minSimilarity: floor, source: 'stored-vectors' };
}
