// STOMP limits and the chat send rate (issue 9 points 4 and 8): each cap answers with a clear ERROR frame;
// a chat burst is mostly refused without dropping the session, and normal chat goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createClient } from 'redis';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { TEST_REDIS_URL } from '../../test/postgres.ts';
import { encodeFrame } from './stomp-codec.ts';
import { insertPost, rawStomp, waitFor, type RawStomp } from '../../test/factories.ts';
import { chatSendLimiter } from '../modules/chat/send-limit.ts';
import type { Deps } from '../deps.ts';

let ctx: TestContext;
let url: string;
type User = { id: number; cookie: string };
let lender: User, borrower: User;
let roomId: number;

const BURST = 10;
const PER_MINUTE = 60; // one a second: a refused sender waits about a second

before(async () => {
  ctx = await createTestContext({
    env: {
      STOMP_HEARTBEAT_MS: '0',
      STOMP_MAX_SOCKETS_PER_MEMBER: '3',
      STOMP_MAX_SUBSCRIPTIONS: '5',
      STOMP_MAX_TRANSACTIONS: '2',
      STOMP_MAX_TRANSACTION_FRAMES: '3',
      CHAT_SEND_BURST: String(BURST),
      CHAT_SEND_PER_MINUTE: String(PER_MINUTE),
    },
  });
  url = `${(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  lender = await ctx.signUp();
  borrower = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '제한 시험 물건');
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  roomId = res.json().id;
});
after(() => ctx.close());

async function connected(cookie: string): Promise<RawStomp> {
  const raw = await rawStomp(url, cookie);
  raw.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0' }));
  await raw.next('CONNECTED');
  return raw;
}

test('subscriptions per socket: one more than STOMP_MAX_SUBSCRIPTIONS is an ERROR and the socket closes', async () => {
  const raw = await connected(borrower.cookie);
  for (let i = 0; i < 5; i++) {
    raw.send('SUBSCRIBE', { id: `s${i}`, destination: `/topic/chat/${roomId}`, receipt: `r${i}` });
    await raw.next('RECEIPT');
  }
  raw.send('SUBSCRIBE', { id: 's5', destination: `/topic/chat/${roomId}`, receipt: 'r5' });
  const err = await raw.next('ERROR');
  assert.equal(err.headers['receipt-id'], 'r5');
  assert.match(err.headers.message, /구독은 최대 5개/);
  assert.equal((await raw.closed).code, 1008);
});

test('sockets per member: the one over STOMP_MAX_SOCKETS_PER_MEMBER gets an ERROR frame; others are unaffected', async () => {
  const member = await ctx.signUp();
  const open = [await connected(member.cookie), await connected(member.cookie), await connected(member.cookie)];
  const extra = await rawStomp(url, member.cookie);
  const err = await extra.next('ERROR');
  assert.match(err.headers.message, /연결은 최대 3개/);
  assert.equal((await extra.closed).code, 1008);
  // another member is not counted against this one
  const other = await connected(lender.cookie);
  other.ws.close();
  // closing one frees a place
  open[0].ws.close();
  await open[0].closed;
  await waitFor(async () => {
    const again = await rawStomp(url, member.cookie);
    again.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost' }));
    const first = await Promise.race([again.next('CONNECTED'), again.next('ERROR')]);
    again.ws.close();
    return first.command === 'CONNECTED';
  }, 'a freed place');
  for (const r of open.slice(1)) r.ws.close();
});

test('transactions: SENDs buffered per transaction and open transactions are capped with an ERROR', async () => {
  const raw = await connected(borrower.cookie);
  raw.send('BEGIN', { transaction: 't1' });
  for (let i = 0; i < 3; i++) {
    raw.send('SEND', { destination: `/app/chat/${roomId}`, transaction: 't1', receipt: `b${i}` }, JSON.stringify({ clientId: crypto.randomUUID(), content: `tx ${i}` }));
    await raw.next('RECEIPT');
  }
  raw.send('SEND', { destination: `/app/chat/${roomId}`, transaction: 't1', receipt: 'b3' }, JSON.stringify({ clientId: crypto.randomUUID(), content: 'tx 3' }));
  const err = await raw.next('ERROR');
  assert.equal(err.headers['receipt-id'], 'b3');
  assert.match(err.headers.message, /SEND 를 최대 3개/);
  await raw.closed;
  // nothing of the refused transaction was stored
  assert.equal(await ctx.deps.db.one("SELECT 1 FROM chat_messages WHERE content LIKE 'tx %'"), undefined);

  const many = await connected(borrower.cookie);
  many.send('BEGIN', { transaction: 'a', receipt: 'ba' });
  many.send('BEGIN', { transaction: 'b', receipt: 'bb' });
  await many.next('RECEIPT');
  await many.next('RECEIPT');
  many.send('BEGIN', { transaction: 'c', receipt: 'bc' });
  const tooMany = await many.next('ERROR');
  assert.equal(tooMany.headers['receipt-id'], 'bc');
  assert.match(tooMany.headers.message, /트랜잭션은 최대 2개/);
  await many.closed;
});

test('chat: a burst of 300 sends is mostly refused with a retry-after ERROR, the socket stays open and normal chat works', async () => {
  const sender = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '폭주 시험 물건');
  const room = (await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: sender.cookie }, payload: { postId } })).json();
  const watcher = await connected(lender.cookie);
  watcher.send('SUBSCRIBE', { id: 'w', destination: `/topic/chat/${room.id}`, receipt: 'w' });
  await watcher.next('RECEIPT');

  const raw = await connected(sender.cookie);
  const started = Date.now();
  for (let i = 0; i < 300; i++) {
    raw.send('SEND', { destination: `/app/chat/${room.id}`, receipt: `m${i}` }, JSON.stringify({ clientId: crypto.randomUUID(), content: `폭주 ${i}` }));
  }
  // answers collect in raw.frames (no waiter registered): one RECEIPT or ERROR per SEND, in order
  const answers = () => raw.frames.filter((f) => f.command === 'RECEIPT' || f.command === 'ERROR');
  await waitFor(() => answers().length >= 300, 'an answer to every SEND', 60_000);
  let accepted = 0;
  let refused = 0;
  const retryAfter: number[] = [];
  for (const f of answers()) {
    if (f.command === 'RECEIPT') accepted++;
    else {
      refused++;
      assert.equal(f.headers.code, 'CHAT_RATE_LIMITED');
      assert.match(f.headers['receipt-id'], /^m\d+$/);
      assert.match(f.headers.message, /너무 빨리/);
      retryAfter.push(Number(f.headers['retry-after']));
    }
  }
  const elapsedS = (Date.now() - started) / 1000;
  const allowance = BURST + Math.ceil(elapsedS * (PER_MINUTE / 60)) + 1;
  console.log(`# 300 sends in ${elapsedS.toFixed(2)} s: ${accepted} accepted, ${refused} refused (allowance ${allowance})`);
  assert.ok(accepted >= BURST && accepted <= allowance, `accepted ${accepted}`);
  assert.ok(refused >= 300 - allowance, `refused ${refused}`);
  assert.ok(refused > 2 * accepted, `mostly refused: ${refused} of 300`);
  assert.ok(retryAfter.every((s) => Number.isInteger(s) && s >= 1));
  const stored = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [room.id]);
  assert.equal(stored!.n, accepted);

  // the same socket is still open; once the bucket refills, a normal message is stored and delivered
  assert.equal(raw.ws.readyState, raw.ws.OPEN);
  raw.frames.length = 0;
  let attempt = 0;
  await waitFor(async () => {
    const receipt = `normal-${++attempt}`;
    raw.send('SEND', { destination: `/app/chat/${room.id}`, receipt }, JSON.stringify({ clientId: crypto.randomUUID(), content: '안녕하세요, 이제 천천히' }));
    await waitFor(() => raw.frames.some((f) => f.headers['receipt-id'] === receipt), 'an answer');
    return raw.frames.some((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === receipt);
  }, 'a normal message after the burst', 5000);
  await waitFor(() => watcher.frames.some((f) => f.command === 'MESSAGE' && JSON.parse(f.body.toString()).content === '안녕하세요, 이제 천천히'), 'delivered to the other party');

  // HTTP sends draw from the same bucket: 429 with Retry-After and a Korean detail
  const burst = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/chats/${room.id}/messages`, headers: { cookie: sender.cookie }, payload: { clientId: crypto.randomUUID(), content: `http ${i}` } })));
  assert.ok(burst.every((r) => r.statusCode === 201 || r.statusCode === 429));
  const limited = burst.find((r) => r.statusCode === 429);
  assert.ok(limited, 'HTTP sends are limited too');
  assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.match(limited.json().detail, /너무 빨리/);
  assert.equal(limited.json().code, 'CHAT_RATE_LIMITED');
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  raw.ws.close();
  watcher.ws.close();
});

test('server mode: the bucket lives in Redis, so two instances share one allowance', async () => {
  const prefix = `chat-limit-test-${crypto.randomUUID()}:`;
  const clients = [createClient({ url: TEST_REDIS_URL }), createClient({ url: TEST_REDIS_URL })];
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const limiters = clients.map((redis) =>
      chatSendLimiter({ redis, config: { redisPrefix: prefix, chatSendLimit: { burst: BURST, perMinute: 60 } } } as unknown as Deps)!,
    );
    const started = Date.now();
    const waits = await Promise.all(Array.from({ length: 300 }, (_, i) => limiters[i % 2].take(42)));
    const elapsedS = (Date.now() - started) / 1000;
    const accepted = waits.filter((w) => w === 0).length;
    console.log(`# Redis bucket, 300 takes over 2 instances in ${elapsedS.toFixed(2)} s: ${accepted} accepted`);
    assert.ok(accepted >= BURST && accepted <= BURST + Math.ceil(elapsedS) + 1, `accepted ${accepted}`);
    assert.ok(waits.filter((w) => w > 0).every((w) => w >= 1 && w <= 1));
    // another member has a bucket of their own
    assert.equal(await limiters[0].take(43), 0);
    await clients[0].del([`${prefix}chat-send:42`, `${prefix}chat-send:43`]);
  } finally {
    await Promise.all(clients.map((c) => c.quit()));
  }
});
