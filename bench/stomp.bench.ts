// STOMP fan-out benchmark (issue 5): 1,000 connected STOMP clients over 2 server-mode instances
// (real PostgreSQL + Redis), against a raw Redis publish→receive round trip measured in the same run.
//   node --import tsx bench/stomp.bench.ts   (part of `npm run bench`; BENCH_ONLY=stomp for just this one)
// Env: BENCH_CLIENTS (1000), BENCH_MESSAGES (2000), BENCH_CONCURRENCY (50), BENCH_POSTGRES_URL, BENCH_REDIS_URL.
//
// Three measurements, each with 1 in flight (latency) and BENCH_CONCURRENCY in flight (load):
//   raw redis   publish on one connection → receive on a subscriber connection (the floor)
//   fan-out     publish a notification event on Redis → instance relays it → MESSAGE at the client
//               (what our broker adds on top of Redis: the cross-instance delivery path)
//   chat e2e    client SEND on one instance → stored in Postgres (sequence, idempotency key, notification
//               check) → Redis → other instance → MESSAGE at the other party's client
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { redisSessions } from '../server/src/sessions.ts';
import { rawStomp, type RawStomp } from '../server/test/factories.ts';
import { encodeFrame, parseServerFrames } from '../server/src/realtime/stomp-codec.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
let concurrency = CONCURRENCY;
const dbName = `chwimeet_bench_${process.pid}_${Date.now()}`;
const prefix = `${dbName}:`;
const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Result {
  p50: number;
  p99: number;
  perSecond: number;
}

/** runs `total` deliveries keeping `concurrency` in flight; `start(i, done)` begins one and calls done() on arrival */
async function measure(total: number, start: (i: number, done: () => void) => void): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  let finished = 0;
  const began = performance.now();
  await new Promise<void>((resolve) => {
    const launch = () => {
      if (next >= total) return;
      const i = next++;
      const t0 = performance.now();
      start(i, () => {
        latencies.push(performance.now() - t0);
        if (++finished === total) resolve();
        else launch();
      });
    };
    for (let k = 0; k < Math.min(concurrency, total); k++) launch();
  });
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((x, y) => x - y);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), perSecond: total / elapsed };
}

function startInstance(port: number): ChildProcess {
  const profile = process.env.BENCH_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      JOBS_ENABLED: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(os.tmpdir(), dbName),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitReady(port: number) {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`instance on ${port} did not become ready`);
}

