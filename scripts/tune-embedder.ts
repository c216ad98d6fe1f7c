// Scratch tuner: coordinate ascent of feature-group weights on KorSTS train (never dev); prints dev at the end.
import { readSplit, spearman } from '../bench/korsts.ts';
import { BUCKETS, DEFAULT_FEATURES, extractFeatures, hash32 } from '../server/src/ai/local-embedder.ts';

const train = readSplit('train'), dev = readSplit('dev');
const all = { ...DEFAULT_FEATURES, ngramWeights: [1, 1, 1, 1] as [number, number, number, number], jamoWeight: 1, crossWeight: 1, jamoMin: 2, jamoMax: 4 };
const GROUPS = ['w', 's', 'c1', 'c2', 'c3', 'c4', 'j', 'b', 'x'];
function group(f: string) {
  const p = f[0];
  if (p === 'c') { const n = Array.from(f.slice(2)).length; return 1 + n; }
  return { w: 0, s: 1, j: 6, b: 7, x: 8 }[p]!;
}
type F = { b: Int32Array; g: Int8Array; tf: Float32Array };
const cache = new Map<string, F>();
function feats(s: string): F {
  let f = cache.get(s);
  if (!f) {
    const m = extractFeatures(s, all);
    const b = new Int32Array(m.size), g = new Int8Array(m.size), tf = new Float32Array(m.size);
    let i = 0;
    for (const [k, v] of m) { b[i] = hash32(k) & (BUCKETS - 1); g[i] = group(k); tf[i] = 1 + Math.log(v.tf); i++; }
    f = { b, g, tf }; cache.set(s, f);
  }
  return f;
}
const sents = [...new Set(train.flatMap((p) => [p.a, p.b]))];
const df = new Float32Array(BUCKETS);
for (const s of sents) { for (const b of new Set(feats(s).b)) df[b]++; }
const N = sents.length;
const idf = df.map((d) => Math.log((N + 1) / (d + 1)) + 1);

function vec(s: string, w: number[], p: number) {
  const f = feats(s); const m = new Map<number, number>();
  for (let i = 0; i < f.b.length; i++) { const x = w[f.g[i]] * f.tf[i] * idf[f.b[i]] ** p; if (x) m.set(f.b[i], (m.get(f.b[i]) ?? 0) + x); }
  return m;
}
function cos(a: Map<number, number>, b: Map<number, number>) {
  let d = 0, na = 0, nb = 0;
  for (const [k, v] of a) { na += v * v; const u = b.get(k); if (u) d += v * u; }
  for (const v of b.values()) nb += v * v;
  return d / Math.sqrt(na * nb || 1);
}
function score(data: typeof train, w: number[], p: number) {
  return spearman(data.map((q) => cos(vec(q.a, w, p), vec(q.b, w, p))), data.map((q) => q.score));
}
let w = [1, 1, 1, 1, 1, 0, 0.3, 0.5, 0.5], p = 1;
let best = score(train, w, p);
console.log('start', best.toFixed(4), 'dev', score(dev, w, p).toFixed(4));
for (let round = 0; round < 3; round++) {
  for (let gi = 0; gi <= GROUPS.length; gi++) {
    for (const mult of [0, 0.5, 0.7, 1.4, 2]) {
      const w2 = [...w]; let p2 = p;
      if (gi === GROUPS.length) p2 = p * (mult === 0 ? 1 : mult ** 0.5); else w2[gi] = mult === 0 ? 0 : (w[gi] || 0.2) * mult;
      const s = score(train, w2, p2);
      if (s > best + 1e-4) { best = s; w = w2; p = p2; console.log(`r${round} ${GROUPS[gi] ?? 'idfPow'} → train ${s.toFixed(4)}`, w.map((x) => +x.toFixed(3)), +p.toFixed(3)); }
    }
  }
}
console.log('final weights', JSON.stringify(Object.fromEntries(GROUPS.map((g, i) => [g, +w[i].toFixed(3)]))), 'idfPower', +p.toFixed(3));
console.log('train', best.toFixed(4), 'dev', score(dev, w, p).toFixed(4));
