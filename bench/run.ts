// npm run bench: runs every bench/*.bench.ts in its own process, one after another, and prints
// their figures (ratios measured inside one run). BENCH_ONLY=<substring> picks files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const only = process.env.BENCH_ONLY;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
  console.log(`(${f}: ${((performance.now() - t) / 1000).toFixed(1)} s${r.status ? `, exit ${r.status}` : ''})`);
}
process.exit(failed ? 1 : 0);
