// The built-in embedder: no network, no model download, tuned for Korean.
//
// A sentence becomes a bag of weighted features — words, crude stems (particles stripped), character
// n-grams inside words (with word-boundary marks), n-grams across word boundaries and Hangul jamo
// n-grams (so '찍다'/'찍는' or '캠핑'/'캠프' share pieces) — weighted by sublinear tf × IDF.
// Features are hashed into BUCKETS buckets; IDF per bucket ships precomputed from a Korean corpus
// (local-embedder-idf.bin, made by scripts/fit-local-embedder.ts from KorSTS train sentences only).
// Each bucket is projected onto a few of `dimensions` output axes with ±1 signs (a sparse random
// projection with a fixed seed), the mean corpus vector is removed, and the result is L2-normalised,
// so it fits a pgvector column with an HNSW cosine index.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Embedder } from './types.ts';
import { charNgrams, stem, toJamo, words } from './korean-text.ts';
import { conceptsOf } from './concepts.ts';

export const LOCAL_EMBEDDER_VERSION = 4;
export const LOCAL_DIMENSIONS = 512;
export const BUCKETS = 1 << 18;
const PROJECTIONS_PER_BUCKET = 4;

export const IDF_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'local-embedder-idf.bin');

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
  wordWeight: number;
  stemWeight: number;
  /** weight of in-word character n-grams by length 1..4 (boundary marks count as characters) */
  ngramWeights: [number, number, number, number];
  crossWeight: number;
  jamoMin: number;
  jamoMax: number;
  jamoWeight: number;
  /** weight of rental-domain concept features (ai/concepts.ts) */
  conceptWeight: number;
  /** IDF is raised to this power (> 1 favours rare features) */
  idfPower: number;
}

// Group weights fitted by coordinate ascent on KorSTS train (scripts/tune-embedder.ts); dev never used.
export const DEFAULT_FEATURES: FeatureOptions = {
  wordWeight: 0,
  stemWeight: 1.96,
  ngramWeights: [2.8, 1, 0, 0],
  crossWeight: 0.5,
  jamoMin: 2,
  jamoMax: 4,
  jamoWeight: 0.84,
  idfPower: 1.183,
  conceptWeight: 4,
};

/** feature string → group weight; counted occurrences become tf. */
export function extractFeatures(text: string, o: FeatureOptions = DEFAULT_FEATURES): Map<string, { tf: number; w: number }> {
  const feats = new Map<string, { tf: number; w: number }>();
  const add = (f: string, w: number) => {
    if (w <= 0) return;
    const cur = feats.get(f);
    if (cur) cur.tf++;
    else feats.set(f, { tf: 1, w });
  };
  const ws = words(text);
  const grams: string[] = [];
  for (const word of ws) {
    add('w:' + word, o.wordWeight);
    const st = stem(word);
    add('s:' + st, o.stemWeight);
    const marked = Array.from('<' + word + '>');
    for (let n = 1; n <= 4; n++) {
      const w = o.ngramWeights[n - 1];
      if (w <= 0) continue;
      const chars = n === 1 ? marked.slice(1, -1) : marked;
      for (let i = 0; i + n <= chars.length; i++) add('c:' + chars.slice(i, i + n).join(''), w);
    }
    if (o.jamoWeight > 0) {
      grams.length = 0;
      charNgrams(toJamo(st), o.jamoMin, o.jamoMax, grams, 'j:');
      for (const g of grams) add(g, o.jamoWeight);
    }
  }
  if (o.crossWeight > 0) {
    // bigrams of stems across each word boundary
    for (let i = 0; i + 1 < ws.length; i++) {
      add('b:' + stem(ws[i]) + ' ' + stem(ws[i + 1]), o.crossWeight);
    }
  }
  // Concepts keep the same share of a long listing's vector as of a short query: scale with √length.
  if (o.conceptWeight > 0) {
    const scale = o.conceptWeight * Math.max(1, Math.sqrt(feats.size / 40));
    for (const c of conceptsOf(text)) add('k:' + c, scale);
  }
  return feats;
}

