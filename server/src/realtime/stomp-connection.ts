// One STOMP 1.2 session over one WebSocket: the protocol state machine. What destinations mean
// (who may subscribe, what a SEND does) is decided by the Destinations given to it (gateway.ts).
import crypto from 'node:crypto';
import type { WebSocket } from 'ws';
import { encodeFrame, HEARTBEAT, parseFrames, StompProtocolError, type Frame } from './stomp-codec.ts';

/**
 * Thrown by a destination to refuse a SUBSCRIBE or SEND: the client gets an ERROR frame naming the frame's
 * receipt. A refusal is fatal (the socket closes, as STOMP 1.2 says) unless `retryable`: a rate-limited SEND
 * is answered with an ERROR carrying `retry-after` and the session goes on, so the client can show it and retry.
 */
export class StompRefusal extends Error {
  constructor(
    message: string,
    readonly opts: { retryable?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export interface Delivery {
  body: string;
  headers?: Record<string, string>;
}

export interface Destinations {
  /** starts a subscription; resolves once it is live; returns its stop function */
  subscribe(destination: string, deliver: (d: Delivery) => void): Promise<() => void>;
  /** handles a SEND; resolves once the effect is durable (a receipt follows) */
  send(destination: string, body: Buffer, headers: Record<string, string>): Promise<void>;
  /** is the session still valid (not logged out, not banned)? checked before each SUBSCRIBE and SEND */
  stillAuthorized(): Promise<boolean>;
}

export interface StompOptions {
  /** heart-beat the server offers in both directions, ms (0 = none) */
  heartbeatMs: number;
  maxFrameBytes: number;
  /** a socket that sends no CONNECT within this time is closed */
  connectTimeoutMs?: number;
  /** a client reading slower than this much queued output is disconnected (it resyncs on reconnect) */
  maxBufferedBytes?: number;
  /** subscriptions one session may hold at once */
  maxSubscriptions: number;
  /** transactions one session may have open at once, and SEND frames one transaction may buffer */
  maxTransactions: number;
  maxTransactionFrames: number;
}

const ACK_MODES = new Set(['auto', 'client', 'client-individual']);
const VERSIONS = ['1.2', '1.1', '1.0'];
/** late client heart-beats are tolerated up to this factor (browsers throttle background tabs) */
const HEARTBEAT_TOLERANCE = 3;
export const SESSION_ENDED = '세션이 만료되었습니다. 다시 로그인해 주세요';

export class StompConnection {
  readonly sessionId = crypto.randomBytes(8).toString('hex');
  private connected = false;
  private closed = false;
  private subscriptions = new Map<string, { destination: string; ack: string; stop: () => void }>();
  private transactions = new Map<string, Frame[]>();
  private queue: Promise<void> = Promise.resolve();
  private messageCounter = 0;
  private lastReceived = Date.now();
  private lastSent = Date.now();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly destinations: Destinations,
    private readonly opts: StompOptions,
    private readonly onClosed: (conn: StompConnection) => void = () => {},
  ) {
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.onMessage(toBuffer(data)));
    ws.on('close', () => this.cleanup());
    ws.on('error', () => this.cleanup());
    const connectTimeout = setTimeout(() => {
      if (!this.connected) this.fail('CONNECT 프레임을 기다리다 시간이 초과되었습니다');
    }, opts.connectTimeoutMs ?? 10_000);
    this.timers.push(connectTimeout);
  }

  /** ends the session from the server side (shutdown): the client reconnects elsewhere */
  close(code = 1012, reason = 'server restart') {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.cleanup();
  }

  /**
   * Holds every frame until `admission` settles (e.g. the cluster-wide socket count). A refusal is one ERROR
   * frame at once, then close, whether or not the client has sent anything yet.
   */
  admitWhen(admission: Promise<void>) {
    const gate = admission.catch((err) => {
      this.fail(err instanceof StompRefusal ? err.message : '연결을 받을 수 없습니다. 잠시 후 다시 연결해 주세요', undefined, 1008);
    });
    this.queue = this.queue.then(() => gate);
  }

  /** the login behind this socket ended (logout, ban, expiry): an ERROR frame, then close (policy violation) */
  endSession() {
    this.fail(SESSION_ENDED, undefined, 1008);
  }

  private onMessage(data: Buffer) {
    if (this.closed) return;
    this.lastReceived = Date.now();
    if (data.length > this.opts.maxFrameBytes) return this.fail(`프레임이 너무 큽니다 (최대 ${this.opts.maxFrameBytes} 바이트)`);
    let frames: Frame[];
    try {
      frames = parseFrames(data, this.opts.maxFrameBytes);
    } catch (err) {
      if (err instanceof StompProtocolError) return this.fail(err.message);
      throw err;
    }
    // frames of one session are handled strictly in order (a receipt confirms everything before it)
    for (const frame of frames) {
      this.queue = this.queue.then(() => (this.closed ? undefined : this.handle(frame))).catch((err) => {
        if (err instanceof StompRefusal && err.opts.retryable) return this.error(err.message, frame.headers.receipt, err.opts.headers);
        const known = err instanceof StompRefusal || err instanceof StompProtocolError;
        this.fail(known ? err.message : '요청을 처리하지 못했습니다', frame.headers.receipt, known ? 1008 : 1011);
      });
    }
  }

  private async handle(frame: Frame) {
    const h = frame.headers;
    if (!this.connected && frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
      throw new StompProtocolError('먼저 CONNECT 해야 합니다');
    }
    switch (frame.command) {
      case 'CONNECT':
      case 'STOMP':
        return this.onConnect(frame);
      case 'SUBSCRIBE': {
        const id = required(h, 'id');
        const destination = required(h, 'destination');
        const ack = h.ack ?? 'auto';
        if (!ACK_MODES.has(ack)) throw new StompProtocolError(`지원하지 않는 ack 모드입니다: ${ack}`);
        if (this.subscriptions.has(id)) throw new StompProtocolError(`이미 사용 중인 구독 id 입니다: ${id}`);
        if (this.subscriptions.size >= this.opts.maxSubscriptions) {
          throw new StompRefusal(`한 연결의 구독은 최대 ${this.opts.maxSubscriptions}개입니다`);
        }
        await this.checkAuthorized();
        const stop = await this.destinations.subscribe(destination, (d) => this.deliver(id, d));
        if (this.closed) return stop();
        this.subscriptions.set(id, { destination, ack, stop });
        return this.receipt(frame);
      }
      case 'UNSUBSCRIBE': {
        const id = required(h, 'id');
        this.subscriptions.get(id)?.stop();
        this.subscriptions.delete(id);
        return this.receipt(frame);
      }
      case 'SEND': {
        const destination = required(h, 'destination');
        if (h.transaction !== undefined) {
          const tx = this.transactions.get(h.transaction);
          if (!tx) throw new StompProtocolError(`알 수 없는 트랜잭션입니다: ${h.transaction}`);
          if (tx.length >= this.opts.maxTransactionFrames) {
            throw new StompRefusal(`한 트랜잭션에는 SEND 를 최대 ${this.opts.maxTransactionFrames}개까지 담을 수 있습니다`);
          }
          tx.push(frame);
          return this.receipt(frame);
        }
        await this.checkAuthorized();
        await this.destinations.send(destination, frame.body, h);
        return this.receipt(frame);
      }
      case 'BEGIN': {
        const tx = required(h, 'transaction');
        if (this.transactions.has(tx)) throw new StompProtocolError(`이미 시작된 트랜잭션입니다: ${tx}`);
        if (this.transactions.size >= this.opts.maxTransactions) {
          throw new StompRefusal(`동시에 열 수 있는 트랜잭션은 최대 ${this.opts.maxTransactions}개입니다`);
        }
        this.transactions.set(tx, []);
        return this.receipt(frame);
      }
      case 'COMMIT': {
        const tx = required(h, 'transaction');
        const frames = this.transactions.get(tx);
        if (!frames) throw new StompProtocolError(`알 수 없는 트랜잭션입니다: ${tx}`);
        this.transactions.delete(tx);
        if (frames.length) await this.checkAuthorized();
        for (const f of frames) await this.destinations.send(f.headers.destination, f.body, f.headers);
        return this.receipt(frame);
      }
      case 'ABORT': {
        const tx = required(h, 'transaction');
        if (!this.transactions.delete(tx)) throw new StompProtocolError(`알 수 없는 트랜잭션입니다: ${tx}`);
        return this.receipt(frame);
      }
      case 'ACK':
      case 'NACK':
        // every delivery is fire-and-forget: missed messages are recovered by sequence, not redelivery
        required(h, 'id');
        return this.receipt(frame);
      case 'DISCONNECT':
        this.receipt(frame);
        this.ws.close(1000, 'disconnect');
        return this.cleanup();
    }
  }

  private onConnect(frame: Frame) {
    if (this.connected) throw new StompProtocolError('이미 연결되어 있습니다');
    const offered = frame.headers['accept-version']?.split(',').map((v) => v.trim()) ?? ['1.0'];
    const version = VERSIONS.find((v) => offered.includes(v));
    if (!version) throw new StompProtocolError(`지원하는 STOMP 버전이 없습니다 (지원: ${VERSIONS.join(',')})`);
    const [cx, cy] = parseHeartBeat(frame.headers['heart-beat']);
    const ours = this.opts.heartbeatMs;
    // we send every max(ours, cy) if both want it; we expect the client every max(cx, ours)
    const sendEvery = ours > 0 && cy > 0 ? Math.max(ours, cy) : 0;
    const expectEvery = ours > 0 && cx > 0 ? Math.max(ours, cx) : 0;
    this.connected = true;
    this.write(
      encodeFrame('CONNECTED', {
        version,
        'heart-beat': `${ours},${ours}`,
        session: this.sessionId,
        server: 'chwimeet/1.0',
      }),
    );
    if (sendEvery) {
      this.timers.push(
        setInterval(() => {
          if (Date.now() - this.lastSent >= sendEvery * 0.9) this.write(HEARTBEAT);
        }, sendEvery),
      );
    }
    if (expectEvery) {
      const limit = expectEvery * HEARTBEAT_TOLERANCE;
      this.timers.push(
        setInterval(() => {
          if (Date.now() - this.lastReceived > limit) this.fail('하트비트가 끊겨 연결을 종료합니다', undefined, 1001);
        }, expectEvery),
      );
    }
    this.receipt(frame);
  }

  private deliver(subscriptionId: string, d: Delivery) {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub || this.closed) return;
    const messageId = `${this.sessionId}-${++this.messageCounter}`;
    this.write(
      encodeFrame(
        'MESSAGE',
        {
          subscription: subscriptionId,
          'message-id': messageId,
          destination: sub.destination,
          'content-type': 'application/json;charset=utf-8',
          ...(sub.ack === 'auto' ? {} : { ack: messageId }),
          ...d.headers,
        },
        d.body,
      ),
    );
  }

