// Trains the built-in embedder (server/src/ai/local-embedder.ts) and writes the weight file it ships
// (server/src/ai/local-embedder-v<version>.bin.gz; v6 ships v5's weights, recalibrated by refit-calibration.ts).   npm run train:embedder
//
// Deterministic: fixed seed, fixed steps, one thread. Reads the open Korean data in ../shared/data
// (override with EMBEDDER_DATA_DIR): KorSTS train (never dev), paraKQC paraphrase groups, Question_pair
// duplicates, KLUE-NLI (entailment as positives, contradiction as hard negatives), plus our rental-domain
// pairs (server/src/ai/data/rental-pairs.jsonl). The held-out search set is never read.
//
//  1. IDF per hashed bucket and the mean TF-IDF direction, from the training sentences.
//  2. A hashed feature → DENSE_DIMS table, trained with in-batch-negative InfoNCE (hard negatives where
//     the data has them; same-group items are not used as negatives) plus a CoSENT ranking loss on
//     KorSTS scores; row-wise Adagrad.
//  3. The dense share of the cosine, picked on KorSTS train pairs held back from training + a
//     validation slice of the rental pairs.
//  4. int8 quantisation with a per-row scale; rows no training sentence touched stay zero.
//  5. Calibration (scripts/refit-calibration.ts): the dense mass reference (embedText), then the null distribution of similarities of (query, listing)
//     pairs from different top categories (validation queries, never trained on); minSimilarity = its 99.5th percentile.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUCKETS, DENSE_BUCKETS, DENSE_DIMS, LOCAL_EMBEDDER_VERSION, MODEL_FILE, TFIDF_DIMS,
  embedText, featureVector, normalizeInPlace, projectTfidf, writeLocalModel,
  type FeatureVector, type LocalModel,
} from '../server/src/ai/local-embedder.ts';
import { spearman } from '../bench/korsts.ts';
import { fitCalibration, fitDenseMassRef, isValidationQuery as isVal, readRentalRows } from './refit-calibration.ts';
import { mulberry32 } from '../server/src/lib/random.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = process.env.EMBEDDER_DATA_DIR ?? path.resolve(REPO, '../shared/data');

const SEED = 13;
const STEPS = Number(process.env.EMBEDDER_STEPS ?? 2500);
const BATCH = 64;
const STS_BATCH = 32;
const TAU = 0.05;
const COSENT_LAMBDA = 20;
const STS_LOSS_WEIGHT = 1;
const LR = 0.08;

const rand = mulberry32(SEED);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const t0 = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// ---------- data ----------
function readCsv(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
function readSts(name: 'train'): { a: string; b: string; score: number }[] {
  return fs.readFileSync(path.join(DATA_DIR, 'korsts', `sts-${name}.tsv`), 'utf8').split('\n').slice(1)
    .map((l) => l.split('\t')).filter((c) => c.length >= 7).map((c) => ({ score: Number(c[4]), a: c[5], b: c[6] }));
}

interface Pair { a: string; p: string; neg?: string; group: string; src: string }
const sources: Record<string, Pair[]> = { rental: [], parakqc: [], qpair: [], nli: [], sts: [] };

// every 7th KorSTS train pair is kept out of training to pick the dense share (dev is never read)
const stsAll = readSts('train');
const sts = stsAll.filter((_, i) => i % 7 !== 0);
const stsVal = stsAll.filter((_, i) => i % 7 === 0);
for (const [i, s] of sts.entries()) if (s.score >= 4) sources.sts.push({ a: s.a, p: s.b, group: `sts${i}`, src: 'sts' });

const groups = new Map<string, string[]>();
for (const line of fs.readFileSync(path.join(DATA_DIR, 'korean-pairs', 'paraKQC_v1.txt'), 'utf8').split('\n')) {
  const [g, , s] = line.split('\t');
  if (s?.trim()) groups.set(g, [...(groups.get(g) ?? []), s.trim()]);
}
for (const [g, ss] of groups) for (let i = 0; i < ss.length; i++) sources.parakqc.push({ a: ss[i], p: ss[(i + 1 + Math.floor(rand() * (ss.length - 1))) % ss.length], group: `pk${g}`, src: 'parakqc' });

for (const f of ['question_pair_train.csv']) {
  const rows = readCsv(path.join(DATA_DIR, 'korean-pairs', f));
  const h = rows[0];
  const q1 = h.indexOf('question1'), q2 = h.indexOf('question2'), dup = h.indexOf('is_duplicate');
  for (const [i, r] of rows.slice(1).entries()) if (r[dup] === '0' && r[q1] && r[q2]) sources.qpair.push({ a: r[q1], p: r[q2], group: `qp${i}`, src: 'qpair' });
}

const nli = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'korean-pairs', 'klue-nli-dev.json'), 'utf8')) as { premise: string; hypothesis: string; gold_label: string }[];
const contra = new Map<string, string>();
for (const x of nli) if (x.gold_label === 'contradiction') contra.set(x.premise, x.hypothesis);
for (const [i, x] of nli.entries()) if (x.gold_label === 'entailment') sources.nli.push({ a: x.premise, p: x.hypothesis, neg: contra.get(x.premise), group: `nli${i}`, src: 'nli' });

