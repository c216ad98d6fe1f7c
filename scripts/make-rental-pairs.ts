// Composes the rental-domain training set from server/src/ai/data/rental-templates.ts:
// needs × item kinds × phrasings → (query, listing text) pairs, each with a negative listing from
// another top category. Deterministic (fixed seed). Queries that appear in the held-out set are dropped.
//   node --import tsx scripts/make-rental-pairs.ts   → server/src/ai/data/rental-pairs.jsonl
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOILERPLATE, DESCRIPTION_TEMPLATES, ITEM_PHRASINGS, LEAVES, NEED_PHRASINGS, REGIONS } from '../server/src/ai/data/rental-templates.ts';
import { mulberry32 } from '../server/src/lib/random.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/src/ai/data');
export const RENTAL_PAIRS_FILE = path.join(DATA, 'rental-pairs.jsonl');

const rand = mulberry32(20261201);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The same shape as server/src/modules/embeddings/text.ts listingText(). */
function listingText(top: string, leaf: string, title: string, description: string): string {
  const fee = (1 + Math.floor(rand() * 30)) * 1000;
  return [title, title, `카테고리: ${top} > ${leaf}`, description, `지역: ${pick(REGIONS)}`, `대여료 하루 ${fee}원, 보증금 ${fee * 5}원`, '수령 직거래, 반납 직거래'].join('\n');
}

const heldout = new Set(
  fs.readFileSync(path.join(DATA, 'heldout-queries.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => norm(l.split('\t')[1])),
);

interface Listing { leaf: string; top: string; text: string; need: string | null }
const listings: Listing[] = [];
for (const l of LEAVES) {
  for (const names of l.items) {
    for (let k = 0; k < 4; k++) {
      const name = names[k % names.length];
      const f = pick(l.features);
      // half the listings name a use, half only say what the thing is: a query must learn the item too
      const need = k % 2 === 0 ? pick(l.needs) : null;
      const desc = need
        ? pick(DESCRIPTION_TEMPLATES).replace('{n}', need).replace('{f}', f)
        : `${name}입니다. ${f}. ${pick(l.features)}.`;
      const title = k === 3 ? `${name} (${pick(l.features)})` : name;
      listings.push({ leaf: l.leaf, top: l.top, text: listingText(l.top, l.leaf, title, norm(`${desc} ${pick(BOILERPLATE)} ${pick(BOILERPLATE)}`)), need });
    }
  }
}
const byLeaf = new Map<string, Listing[]>();
for (const x of listings) byLeaf.set(x.leaf, [...(byLeaf.get(x.leaf) ?? []), x]);

const rows: { query: string; listing: string; negative: string; leaf: string }[] = [];
const seen = new Set<string>();
function addPairs(query: string, leaf: string, top: string, n: number, avoidNeed?: string) {
  query = norm(query);
  if (heldout.has(query) || seen.has(query)) return;
  seen.add(query);
  const pool = byLeaf.get(leaf)!.filter((x) => x.need !== avoidNeed);
  const others = listings.filter((x) => x.top !== top);
  for (let i = 0; i < n; i++) rows.push({ query, listing: pick(pool).text, negative: pick(others).text, leaf });
}
for (const l of LEAVES) {
  for (const need of l.needs) {
    for (const p of NEED_PHRASINGS) if (rand() < 0.6) addPairs(p.replace('{n}', need), l.leaf, l.top, 2, need);
  }
  for (const names of l.items) for (const name of names) for (const p of ITEM_PHRASINGS) if (rand() < 0.5) addPairs(p.replace('{i}', name), l.leaf, l.top, 1);
}
fs.writeFileSync(RENTAL_PAIRS_FILE, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
console.log(`${rows.length} pairs, ${seen.size} distinct queries, ${listings.length} listings over ${LEAVES.length} leaf categories → ${RENTAL_PAIRS_FILE}`);
