// Fixed-window counters shared by all instances (Redis) or kept in-process (embedded).
import type { Redis } from '../deps.ts';

export interface RateLimiter {
  /** counts one hit; returns seconds to wait when over the limit, else 0 */
  hit(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/** `prefix` = REDIS_PREFIX (server mode): deployments sharing one Redis count apart. */
export function createRateLimiter(opts: { max: number; windowMs: number; redis: Redis | null; prefix: string; name: string }): RateLimiter {
  const { max, windowMs, redis, prefix, name } = opts;
  if (redis) {
    return {
      async hit(key) {
        const k = `${prefix}rl:${name}:${key}`;
        const count = Number(await redis.incr(k));
        if (count === 1) await redis.pExpire(k, windowMs);
        if (count <= max) return 0;
        return Math.ceil(Math.max(Number(await redis.pTTL(k)), 1000) / 1000);
      },
      async reset(key) {
        await redis.del(`${prefix}rl:${name}:${key}`);
      },
    };
  }
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key) {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
        if (windows.size > 10_000) for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
      }
      w.count++;
      return w.count <= max ? 0 : Math.ceil((w.resetAt - now) / 1000);
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