// rental pairs: a tenth of the queries (by hash) are kept aside to pick the mix and check calibration
const rentalRows = readRentalRows();
const rentalVal = rentalRows.filter((r) => isVal(r.query));
for (const r of rentalRows) if (!isVal(r.query)) sources.rental.push({ a: r.query, p: r.listing, neg: r.negative, group: `leaf:${r.leaf}`, src: 'rental' });
const rentalListings = [...new Map(rentalRows.map((r) => [r.listing, r.leaf])).entries()];
log(`${Object.entries(sources).map(([k, v]) => `${k} ${v.length}`).join(', ')}, sts ranking ${sts.length}, rental validation ${rentalVal.length}`);

// ---------- 1. IDF and mean direction ----------
const corpus = [...new Set([...stsAll.flatMap((s) => [s.a, s.b]), ...Object.values(sources).flat().flatMap((p) => [p.a, p.p, p.neg ?? ''])].filter(Boolean))];
const uniform = new Float32Array(BUCKETS).fill(1);
const df = new Float32Array(BUCKETS);
for (const s of corpus) for (const b of new Set(featureVector(s, uniform).bucket)) df[b]++;
const idf = df.map((d) => Math.log((corpus.length + 1) / (d + 1)) + 1);
const tfidfMean = new Float32Array(TFIDF_DIMS);
const fvCache = new Map<string, FeatureVector>();
const fvOf = (s: string) => {
  let f = fvCache.get(s);
  if (!f) {
    f = featureVector(s, idf);
    let n = 0;
    for (const w of f.weight) n += w * w;
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < f.weight.length; i++) f.weight[i] /= n;
    fvCache.set(s, f);
  }
  return f;
};
for (const s of corpus) {
  const v = projectTfidf(fvOf(s));
  normalizeInPlace(v);
  for (let i = 0; i < TFIDF_DIMS; i++) tfidfMean[i] += v[i] / corpus.length;
}
log(`IDF and mean direction from ${corpus.length} sentences`);

// ---------- 2. the dense table ----------
// A feature seen in fewer than MIN_DF training sentences cannot learn a meaning, only noise: its row
// stays zero (and is skipped in training), so unseen and rare strings add nothing to the dense part.
const MIN_DF = 3;
const denseDf = new Uint32Array(DENSE_BUCKETS);
for (const s of corpus) for (const r of new Set(fvOf(s).dense)) denseDf[r]++;
const usable = denseDf.map((d) => (d >= MIN_DF ? 1 : 0));

const E = new Float32Array(DENSE_BUCKETS * DENSE_DIMS);
for (let i = 0; i < E.length; i++) E[i] = (rand() + rand() + rand() - 1.5) * 0.1;
const G = new Float32Array(DENSE_BUCKETS).fill(1e-6);
const touched = new Uint8Array(DENSE_BUCKETS);

interface Fwd { fv: FeatureVector; u: Float32Array; v: Float32Array; norm: number; g: Float32Array }
function forward(s: string): Fwd {
  const fv = fvOf(s);
  const u = new Float32Array(DENSE_DIMS);
  for (let i = 0; i < fv.dense.length; i++) {
    if (!usable[fv.dense[i]]) continue;
    const base = fv.dense[i] * DENSE_DIMS, w = fv.weight[i];
    for (let k = 0; k < DENSE_DIMS; k++) u[k] += w * E[base + k];
  }
  const v = u.slice();
  const norm = normalizeInPlace(v) || 1;
  return { fv, u, v, norm, g: new Float32Array(DENSE_DIMS) };
}
const dot = (a: Float32Array, b: Float32Array) => { let d = 0; for (let k = 0; k < a.length; k++) d += a[k] * b[k]; return d; };

