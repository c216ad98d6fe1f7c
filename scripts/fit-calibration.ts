// Fits the search's match decision for the built-in embedder on training-side data only, and says which
// rule separates real needs from queries about nothing we rent.   node --import tsx scripts/fit-calibration.ts
//
// Positives: the rental pairs' validation queries (the tenth the training keeps aside, same split as
// scripts/train-embedder.ts), each with the best of its own leaf's listings. Negatives: generated null
// queries (scripts/nonsense-calibration.ts: random syllables, jamo, Latin key mashes, KorSTS train news
// sentences sharing no stem with the rental data), each with its best listing. Reference sample: REF
// rental listings picked by a fixed stride, as search picks stored listings (calibration.ts).
// Candidate rules, each thresholded at the NULL_QUANTILE_FIT quantile of the negatives' scores:
//   abs  — the similarity itself (what search uses now);
//   z    — (similarity − the query's mean over the sample) / its standard deviation (a per-query null);
//   gap  — similarity − the query's 95th percentile over the sample;
//   abs∧z — both, the absolute floor lowered to the negatives' 99th percentile.
// Prints each rule's recall on the positives at that threshold, and the plain floor's trade-off. Deterministic; never reads the tests'
// queries, the paraphrases or the held-out search set.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalEmbedder, loadLocalModel } from '../server/src/ai/local-embedder.ts';
import { nullStatistics } from '../server/src/modules/search/calibration.ts';
import { NULL_QUANTILE_FIT, nullQueries, rentalVocabulary } from './nonsense-calibration.ts';
// the training script's rental rows and validation split
import { readRentalRows, validationQueries } from './refit-calibration.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = process.env.EMBEDDER_DATA_DIR ?? path.resolve(REPO, '../shared/data');
const REF = 300;

const rows = readRentalRows();
const valQueries = validationQueries(rows);
const listings = [...new Map(rows.map((r) => [r.listing, r.leaf])).entries()];
const news = fs.readFileSync(path.join(DATA_DIR, 'korsts', 'sts-train.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t'))
  .filter((c) => c.length >= 7 && c[0] === 'main-news').map((c) => ({ a: c[5], b: c[6] }));
// the split the training would hold out of a null loss: every fifth
const nulls = nullQueries(news, rentalVocabulary(rows)).filter((_, i) => i % 5 === 0);

const model = loadLocalModel(process.env.EMBEDDER_MODEL ?? undefined);
const embedder = createLocalEmbedder(model);
const embed = async (ts: string[]) => (await embedder.embed(ts)).map((v) => Float32Array.from(v));
const lv = await embed(listings.map(([t]) => t));
const stride = Math.max(1, Math.floor(listings.length / REF));
const ref = lv.filter((_, i) => i % stride === 0).slice(0, REF);
const dot = (a: Float32Array, b: Float32Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

interface Scored { abs: number; z: number; gap: number }
function score(q: Float32Array, hit: number): Scored {
  const { mean, std, quantile: at } = nullStatistics(ref.map((r) => dot(q, r)));
  return { abs: hit, z: (hit - mean) / (std || 1e-6), gap: hit - at(0.95) };
}
const best = (q: Float32Array, keep: (i: number) => boolean) => Math.max(...lv.flatMap((l, i) => (keep(i) ? [dot(q, l)] : [])));

const pv = await embed(valQueries.map(([q]) => q));
const pos = valQueries.map(([, leaf], i) => score(pv[i], best(pv[i], (j) => listings[j][1] === leaf)));
const nv = await embed(nulls);
const neg = nv.map((q) => score(q, best(q, () => true)));

const quantile = (xs: number[], q: number) => nullStatistics(xs).quantile(q);
const recall = (pass: (x: Scored) => boolean) => pos.filter(pass).length / pos.length;
const falseAccept = (pass: (x: Scored) => boolean) => neg.filter(pass).length / neg.length;
const rules: { name: string; pass: (x: Scored) => boolean; threshold: string }[] = [];
for (const key of ['abs', 'z', 'gap'] as const) {
  const t = quantile(neg.map((x) => x[key]), NULL_QUANTILE_FIT);
  rules.push({ name: key, pass: (x) => x[key] > t, threshold: `${key} > ${t.toFixed(4)}` });
}
{
  const a = quantile(neg.map((x) => x.abs), 0.99);
  const t = quantile(neg.filter((x) => x.abs > a).map((x) => x.z).concat(-Infinity), NULL_QUANTILE_FIT);
  rules.push({ name: 'abs∧z', pass: (x) => x.abs > a && x.z > t, threshold: `abs > ${a.toFixed(4)} and z > ${t.toFixed(4)}` });
}
console.log(`${pos.length} validation queries, ${neg.length} null queries, reference sample ${ref.length} of ${listings.length} listings; shipped floor ${model.calibration.minSimilarity}`);
console.log(`shipped floor: recall ${(recall((x) => x.abs >= model.calibration.minSimilarity) * 100).toFixed(1)}%, null queries passing ${(falseAccept((x) => x.abs >= model.calibration.minSimilarity) * 100).toFixed(2)}%`);
// the trade-off a lower or higher floor makes (search-eval decides what it costs in ranking quality)
for (const f of [0.2, 0.25, 0.3, 0.35, 0.4]) console.log(`floor ${f}: recall ${(recall((x) => x.abs >= f) * 100).toFixed(1)}%, null queries passing ${(falseAccept((x) => x.abs >= f) * 100).toFixed(2)}%`);
for (const r of rules) console.log(`${r.name.padEnd(6)} ${r.threshold.padEnd(36)} recall ${(recall(r.pass) * 100).toFixed(1)}%, null queries passing ${(falseAccept(r.pass) * 100).toFixed(2)}%`);
