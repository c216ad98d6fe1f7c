// The built-in embedder: no network, no model download, tuned for Korean.
//
// A sentence becomes a bag of weighted features — crude stems (particles stripped), character n-grams
// inside words (with word-boundary marks), stem bigrams across word boundaries and Hangul jamo n-grams
// (so '찍다'/'찍는' or '캠핑'/'캠프' share pieces) — weighted by sublinear tf × IDF and hashed into
// buckets. The vector has two parts, each L2-normalised, then mixed (cos = (1−m)·cos_tfidf + m·cos_dense):
//  - a TF-IDF part: buckets projected onto TFIDF_DIMS axes with ±1 signs (sparse random projection,
//    fixed seed), mean corpus direction removed — surface overlap, robust for unseen words;
//  - a learned dense part: each bucket has a DENSE_DIMS vector (int8 with a per-row scale), summed
//    with the same weights — meaning learned contrastively by scripts/train-embedder.ts from Korean
//    paraphrase/NLI/STS pairs and our rental-domain set (server/src/ai/data/), so '곰팡이' can meet
//    '제습기' without sharing a letter.
// All statistics ship in local-embedder-v6.bin.gz (written by `npm run train:embedder`); nothing is
// fetched at run time. The result fits a pgvector column with a cosine index (IVFFlat, migration 280).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Embedder } from './types.ts';
import { charNgrams, isHangulSyllable, stem, toJamo, words } from './korean-text.ts';

// v6: the same weights as v5; the dense part's length says how much the table knows about the text
export const LOCAL_EMBEDDER_VERSION = 6;
export const LOCAL_DIMENSIONS = 512;
export const DENSE_DIMS = 64;
export const TFIDF_DIMS = LOCAL_DIMENSIONS - DENSE_DIMS;
/** hashed buckets of the IDF table */
export const BUCKETS = 1 << 18;
/** hashed buckets of the learned table (fewer: it costs DENSE_DIMS bytes per row) */
export const DENSE_BUCKETS = 1 << 17;
const PROJECTIONS_PER_BUCKET = 4;

export const MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), `local-embedder-v${LOCAL_EMBEDDER_VERSION}.bin.gz`);

/** FNV-1a 32-bit: fast and stable across runs and platforms. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix) so nearby strings spread
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export interface FeatureOptions {
  stemWeight: number;
  /** weight of in-word character n-grams by length 1..4 (boundary marks count as characters) */
  ngramWeights: [number, number, number, number];
  crossWeight: number;
  jamoMin: number;
  jamoMax: number;
  jamoWeight: number;
  /** IDF is raised to this power (> 1 favours rare features) */
  idfPower: number;
}

// Group weights fitted by coordinate ascent on KorSTS train (v4); dev never used.
export const DEFAULT_FEATURES: FeatureOptions = {
  stemWeight: 1.96,
  ngramWeights: [2.8, 1, 0, 0],
  crossWeight: 0.5,
  jamoMin: 2,
  jamoMax: 4,
  jamoWeight: 0.84,
  idfPower: 1.183,
};

/** feature string → group weight; counted occurrences become tf. */
export function extractFeatures(text: string, o: FeatureOptions = DEFAULT_FEATURES): Map<string, { tf: number; w: number }> {
  const feats = new Map<string, { tf: number; w: number }>();
  const add = (f: string, w: number) => {
    const cur = feats.get(f);
    if (cur) cur.tf++;
    else feats.set(f, { tf: 1, w });
  };
  const ws = words(text);
  const stems = ws.map(stem);
  const grams: string[] = [];
  for (let wi = 0; wi < ws.length; wi++) {
    const word = ws[wi], st = stems[wi];
    if (o.stemWeight > 0) add(`s:${st}`, o.stemWeight);
    const marked = `<${word}>`;
    for (let n = 1; n <= 4; n++) {
      const w = o.ngramWeights[n - 1];
      if (w <= 0) continue;
      grams.length = 0;
      charNgrams(n === 1 ? word : marked, n, n, grams, 'c:');
      // a lone Latin letter or digit says nothing (a Hangul syllable does): 'x' must not match 'DJI'
      for (const g of grams) if (n > 1 || isHangulSyllable(g.slice(2))) add(g, w);
    }
    if (o.jamoWeight > 0) {
      grams.length = 0;
      charNgrams(toJamo(st), o.jamoMin, o.jamoMax, grams, 'j:');
      for (const g of grams) add(g, o.jamoWeight);
    }
  }
  if (o.crossWeight > 0) {
    // bigrams of stems across each word boundary
    for (let i = 0; i + 1 < ws.length; i++) add(`b:${stems[i]} ${stems[i + 1]}`, o.crossWeight);
  }
  return feats;
}

/** A text's features as parallel arrays: IDF bucket, learned-table bucket, weight (tf × group × idf). */
export interface FeatureVector {
  bucket: Int32Array;
  dense: Int32Array;
  weight: Float32Array;
}