// gradient rows of one step, accumulated in one dense buffer (no per-row allocation)
const gradBuf = new Float32Array(DENSE_BUCKETS * DENSE_DIMS);
const inStep = new Uint8Array(DENSE_BUCKETS);
const stepRows: number[] = [];
function backward(f: Fwd) {
  // through the normalisation: du = (g − (g·v) v) / |u|
  const gv = dot(f.g, f.v);
  const du = new Float32Array(DENSE_DIMS);
  for (let k = 0; k < DENSE_DIMS; k++) du[k] = (f.g[k] - gv * f.v[k]) / f.norm;
  for (let i = 0; i < f.fv.dense.length; i++) {
    const r = f.fv.dense[i], w = f.fv.weight[i];
    if (!usable[r]) continue;
    if (!inStep[r]) { inStep[r] = 1; stepRows.push(r); }
    const base = r * DENSE_DIMS;
    for (let k = 0; k < DENSE_DIMS; k++) gradBuf[base + k] += w * du[k];
  }
}
function applyGrads() {
  for (const r of stepRows) {
    const base = r * DENSE_DIMS;
    let sq = 0;
    for (let k = 0; k < DENSE_DIMS; k++) sq += gradBuf[base + k] ** 2;
    G[r] += sq / DENSE_DIMS;
    const step = LR / Math.sqrt(G[r]);
    for (let k = 0; k < DENSE_DIMS; k++) { E[base + k] -= step * gradBuf[base + k]; gradBuf[base + k] = 0; }
    touched[r] = 1;
    inStep[r] = 0;
  }
  stepRows.length = 0;
}

const MIX: [string, number][] = [['rental', 0.4], ['parakqc', 0.2], ['sts', 0.15], ['nli', 0.15], ['qpair', 0.1]];
function samplePair(): Pair {
  let x = rand();
  for (const [src, w] of MIX) {
    x -= w;
    if (x <= 0) return pick(sources[src]);
  }
  return pick(sources.rental);
}

let lossAvg = 0, stsAvg = 0;
for (let step = 1; step <= STEPS; step++) {
  // InfoNCE: each anchor against every positive and hard negative in the batch
  const batch = Array.from({ length: BATCH }, samplePair);
  const anchors = batch.map((p) => forward(p.a));
  const cands = batch.map((p) => forward(p.p));
  const candGroup = batch.map((p) => p.group);
  for (const p of batch) if (p.neg) { cands.push(forward(p.neg)); candGroup.push(`neg:${cands.length}`); }
  let loss = 0;
  const logits = new Float32Array(cands.length);
  for (let j = 0; j < BATCH; j++) {
    let max = -Infinity;
    for (let k = 0; k < cands.length; k++) {
      logits[k] = k !== j && candGroup[k] === batch[j].group ? -Infinity : dot(anchors[j].v, cands[k].v) / TAU;
      if (logits[k] > max) max = logits[k];
    }
    let z = 0;
    for (let k = 0; k < cands.length; k++) z += Math.exp(logits[k] - max);
    loss += -(logits[j] - max - Math.log(z));
    for (let k = 0; k < cands.length; k++) {
      if (logits[k] === -Infinity) continue;
      const coef = (Math.exp(logits[k] - max) / z - (k === j ? 1 : 0)) / TAU / BATCH;
      for (let d = 0; d < DENSE_DIMS; d++) {
        anchors[j].g[d] += coef * cands[k].v[d];
        cands[k].g[d] += coef * anchors[j].v[d];
      }
    }
  }
  // CoSENT on KorSTS train: a pair with a higher gold score should have the higher cosine
  const stsBatch = Array.from({ length: STS_BATCH }, () => pick(sts));
  const sa = stsBatch.map((s) => forward(s.a)), sb = stsBatch.map((s) => forward(s.b));
  const cos = stsBatch.map((_, i) => dot(sa[i].v, sb[i].v));
  const terms: [number, number, number][] = [];
  let zsum = 1;
  for (let i = 0; i < STS_BATCH; i++) for (let j = 0; j < STS_BATCH; j++) {
    if (stsBatch[i].score > stsBatch[j].score) {
      const e = Math.exp(COSENT_LAMBDA * (cos[j] - cos[i]));
      terms.push([i, j, e]);
      zsum += e;
    }
  }
  const dcos = new Float32Array(STS_BATCH);
  for (const [i, j, e] of terms) { dcos[j] += (STS_LOSS_WEIGHT * COSENT_LAMBDA * e) / zsum; dcos[i] -= (STS_LOSS_WEIGHT * COSENT_LAMBDA * e) / zsum; }
  for (let i = 0; i < STS_BATCH; i++) for (let d = 0; d < DENSE_DIMS; d++) { sa[i].g[d] += dcos[i] * sb[i].v[d]; sb[i].g[d] += dcos[i] * sa[i].v[d]; }
  for (const f of [...anchors, ...cands, ...sa, ...sb]) backward(f);
  applyGrads();
  lossAvg = 0.98 * lossAvg + 0.02 * (loss / BATCH);
  stsAvg = 0.98 * stsAvg + 0.02 * Math.log(zsum);
  if (step % 500 === 0) log(`step ${step}/${STEPS}: InfoNCE ${lossAvg.toFixed(3)}, CoSENT ${stsAvg.toFixed(3)}`);
}

