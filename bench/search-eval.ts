// Search quality on the held-out query set (server/src/ai/data/search-heldout.jsonl, see its README):
// nDCG@10, recall@10 and MRR for hybrid, keyword-only and semantic-only search, beside a plain
// character 2/3-gram TF-IDF baseline computed in the same run over the same listings.
//   npm run eval:search            (EVAL_SUGGEST=1 adds the category suggestion's leave-one-out)
//
// Setup: the demo listings (server/src/db/seed) plus the held-out listings, embedded by the configured
// embedder, on a fresh PGlite. Nothing in search is tuned on these queries — keep it that way, or the
// figures mean nothing. A listing is relevant when its title is in the query's `relevant` list.
// recall@10 is capped: relevant listings in the top 10 / min(10, number relevant), so a query with
// 20 relevant listings can still reach 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../server/src/deps.ts';
import { sql } from '../server/src/db/sql.ts';
import { embedderFor } from '../server/src/ai/embedder.ts';
import { seedDemo } from '../server/src/db/seed/demo.ts';
import { runEmbeddingPass } from '../server/src/modules/embeddings/service.ts';
import { searchService, type SearchMode } from '../server/src/modules/search/service.ts';
import { calibrationFor } from '../server/src/modules/search/calibration.ts';
import { recommendationsService } from '../server/src/modules/recommendations/service.ts';
import { insertListings } from '../server/test/factories.ts';
import { withPgliteDeps } from './pglite-deps.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/src/ai/data');
const jsonl = <T>(name: string): T[] =>
  fs.readFileSync(path.join(DATA, name), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);

export interface HeldOutQuery { query: string; relevant: string[]; categories: string[] }
export interface HeldOutListing { category: string; title: string; description: string }
export const heldOutQueries = () => jsonl<HeldOutQuery>('search-heldout.jsonl');
export const heldOutListings = () => jsonl<HeldOutListing>('search-heldout-listings.jsonl');

const K = 10;
const DEPTH = 100;

export interface Scores { ndcg: number; recall: number; mrr: number }

