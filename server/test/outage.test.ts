// Outages of the backing services, on a PRIVATE Redis and a PRIVATE PostgreSQL cluster started by this
// test (the machine's shared services are never touched): with Redis down, requests carrying a cookie
// and /readyz fail fast with 503 instead of hanging; with Postgres down the API answers 503
// DATABASE_UNAVAILABLE with Retry-After; both recover when the service returns. And a server with
// DATABASE_URL but no REDIS_URL refuses to start unless SINGLE_INSTANCE=true; one stopped the moment it
// is ready still stops gracefully.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from './helpers.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-outage-'));
let redisPort = 0;
let pgPort = 0;
let redis: ChildProcess | null = null;
let ctx: TestContext;
let cookie = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until('private redis', () => canConnect(redisPort));
}
async function stopRedis() {
  const proc = redis!;
  redis = null;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL'); // our own child, by its pid
  await exited;
}

// PostgreSQL refuses to run as root: then the private cluster runs as the `postgres` system user
const asRoot = process.getuid?.() === 0;
const pgRun = (bin: string, args: string[]) =>
  asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/${bin}`, ...args], { encoding: 'utf8' })
    : spawnSync(`${PG_BIN}/${bin}`, args, { encoding: 'utf8' });

const pgCtl = (...args: string[]) => {
  const res = pgRun('pg_ctl', ['-D', path.join(dir, 'pg'), '-w', '-t', '120', ...args]);
  if (res.status !== 0) throw new Error(`pg_ctl ${args.join(' ')}: ${res.stderr || res.stdout}`);
};
const startPostgres = () =>
  pgCtl('-l', path.join(dir, 'pg.log'), '-o', `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start');
const stopPostgres = () => pgCtl('-m', 'immediate', 'stop');

before(async () => {
  [redisPort, pgPort] = [await freePort(), await freePort()];
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(dir, id('-u'), id('-g'));
  }
  const init = pgRun('initdb', ['-D', path.join(dir, 'pg'), '-U', 'postgres', '-A', 'trust', '--no-sync']);
  assert.equal(init.status, 0, init.stderr);
  startPostgres();
  await startRedis();
  ctx = await createTestContext({
    env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/postgres`, REDIS_URL: `redis://127.0.0.1:${redisPort}` },
  });
  cookie = (await ctx.signUp()).cookie;
});

after(async () => {
  await ctx?.close().catch(() => {});
  if (redis) await stopRedis();
  try {
    stopPostgres();
  } catch {
    // already stopped
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function timed(url: string, headers: Record<string, string> = {}) {
  const t = performance.now();
  const res = await ctx.app.inject({ url, headers });
  return { res, ms: performance.now() - t };
}

test('Redis down: cookie requests and /readyz answer 503 within 2 s; cookie-less reads work; all recover', async () => {
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } })).statusCode, 200);
  await stopRedis();
  for (let i = 0; i < 3; i++) {
    const me = await timed('/api/v1/members/me', { cookie });
    assert.ok(me.ms <= 2000, `a cookie request answered in ${Math.round(me.ms)} ms`);
    assert.equal(me.res.statusCode, 503, me.res.body);
    assert.equal(me.res.headers['content-type']?.split(';')[0], 'application/problem+json');
    assert.equal(me.res.json().code, 'REDIS_UNAVAILABLE');
    assert.match(me.res.json().detail, /[가-힣]/);
    assert.ok(Number(me.res.headers['retry-after']) > 0);
    const ready = await timed('/readyz');
    assert.ok(ready.ms <= 2000, `/readyz answered in ${Math.round(ready.ms)} ms`);
    assert.equal(ready.res.statusCode, 503);
    assert.equal(ready.res.json().checks.redis, 'down');
  }
  // no cookie, no Redis needed
  assert.equal((await ctx.app.inject({ url: '/api/v1/categories' })).statusCode, 200);
  await startRedis();
  // the private Redis kept nothing (no persistence): the old session is gone, a new login works
  await until('recovery after Redis returns', async () =>
    (await ctx.app.inject({ url: '/readyz' })).statusCode === 200 &&
    (await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } })).statusCode !== 503);
  cookie = (await ctx.signUp()).cookie;
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } })).statusCode, 200);
});

test('Postgres down: the API answers 503 DATABASE_UNAVAILABLE with Retry-After, /readyz says so; then recovers', async () => {
  assert.equal((await ctx.app.inject({ url: '/api/v1/posts' })).statusCode, 200);
  stopPostgres();
  for (const url of ['/api/v1/posts', '/api/v1/categories', '/api/v1/members/1']) {
    const { res, ms } = await timed(url);
    assert.equal(res.statusCode, 503, `${url}: ${res.body}`);
    assert.equal(res.json().code, 'DATABASE_UNAVAILABLE', url);
    assert.match(res.json().detail, /[가-힣]/);
    assert.ok(Number(res.headers['retry-after']) > 0, url);
    assert.ok(ms <= 2000, `${url} answered in ${Math.round(ms)} ms`);
  }
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: 'a@example.com', password: 'password123' } });
  assert.equal(login.statusCode, 503, login.body);
  const ready = await ctx.app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.equal(ready.json().checks.database, 'down');
  startPostgres();
  await until('recovery after Postgres returns', async () => (await ctx.app.inject({ url: '/api/v1/posts' })).statusCode === 200);
});

test('DATABASE_URL without REDIS_URL refuses to start unless SINGLE_INSTANCE=true', async () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', SEED_DEMO: 'false', REDIS_URL: '', ...env },
      });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('ready on')) child.kill('SIGTERM'); // started: that is all we need to know
      });
      child.on('exit', (code) => resolve({ code, stderr, stdout }));
    });
  const url = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
  const refused = await run({ DATABASE_URL: url });
  assert.equal(refused.code, 1);
  const lines = refused.stderr.trim().split('\n');
  assert.equal(lines.length, 1, refused.stderr);
  assert.match(lines[0], /REDIS_URL.*SINGLE_INSTANCE=true/);
  const allowed = await run({ DATABASE_URL: url, SINGLE_INSTANCE: 'true', DATA_DIR: path.join(dir, 'data'), SHUTDOWN_DRAIN_MS: '200' });
  assert.match(allowed.stdout, /ready on/, allowed.stderr);
  // stopped the moment it was ready (background work still starting): a graceful stop, not a kill by the signal
  assert.match(allowed.stdout, /drain period over/, allowed.stderr);
  assert.match(allowed.stdout, /search warmed up/, 'the background start (with its warm-up search) finished before the stop');
  assert.equal(allowed.code, 0, allowed.stderr);
});