// ---------- 4. quantise ----------
const table = new Int8Array(DENSE_BUCKETS * DENSE_DIMS);
const scales = new Float32Array(DENSE_BUCKETS);
let rows = 0;
for (let r = 0; r < DENSE_BUCKETS; r++) {
  if (!touched[r]) continue;
  rows++;
  let max = 0;
  for (let k = 0; k < DENSE_DIMS; k++) max = Math.max(max, Math.abs(E[r * DENSE_DIMS + k]));
  if (max === 0) continue;
  scales[r] = max / 127;
  for (let k = 0; k < DENSE_DIMS; k++) table[r * DENSE_DIMS + k] = Math.round(E[r * DENSE_DIMS + k] / scales[r]);
}
log(`quantised ${rows} trained rows of ${DENSE_BUCKETS}`);

// mean unit dense vector of the corpus, removed like the TF-IDF mean (spreads unrelated pairs apart)
const denseMean = new Float32Array(DENSE_DIMS);
{
  const probe: LocalModel = { idf, tfidfMean, denseMean: new Float32Array(DENSE_DIMS), scales, table, denseShare: 1, denseMassRef: 0, calibration: { nullMean: 0, nullStd: 0, minSimilarity: 0 }, meta: {} };
  for (const s of corpus) {
    const d = embedText(s, probe);
    for (let k = 0; k < DENSE_DIMS; k++) denseMean[k] += d[TFIDF_DIMS + k] / corpus.length;
  }
}

// ---------- 3. the dense share ----------
const model: LocalModel = { idf, tfidfMean, denseMean, scales, table, denseShare: 0.5, denseMassRef: 0, calibration: { nullMean: 0, nullStd: 0, minSimilarity: 0 }, meta: {} };
const partsCache = new Map<string, [Float32Array, Float32Array]>();
function parts(s: string): [Float32Array, Float32Array] {
  let p = partsCache.get(s);
  if (!p) {
    const t = embedText(s, { ...model, denseShare: 0 }).slice(0, TFIDF_DIMS);
    const d = embedText(s, { ...model, denseShare: 1 }).slice(TFIDF_DIMS);
    p = [t, d];
    partsCache.set(s, p);
  }
  return p;
}
const mixedCos = (a: string, b: string, m: number) => { const [ta, da] = parts(a), [tb, db] = parts(b); return (1 - m) * dot(ta, tb) + m * dot(da, db); };
const valListings = rentalListings.map(([t, leaf]) => ({ t, leaf }));
const valQueries = [...new Map(rentalVal.map((r) => [r.query, r.leaf])).entries()];
function rentalMrr(m: number) {
  let rr = 0;
  for (const [q, leaf] of valQueries) {
    const scored = valListings.map((l) => ({ s: mixedCos(q, l.t, m), ok: l.leaf === leaf })).sort((x, y) => y.s - x.s);
    const rank = scored.findIndex((x) => x.ok) + 1;
    rr += rank ? 1 / rank : 0;
  }
  return rr / valQueries.length;
}
const stsSample = stsVal;
let best = { m: 0.5, score: -Infinity, rho: 0, mrr: 0 };
// capped below 1: the TF-IDF part keeps names and words the training never saw findable
for (const m of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  const rho = spearman(stsSample.map((s) => mixedCos(s.a, s.b, m)), stsSample.map((s) => s.score));
  const mrr = rentalMrr(m);
  const score = rho + mrr;
  log(`dense share ${m}: KorSTS held-back train pairs Spearman ${rho.toFixed(4)}, rental validation MRR ${mrr.toFixed(4)}`);
  if (score > best.score) best = { m, score, rho, mrr };
}
model.denseShare = best.m;
log(`picked dense share ${best.m}`);

// ---------- 5. calibration ----------
// the same fit as scripts/refit-calibration.ts: the dense mass reference, then the floor over every
// cross-category pair of validation query and listing
model.denseMassRef = fitDenseMassRef(model, rentalRows);
const fit = fitCalibration(model, rentalRows);
model.calibration = fit.calibration;
log(`dense mass reference ${model.denseMassRef}; null of ${fit.pairs} cross-category pairs: mean ${fit.calibration.nullMean}, std ${fit.calibration.nullStd}, p99.5 ${fit.calibration.minSimilarity}; validation relevant pairs above it: ${(fit.relevantAbove * 100).toFixed(1)}%`);

model.meta = { steps: STEPS, seed: SEED, batch: BATCH, tau: TAU, trainedRows: rows, stsHeldBackSpearman: +best.rho.toFixed(4), rentalValidationMrr: +best.mrr.toFixed(4), version: LOCAL_EMBEDDER_VERSION };
const OUT = process.env.EMBEDDER_OUT ?? MODEL_FILE;
writeLocalModel(model, OUT);
log(`wrote ${OUT} (${(fs.statSync(OUT).size / 1e6).toFixed(2)} MB)`);