async function main() {
  const t0 = performance.now();
  const adminDb = new pg.Client({ connectionString: ADMIN_URL });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE ${dbName}`);
  const children: ChildProcess[] = [];
  const sockets: RawStomp[] = [];
  const redis = createClient({ url: REDIS_URL });
  const redisSub = redis.duplicate();
  try {
    const ports = [18000 + (process.pid % 1000) * 2, 18001 + (process.pid % 1000) * 2];
    // the first instance migrates the new database; the second starts on a migrated one
    children.push(startInstance(ports[0]));
    await waitReady(ports[0]);
    children.push(startInstance(ports[1]));
    await waitReady(ports[1]);

    // data: CLIENTS/2 rooms, lender of each on instance A, borrower on instance B
    const rooms = Math.floor(CLIENTS / 2);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    await db.query(
      `INSERT INTO members (email, password_hash, nickname)
       SELECT 'bench' || g || '@example.com', 'x', '벤치' || g FROM generate_series(1, $1) g`,
      [rooms * 2],
    );
    await db.query(
      `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
       SELECT m.id, '벤치 물건 ' || m.id, '벤치', (SELECT min(id) FROM categories), 1000, 0, 'DIRECT', 'DIRECT'
       FROM members m WHERE m.email LIKE 'bench%' AND m.id % 2 = 1`,
    );
    await db.query(
      `INSERT INTO chat_rooms (post_id, lender_id, borrower_id) SELECT p.id, p.author_id, p.author_id + 1 FROM posts p`,
    );
    await db.query(
      `INSERT INTO chat_members (room_id, member_id)
       SELECT id, lender_id FROM chat_rooms UNION ALL SELECT id, borrower_id FROM chat_rooms`,
    );
    const roomRows = (await db.query('SELECT id, lender_id, borrower_id FROM chat_rooms ORDER BY id')).rows as {
      id: number; lender_id: number; borrower_id: number;
    }[];
    await db.end();

    await redis.connect();
    await redisSub.connect();
    const sessions = redisSessions(redis as any, 3600, prefix); // the instances' REDIS_PREFIX
    const cookieOf = async (memberId: number) => `chwimeet_sid=${await sessions.create(memberId)}`;

    // connect every client (CONNECT, SUBSCRIBE room topic + personal queue, wait for the receipts)
    const connectStart = performance.now();
    type Member = { sock: RawStomp; memberId: number; roomId: number };
    const lenders: Member[] = [];
    const borrowers: Member[] = [];
    const onRoomMessage = new Map<string, () => void>(); // clientId → arrival callback
    const onNotification = new Map<string, () => void>(); // token → arrival callback
    const open = async (memberId: number, roomId: number, port: number): Promise<Member> => {
      const sock = await rawStomp(`ws://127.0.0.1:${port}/ws`, await cookieOf(memberId));
      sock.ws.removeAllListeners('message');
      let pendingReceipts = 0;
      let receiptsDone: () => void = () => {};
      sock.ws.on('message', (data: Buffer) => {
        if (data.length === 1) return; // heart-beat
        for (const f of parseServerFrames(data)) {
          if (f.command === 'MESSAGE') {
            const body = JSON.parse(f.body.toString());
            if (f.headers.destination.startsWith('/topic/')) {
              const cb = onRoomMessage.get(body.clientId);
              if (cb && body.senderId !== memberId) {
                onRoomMessage.delete(body.clientId);
                cb();
              }
            } else {
              const cb = onNotification.get(body.title);
              if (cb) {
                onNotification.delete(body.title);
                cb();
              }
            }
          } else if (f.command === 'RECEIPT' && --pendingReceipts === 0) receiptsDone();
          else if (f.command === 'ERROR') console.error('ERROR frame', f.headers.message);
        }
      });
      const ready = new Promise<void>((resolve) => (receiptsDone = resolve));
      pendingReceipts = 3;
      sock.ws.send(Buffer.concat([
        encodeFrame('CONNECT', { 'accept-version': '1.2', 'heart-beat': '10000,10000', receipt: 'c' }),
        encodeFrame('SUBSCRIBE', { id: 'room', destination: `/topic/chat/${roomId}`, receipt: 'r' }),
        encodeFrame('SUBSCRIBE', { id: 'me', destination: '/user/queue/notifications', receipt: 'n' }),
      ]));
      await ready;
      const m = { sock, memberId, roomId };
      sockets.push(sock);
      return m;
    };
    for (let i = 0; i < roomRows.length; i += 50) {
      const batch = roomRows.slice(i, i + 50);
      const pairs = await Promise.all(
        batch.map(async (r) => Promise.all([open(r.lender_id, r.id, ports[0]), open(r.borrower_id, r.id, ports[1])])),
      );
      for (const [l, b] of pairs) {
        lenders.push(l);
        borrowers.push(b);
      }
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;

    // warm-up, not measured
    const warm = async () => {
      await measure(200, (i, done) => {
        const from = borrowers[i % borrowers.length];
        const clientId = crypto.randomUUID();
        onRoomMessage.set(clientId, done);
        from.sock.ws.send(encodeFrame('SEND', { destination: `/app/chat/${from.roomId}` }, JSON.stringify({ clientId, content: 'warm' })));
      });
    };
    await warm();

    const rawWaiters = new Map<string, () => void>();
    await redisSub.subscribe(`${prefix}bench-raw`, (message) => {
      const { token } = JSON.parse(message);
      rawWaiters.get(token)?.();
      rawWaiters.delete(token);
    });
    const everyone = [...lenders, ...borrowers];
    const f = (n: number) => n.toFixed(2);
    const r = (n: number) => `${n.toFixed(1)}x`;
    console.log(`\nSTOMP benchmark — ${everyone.length} connected STOMP clients on 2 instances (PostgreSQL + Redis); ` +
      `connect+subscribe of all clients took ${connectSeconds.toFixed(1)} s`);
    console.log('| in flight | path | p50 ms | p99 ms | msg/s | p50 ratio | p99 ratio | throughput ratio |');
    console.log('|---|---|---|---|---|---|---|---|');
    const goals: string[] = [];
    // latency alone (one in flight), then under load (CONCURRENCY in flight)
    for (const [inFlight, total] of [[1, Math.min(500, MESSAGES)], [CONCURRENCY, MESSAGES]]) {
      concurrency = inFlight;
      // 1. raw Redis publish → receive
      const raw = await measure(total, (_i, done) => {
        const token = crypto.randomUUID();
        rawWaiters.set(token, done);
        void redis.publish(`${prefix}bench-raw`, JSON.stringify({ token, kind: 'notification', notification: { title: token, body: '벤치' } }));
      });
      // 2. broker fan-out: a notification event on Redis → instance → /user/queue/notifications of a client
      const fanout = await measure(total, (i, done) => {
        const to = everyone[(i * 7919) % everyone.length];
        const token = crypto.randomUUID();
        onNotification.set(token, done);
        const notification = { id: i, memberId: to.memberId, type: 'BENCH', title: token, body: '벤치', targetType: null, targetId: null, readAt: null, createdAt: new Date().toISOString() };
        void redis.publish(`${prefix}user:${to.memberId}`, JSON.stringify({ kind: 'notification', notification }));
      });
      // 3. chat end to end: SEND on one instance, MESSAGE at the other party on the other instance
      const chat = await measure(total, (i, done) => {
        const k = (i * 7919) % lenders.length;
        const from = i % 2 ? lenders[k] : borrowers[k];
        const clientId = crypto.randomUUID();
        onRoomMessage.set(clientId, done);
        from.sock.ws.send(encodeFrame('SEND', { destination: `/app/chat/${from.roomId}` }, JSON.stringify({ clientId, content: `벤치 메시지 ${i}` })));
      });
      console.log(`| ${inFlight} | raw Redis publish→receive | ${f(raw.p50)} | ${f(raw.p99)} | ${raw.perSecond.toFixed(0)} | 1.0x | 1.0x | 1.0x |`);
      for (const [name, res] of [['fan-out: Redis → instance → STOMP client', fanout], ['chat e2e: SEND → Postgres → Redis → other instance → client', chat]] as const) {
        console.log(`| ${inFlight} | ${name} | ${f(res.p50)} | ${f(res.p99)} | ${res.perSecond.toFixed(0)} | ${r(res.p50 / raw.p50)} | ${r(res.p99 / raw.p99)} | ${r(raw.perSecond / res.perSecond)} |`);
      }
      goals.push(`${inFlight} in flight: fan-out p50 ${r(fanout.p50 / raw.p50)} (${fanout.p50 / raw.p50 <= 3 ? 'met' : 'not met'})`);
    }
    const load = os.loadavg()[0].toFixed(1);
    console.log(`goal ≤ 3x raw Redis — ${goals.join('; ')}; machine load average ${load} on ${os.cpus().length} cores; total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    for (const s of sockets) s.ws.terminate();
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await redisSub.quit().catch(() => {});
    await redis.quit().catch(() => {});
    await adminDb.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    fs.rmSync(path.join(os.tmpdir(), dbName), { recursive: true, force: true });
    await adminDb.end();
  }
}

await main();
