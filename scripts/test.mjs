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
const runFiles = (list, concurrency, env = {}) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...list.sort()],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', ...env } },
  ).status ?? 1;

const alone = selected.filter(isAlone);
const rest = selected.filter((f) => !isAlone(f));
const aloneStatus = alone.length ? runFiles(alone, 1) : 0;
const restStatus = rest.length ? runFiles(rest, 2) : 0;

// The race-prone modules run a second time on the machine's real PostgreSQL (TEST_DB=postgres makes the
// harness give each test context a database of its own there), so row locks and unique indexes are proven
// on the production engine as well as on PGlite. Only in a full run, or when TEST_DB=postgres is asked.
const onPostgresToo = ['server/src/modules/posts/', 'server/src/modules/members/', 'server/src/modules/reviews/', 'server/src/modules/chat/'];
const postgresFiles = only.length || process.env.TEST_DB ? [] : rest.filter((f) => onPostgresToo.some((d) => f.startsWith(d)));
if (postgresFiles.length) console.log(`\n# again on PostgreSQL (TEST_DB=postgres): ${postgresFiles.length} files`);
const postgresStatus = postgresFiles.length ? runFiles(postgresFiles, 2, { TEST_DB: 'postgres' }) : 0;
process.exit(aloneStatus || restStatus || postgresStatus);
