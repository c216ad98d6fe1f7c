// Event bus between instances: Redis Pub/Sub in server mode, in-process in embedded mode.
import { EventEmitter } from 'node:events';
import type { Redis } from '../deps.ts';

// biome-ignore lint/suspicious/noExplicitAny: payloads are JSON.parse output from Pub/Sub; each subscriber reads its own event's fields
export type BusHandler = (payload: any) => void;

export interface Bus {
  publish(channel: string, payload: unknown): Promise<void>;
  /** returns an unsubscribe function */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function memoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, payload) {
      // a copy, as Redis would give: subscribers never share the publisher's object
      const copy = JSON.parse(JSON.stringify(payload));
      queueMicrotask(() => emitter.emit(channel, copy));
    },
    async subscribe(channel, handler) {
      emitter.on(channel, handler);
      return async () => {
        emitter.off(channel, handler);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** `publisher` is the shared client; a dedicated subscriber connection is duplicated from it.
 *  `prefix` namespaces the channels, so deployments or test runs sharing one Redis never hear each other. */
export async function redisBus(publisher: Redis, prefix = 'chwimeet:'): Promise<Bus> {
  const subscriber = publisher.duplicate();
  subscriber.on('error', () => {}); // reconnects by itself; errors surface through readiness
  await subscriber.connect();
  // one Redis subscription per channel, shared by every local handler; `ready` resolves once Redis confirmed it
  const channels = new Map<string, { handlers: Set<BusHandler>; ready: Promise<unknown>; listener: (m: string) => void }>();
  return {
    async publish(channel, payload) {
      await publisher.publish(`${prefix}${channel}`, JSON.stringify(payload));
    },
    async subscribe(channel, handler) {
      let entry = channels.get(channel);
      if (!entry) {
        const handlers = new Set<BusHandler>();
        const listener = (message: string) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message);
          } catch {
            return; // not ours
          }
          for (const h of handlers) h(payload);
        };
        const created = { handlers, listener, ready: subscriber.subscribe(`${prefix}${channel}`, listener) };
        // A refused SUBSCRIBE (connection lost, Redis busy) must not poison the channel: the entry goes, so
        // the next subscribe asks Redis again instead of awaiting the same rejected promise forever.
        created.ready.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
        channels.set(channel, created);
        entry = created;
      }
      entry.handlers.add(handler);
      try {
        await entry.ready;
      } catch (err) {
        entry.handlers.delete(handler); // the caller gets no unsubscribe function: nothing may keep its handler
        throw err;
      }
      return async () => {
        const current = channels.get(channel);
        if (!current?.handlers.delete(handler) || current.handlers.size > 0) return;
        channels.delete(channel);
        // only this listener: a new subscription to the same channel may already be on its way
        await subscriber.unsubscribe(`${prefix}${channel}`, current.listener).catch(() => {});
      };
    },
    async close() {
      channels.clear();
      await subscriber.quit().catch(() => {});
    },
  };
}