/** nDCG@10, capped recall@10 and reciprocal rank (first relevant within DEPTH) of one ranking. */
export function score(ranked: string[], relevant: Set<string>): Scores {
  let dcg = 0;
  let found = 0;
  for (let i = 0; i < Math.min(K, ranked.length); i++) {
    if (relevant.has(ranked[i])) {
      dcg += 1 / Math.log2(i + 2);
      found++;
    }
  }
  let ideal = 0;
  for (let i = 0; i < Math.min(K, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  const first = ranked.slice(0, DEPTH).findIndex((t) => relevant.has(t));
  return { ndcg: ideal ? dcg / ideal : 0, recall: relevant.size ? found / Math.min(K, relevant.size) : 0, mrr: first >= 0 ? 1 / (first + 1) : 0 };
}

/** The baseline: TF-IDF over character 2- and 3-grams (spaces kept inside grams), cosine. */
export function charTfidf(docs: { id: number; text: string }[]) {
  const grams = (s: string) => {
    const t = ` ${s.toLowerCase().replace(/\s+/g, ' ')} `;
    const chars = Array.from(t);
    const out = new Map<string, number>();
    for (const n of [2, 3]) for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join('');
      out.set(g, (out.get(g) ?? 0) + 1);
    }
    return out;
  };
  const df = new Map<string, number>();
  const tfs = docs.map((d) => grams(d.text));
  for (const tf of tfs) for (const g of tf.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string) => Math.log((1 + docs.length) / (1 + (df.get(g) ?? 0))) + 1;
  const weigh = (tf: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [g, c] of tf) {
      const w = (1 + Math.log(c)) * idf(g);
      v.set(g, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of v) v.set(g, w / norm);
    return v;
  };
  const vectors = tfs.map(weigh);
  return (query: string): number[] => {
    const q = weigh(grams(query));
    return docs
      .map((d, i) => {
        let dot = 0;
        for (const [g, w] of q) dot += w * (vectors[i].get(g) ?? 0);
        return { id: d.id, dot };
      })
      .filter((x) => x.dot > 0)
      .sort((a, b) => b.dot - a.dot || a.id - b.id)
      .map((x) => x.id);
  };
}

async function main(deps: Deps) {
  const { db, config } = deps;
  const seeded = await seedDemo(deps);
  const extra = heldOutListings();
  await insertListings(db, extra.map((l) => ({ title: l.title, content: l.description, category: l.category })));
  const t0 = performance.now();
  await runEmbeddingPass(deps);
  const embedMs = performance.now() - t0;
  const listings = await db.query<{ id: number; title: string; content: string }>(sql`SELECT id, title, content FROM posts WHERE deleted_at IS NULL ORDER BY id`);
  const titleOf = new Map(listings.map((l) => [l.id, l.title]));
  const queries = heldOutQueries();
  const calibration = await calibrationFor(deps);
  console.log(`${listings.length} listings (${seeded.posts} demo + ${extra.length} held-out), ${queries.length} held-out queries`);
  console.log(`embedder ${embedderFor(config).id}; embedded in ${(embedMs / 1000).toFixed(1)} s; calibration ${calibration ? `${calibration.source}: floor ${calibration.minSimilarity.toFixed(3)} (null mean ${calibration.nullMean.toFixed(3)}, sd ${calibration.nullStd.toFixed(3)})` : 'none'}`);

  const search = searchService(deps);
  const tfidf = charTfidf(listings.map((l) => ({ id: l.id, text: `${l.title} ${l.content}` })));
  const systems: [string, (q: string) => Promise<number[]>][] = [
    ...(['hybrid', 'keyword', 'semantic'] as SearchMode[]).map((mode) => [mode, async (q: string) => (await search.rank(q, {}, { mode })).hits.map((h) => h.id)] as [string, (q: string) => Promise<number[]>]),
    ['char-tfidf', async (q: string) => tfidf(q)],
  ];
  const rows: string[] = [];
  const results: Record<string, Scores & { empty: number }> = {};
  for (const [name, run] of systems) {
    const sum = { ndcg: 0, recall: 0, mrr: 0, empty: 0 };
    for (const q of queries) {
      const ids = await run(q.query);
      if (!ids.length) sum.empty++;
      const s = score(ids.map((id) => titleOf.get(id)!), new Set(q.relevant));
      sum.ndcg += s.ndcg;
      sum.recall += s.recall;
      sum.mrr += s.mrr;
    }
    const n = queries.length;
    results[name] = { ndcg: sum.ndcg / n, recall: sum.recall / n, mrr: sum.mrr / n, empty: sum.empty };
    rows.push(`${name.padEnd(11)} nDCG@10 ${(sum.ndcg / n).toFixed(3)}   recall@10 ${(sum.recall / n).toFixed(3)}   MRR ${(sum.mrr / n).toFixed(3)}   no result ${sum.empty}/${n}`);
  }
  console.log(rows.join('\n'));
  const h = results.hybrid;
  const beats = (o: string) => h.ndcg > results[o].ndcg && h.mrr > results[o].mrr;
  console.log(`hybrid beats char-tfidf: ${beats('char-tfidf')}, keyword: ${beats('keyword')}, semantic: ${beats('semantic')} (nDCG@10 and MRR)`);

  if (process.env.EVAL_SUGGEST) {
    // category suggestion, leave-one-out over all listings: its own title + description, itself excluded
    const suggest = recommendationsService(deps);
    const cats = await db.query<{ id: number; title: string; content: string; category_id: number }>(sql`SELECT id, title, content, category_id FROM posts ORDER BY id`);
    let top1 = 0;
    for (const l of cats) {
      const { guesses } = await suggest.suggestCategories(`${l.title}\n${l.content}`, [l.id]);
      if (guesses[0]?.id === l.category_id) top1++;
    }
    console.log(`category suggestion leave-one-out over ${cats.length} listings: top-1 ${(top1 / cats.length).toFixed(3)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await withPgliteDeps(main);
