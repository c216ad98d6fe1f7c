// Two instances on the machine's real PostgreSQL and Redis (a dedicated database, dropped at the end):
// chat and notifications cross instances, order per room holds, and clients of a killed instance
// reconnect to the other and, after resyncing by sequence, hold every message exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Client, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../../test/postgres.ts';
import { connectStomp, insertPost, STOMP_PROTOCOLS, waitFor } from '../../test/factories.ts';

let database: TemporaryDatabase;

let a: TestContext, b: TestContext;
let httpA: string, httpB: string;
let aAlive = true;
type User = { id: number; cookie: string };
let lender: User, borrower: User;

before(async () => {
  database = await createTemporaryDatabase('rt');
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `${database.name}:`, // Pub/Sub channels are shared by every database on this Redis
    STOMP_HEARTBEAT_MS: '10000',
  };
  a = await createTestContext({ env });
  b = await createTestContext({ env });
  httpA = await a.app.listen({ port: 0, host: '127.0.0.1' });
  httpB = await b.app.listen({ port: 0, host: '127.0.0.1' });
  lender = await a.signUp();
  borrower = await b.signUp();
});

after(async () => {
  if (aAlive) await a.close();
  await b.close();
  await database?.drop();
});

const ws = (http: string) => `${http.replace('http', 'ws')}/ws`;

async function openRoom(title: string) {
  const postId = await insertPost(a.deps.db, lender.id, title);
  const res = await b.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  assert.equal(res.statusCode, 201);
  return res.json().id as number;
}

test('a message sent on B reaches a subscriber on A; notifications cross both ways', async () => {
  const roomId = await openRoom('두 인스턴스 텐트');
  const onA = await connectStomp(ws(httpA), lender.cookie);
  const onB = await connectStomp(ws(httpB), borrower.cookie);
  const roomOnA: IMessage[] = [];
  const notesOnA: IMessage[] = [];
  const notesOnB: IMessage[] = [];
  await onA.subscribe(`/topic/chat/${roomId}`, (m) => roomOnA.push(m));
  await onA.subscribe('/user/queue/notifications', (m) => notesOnA.push(m));
  await onB.subscribe('/user/queue/notifications', (m) => notesOnB.push(m));

  await onB.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: 'B 에서 보냅니다' });
  await waitFor(() => roomOnA.length === 1, 'message on A');
  assert.equal(JSON.parse(roomOnA[0].body).content, 'B 에서 보냅니다');
  // a notification created on B reaches the lender connected to A, and the other way round
  await b.deps.notifications.notify({ memberId: lender.id, type: 'RESERVATION_STATUS', title: '예약 요청이 도착했어요' });
  await waitFor(() => notesOnA.some((m) => JSON.parse(m.body).title === '예약 요청이 도착했어요'), 'notification B → A');
  await a.deps.notifications.notify({ memberId: borrower.id, type: 'RESERVATION_STATUS', title: '예약이 승인되었어요' });
  await waitFor(() => notesOnB.some((m) => JSON.parse(m.body).title === '예약이 승인되었어요'), 'notification A → B');
  // a lender reply on A notifies the borrower on B (a new burst for the borrower)
  await onA.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: 'A 에서 답장' });
  await waitFor(() => notesOnB.some((m) => JSON.parse(m.body).type === 'CHAT_MESSAGE'), 'chat notification A → B');
  assert.ok(notesOnA.every((m) => JSON.parse(m.body).memberId === lender.id));
  assert.ok(notesOnB.every((m) => JSON.parse(m.body).memberId === borrower.id));
  await Promise.all([onA.close(), onB.close()]);
});

test('concurrent senders on both instances: every subscriber sees the room in sequence order, once', async () => {
  const roomId = await openRoom('순서 테스트 물건');
  const watchers = await Promise.all([connectStomp(ws(httpA), lender.cookie), connectStomp(ws(httpB), borrower.cookie)]);
  const seen: number[][] = [[], []];
  await Promise.all(watchers.map((w, i) => w.subscribe(`/topic/chat/${roomId}`, (m) => seen[i].push(JSON.parse(m.body).seq))));
  const senders = await Promise.all([connectStomp(ws(httpA), lender.cookie), connectStomp(ws(httpB), borrower.cookie)]);
  const perSender = 25;
  await Promise.all(
    senders.map((s, i) =>
      Promise.all(Array.from({ length: perSender }, (_, k) => s.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: `${i}-${k}` }))),
    ),
  );
  // the same clientId retried at once on both instances is stored once and leaves no hole in the sequence
  const clientId = crypto.randomUUID();
  const api = (ctx: TestContext) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: borrower.cookie }, payload: { clientId, content: '재시도' } });
  const retried = await Promise.all([api(a), api(b), api(a), api(b)]);
  assert.equal(new Set(retried.map((r) => r.json().id)).size, 1);
  const total = perSender * 2 + 1;
  // one more message as a barrier: once it is seen, any duplicate of the earlier ones would have been seen too
  await senders[0].send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: '끝' });
  await waitFor(() => seen.every((s) => s.includes(total + 1)), 'all messages and the barrier on both instances');
  const expected = Array.from({ length: total + 1 }, (_, i) => i + 1);
  assert.deepEqual(seen[0], expected);
  assert.deepEqual(seen[1], expected);
  await Promise.all([...watchers, ...senders].map((c) => c.close()));
});