export interface LocalModel {
  /** IDF per bucket */
  idf: Float32Array;
  /** mean of corpus vectors, removed before normalising (common-direction removal) */
  mean: Float32Array | null;
}

/** Sparse weighted bag of buckets: bucket → weight. */
export function sparseVector(text: string, idf: Float32Array, o: FeatureOptions = DEFAULT_FEATURES): Map<number, number> {
  const out = new Map<number, number>();
  for (const [f, { tf, w }] of extractFeatures(text, o)) {
    const b = hash32(f) & (BUCKETS - 1);
    out.set(b, (out.get(b) ?? 0) + w * (1 + Math.log(tf)) * (o.idfPower === 1 ? idf[b] : idf[b] ** o.idfPower));
  }
  return out;
}

let projectionTable: Int32Array | null = null;
/** bucket → PROJECTIONS_PER_BUCKET signed axes (axis+1, negative for −1), built once from fixed seeds. */
function projections(dims: number): Int32Array {
  if (projectionTable && projectionTable.length === BUCKETS * PROJECTIONS_PER_BUCKET + 1 && projectionTable[0] === dims) return projectionTable;
  const t = new Int32Array(BUCKETS * PROJECTIONS_PER_BUCKET + 1);
  t[0] = dims;
  for (let b = 0; b < BUCKETS; b++) {
    for (let k = 0; k < PROJECTIONS_PER_BUCKET; k++) {
      const h = hash32(String(b), 0x9e3779b9 + k * 7919);
      t[1 + b * PROJECTIONS_PER_BUCKET + k] = h & 0x80000000 ? -((h % dims) + 1) : (h % dims) + 1;
    }
  }
  return (projectionTable = t);
}

/** Projects a sparse bucket vector onto `dims` axes (fixed seeds), no normalisation. */
export function project(sparse: Map<number, number>, dims: number): Float32Array {
  const v = new Float32Array(dims);
  const t = projections(dims);
  for (const [b, w] of sparse) {
    for (let k = 0; k < PROJECTIONS_PER_BUCKET; k++) {
      const a = t[1 + b * PROJECTIONS_PER_BUCKET + k];
      if (a > 0) v[a - 1] += w;
      else v[-a - 1] -= w;
    }
  }
  return v;
}

export function normalize(v: Float32Array): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return Array.from(v, (x) => x / n);
}

/** The shipped model file: gzip of [Float32 idf × BUCKETS][Float32 mean × LOCAL_DIMENSIONS]. */
export function loadLocalModel(file = IDF_FILE): LocalModel {
  if (!fs.existsSync(file)) return { idf: new Float32Array(BUCKETS).fill(1), mean: null };
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const floats = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const idf = floats.slice(0, BUCKETS);
  const mean = floats.length >= BUCKETS + LOCAL_DIMENSIONS ? floats.slice(BUCKETS, BUCKETS + LOCAL_DIMENSIONS) : null;
  return { idf, mean };
}

export function embedOne(text: string, model: LocalModel, dims = LOCAL_DIMENSIONS, o: FeatureOptions = DEFAULT_FEATURES): number[] {
  const v = project(sparseVector(text, model.idf, o), dims);
  if (model.mean) {
    // remove the common direction: scale the mean to this vector's norm first
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < dims; i++) v[i] = v[i] / n - model.mean[i];
  }
  return normalize(v);
}

let cachedModel: LocalModel | null = null;

export function createLocalEmbedder(): Embedder {
  cachedModel ??= loadLocalModel();
  const model = cachedModel;
  return {
    id: `local-hangul-ngram-v${LOCAL_EMBEDDER_VERSION}-${LOCAL_DIMENSIONS}`,
    dimensions: LOCAL_DIMENSIONS,
    async embed(texts: string[]) {
      return texts.map((t) => embedOne(t, model));
    },
  };
}
