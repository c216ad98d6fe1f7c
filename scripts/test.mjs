// Runs every test: builds the migrated template database once, then the Node test runner over all files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const make = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-test-template.ts'], { stdio: 'inherit' });
if (make.status !== 0) process.exit(make.status ?? 1);

const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (/\.test\.ts$/.test(entry.name)) files.push(p);
  }
};
for (const dir of ['server', 'web/test']) if (fs.existsSync(dir)) walk(dir);
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

// Files that measure timing across instances (cron ticks on the real Postgres) run first, alone, so the
// load of the other files cannot stretch a tick; everything else runs two at a time after them.
const isAlone = (f) => f.endsWith('.singleton.test.ts');
const runFiles = (list, concurrency) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...list.sort()],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  ).status ?? 1;

const alone = selected.filter(isAlone);
const rest = selected.filter((f) => !isAlone(f));
const aloneStatus = alone.length ? runFiles(alone, 1) : 0;
const restStatus = rest.length ? runFiles(rest, 2) : 0;
process.exit(aloneStatus || restStatus);
