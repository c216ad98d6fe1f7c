// The built-in embedder's shipped calibration (the search's match floor), fitted the one way both
// scripts/train-embedder.ts (step 5) and this script use; run alone it refits the weight file's header
// without retraining, after a change to how embedText uses the same weights:
//   node --import tsx scripts/refit-calibration.ts [source weight file, default the shipped one]
// Writes MODEL_FILE (the current version's name). Deterministic.
//
// Dense mass reference (LocalModel.denseMassRef): the 5th percentile of the validation queries' dense mass
// (real queries the table was not trained on), so 95% of them keep a full-length dense part.
// Null distribution: every (validation query, listing) pair of the rental data from different top
// categories, cosine of the embedder's own vectors; minSimilarity = its 99.5th percentile. Validation
// queries are the tenth the training keeps aside (never trained on: trained ones sit unrealistically far
// from other categories).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nullStatistics } from '../server/src/modules/search/calibration.ts';
import { type Calibration, LOCAL_EMBEDDER_VERSION, type LocalModel, MODEL_FILE, denseMass, embedText, featureVector, loadLocalModel, writeLocalModel } from '../server/src/ai/local-embedder.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENTAL_PAIRS = path.join(REPO, 'server/src/ai/data/rental-pairs.jsonl');

export interface RentalRow { query: string; listing: string; negative: string; leaf: string }
export const readRentalRows = (): RentalRow[] => fs.readFileSync(RENTAL_PAIRS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RentalRow);
/** the training's validation split of the rental queries: a tenth, by hash */
export const isValidationQuery = (q: string) => Array.from(q).reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 10 === 0;

/** the validation queries (each once) with their leaf category */
export const validationQueries = (rows: RentalRow[]) => [...new Map(rows.filter((r) => isValidationQuery(r.query)).map((r) => [r.query, r.leaf])).entries()];

export function fitDenseMassRef(model: LocalModel, rows: RentalRow[]): number {
  const mass = validationQueries(rows).map(([q]) => denseMass(featureVector(q, model.idf), model)).sort((a, b) => a - b);
  return +mass[Math.floor(mass.length * 0.05)].toFixed(4);
}

export function fitCalibration(model: LocalModel, rows: RentalRow[]): { calibration: Calibration; pairs: number; relevantAbove: number } {
  const queries = validationQueries(rows);
  const listings = [...new Map(rows.map((r) => [r.listing, r.leaf])).entries()];
  const top = new Map(rows.map((r) => [r.leaf, r.listing.split('\n')[2]?.split(' > ')[0] ?? '']));
  const vec = new Map<string, Float32Array>();
  const v = (s: string) => vec.get(s) ?? vec.set(s, embedText(s, model)).get(s)!;
  const cos = (a: string, b: string) => { const x = v(a), y = v(b); let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * y[i]; return s; };
  const sims: number[] = [];
  for (const [q, leaf] of queries) for (const [l, lleaf] of listings) if (top.get(leaf) !== top.get(lleaf)) sims.push(cos(q, l));
  const { mean, std, quantile } = nullStatistics(sims);
  const floor = quantile(0.995);
  const rel = rows.filter((r) => isValidationQuery(r.query)).map((r) => cos(r.query, r.listing));
  return {
    calibration: { nullMean: +mean.toFixed(5), nullStd: +std.toFixed(5), minSimilarity: +floor.toFixed(5) },
    pairs: sims.length,
    relevantAbove: rel.filter((s) => s >= floor).length / rel.length,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const source = process.argv[2] ?? MODEL_FILE;
  const model = loadLocalModel(source, true);
  const before = { denseMassRef: model.denseMassRef, ...model.calibration };
  const rows = readRentalRows();
  model.denseMassRef = fitDenseMassRef(model, rows);
  const fit = fitCalibration(model, rows);
  model.calibration = fit.calibration;
  model.meta = { ...model.meta, calibratedForVersion: LOCAL_EMBEDDER_VERSION };
  writeLocalModel(model, MODEL_FILE);
  console.log(`${source} → ${MODEL_FILE}: ${JSON.stringify(before)} → ${JSON.stringify({ denseMassRef: model.denseMassRef, ...fit.calibration })} over ${fit.pairs} pairs; validation relevant pairs above the floor ${(fit.relevantAbove * 100).toFixed(1)}%`);
}
