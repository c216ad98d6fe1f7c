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

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...selected.sort()],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(run.status ?? 1);
