// Server mode on the machine's real PostgreSQL (no pgvector) and Redis: two instances that start at
// the same time on a fresh database share logins and logouts; vector search reports itself unavailable;
// an unreachable database at start is a one-line error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import pino from 'pino';
import { createDeps, closeDeps, type Deps } from '../src/deps.ts';
import { buildApp, type App } from '../src/app.ts';
import { testConfig, cookieOf } from './helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from './postgres.ts';

let database: TemporaryDatabase;


interface Instance {
  deps: Deps;
  app: App;
  url: string;
}
let a: Instance;
let b: Instance;

async function startInstance(): Promise<Instance> {
  const config = testConfig({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL });
  const deps = await createDeps(config, pino({ level: 'silent' }));
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { deps, app, url: `http://127.0.0.1:${address.port}` };
}

before(async () => {
  database = await createTemporaryDatabase('srv');
  // Both run the migrations on the empty database at once, as two colours starting together would.
  [a, b] = await Promise.all([startInstance(), startInstance()]);
});

after(async () => {
  for (const inst of [a, b]) {
    if (!inst) continue;
    await inst.app.close();
    await closeDeps(inst.deps);
  }
  await database?.drop();
});

test('concurrent start applied every migration exactly once', async () => {
  const rows = await a.deps.db.query<{ name: string; n: number }>(
    'SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name',
  );
  assert.ok(rows.length >= 2, 'migrations recorded');
  assert.ok(rows.every((r) => r.n === 1));
  const categories = await b.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM categories WHERE parent_id IS NULL');
  assert.equal(categories!.n, 10, 'the catalog seed ran once, not twice');
});

test('a session created on instance A is valid on B; logout on B ends it on A', async () => {
  const email = `srv-${crypto.randomUUID()}@example.com`;
  const nickname = `서버${crypto.randomBytes(3).toString('hex')}`;
  const signUp = await fetch(`${a.url}/api/v1/members`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'password123', nickname }),
  });
  assert.equal(signUp.status, 201);
  const cookie = cookieOf(signUp.headers.getSetCookie());
  const id = (await signUp.json()).id;

  const meOnB = await fetch(`${b.url}/api/v1/members/me`, { headers: { cookie } });
  assert.equal(meOnB.status, 200);
  assert.equal((await meOnB.json()).id, id);

  const logout = await fetch(`${b.url}/api/v1/members/logout`, { method: 'POST', headers: { cookie, 'x-requested-with': 'test' } });
  assert.equal(logout.status, 204);

  const meOnA = await fetch(`${a.url}/api/v1/members/me`, { headers: { cookie } });
  assert.equal(meOnA.status, 401);
  assert.match(meOnA.headers.get('content-type') ?? '', /application\/problem\+json/);
});

test('without pgvector the app is ready, reports vector unavailable, and listing works', async () => {
  const ready = await fetch(`${a.url}/readyz`);
  assert.equal(ready.status, 200);
  const body = await ready.json();
  assert.deepEqual(body.checks, { database: 'ok', redis: 'ok', vector: 'unavailable' });

  const list = await fetch(`${b.url}/api/v1/posts`);
  assert.equal(list.status, 200);
  assert.ok(Array.isArray((await list.json()).items));
});

test('metrics are served with route templates, never raw ids', async () => {
  await fetch(`${a.url}/api/v1/members/987654321`);
  const res = await fetch(`${a.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/members\/:id"/);
  assert.doesNotMatch(text, /987654321/);
  assert.match(text, /embedding_backlog\{app="chwimeet"\} \d+/);
  assert.match(text, /process_cpu_seconds_total/);
});

/** Runs main.ts as `npm start` would, with the given settings, until it exits. */
async function startMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

function assertOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/, 'no stack trace');
}

test('an unreachable DATABASE_URL at start is a clear one-line error and exit code 1', async () => {
  const { code, stderr } = await startMain({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', REDIS_URL: TEST_REDIS_URL });
  assert.equal(code, 1);
  assertOneLineError(stderr, /^시작 실패: PostgreSQL.*ECONNREFUSED/);
});

test('an unreachable REDIS_URL at start is a clear one-line error, not a hang', async () => {
  const { code, stderr } = await startMain({ DATABASE_URL: database.url, REDIS_URL: 'redis://:secret@127.0.0.1:1' });
  assert.equal(code, 1);
  assertOneLineError(stderr, /^시작 실패: .*Redis redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/);
  assert.doesNotMatch(stderr, /secret/, 'the password is never printed');
});
