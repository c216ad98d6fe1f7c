// The one STOMP connection of the logged-in member (the session cookie authenticates the handshake).
// Reconnects with exponential backoff (a server restart closes with 1012), re-subscribes every
// destination after each connect and tells listeners when their subscription is live again (receipt),
// so they can fetch what they missed. One STOMP subscription per destination, shared by its listeners.
import { Client, ReconnectionTimeMode, type IFrame, type StompSubscription } from '@stomp/stompjs';
import { ApiError } from '../api/client.ts';

export type ConnectionState = 'connecting' | 'connected' | 'offline';

export interface Listener {
  onMessage(body: unknown): void;
  /** the subscription is live (first time and after every reconnect): time to resync */
  onReady?(): void;
}

interface Destination {
  listeners: Set<Listener>;
  stomp: StompSubscription | null;
  ready: boolean;
  /** receipt id of the latest SUBSCRIBE (an ERROR names it when the server refuses) */
  receipt: string | null;
  /** the server refused it (not a member): never retried on this connection object */
  refused: boolean;
}

/** The send was not confirmed (no connection, timeout, or the socket closed first). */
export class NotDelivered extends Error {}

export const wsUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;

export class RealtimeConnection {
  private readonly client: Client;
  private readonly destinations = new Map<string, Destination>();
  private readonly receipts = new Map<string, { resolve(): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  private readonly stateListeners = new Set<() => void>();
  private receiptSeq = 0;
  private currentState: ConnectionState = 'connecting';

  constructor(brokerURL: string) {
    this.client = new Client({
      brokerURL,
      reconnectDelay: 1000,
      reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
      maxReconnectDelay: 30_000,
      heartbeatIncoming: 10_000,
      heartbeatOutgoing: 10_000,
      connectionTimeout: 10_000,
      onConnect: () => {
        this.setState('connected');
        for (const [name, d] of this.destinations) this.attach(name, d);
      },
      onStompError: (frame) => this.onError(frame),
      onWebSocketClose: () => {
        for (const d of this.destinations.values()) {
          d.stomp = null;
          d.ready = false;
        }
        for (const [id, r] of this.receipts) {
          clearTimeout(r.timer);
          r.reject(new NotDelivered('연결이 끊겼습니다'));
          this.receipts.delete(id);
        }
        if (this.client.active) this.setState('connecting');
      },
    });
  }

  start() {
    this.client.activate();
  }

  stop() {
    this.setState('offline');
    void this.client.deactivate();
  }

  get state() {
    return this.currentState;
  }

  get connected() {
    return this.client.connected;
  }

  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** adds a listener to a destination; the STOMP subscription lives while it has listeners */
  listen(destination: string, listener: Listener): () => void {
    let d = this.destinations.get(destination);
    if (!d) {
      d = { listeners: new Set(), stomp: null, ready: false, receipt: null, refused: false };
      this.destinations.set(destination, d);
    }
    d.listeners.add(listener);
    if (d.ready) listener.onReady?.();
    else if (!d.stomp && this.client.connected) this.attach(destination, d);
    return () => {
      const cur = this.destinations.get(destination);
      if (!cur) return;
      cur.listeners.delete(listener);
      if (cur.listeners.size > 0) return;
      this.destinations.delete(destination);
      if (cur.stomp && this.client.connected) cur.stomp.unsubscribe();
    };
  }

  /** SEND with a receipt: resolves once the server confirms it stored the message */
  send(destination: string, body: unknown, timeoutMs = 8000): Promise<void> {
    if (!this.client.connected) return Promise.reject(new NotDelivered('연결되어 있지 않습니다'));
    const receipt = `send-${++this.receiptSeq}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.receipts.delete(receipt);
        reject(new NotDelivered('응답이 없습니다'));
      }, timeoutMs);
      this.receipts.set(receipt, { resolve, reject, timer });
      this.client.watchForReceipt(receipt, () => {
        const r = this.receipts.get(receipt);
        if (!r) return;
        clearTimeout(r.timer);
        this.receipts.delete(receipt);
        r.resolve();
      });
      this.client.publish({
        destination,
        body: JSON.stringify(body),
        headers: { receipt, 'content-type': 'application/json;charset=utf-8' },
      });
    });
  }

  private attach(destination: string, d: Destination) {
    if (d.refused || d.listeners.size === 0) return;
    const receipt = `sub-${++this.receiptSeq}`;
    this.client.watchForReceipt(receipt, () => {
      if (this.destinations.get(destination) !== d) return;
      d.ready = true;
      for (const l of d.listeners) l.onReady?.();
    });
    d.stomp = this.client.subscribe(destination, (message) => {
      let body: unknown;
      try {
        body = JSON.parse(message.body);
      } catch {
        return;
      }
      for (const l of d.listeners) l.onMessage(body);
    }, { receipt });
    d.receipt = receipt;
  }

  /**
   * An ERROR frame. A SEND refused by the chat rate limit (the session stays open) rejects that send with
   * the server's Korean message; any other ERROR ends the session, and a refused subscription is not
   * retried in a loop.
   */
  private onError(frame: IFrame) {
    const receiptId = frame.headers['receipt-id'];
    const pending = receiptId ? this.receipts.get(receiptId) : undefined;
    if (pending && frame.headers.code) {
      clearTimeout(pending.timer);
      this.receipts.delete(receiptId);
      pending.reject(new ApiError(429, frame.headers.code, frame.headers.message ?? '잠시 후 다시 보내 주세요', {
        retryAfter: Number(frame.headers['retry-after']) || undefined,
      }));
      return;
    }
    for (const d of this.destinations.values()) {
      if (receiptId && d.receipt === receiptId) d.refused = true;
    }
  }

  private setState(next: ConnectionState) {
    if (next === this.currentState) return;
    this.currentState = next;
    for (const l of this.stateListeners) l();
  }
}

/** a random v4 UUID; crypto.randomUUID only exists on https and localhost */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
