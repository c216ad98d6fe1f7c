// npm run bench: runs every bench/*.bench.ts in its own process, one after another, and prints
// their figures (ratios measured inside one run). BENCH_ONLY=<substring> (or arguments) picks files;
// a named selection runs one bench at a larger size: `npm run bench -- search100k` is the search bench
// at 100,000 varied listings (issue 13's targets), kept out of the default run so it stays quick.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const NAMED: Record<string, { file: string; env: Record<string, string> }> = {
  search100k: { file: 'search.bench.ts', env: { BENCH_SIZES: '100000', BENCH_CATALOGUES: 'varied' } },
};
const args = process.argv.slice(2);
const named = args.map((a) => NAMED[a]).filter(Boolean);
const only = [...(process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : []), ...args.filter((a) => !NAMED[a])];
const runs = named.length
  ? named
  : fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o)))).sort().map((file) => ({ file, env: {} }));
let failed = 0;
for (const { file: f, env } of runs) {
  console.log(`\n=== ${f}${Object.keys(env).length ? ` (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''} ===`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failed++;
  console.log(`(${f}: ${((performance.now() - t) / 1000).toFixed(1)} s${r.status ? `, exit ${r.status}` : ''})`);
}
process.exit(failed ? 1 : 0);
