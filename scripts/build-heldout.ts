// Builds the held-out search set from its hand-written sources (server/src/ai/data/heldout-*.tsv):
//   search-heldout-listings.jsonl  extra listings written for evaluation only (never trained on)
//   search-heldout.jsonl           {"query", "relevant": [listing titles], "categories": [leaf names]}
// A query's relevant listings are every demo listing (server/src/db/seed/listings.ts) and every held-out
// listing in one of its leaf categories.   node --import tsx scripts/build-heldout.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoListings } from '../server/src/db/seed/listings.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/src/ai/data');
const tsv = (name: string) =>
  fs.readFileSync(path.join(DATA, name), 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.split('\t'));

const extra = tsv('heldout-listings.tsv').map(([category, title, description]) => ({ category, title, description }));
const all = [...demoListings.map((l) => ({ category: l.c, title: l.t })), ...extra];
const leaves = new Set(all.map((l) => l.category));

const queries = tsv('heldout-queries.tsv').map(([cats, query]) => {
  const categories = cats.split('|');
  for (const c of categories) if (!leaves.has(c)) throw new Error(`unknown leaf category '${c}' in '${query}'`);
  return { query, relevant: all.filter((l) => categories.includes(l.category)).map((l) => l.title), categories };
});
if (new Set(queries.map((q) => q.query)).size !== queries.length) throw new Error('duplicate held-out query');

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
fs.writeFileSync(path.join(DATA, 'search-heldout-listings.jsonl'), jsonl(extra));
fs.writeFileSync(path.join(DATA, 'search-heldout.jsonl'), jsonl(queries));
console.log(`${queries.length} held-out queries over ${all.length} listings (${extra.length} held-out listings)`);