/** idf ** power per bucket, computed once per IDF table and power (Math.pow per feature was a sixth of embedding) */
const idfPowers = new WeakMap<Float32Array, { power: number; table: Float64Array }>();
function idfPowered(idf: Float32Array, power: number): Float64Array {
  const cached = idfPowers.get(idf);
  if (cached?.power === power) return cached.table;
  const table = new Float64Array(idf.length);
  for (let b = 0; b < idf.length; b++) table[b] = idf[b] ** power;
  idfPowers.set(idf, { power, table });
  return table;
}

export function featureVector(text: string, idf: Float32Array, o: FeatureOptions = DEFAULT_FEATURES): FeatureVector {
  const feats = extractFeatures(text, o);
  const idfPow = idfPowered(idf, o.idfPower);
  const fv: FeatureVector = { bucket: new Int32Array(feats.size), dense: new Int32Array(feats.size), weight: new Float32Array(feats.size) };
  let i = 0;
  for (const [f, { tf, w }] of feats) {
    const h = hash32(f);
    const b = h & (BUCKETS - 1);
    fv.bucket[i] = b;
    fv.dense[i] = h & (DENSE_BUCKETS - 1);
    fv.weight[i] = w * (1 + Math.log(tf)) * idfPow[b];
    i++;
  }
  return fv;
}

let projectionTable: Int32Array | null = null;
/** bucket → PROJECTIONS_PER_BUCKET signed axes (axis+1, negative for −1), built once from fixed seeds. */
function projections(): Int32Array {
  if (projectionTable) return projectionTable;
  const t = new Int32Array(BUCKETS * PROJECTIONS_PER_BUCKET);
  for (let b = 0; b < BUCKETS; b++) {
    for (let k = 0; k < PROJECTIONS_PER_BUCKET; k++) {
      const h = hash32(String(b), 0x9e3779b9 + k * 7919);
      t[b * PROJECTIONS_PER_BUCKET + k] = h & 0x80000000 ? -((h % TFIDF_DIMS) + 1) : (h % TFIDF_DIMS) + 1;
    }
  }
  projectionTable = t;
  return t;
}

/** The TF-IDF part, projected, not normalised. */
export function projectTfidf(fv: FeatureVector, out = new Float32Array(TFIDF_DIMS)): Float32Array {
  const t = projections();
  for (let i = 0; i < fv.bucket.length; i++) {
    const b = fv.bucket[i], w = fv.weight[i];
    for (let k = 0; k < PROJECTIONS_PER_BUCKET; k++) {
      const a = t[b * PROJECTIONS_PER_BUCKET + k];
      if (a > 0) out[a - 1] += w;
      else out[-a - 1] -= w;
    }
  }
  return out;
}

/** Scales v to unit length in place (a zero vector stays zero); returns the old norm. */
export function normalizeInPlace(v: Float32Array): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return n;
}

export interface Calibration {
  nullMean: number;
  nullStd: number;
  minSimilarity: number;
}

export interface LocalModel {
  idf: Float32Array;
  /** mean unit TF-IDF vector of the corpus, removed before normalising (common-direction removal) */
  tfidfMean: Float32Array;
  /** mean unit dense vector of the corpus, removed the same way */
  denseMean: Float32Array;
  /** learned table: DENSE_BUCKETS rows of DENSE_DIMS int8, one float scale per row */
  table: Int8Array;
  scales: Float32Array;
  /** share of the dense part in the cosine (m) */
  denseShare: number;
  /** dense mass (denseMass) at which the dense part keeps its full length; 0: always (v5 behaviour) */
  denseMassRef: number;
  calibration: Calibration;
  meta: Record<string, unknown>;
}

/** The learned part, not normalised. */
export function projectDense(fv: FeatureVector, m: Pick<LocalModel, 'table' | 'scales'>, out = new Float32Array(DENSE_DIMS)): Float32Array {
  for (let i = 0; i < fv.dense.length; i++) {
    const r = fv.dense[i];
    const s = m.scales[r];
    if (s === 0) continue;
    const w = fv.weight[i] * s;
    const base = r * DENSE_DIMS;
    for (let k = 0; k < DENSE_DIMS; k++) out[k] += w * m.table[base + k];
  }
  return out;
}

/** Dense mass from the length of a text's dense sum: that length / |feature weights|. */
function massOf(denseLength: number, fv: FeatureVector): number {
  let w = 0;
  for (let i = 0; i < fv.weight.length; i++) w += fv.weight[i] * fv.weight[i];
  return w === 0 ? 0 : denseLength / Math.sqrt(w);
}

/** How much the learned table says about a text: |dense sum| / |feature weights| (before normalising). */
export function denseMass(fv: FeatureVector, m: Pick<LocalModel, 'table' | 'scales'>): number {
  const d = projectDense(fv, m);
  let n = 0;
  for (let k = 0; k < DENSE_DIMS; k++) n += d[k] * d[k];
  return massOf(Math.sqrt(n), fv);
}

