// Embedded cold start (issue 11.9): time from spawning the server process to the first 200 from /readyz,
// on a fresh data folder (first start: template database, demo data seeded after listening) and on the
// same folder again (later start), plus the `npm start` web-build check when nothing changed.
// Run: npm run bench:coldstart   (COLDSTART_RUNS=3 by default)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, startApp } from './app-process.ts';

const RUNS = Number(process.env.COLDSTART_RUNS ?? 3);
const first: number[] = [];
const later: number[] = [];
const seeded: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-coldstart-'));
  try {
    const a = await startApp({ DATA_DIR: dataDir });
    first.push(a.readyMs);
    // the demo data arrives behind the ready server: time until /readyz stops saying "loading"
    const t0 = performance.now();
    while ((await fetch(`${a.url}/readyz`).then((r) => r.json())).checks?.demo === 'loading') await new Promise((r) => setTimeout(r, 50));
    seeded.push(a.readyMs + performance.now() - t0);
    await a.stop();
    const b = await startApp({ DATA_DIR: dataDir });
    later.push(b.readyMs);
    await b.stop();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
const t = performance.now();
const check = spawnSync(process.execPath, ['scripts/build-web-if-changed.mjs'], { encoding: 'utf8' });
const checkMs = performance.now() - t;
const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (median of ${xs.length}: ${xs.map(Math.round).join(', ')})`;
console.log(`first start, fresh data folder, spawn → ready: ${fmt(first)}  (budget 8000 ms)`);
console.log(`  … demo data fully seeded:                    ${fmt(seeded)}`);
console.log(`later start, same folder, spawn → ready:       ${fmt(later)}  (budget 3000 ms)`);
console.log(`npm start web-build step (${check.stdout.trim()}): ${Math.round(checkMs)} ms`);
