// Embedded cold start (issue 11.9): time from spawning the server process to the first 200 from /readyz,
// on a fresh data folder (first start: template database, demo data seeded after listening) and on the
// same folder again (later start), plus the `npm start` web and server build checks when nothing changed.
// What runs is `npm start`'s server (scripts/start.mjs: compiled once into dist/server). On a loaded
// machine the absolute figures drift, so each later start is paired with one from the sources through
// tsx (the way before the compiled server) on the same folder, alternating, and the ratio is printed.
// Run: npm run bench:coldstart   (COLDSTART_RUNS=3 by default)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, startApp, startPhases, type AppProcess } from './app-process.ts';

const RUNS = Number(process.env.COLDSTART_RUNS ?? 3);
const LATER_RUNS = 2; // later starts per fresh folder, each paired with a start from the sources
const first: number[] = [];
const later: number[] = [];
const source: number[] = [];
const seeded: number[] = [];
const phases: { modulesMs: number; depsMs: number; appMs: number }[] = [];
const sourcePhases: typeof phases = [];

// `npm start` compiles the server when its sources changed: done before the clock starts, once
const build = spawnSync(process.execPath, ['scripts/build-server.mjs'], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`server build failed:\n${build.stderr}`);

async function stopped(app: AppProcess, into: typeof phases) {
  const p = startPhases(app);
  if (p) into.push(p);
  await app.stop();
  return app.readyMs;
}

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
    for (let j = 0; j < LATER_RUNS; j++) {
      // alternate which goes first, so a change in the machine's load hits both alike
      const order = (i + j) % 2 === 0 ? (['start', 'source'] as const) : (['source', 'start'] as const);
      for (const from of order) {
        const app = await startApp({ DATA_DIR: dataDir }, 120_000, process.cwd(), from);
        if (from === 'start') later.push(await stopped(app, phases));
        else source.push(await stopped(app, sourcePhases));
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
const timed = (script: string) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  return `${r.stdout.trim()}: ${Math.round(performance.now() - t)} ms`;
};
const fmt = (xs: number[]) => `${Math.round(median(xs))} ms (median of ${xs.length}: ${xs.map(Math.round).join(', ')})`;
const phase = (ps: typeof phases) =>
  ps.length ? `modules ${median(ps.map((p) => p.modulesMs))} ms, database ${median(ps.map((p) => p.depsMs))} ms, routes ${median(ps.map((p) => p.appMs))} ms` : 'n/a';
console.log(`first start, fresh data folder, spawn → ready: ${fmt(first)}  (budget 8000 ms)`);
console.log(`  … demo data fully seeded:                    ${fmt(seeded)}`);
console.log(`later start, same folder, spawn → ready:       ${fmt(later)}  (budget 3000 ms)`);
console.log(`  of which (server's own log, medians):        ${phase(phases)}`);
console.log(`later start from the sources through tsx:      ${fmt(source)}`);
console.log(`  of which:                                    ${phase(sourcePhases)}`);
console.log(`later start compiled/sources = ${(median(later) / median(source)).toFixed(2)}`);
console.log(`npm start build checks: ${timed('scripts/build-web-if-changed.mjs')}; ${timed('scripts/build-server.mjs')} (+ one Node start)`);
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
