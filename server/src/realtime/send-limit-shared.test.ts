// The chat send limit is one bucket per member across instances (issue 9 point 8): two instances share
// the machine's real PostgreSQL (a database of this file's own) and Redis (a prefix of its own). A member
// connected to both sends CHAT_SEND_BURST messages, alternating instances, and every one is accepted;
// the next one — on either instance — is refused with the STOMP ERROR CHAT_RATE_LIMITED (retry-after),
// as is an HTTP send (429). The refill is one a minute, so no token comes back during the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../../test/postgres.ts';
import { insertPost, rawStomp, waitFor, type RawStomp } from '../../test/factories.ts';
import { encodeFrame } from './stomp-codec.ts';

const BURST = 6;

let database: TemporaryDatabase;
let a: TestContext & { ws: string };
let b: TestContext & { ws: string };

async function instance() {
  const ctx = await createTestContext({
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `${database.name}:`, // this file's own buckets and channels on the shared Redis
      STOMP_HEARTBEAT_MS: '0',
      CHAT_SEND_BURST: String(BURST),
      CHAT_SEND_PER_MINUTE: '1',
    },
  });
  const http = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  return Object.assign(ctx, { ws: `${http.replace('http', 'ws')}/ws` });
}

before(async () => {
  database = await createTemporaryDatabase('sendlimit');
  a = await instance();
  b = await instance();
});
after(async () => {
  for (const ctx of [a, b]) await ctx?.close();
  await database?.drop();
});

async function connected(url: string, cookie: string): Promise<RawStomp> {
  const raw = await rawStomp(url, cookie);
  raw.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0' }));
  await raw.next('CONNECTED');
  return raw;
}

let receipts = 0;
/** One chat SEND with a receipt; resolves with the RECEIPT or ERROR answering it. */
async function send(raw: RawStomp, roomId: number, content: string) {
  const receipt = `m${++receipts}`;
  raw.send('SEND', { destination: `/app/chat/${roomId}`, receipt }, JSON.stringify({ clientId: crypto.randomUUID(), content }));
  const answer = () => raw.frames.find((f) => f.headers['receipt-id'] === receipt);
  await waitFor(() => !!answer(), `the answer to ${receipt}`);
  return answer()!;
}

test(`a member's sends on two instances draw from one bucket: ${BURST} accepted, the next refused on either`, async () => {
  const lender = await a.signUp();
  const sender = await b.signUp();
  const postId = await insertPost(a.deps.db, lender.id, '공유 한도 시험 물건');
  const opened = await a.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: sender.cookie }, payload: { postId } });
  assert.equal(opened.statusCode, 201, opened.body);
  const roomId = opened.json().id as number;
  const onA = await connected(a.ws, sender.cookie);
  const onB = await connected(b.ws, sender.cookie);

  // the burst, alternating instances: each instance alone would still have tokens left at the end
  for (let i = 0; i < BURST; i++) {
    const answer = await send(i % 2 ? onB : onA, roomId, `메시지 ${i + 1}`);
    assert.equal(answer.command, 'RECEIPT', `send ${i + 1} on ${i % 2 ? 'B' : 'A'}: ${answer.headers.message ?? ''}`);
  }
  // the (BURST + 1)th, on either instance, is refused with a retryable ERROR and the socket stays open
  for (const [name, raw] of [['A', onA], ['B', onB]] as const) {
    const refused = await send(raw, roomId, `한도 초과 (${name})`);
    assert.equal(refused.command, 'ERROR', `send ${BURST + 1} on ${name} was accepted`);
    assert.equal(refused.headers.code, 'CHAT_RATE_LIMITED');
    assert.match(refused.headers.message, /너무 빨리/);
    assert.ok(Number(refused.headers['retry-after']) >= 1, `retry-after ${refused.headers['retry-after']}`);
    assert.equal(raw.ws.readyState, raw.ws.OPEN, `the socket on ${name} stays open`);
  }
  // an HTTP send on either instance draws from the same bucket
  for (const ctx of [a, b]) {
    const res = await ctx.app.inject({
      method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: sender.cookie }, payload: { clientId: crypto.randomUUID(), content: 'HTTP 로' },
    });
    assert.equal(res.statusCode, 429, res.body);
    assert.equal(res.json().code, 'CHAT_RATE_LIMITED');
  }
  // the other party has a bucket of their own
  const reply = await connected(b.ws, lender.cookie);
  assert.equal((await send(reply, roomId, '네, 천천히 보내 주세요')).command, 'RECEIPT');

  const stored = await a.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1 AND sender_id = $2', [roomId, sender.id]);
  assert.equal(stored!.n, BURST);
  for (const raw of [onA, onB, reply]) raw.ws.close();
});

test(`${4 * BURST} sends at once, half on each instance: exactly ${BURST} accepted (the bucket is taken atomically)`, async () => {
  const lender = await a.signUp();
  const sender = await a.signUp();
  const postId = await insertPost(a.deps.db, lender.id, '동시 한도 시험 물건');
  const roomId = (await b.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: sender.cookie }, payload: { postId } })).json().id as number;
  const sockets = [await connected(a.ws, sender.cookie), await connected(b.ws, sender.cookie)];
  const answers = await Promise.all(Array.from({ length: 4 * BURST }, (_, i) => send(sockets[i % 2], roomId, `동시 ${i}`)));
  const accepted = answers.filter((f) => f.command === 'RECEIPT').length;
  assert.equal(accepted, BURST, `accepted ${accepted} of ${answers.length}`);
  assert.ok(answers.every((f) => f.command === 'RECEIPT' || f.headers.code === 'CHAT_RATE_LIMITED'));
  const stored = await b.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]);
  assert.equal(stored!.n, BURST);
  for (const raw of sockets) raw.ws.close();
});
