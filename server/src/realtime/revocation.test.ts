// Logout and ban cut a member's open WebSockets on EVERY instance at once (SPEC §2), through the bus:
// two instances on the machine's real PostgreSQL and Redis, the periodic sweep set far beyond the test's
// deadlines, so only the revocation announcement can close the idle sockets in time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { IFrame, IMessage } from '@stomp/stompjs';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../../test/postgres.ts';
import { connectStomp, insertPost, waitFor, type TestStomp } from '../../test/factories.ts';

let database: TemporaryDatabase;
let a: TestContext, b: TestContext;
let wsA: string, wsB: string;
type User = { id: number; cookie: string };
let lender: User;

before(async () => {
  database = await createTemporaryDatabase('revoke');
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `${database.name}:`,
    STOMP_SESSION_CHECK_MS: '600000', // the sweep never runs during the test
  };
  a = await createTestContext({ env });
  b = await createTestContext({ env });
  wsA = `${(await a.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  wsB = `${(await b.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  lender = await a.signUp();
});

after(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

/** a borrower with a room, an idle subscribed socket on each instance, and the lender watching the room */
async function borrowerWatchingOnBoth(title: string) {
  const borrower = await b.signUp();
  const postId = await insertPost(a.deps.db, lender.id, title);
  const room = await b.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  assert.equal(room.statusCode, 201);
  const roomId = room.json().id as number;
  const sockets: { stomp: TestStomp; messages: IMessage[]; closed: boolean; error: IFrame | null }[] = [];
  for (const url of [wsA, wsB]) {
    const stomp = await connectStomp(url, borrower.cookie);
    const s = { stomp, messages: [] as IMessage[], closed: false, error: null as IFrame | null };
    stomp.client.onWebSocketClose = () => (s.closed = true);
    void stomp.nextError().then((f) => (s.error = f));
    await stomp.subscribe(`/topic/chat/${roomId}`, (m) => s.messages.push(m));
    sockets.push(s);
  }
  const watcher = await connectStomp(wsA, lender.cookie);
  const seen: string[] = [];
  await watcher.subscribe(`/topic/chat/${roomId}`, (m) => seen.push(JSON.parse(m.body).content));
  const say = async (content: string) => {
    await watcher.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content });
    await waitFor(() => seen.includes(content), `the lender sees "${content}"`);
  };
  // both idle sockets are live: they receive the room
  await say('잘 들리나요');
  await waitFor(() => sockets.every((s) => s.messages.length === 1), 'both borrower sockets receive the room');
  return { borrower, sockets, say, watcher };
}

async function expectCut(sockets: { closed: boolean; error: IFrame | null; messages: IMessage[] }[], say: (c: string) => Promise<void>) {
  const started = Date.now();
  await waitFor(() => sockets.every((s) => s.closed && s.error), 'ERROR and close on both instances', 3000);
  const ms = Date.now() - started;
  for (const s of sockets) assert.match(s.error!.headers.message, /세션이 만료/);
  // the room goes on; the cut sockets hear nothing more (the lender's own subscription is the witness)
  await say('이제 안 들려야 합니다');
  for (const s of sockets) assert.equal(s.messages.length, 1);
  return ms;
}

test('logout on one instance closes the member\'s idle sockets on both instances at once', async () => {
  const { borrower, sockets, say, watcher } = await borrowerWatchingOnBoth('로그아웃 즉시 차단 물건');
  const out = await b.app.inject({ method: 'POST', url: '/api/v1/members/logout', headers: { cookie: borrower.cookie } });
  assert.equal(out.statusCode < 300, true);
  const ms = await expectCut(sockets, say);
  console.log(`# logout → both sockets closed in ${ms} ms`);
  await watcher.close();
});

test('an admin ban on one instance closes the member\'s idle sockets on both instances at once', async () => {
  const { borrower, sockets, say, watcher } = await borrowerWatchingOnBoth('차단 즉시 차단 물건');
  const admin = await a.admin();
  const ban = await a.app.inject({ method: 'POST', url: `/api/v1/adm/members/${borrower.id}/ban`, headers: { cookie: admin.cookie }, payload: { reason: '스팸' } });
  assert.equal(ban.statusCode, 200);
  const ms = await expectCut(sockets, say);
  console.log(`# ban → both sockets closed in ${ms} ms`);
  // another member's sockets are untouched: the watcher still hears the room
  assert.equal(watcher.client.connected, true);
  await watcher.close();
});
