// Per-IP limits that a client cannot dodge and that cannot lock anyone out for good, on the real Redis;
// and a login whose duration does not tell whether an email is registered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createClient } from 'redis';
import { createTestContext, type TestContext } from './helpers.ts';
import { createRateLimiter } from '../src/http/rate-limit.ts';
import type { Redis } from '../src/deps.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
let redis: Redis;
const contexts: TestContext[] = [];

before(async () => {
  redis = createClient({ url: REDIS_URL });
  await redis.connect();
});
after(async () => {
  for (const c of contexts) await c.close();
  await redis?.quit();
});

/** An app on the real Redis, with a private key prefix and the given settings. */
async function app(env: Record<string, string>) {
  const ctx = await createTestContext({ env: { REDIS_URL, REDIS_PREFIX: `test-${crypto.randomUUID()}:`, ...env } });
  contexts.push(ctx);
  return ctx;
}

const isProblem429 = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }) =>
  res.statusCode === 429 &&
  String(res.headers['content-type']).startsWith('application/problem+json') &&
  Number(res.headers['retry-after']) > 0 &&
  /[가-힣]/.test(res.json().detail);

test('behind the proxy only its hop is trusted: a client-sent X-Forwarded-For cannot rotate the login key', async () => {
  const ctx = await app({ TRUST_PROXY: 'true', LOGIN_RATE_LIMIT_MAX: '5' });
  const member = await ctx.signUp();
  const login = (xff: string) =>
    ctx.app.inject({
      method: 'POST', url: '/api/v1/members/login', remoteAddress: '10.0.0.2', // nginx
      payload: { email: member.email, password: 'wrong-password' }, headers: { 'x-forwarded-for': xff },
    });
  const statuses: number[] = [];
  // the client writes its own left part; our nginx appends the address it saw (the right-most entry)
  for (let i = 0; i < 8; i++) statuses.push((await login(`203.0.113.${i + 1}, 198.51.100.7`)).statusCode);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  const limited = await login('203.0.113.99, 198.51.100.7');
  assert.ok(isProblem429(limited), limited.body);
  // another real client (another right-most address) is not affected
  assert.equal((await login('198.51.100.8')).statusCode, 401);
});

test('login is limited per IP across emails', async () => {
  const ctx = await app({ LOGIN_IP_RATE_LIMIT_MAX: '20', LOGIN_RATE_LIMIT_MAX: '10' });
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/members/login', remoteAddress: '192.0.2.10',
      payload: { email: `nobody${i}@example.com`, password: 'password123' },
    });
    statuses.push(res.statusCode);
    if (res.statusCode === 429) assert.ok(isProblem429(res), res.body);
  }
  assert.deepEqual(statuses, [...Array(20).fill(401), ...Array(5).fill(429)]);
  // a different address still may log in
  const other = await ctx.app.inject({
    method: 'POST', url: '/api/v1/members/login', remoteAddress: '192.0.2.11', payload: { email: 'x@example.com', password: 'password123' },
  });
  assert.equal(other.statusCode, 401);
});