// Each part is normalised, centred (the corpus mean removed) and renormalised, then the two are mixed.
// v6: the dense part keeps a length that says how much the table knows about the text — its dense mass
// over the model's reference (min(1, mass/ref)², ref = what real queries have, fitted by
// scripts/refit-calibration.ts). Before, a text of features the table barely knows (random syllables,
// jamo, key mashes: a few generic jamo/syllable rows) still got a full-length dense part after centring,
// close to many listings (issue 13: 15% of generated nonsense passed the match floor). Such a text now
// keeps its TF-IDF part (its own features: a name the model never saw still matches itself) and a dense
// part near zero. Real text (mass at or above the reference) is unchanged.
export function embedText(text: string, m: LocalModel): Float32Array {
  const fv = featureVector(text, m.idf);
  const t = projectTfidf(fv);
  if (normalizeInPlace(t) > 0) {
    for (let i = 0; i < TFIDF_DIMS; i++) t[i] -= m.tfidfMean[i];
    normalizeInPlace(t);
  }
  const d = projectDense(fv, m);
  const denseLength = normalizeInPlace(d);
  if (denseLength > 0) {
    for (let k = 0; k < DENSE_DIMS; k++) d[k] -= m.denseMean[k];
    normalizeInPlace(d);
    if (m.denseMassRef > 0) {
      const known = Math.min(1, massOf(denseLength, fv) / m.denseMassRef) ** 2;
      for (let k = 0; k < DENSE_DIMS; k++) d[k] *= known;
    }
  }
  const out = new Float32Array(LOCAL_DIMENSIONS);
  const a = Math.sqrt(1 - m.denseShare), b = Math.sqrt(m.denseShare);
  for (let i = 0; i < TFIDF_DIMS; i++) out[i] = a * t[i];
  for (let k = 0; k < DENSE_DIMS; k++) out[TFIDF_DIMS + k] = b * d[k];
  normalizeInPlace(out);
  return out;
}

// File layout (gzip): u32 header length, JSON header {version, denseShare, denseMassRef, calibration, meta},
// then Float32 idf[BUCKETS], Float32 tfidfMean[TFIDF_DIMS], Float32 denseMean[DENSE_DIMS], Float32 scales[DENSE_BUCKETS],
// Int8 table[DENSE_BUCKETS × DENSE_DIMS].
export function writeLocalModel(m: LocalModel, file = MODEL_FILE) {
  const header = Buffer.from(JSON.stringify({ version: LOCAL_EMBEDDER_VERSION, denseShare: m.denseShare, denseMassRef: m.denseMassRef, calibration: m.calibration, meta: m.meta }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const body = Buffer.concat([len, header, f32(m.idf), f32(m.tfidfMean), f32(m.denseMean), f32(m.scales), Buffer.from(m.table.buffer, m.table.byteOffset, m.table.byteLength)]);
  fs.writeFileSync(file, zlib.gzipSync(body, { level: 9 }));
}

/** `anyVersion`: read a weight file of an earlier version (scripts/refit-calibration.ts re-headers it). */
export function loadLocalModel(file = MODEL_FILE, anyVersion = false): LocalModel {
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const hlen = raw.readUInt32LE(0);
  const header = JSON.parse(raw.subarray(4, 4 + hlen).toString('utf8'));
  if (!anyVersion && header.version !== LOCAL_EMBEDDER_VERSION) throw new Error(`${file}: version ${header.version}, expected ${LOCAL_EMBEDDER_VERSION}`);
  let off = 4 + hlen;
  const take = (n: number) => {
    const copy = new Uint8Array(n);
    copy.set(raw.subarray(off, off + n));
    off += n;
    return copy.buffer;
  };
  const idf = new Float32Array(take(BUCKETS * 4));
  const tfidfMean = new Float32Array(take(TFIDF_DIMS * 4));
  const denseMean = new Float32Array(take(DENSE_DIMS * 4));
  const scales = new Float32Array(take(DENSE_BUCKETS * 4));
  const table = new Int8Array(take(DENSE_BUCKETS * DENSE_DIMS));
  if (off !== raw.length) throw new Error(`${file}: ${raw.length - off} unexpected trailing bytes`);
  return { idf, tfidfMean, denseMean, scales, table, denseShare: header.denseShare, denseMassRef: header.denseMassRef ?? 0, calibration: header.calibration, meta: header.meta ?? {} };
}

let cachedModel: LocalModel | null = null;

export function createLocalEmbedder(model?: LocalModel): Embedder & { calibration: Calibration } {
  if (!model) cachedModel ??= loadLocalModel();
  const m = model ?? cachedModel!;
  return {
    id: `local-hangul-learned-v${LOCAL_EMBEDDER_VERSION}-${LOCAL_DIMENSIONS}`,
    dimensions: LOCAL_DIMENSIONS,
    calibration: m.calibration,
    async embed(texts: string[]) {
      return texts.map((t) => Array.from(embedText(t, m)));
    },
  };
}
