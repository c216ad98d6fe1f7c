// Open WebSockets per member, counted for the whole cluster (issue 9: the per-member socket cap must hold
// across instances). Server mode keeps one Redis sorted set per member: socket id → lease expiry (ms).
// A socket's lease is renewed by its instance on every session sweep, so the sockets of an instance that
// died without closing them stop counting once their lease runs out. Embedded mode (one instance) counts
// in-process.
import type { Redis } from '../deps.ts';

export interface SocketRegistry {
  /** counts the socket in, unless the member already holds `max`; false = refused */
  tryAdd(memberId: number, socketId: string, max: number): Promise<boolean>;
  remove(memberId: number, socketId: string): Promise<void>;
  /** renews the leases of this instance's open sockets */
  renew(sockets: { memberId: number; socketId: string }[]): Promise<void>;
}

// Atomic: drop expired leases, refuse at the cap, else add this socket with a lease (Redis's own clock).
const TRY_ADD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
return 1`;

// Renews the leases of sockets still present (XX: a socket removed meanwhile is not brought back).
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], lease)
return 1`;

export function redisSocketRegistry(redis: Redis, prefix: string, leaseMs: number): SocketRegistry {
  const key = (memberId: number) => `${prefix}ws-sockets:${memberId}`;
  return {
    async tryAdd(memberId, socketId, max) {
      return Number(await redis.eval(TRY_ADD, { keys: [key(memberId)], arguments: [socketId, String(max), String(leaseMs)] })) === 1;
    },
    async remove(memberId, socketId) {
      await redis.zRem(key(memberId), socketId);
    },
    async renew(sockets) {
      const byMember = new Map<number, string[]>();
      for (const s of sockets) byMember.set(s.memberId, [...(byMember.get(s.memberId) ?? []), s.socketId]);
      await Promise.all([...byMember].map(([memberId, ids]) => redis.eval(RENEW, { keys: [key(memberId)], arguments: [String(leaseMs), ...ids] })));
    },
  };
}

export function memorySocketRegistry(): SocketRegistry {
  const open = new Map<number, Set<string>>();
  return {
    async tryAdd(memberId, socketId, max) {
      const mine = open.get(memberId) ?? new Set<string>();
      if (mine.size >= max) return false;
      open.set(memberId, mine.add(socketId));
      return true;
    },
    async remove(memberId, socketId) {
      const mine = open.get(memberId);
      mine?.delete(socketId);
      if (mine?.size === 0) open.delete(memberId);
    },
    async renew() {
      // one instance: nothing can die behind our back
    },
  };
}