test('search and AI search are limited per IP with a 429 problem and Retry-After', async () => {
  const ctx = await app({ SEARCH_RATE_LIMIT_MAX: '5', AI_SEARCH_RATE_LIMIT_MAX: '2' });
  for (const [url, max] of [['/api/v1/search?q=텐트', 5], ['/api/v1/search-ai?q=텐트', 2]] as const) {
    const statuses: number[] = [];
    for (let i = 0; i < max + 2; i++) {
      const res = await ctx.app.inject({ url: encodeURI(url), remoteAddress: '192.0.2.20' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        assert.ok(isProblem429(res), res.body);
        assert.equal(res.json().code, 'TOO_MANY_REQUESTS');
      }
    }
    assert.deepEqual(statuses, [...Array(max).fill(200), 429, 429], url);
    assert.equal((await ctx.app.inject({ url: encodeURI(url), remoteAddress: '192.0.2.21' })).statusCode, 200, 'other clients search on');
  }
});

test('a Redis window always has a TTL: counting and expiry are one atomic step, and a TTL-less key heals', async () => {
  const prefix = `test-${crypto.randomUUID()}:`;
  const limiter = createRateLimiter({ max: 3, windowMs: 60_000, redis, prefix, name: 'unit' });
  const key = `${prefix}rl:unit:1.2.3.4`;
  assert.equal(await limiter.hit('1.2.3.4'), 0);
  const ttl = Number(await redis.pTTL(key));
  assert.ok(ttl > 0 && ttl <= 60_000, `first hit sets the window (${ttl})`);
  for (let i = 0; i < 2; i++) assert.equal(await limiter.hit('1.2.3.4'), 0);
  assert.ok((await limiter.hit('1.2.3.4')) > 0, 'the 4th hit is over the limit');
  assert.ok(Number(await redis.pTTL(key)) > 0);

  // a key left without a TTL (the old INCR-then-PEXPIRE could crash between the two) must not lock forever
  const stuck = `${prefix}rl:unit:5.6.7.8`;
  await redis.set(stuck, '100');
  assert.equal(Number(await redis.pTTL(stuck)), -1);
  const wait = await limiter.hit('5.6.7.8');
  assert.ok(wait > 0 && wait <= 60, `limited for at most one window (${wait} s)`);
  const healed = Number(await redis.pTTL(stuck));
  assert.ok(healed > 0 && healed <= 60_000, `the key got a TTL (${healed})`);

  // many concurrent first hits: one window, every key with a TTL
  const burst = createRateLimiter({ max: 1000, windowMs: 30_000, redis, prefix, name: 'burst' });
  await Promise.all(Array.from({ length: 200 }, () => burst.hit('9.9.9.9')));
  assert.equal(Number(await redis.get(`${prefix}rl:burst:9.9.9.9`)), 200);
  assert.ok(Number(await redis.pTTL(`${prefix}rl:burst:9.9.9.9`)) > 0);
  await redis.del([key, stuck, `${prefix}rl:burst:9.9.9.9`]);
});

test('login takes as long for an unknown email as for a wrong password (no account enumeration by timing)', async () => {
  const ctx = await app({ LOGIN_RATE_LIMIT_MAX: '1000', LOGIN_IP_RATE_LIMIT_MAX: '1000' });
  const member = await ctx.signUp();
  // CPU time of the process (argon2 runs on libuv's threads, which it counts too) measures the work a
  // login does without the machine's load in it; wall time, what an attacker sees, is printed beside it.
  const time = async (email: string) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email, password: 'not-the-password' } });
    const used = process.cpuUsage(cpu);
    const ms = { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'BAD_CREDENTIALS');
    return ms;
  };
  await time('warmup@example.com');
  const known: { wall: number; cpu: number }[] = [];
  const unknown: { wall: number; cpu: number }[] = [];
  // interleaved, so load on the machine falls on both alike
  for (let i = 0; i < 21; i++) {
    known.push(await time(member.email));
    unknown.push(await time(`nobody-${i}@example.com`));
  }
  const median = (xs: { wall: number; cpu: number }[], of: 'wall' | 'cpu') => xs.map((m) => m[of]).sort((a, b) => a - b)[xs.length >> 1];
  const ratio = (of: 'wall' | 'cpu') => median(unknown, of) / median(known, of);
  for (const of of ['wall', 'cpu'] as const) {
    console.log(`login median ${of}: wrong password ${median(known, of).toFixed(1)} ms, unknown email ${median(unknown, of).toFixed(1)} ms (ratio ${ratio(of).toFixed(2)})`);
  }
  // without the dummy hash an unknown email skipped argon2 entirely (ratio ≈ 0.2 in both)
  assert.ok(ratio('cpu') > 0.6 && ratio('cpu') < 1.6, `cpu ratio ${ratio('cpu').toFixed(2)}`);
});
