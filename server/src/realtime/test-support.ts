// Helpers for realtime and chat tests (and the benchmark): listings without the posts API, a STOMP
// client (@stomp/stompjs over `ws` with the session cookie) and a raw frame socket for malformed input.
import { once } from 'node:events';
import crypto from 'node:crypto';
import { Client, type IFrame, type IMessage, type StompSubscription } from '@stomp/stompjs';
import WebSocket from 'ws';
import type { Queryable } from '../db/client.ts';
import { encodeFrame, parseServerFrames, type Frame } from './stomp-codec.ts';

export const STOMP_PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/** a public listing owned by `authorId` (direct SQL: chat tests do not depend on the posts module) */
export async function insertPost(db: Queryable, authorId: number, title = '캠핑 텐트 4인용'): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
     VALUES ($1, $2, '깨끗하게 사용했어요', (SELECT min(id) FROM categories), 10000, 50000, 'DIRECT', 'DIRECT') RETURNING id`,
    [authorId, title],
  );
  return row!.id;
}

export interface TestStomp {
  client: Client;
  connected: IFrame;
  /** resolves with the RECEIPT of a subscription */
  subscribe(destination: string, onMessage: (m: IMessage) => void): Promise<StompSubscription>;
  /** SEND with a receipt; resolves when the server confirmed it */
  send(destination: string, body: unknown): Promise<void>;
  /** the next ERROR frame */
  nextError(): Promise<IFrame>;
  close(): Promise<void>;
}

/** a @stomp/stompjs client connected to `url` with `cookie`; `urls` rotate on reconnect (a load balancer) */
export async function connectStomp(
  urls: string | (() => string),
  cookie: string,
  opts: { reconnectDelay?: number; heartbeat?: number; onConnect?: (f: IFrame) => void } = {},
): Promise<TestStomp> {
  const pickUrl = typeof urls === 'string' ? () => urls : urls;
  const errors: IFrame[] = [];
  const errorWaiters: ((f: IFrame) => void)[] = [];
  const client = new Client({
    webSocketFactory: () => new WebSocket(pickUrl(), STOMP_PROTOCOLS, { headers: { cookie } }),
    reconnectDelay: opts.reconnectDelay ?? 0,
    heartbeatIncoming: opts.heartbeat ?? 10_000,
    heartbeatOutgoing: opts.heartbeat ?? 10_000,
    debug: () => {},
  });
  client.onStompError = (f) => {
    const w = errorWaiters.shift();
    if (w) w(f);
    else errors.push(f);
  };
  const connected = await new Promise<IFrame>((resolve, reject) => {
    client.onConnect = (f) => {
      opts.onConnect?.(f);
      resolve(f);
    };
    client.onWebSocketError = (e) => reject(new Error(`websocket error: ${String((e as any)?.message ?? e)}`));
    client.activate();
  });
  client.onWebSocketError = () => {};
  return {
    client,
    connected,
    subscribe(destination, onMessage) {
      const receipt = crypto.randomUUID();
      const done = new Promise<void>((resolve) => client.watchForReceipt(receipt, () => resolve()));
      const sub = client.subscribe(destination, onMessage, { receipt });
      return done.then(() => sub);
    },
    send(destination, body) {
      const receipt = crypto.randomUUID();
      const done = new Promise<void>((resolve) => client.watchForReceipt(receipt, () => resolve()));
      client.publish({ destination, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { receipt } });
      return done;
    },
    nextError() {
      const queued = errors.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => errorWaiters.push(resolve));
    },
    close: () => client.deactivate(),
  };
}

/** a bare WebSocket speaking raw frames, for malformed input and exact protocol checks */
export interface RawStomp {
  ws: WebSocket;
  frames: Frame[];
  heartbeats: number;
  /** resolves with the next frame of `command` (already received ones count) */
  next(command: string): Promise<Frame>;
  sendRaw(data: string | Buffer): void;
  send(command: string, headers?: Record<string, string>, body?: string): void;
  closed: Promise<{ code: number }>;
}

export async function rawStomp(url: string, cookie: string, protocols = STOMP_PROTOCOLS): Promise<RawStomp> {
  const ws = new WebSocket(url, protocols, { headers: { cookie } });
  const frames: Frame[] = [];
  const waiters: { command: string; resolve: (f: Frame) => void }[] = [];
  const raw: RawStomp = {
    ws,
    frames,
    heartbeats: 0,
    next(command) {
      const i = frames.findIndex((f) => f.command === command);
      if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]);
      return new Promise((resolve) => waiters.push({ command, resolve }));
    },
    sendRaw: (data) => ws.send(data),
    send: (command, headers = {}, body = '') => ws.send(encodeFrame(command, headers, body)),
    closed: new Promise((resolve) => ws.on('close', (code) => resolve({ code }))),
  };
  ws.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === 0x0a) {
      raw.heartbeats++;
      return;
    }
    for (const f of parseServerFrames(data)) {
      const w = waiters.findIndex((x) => x.command === f.command);
      if (w >= 0) waiters.splice(w, 1)[0].resolve(f);
      else frames.push(f);
    }
  });
  await once(ws, 'open');
  return raw;
}

/** the HTTP status a refused upgrade answered with */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, STOMP_PROTOCOLS, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}

export const waitFor = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
