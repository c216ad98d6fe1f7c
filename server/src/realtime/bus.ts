// Event bus between instances: Redis Pub/Sub in server mode, in-process in embedded mode.
import { EventEmitter } from 'node:events';
import type { RedisClientType } from 'redis';

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

/** `publisher` is the shared client; a dedicated subscriber connection is duplicated from it. */
export async function redisBus(publisher: RedisClientType<any, any, any, any, any>): Promise<Bus> {
  const subscriber = publisher.duplicate();
  subscriber.on('error', () => {}); // reconnects by itself; errors surface through readiness
  await subscriber.connect();
  const handlers = new Map<string, Set<BusHandler>>();
  return {
    async publish(channel, payload) {
      await publisher.publish(`chwimeet:${channel}`, JSON.stringify(payload));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        const listeners = set;
        await subscriber.subscribe(`chwimeet:${channel}`, (message) => {
          const payload = JSON.parse(message);
          for (const h of listeners) h(payload);
        });
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(channel);
        if (!current) return;
        current.delete(handler);
        if (current.size === 0) {
          handlers.delete(channel);
          await subscriber.unsubscribe(`chwimeet:${channel}`);
        }
      };
    },
    async close() {
      handlers.clear();
      await subscriber.quit().catch(() => {});
    },
  };
}
