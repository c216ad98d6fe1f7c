// Chat sends per member (SPEC §7, issue 9): a token bucket of CHAT_SEND_BURST messages refilled at
// CHAT_SEND_PER_MINUTE. Server mode keeps the bucket in Redis (one script, atomic, Redis's own clock, so
// every instance draws from the same bucket); embedded mode keeps it in-process.
import type { Deps, Redis } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';

export interface SendLimiter {
  /** takes one token; returns 0 when allowed, else the seconds until one is back */
  take(memberId: number): Promise<number>;
}

const BUCKET_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / perMs) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return wait`;

function redisLimiter(redis: Redis, prefix: string, burst: number, perMs: number): SendLimiter {
  return {
    async take(memberId) {
      const waitMs = Number(await redis.eval(BUCKET_SCRIPT, { keys: [`${prefix}chat-send:${memberId}`], arguments: [String(burst), String(perMs)] }));
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },
  };
}

function memoryLimiter(burst: number, perMs: number): SendLimiter {
  const buckets = new Map<number, { tokens: number; at: number }>();
  return {
    async take(memberId) {
      const now = Date.now();
      const b = buckets.get(memberId) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * perMs);
      b.at = now;
      buckets.set(memberId, b);
      if (buckets.size > 10_000) for (const [id, x] of buckets) if (x.tokens + (now - x.at) * perMs >= burst) buckets.delete(id);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs / 1000);
    },
  };
}

const limiters = new WeakMap<Deps, SendLimiter | null>();

/** the limiter of these deps (one per app: the in-process buckets must be shared by every send path); null = unlimited */
export function chatSendLimiter(deps: Deps): SendLimiter | null {
  if (!limiters.has(deps)) {
    const { burst, perMinute } = deps.config.chatSendLimit;
    const perMs = perMinute / 60_000;
    limiters.set(deps, burst === 0 || perMinute === 0 ? null : deps.redis ? redisLimiter(deps.redis, deps.config.redisPrefix, burst, perMs) : memoryLimiter(burst, perMs));
  }
  return limiters.get(deps)!;
}

export const CHAT_RATE_LIMITED = 'CHAT_RATE_LIMITED';

export const chatRateLimited = (retryAfterSeconds: number) =>
  new AppError(429, CHAT_RATE_LIMITED, `메시지를 너무 빨리 보내고 있습니다. ${retryAfterSeconds}초 후에 다시 보내 주세요`, { retryAfter: retryAfterSeconds });