  private receipt(frame: Frame) {
    const id = frame.headers.receipt;
    if (id !== undefined) this.write(encodeFrame('RECEIPT', { 'receipt-id': id }));
  }

  private async checkAuthorized() {
    if (!(await this.destinations.stillAuthorized())) throw new StompRefusal(SESSION_ENDED);
  }

  /** ERROR frame, then close (STOMP: the server closes the connection after an ERROR) */
  private fail(message: string, receiptId?: string, code = 1002) {
    if (this.closed) return;
    this.error(message, receiptId);
    this.ws.close(code, 'stomp error');
    this.cleanup();
  }

  private error(message: string, receiptId?: string, headers: Record<string, string> = {}) {
    this.write(
      encodeFrame('ERROR', { ...headers, message, 'content-type': 'text/plain;charset=utf-8', 'receipt-id': receiptId }, message),
    );
  }

  private write(data: Buffer) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > (this.opts.maxBufferedBytes ?? 4 * 1024 * 1024)) {
      // a consumer this slow only grows our memory; it recovers by sequence after reconnecting
      this.ws.terminate();
      return this.cleanup();
    }
    this.lastSent = Date.now();
    this.ws.send(data, { binary: false });
  }

  private cleanup() {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const sub of this.subscriptions.values()) sub.stop();
    this.subscriptions.clear();
    this.transactions.clear();
    this.onClosed(this);
  }
}

function required(headers: Record<string, string>, name: string): string {
  const v = headers[name];
  if (v === undefined || v === '') throw new StompProtocolError(`${name} 헤더가 필요합니다`);
  return v;
}

function parseHeartBeat(value: string | undefined): [number, number] {
  if (value === undefined) return [0, 0];
  const m = /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(value);
  if (!m) throw new StompProtocolError('heart-beat 헤더 형식이 올바르지 않습니다');
  return [Number(m[1]), Number(m[2])];
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