/** a chat client as the web app behaves: subscribe on every (re)connect, then fetch what it missed by sequence */
class ResyncingClient {
  store = new Map<number, { seq: number; clientId: string; content: string }>();
  liveDuplicates = 0;
  connects = 0;
  resyncs = 0;
  client: Client;

  constructor(
    private cookie: string,
    private roomId: number,
    private pick: () => string,
  ) {
    this.client = new Client({
      webSocketFactory: () => new WebSocket(ws(this.pick()), STOMP_PROTOCOLS, { headers: { cookie } }),
      reconnectDelay: 100,
      heartbeatIncoming: 10_000,
      heartbeatOutgoing: 10_000,
      debug: () => {},
      onConnect: () => this.onConnect(),
    });
    this.client.onWebSocketError = () => {};
  }

  private onConnect() {
    this.connects++;
    const liveThisConnection = new Set<number>();
    const receipt = crypto.randomUUID();
    this.client.watchForReceipt(receipt, () => void this.resync());
    this.client.subscribe(
      `/topic/chat/${this.roomId}`,
      (m) => {
        const msg = JSON.parse(m.body);
        if (liveThisConnection.has(msg.seq)) this.liveDuplicates++;
        liveThisConnection.add(msg.seq);
        this.store.set(msg.seq, msg);
      },
      { receipt },
    );
  }

  /** highest n with 1..n all held */
  contiguous() {
    let n = 0;
    while (this.store.has(n + 1)) n++;
    return n;
  }

  async resync() {
    for (;;) {
      const res = await fetch(`${this.pick()}/api/v1/chats/${this.roomId}/messages?after=${this.contiguous()}&limit=100`, {
        headers: { cookie: this.cookie },
      });
      const page = (await res.json()) as { items: { seq: number; clientId: string; content: string }[]; hasMore: boolean };
      for (const m of page.items) this.store.set(m.seq, m);
      if (!page.hasMore) break;
    }
    this.resyncs++;
  }

  /** SEND with a receipt; on a lost connection, retry with the same clientId until stored */
  async sendReliably(content: string) {
    const clientId = crypto.randomUUID();
    for (;;) {
      await waitFor(() => this.client.connected, 'connection');
      const receipt = crypto.randomUUID();
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 1000);
        this.client.watchForReceipt(receipt, () => {
          clearTimeout(timer);
          resolve(true);
        });
        try {
          this.client.publish({ destination: `/app/chat/${this.roomId}`, body: JSON.stringify({ clientId, content }), headers: { receipt } });
        } catch {
          clearTimeout(timer);
          resolve(false);
        }
      });
      if (ok) return;
    }
  }
}

test('killing one instance mid-conversation: its clients reconnect to the other and hold every message exactly once', async () => {
  const roomId = await openRoom('장애 조치 테스트 물건');
  // a load balancer: A while it lives, then B
  const toA = () => (aAlive ? httpA : httpB);
  const toB = () => httpB;
  const lenderOnA = new ResyncingClient(lender.cookie, roomId, toA);
  const borrowerOnB = new ResyncingClient(borrower.cookie, roomId, toB);
  const borrowerTabOnA = new ResyncingClient(borrower.cookie, roomId, toA);
  const clients = [lenderOnA, borrowerOnB, borrowerTabOnA];
  for (const c of clients) c.client.activate();
  await waitFor(() => clients.every((c) => c.resyncs >= 1), 'initial connect and resync');

  const perSender = 20;
  const killAt = 8;
  const conversation = async (sender: ResyncingClient, who: string) => {
    for (let i = 0; i < perSender; i++) {
      await sender.sendReliably(`${who} ${i}`);
      if (who === 'lender' && i === killAt) {
        aAlive = false;
        await a.close(); // graceful: every socket of A gets 1012 and reconnects through the balancer to B
      }
    }
  };
  await Promise.all([conversation(lenderOnA, 'lender'), conversation(borrowerOnB, 'borrower')]);

  const total = perSender * 2;
  const stored = await b.deps.db.query<{ seq: number; content: string }>('SELECT seq, content FROM chat_messages WHERE room_id = $1 ORDER BY seq', [roomId]);
  assert.equal(stored.length, total, 'each message stored once despite retries');
  assert.deepEqual(stored.map((m) => m.seq), Array.from({ length: total }, (_, i) => i + 1));
  await waitFor(() => clients.every((c) => c.store.size === total), 'every client holds every message');
  for (const c of clients) {
    assert.deepEqual([...c.store.keys()].sort((x, y) => x - y), stored.map((m) => m.seq));
    assert.deepEqual([...c.store.values()].map((m) => m.content).sort(), stored.map((m) => m.content).sort());
    assert.equal(c.liveDuplicates, 0);
  }
  assert.ok(lenderOnA.connects >= 2 && borrowerTabOnA.connects >= 2, 'clients of A reconnected');
  assert.equal(borrowerOnB.connects, 1);
  await Promise.all(clients.map((c) => c.client.deactivate()));
});
