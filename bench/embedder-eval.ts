// Built-in embedder quality, beside a plain TF-IDF reference computed in the same run.   npm run eval:embedder
//  - KorSTS dev: Spearman between cosine and gold score (dev is never used for fitting; the issue's
//    reference for plain char 2/3-gram + word TF-IDF is 0.746).
//  - In-domain retrieval on the held-out search set (server/src/ai/data/search-heldout*.jsonl, never
//    trained or tuned on): each query ranks the demo + held-out listings; hit@5 and MRR.
//  - Calibration: how many held-out queries keep a relevant listing above calibration.minSimilarity,
//    and the best similarity nonsense queries reach.
// Reads ../shared/data/korsts (KORSTS_DIR or EMBEDDER_DATA_DIR override).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSplit, spearman, cosine } from './korsts.ts';
import { createLocalEmbedder } from '../server/src/ai/local-embedder.ts';
import { words } from '../server/src/ai/korean-text.ts';
import { demoListings } from '../server/src/db/seed/listings.ts';
import { LEAVES } from '../server/src/ai/data/rental-templates.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/src/ai/data');

/** The reference: TF-IDF over words and in-word character 2/3-grams, IDF from KorSTS train. */
export function plainTfidf(fitOn: string[]) {
  const feats = (s: string) => {
    const out = new Map<string, number>();
    for (const w of words(s)) {
      const f = [`w:${w}`];
      const cs = Array.from(w);
      for (let n = 2; n <= 3; n++) for (let i = 0; i + n <= cs.length; i++) f.push(cs.slice(i, i + n).join(''));
      for (const x of f) out.set(x, (out.get(x) ?? 0) + 1);
    }
    return out;
  };
  const df = new Map<string, number>();
  for (const s of fitOn) for (const f of feats(s).keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const N = fitOn.length;
  const vec = (s: string) => {
    const v = new Map<string, number>();
    let n = 0;
    for (const [f, tf] of feats(s)) { const x = (1 + Math.log(tf)) * (Math.log((N + 1) / ((df.get(f) ?? 0) + 1)) + 1); v.set(f, x); n += x * x; }
    n = Math.sqrt(n) || 1;
    for (const [f, x] of v) v.set(f, x / n);
    return v;
  };
  const cos = (a: Map<string, number>, b: Map<string, number>) => { let d = 0; for (const [f, x] of a) d += x * (b.get(f) ?? 0); return d; };
  return { vec, cos };
}

export async function evalLocalEmbedder(split: 'dev' | 'train' = 'dev') {
  const pairs = readSplit(split);
  const embedder = createLocalEmbedder();
  const a = await embedder.embed(pairs.map((p) => p.a));
  const b = await embedder.embed(pairs.map((p) => p.b));
  return spearman(pairs.map((_, i) => cosine(a[i], b[i])), pairs.map((p) => p.score));
}

const topOf = new Map(LEAVES.map((l) => [l.leaf, l.top]));
/** Held-out corpus: demo listings and held-out listings, as title ×2 + category path + description. */
export function heldoutCorpus() {
  const extra = fs.readFileSync(path.join(DATA, 'search-heldout-listings.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { category: string; title: string; description: string });
  const listings = [...demoListings.map((l) => ({ category: l.c, title: l.t, description: l.d })), ...extra];
  const text = (l: { category: string; title: string; description: string }) => [l.title, l.title, `카테고리: ${topOf.get(l.category)} > ${l.category}`, l.description].join('\n');
  const queries = fs.readFileSync(path.join(DATA, 'search-heldout.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { query: string; relevant: string[] });
  return { listings: listings.map((l) => ({ title: l.title, text: text(l) })), queries };
}

function retrieval(queries: { query: string; relevant: string[] }[], titles: string[], sim: (qi: number, li: number) => number) {
  let hit5 = 0, rr = 0;
  const bestRelevant: number[] = [];
  queries.forEach((q, qi) => {
    const scored = titles.map((t, li) => ({ s: sim(qi, li), ok: q.relevant.includes(t) })).sort((x, y) => y.s - x.s);
    const rank = scored.findIndex((x) => x.ok) + 1;
    if (rank >= 1 && rank <= 5) hit5++;
    rr += rank ? 1 / rank : 0;
    bestRelevant.push(scored[rank - 1]?.s ?? 0);
  });
  return { hit5: hit5 / queries.length, mrr: rr / queries.length, bestRelevant };
}

export const NONSENSE = ['zzqxv', 'asdf qwer', 'ㅋㅋㅋㅋ', 'ㅎㅎㅎ', '비트코인', '양자역학 교과서', '주식 차트 분석', 'xkcd lorem ipsum'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const embedder = createLocalEmbedder();
  const train = readSplit('train');
  const ref = plainTfidf([...new Set(train.flatMap((p) => [p.a, p.b]))]);
  const dev = readSplit('dev');
  const refRho = spearman(dev.map((p) => ref.cos(ref.vec(p.a), ref.vec(p.b))), dev.map((p) => p.score));
  const rho = await evalLocalEmbedder('dev');
  console.log(`KorSTS dev Spearman: ${embedder.id} ${rho.toFixed(4)} | plain char 2/3-gram TF-IDF ${refRho.toFixed(4)} (issue reference 0.746)`);

  const { listings, queries } = heldoutCorpus();
  const lv = await embedder.embed(listings.map((l) => l.text));
  const qv = await embedder.embed(queries.map((q) => q.query));
  const ours = retrieval(queries, listings.map((l) => l.title), (qi, li) => cosine(qv[qi], lv[li]));
  const rl = listings.map((l) => ref.vec(l.text)), rq = queries.map((q) => ref.vec(q.query));
  const base = retrieval(queries, listings.map((l) => l.title), (qi, li) => ref.cos(rq[qi], rl[li]));
  console.log(`held-out retrieval (${queries.length} queries, ${listings.length} listings): ${embedder.id} hit@5 ${ours.hit5.toFixed(3)} MRR ${ours.mrr.toFixed(3)} | TF-IDF hit@5 ${base.hit5.toFixed(3)} MRR ${base.mrr.toFixed(3)}`);

  const c = embedder.calibration;
  const kept = ours.bestRelevant.filter((s) => s >= c.minSimilarity).length;
  console.log(`calibration: null mean ${c.nullMean} std ${c.nullStd}, minSimilarity ${c.minSimilarity}; held-out queries whose best relevant listing passes it: ${kept}/${queries.length}`);
  const t = performance.now();
  for (const q of queries) await embedder.embed([q.query]);
  console.log(`speed: ${((performance.now() - t) / queries.length).toFixed(3)} ms to embed one query (mean over the held-out queries)`);
  const nv = await embedder.embed(NONSENSE);
  for (const [i, q] of NONSENSE.entries()) {
    const best = Math.max(...lv.map((v) => cosine(nv[i], v)));
    console.log(`  nonsense '${q}': best similarity ${best.toFixed(3)} ${best < c.minSimilarity ? '< min (no match)' : '>= min (MATCHES)'}`);
  }
}
