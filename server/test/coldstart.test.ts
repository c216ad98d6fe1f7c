// Embedded cold start: a fresh data folder starts from the shipped migrated template (no migration
// runs from nothing), the demo data is seeded after the server is ready with /readyz saying so, and
// `npm start` rebuilds the web app and recompiles the server only when their sources changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startApp } from '../../bench/app-process.ts';
import { openPglite } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { TEMPLATE_PATH, templateFor } from '../src/db/template.ts';

test('a fresh data folder is loaded from db/template.tar.gz; an existing one is left alone', async () => {
  assert.ok(fs.existsSync(TEMPLATE_PATH), 'db/template.tar.gz is shipped (npm run db:template)');
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-tpl-')), 'pglite');
  const blob = templateFor(dir);
  assert.ok(blob, 'fresh folder → template');
  const db = await openPglite({ dataDir: dir, loadDataDir: blob });
  const fromTemplate = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  assert.ok(fromTemplate.length > 5, 'the template holds migrated tables before migrate() runs');
  const report = await migrate(db);
  const all = fs.readdirSync('server/src/db/migrations').filter((f) => f.endsWith('.sql'));
  // only migrations newer than the template run at start; together they are every migration
  assert.equal(fromTemplate.length + report.applied.length + report.skipped.length, all.length);
  await db.close();
  assert.equal(templateFor(dir), undefined, 'a folder holding a database is never overwritten');
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

test('first start: ready before the demo data, /readyz says "loading" and then "ready"; the data is there', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-cold-'));
  const app = await startApp({ DATA_DIR: dataDir, JOBS_ENABLED: 'false' }, 240_000);
  try {
    const states: string[] = [];
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const ready = await (await fetch(`${app.url}/readyz`)).json();
      const state = ready.checks?.demo as string;
      if (states.at(-1) !== state) states.push(state);
      if (state !== 'loading') break;
      // the app answers while the seed runs
      assert.equal((await fetch(`${app.url}/api/v1/categories`)).status, 200);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(states, ['loading', 'ready']);
    const posts = await (await fetch(`${app.url}/api/v1/posts?limit=5`)).json();
    assert.equal(posts.items.length, 5);
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('npm start builds the web app only when web sources changed', () => {
  // a copy of the inputs and a fake vite that records each build, so the real web/dist is untouched
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-webstamp-'));
  for (const f of ['scripts/build-web-if-changed.mjs', 'scripts/fingerprint.mjs', 'web/index.html', 'web/vite.config.ts', 'package-lock.json']) {
    fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    fs.copyFileSync(f, path.join(root, f));
  }
  fs.cpSync('web/src', path.join(root, 'web/src'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules/vite/bin'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'node_modules/vite/bin/vite.js'),
    `const fs = require('node:fs'); fs.mkdirSync('web/dist', { recursive: true }); fs.writeFileSync('web/dist/index.html', 'x'); fs.appendFileSync('builds.log', 'built\\n');`,
  );
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"commonjs"}');
  fs.writeFileSync(path.join(root, 'node_modules/vite/package.json'), '{"type":"commonjs"}');
  const run = () => spawnSync(process.execPath, ['scripts/build-web-if-changed.mjs'], { cwd: root, encoding: 'utf8' });
  const builds = () => (fs.existsSync(path.join(root, 'builds.log')) ? fs.readFileSync(path.join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length : 0);
  assert.equal(run().status, 0);
  assert.equal(builds(), 1, 'no build yet → build');
  assert.match(run().stdout, /up to date/);
  assert.equal(builds(), 1, 'nothing changed → no build');
  fs.appendFileSync(path.join(root, 'web/src/routes.tsx'), '\n// changed\n');
  run();
  assert.equal(builds(), 2, 'a changed source → build');
  run();
  assert.equal(builds(), 2);
  fs.rmSync(root, { recursive: true, force: true });
});

test('npm start compiles the server only when a bundled source changed; data files are found next to the sources', () => {
  // a copy of server/src and the build script; packages come from this checkout's node_modules
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-serverstamp-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync('scripts/build-server.mjs', path.join(root, 'scripts/build-server.mjs'));
  fs.copyFileSync('scripts/fingerprint.mjs', path.join(root, 'scripts/fingerprint.mjs'));
  fs.cpSync('server/src', path.join(root, 'server/src'), { recursive: true, filter: (f) => !f.endsWith('.bin.gz') });
  fs.symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  const run = () => spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, encoding: 'utf8' });
  try {
    assert.match(run().stdout, /server compiled/, 'no build yet → build');
    assert.match(run().stdout, /up to date/, 'nothing changed → no build');
    // a test file is not part of the bundle: changing it changes nothing
    fs.appendFileSync(path.join(root, 'server/src/metrics.test.ts'), '\n// changed\n');
    assert.match(run().stdout, /up to date/);
    fs.appendFileSync(path.join(root, 'server/src/db/migrate.ts'), '\n// changed\n');
    assert.match(run().stdout, /server compiled/, 'a changed source → build');
    // migrations, the template database and the embedder's weights are looked up from the sources' folders
    const bundle = fs.readdirSync(path.join(root, 'dist/server')).filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(root, 'dist/server', f), 'utf8')).join('\n');
    assert.doesNotMatch(bundle, /import\.meta\.url/);
    for (const file of ['db/migrate.ts', 'db/template.ts', 'ai/local-embedder.ts']) {
      assert.ok(bundle.includes(JSON.stringify(pathToFileURL(path.join(root, 'server/src', file)).href)), file);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
