// The per-member socket cap holds for the whole cluster (issue 9 point 4): two instances on the real
// PostgreSQL and Redis count one member's sockets together; a closed socket frees its place on any
// instance; leases are renewed by the owning instance's sweep, and the sockets of an instance that died
// without closing them stop counting once their lease runs out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../../test/postgres.ts';
import { rawStomp, waitFor, type RawStomp, type User } from '../../test/factories.ts';
import { encodeFrame } from './stomp-codec.ts';

const CAP = 3;
/** sweep (and lease renewal) every 200 ms: leases last 600 ms */
const SWEEP_MS = 200;

let database: TemporaryDatabase;
let a: TestContext, b: TestContext;
let urlA: string, urlB: string;
let member: User;

before(async () => {
  database = await createTemporaryDatabase('cap');
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `${database.name}:`,
    STOMP_HEARTBEAT_MS: '0',
    STOMP_MAX_SOCKETS_PER_MEMBER: String(CAP),
    STOMP_SESSION_CHECK_MS: String(SWEEP_MS),
  };
  a = await createTestContext({ env });
  b = await createTestContext({ env });
  urlA = `${(await a.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  urlB = `${(await b.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  member = await a.signUp('연결많은회원');
});
after(async () => {
  await a.close();
  await b.close();
  await database?.drop();
});

const leasesKey = () => `${database.name}:ws-sockets:${member.id}`;

/** a socket's first answer to CONNECT: CONNECTED, or the ERROR of a refusal */
async function attempt(url: string): Promise<{ raw: RawStomp; command: string; message?: string }> {
  const raw = await rawStomp(url, member.cookie);
  raw.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0' }));
  const first = await Promise.race([raw.next('CONNECTED'), raw.next('ERROR')]);
  return { raw, command: first.command, message: first.headers.message };
}

test('one member\'s sockets are counted across instances; a freed place is free on either; leases are renewed', async () => {
  const open = [await attempt(urlA), await attempt(urlB), await attempt(urlA)];
  assert.deepEqual(open.map((o) => o.command), ['CONNECTED', 'CONNECTED', 'CONNECTED']);
  // the fourth is refused on either instance, although each holds fewer than the cap itself
  for (const url of [urlB, urlA]) {
    const extra = await attempt(url);
    assert.equal(extra.command, 'ERROR');
    assert.match(extra.message ?? '', new RegExp(`연결은 최대 ${CAP}개`));
    assert.equal((await extra.raw.closed).code, 1008);
  }
  // the refused attempts never counted, and a socket closed on A frees a place on B
  assert.equal(await a.deps.redis!.zCard(leasesKey()), CAP);
  open[0].raw.ws.close();
  let onB: Awaited<ReturnType<typeof attempt>> | null = null;
  await waitFor(async () => {
    const tried = await attempt(urlB);
    if (tried.command === 'CONNECTED') onB = tried;
    else await tried.raw.closed;
    return tried.command === 'CONNECTED';
  }, 'the freed place taken on B');
  // leases are renewed while the sockets stay open: every score moves forward beyond its first value
  const first = new Map((await a.deps.redis!.zRangeWithScores(leasesKey(), 0, -1)).map((e) => [e.value, e.score]));
  await waitFor(async () => (await a.deps.redis!.zRangeWithScores(leasesKey(), 0, -1)).every((e) => e.score > (first.get(e.value) ?? Infinity)), 'renewed leases');
  for (const o of [...open.slice(1), onB!]) o.raw.ws.close();
  await waitFor(async () => (await a.deps.redis!.zCard(leasesKey())) === 0, 'every socket uncounted after closing');
});

test('sockets of an instance that died without closing them stop counting when their lease runs out', async () => {
  // three sockets of a crashed instance: leases nobody renews
  const expiresAt = Date.now() + 3 * SWEEP_MS;
  await a.deps.redis!.zAdd(leasesKey(), ['ghost-1', 'ghost-2', 'ghost-3'].map((value) => ({ score: expiresAt, value })));
  const refused = await attempt(urlA);
  assert.equal(refused.command, 'ERROR');
  await refused.raw.closed;
  let admitted: RawStomp | null = null;
  await waitFor(async () => {
    const tried = await attempt(urlB);
    if (tried.command === 'CONNECTED') admitted = tried.raw;
    else await tried.raw.closed;
    return tried.command === 'CONNECTED';
  }, 'admitted once the dead leases expire');
  assert.ok(Date.now() >= expiresAt - 50, 'not admitted before the dead leases ran out');
  admitted!.ws.close();
});
