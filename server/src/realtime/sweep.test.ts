// The periodic session sweep of open WebSockets (the backstop for sessions that expire without an
// announcement): one batch for all sockets, never a query per socket, and never two sweeps at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestContext, freshDatabase, type TestContext } from '../../test/helpers.ts';
import type { Database, Queryable } from '../db/client.ts';
import { Sql } from '../db/sql.ts';
import { encodeFrame } from './stomp-codec.ts';
import { rawStomp, waitFor, type RawStomp } from '../../test/factories.ts';

const SOCKETS = 12;
let ctx: TestContext;
let url: string;
/** statements seen, by kind; the sweep's batch statement can be slowed down */
const seen = { batch: 0, single: 0, inFlight: 0, maxInFlight: 0 };
let batchDelayMs = 0;

function observed(db: Database): Database {
  const watch = <Q extends Queryable>(q: Q): Q => {
    const run = async <T>(text: unknown, go: () => Promise<T>) => {
      const s = text instanceof Sql ? text.toQuery().text : String(text);
      if (/FROM sessions WHERE id = ANY/.test(s)) {
        seen.batch++;
        seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
        try {
          if (batchDelayMs) await sleep(batchDelayMs);
          return await go();
        } finally {
          seen.inFlight--;
        }
      }
      if (/FROM sessions WHERE id = \$1/.test(s)) seen.single++;
      return go();
    };
    return {
      ...q,
      query: (text: Parameters<Queryable['query']>[0], params?: unknown[]) => run(text, () => q.query(text, params)),
      one: (text: Parameters<Queryable['one']>[0], params?: unknown[]) => run(text, () => q.one(text, params)),
    };
  };
  return { ...watch(db), transaction: (fn) => db.transaction((tx) => fn(watch(tx))) };
}

before(async () => {
  ctx = await createTestContext({ db: observed(await freshDatabase()), env: { STOMP_HEARTBEAT_MS: '0', STOMP_SESSION_CHECK_MS: '100' } });
  url = `${(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
});
after(() => ctx.close());

async function connected(cookie: string): Promise<RawStomp> {
  const raw = await rawStomp(url, cookie);
  raw.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost' }));
  await raw.next('CONNECTED');
  return raw;
}

test('one batched lookup per sweep for all sockets; an expired session is closed by it; sweeps never overlap', async () => {
  const members = await Promise.all(Array.from({ length: SOCKETS }, () => ctx.signUp()));
  const sockets = await Promise.all(members.map((m) => connected(m.cookie)));
  seen.single = 0;
  const before = seen.batch;
  await waitFor(() => seen.batch >= before + 3, 'three sweeps');
  assert.equal(seen.single, 0, 'no per-socket session lookup while the sockets are idle');

  // a session that expires (no logout, nothing announced) is found by the next sweep
  await ctx.deps.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE member_id = $1`, [members[0].id]);
  const err = await sockets[0].next('ERROR');
  assert.match(err.headers.message, /세션이 만료/);
  assert.equal((await sockets[0].closed).code, 1008);
  assert.ok(sockets.slice(1).every((s) => s.ws.readyState === s.ws.OPEN), 'the others stay open');

  // a sweep slower than the interval is not overlapped by the next ones
  seen.maxInFlight = 0;
  batchDelayMs = 450;
  const slow = seen.batch;
  await waitFor(() => seen.batch >= slow + 2, 'two slow sweeps', 10_000);
  batchDelayMs = 0;
  console.log(`# ${SOCKETS} sockets: ${seen.batch} batched sweeps, ${seen.single} single lookups, at most ${seen.maxInFlight} sweep in flight`);
  assert.equal(seen.maxInFlight, 1);
  for (const s of sockets) s.ws.close();
});
