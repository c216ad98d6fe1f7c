// Fixed-window counters shared by all instances (Redis) or kept in-process (embedded).
import type { FastifyReply } from 'fastify';
import type { Redis } from '../deps.ts';
import { AppError } from './errors.ts';

export interface RateLimiter {
  /** counts one hit; returns seconds to wait when over the limit, else 0 */
  hit(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/**
 * One atomic step: count the hit and make sure the window has a TTL. A key without a TTL (a crash
 * between two separate commands, or a key left by an older version) would lock its owner out for
 * good; here it cannot exist, and one already there gets its TTL back on the next hit.
 * Returns [count, milliseconds left in the window].
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** `prefix` = REDIS_PREFIX (server mode): deployments sharing one Redis count apart. */
export function createRateLimiter(opts: { max: number; windowMs: number; redis: Redis | null; prefix: string; name: string }): RateLimiter {
  const { max, windowMs, redis, prefix, name } = opts;
  if (redis) {
    return {
      async hit(key) {
        const k = `${prefix}rl:${name}:${key}`;
        const [count, ttl] = (await redis.eval(HIT_SCRIPT, { keys: [k], arguments: [String(windowMs)] })) as [number, number];
        if (Number(count) <= max) return 0;
        return Math.ceil(Math.max(Number(ttl), 1000) / 1000);
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

/**
 * Counts one hit and refuses it when over the limit: 429 problem+json with Retry-After (seconds) and a
 * Korean detail naming what was limited (`what`, e.g. '로그인').
 */
export async function enforceLimit(limiter: RateLimiter, key: string, reply: FastifyReply, what: string, code = 'TOO_MANY_ATTEMPTS') {
  const wait = await limiter.hit(key);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    throw new AppError(429, code, `${what} 요청이 너무 많습니다. ${wait}초 후 다시 시도해 주세요`, { retryAfterSeconds: wait });
  }
}
