// Server-side sessions: an opaque random id in a cookie, the member id on the server.
// Embedded mode keeps them in the database (they survive a restart); server mode in Redis.
import crypto from 'node:crypto';
import type { Redis } from './deps.ts';
import type { Database } from './db/client.ts';
import { sessionsRepository } from './modules/members/repository.ts';

export interface SessionStore {
  create(memberId: number): Promise<string>;
  /** member id of a live session, or null */
  get(sessionId: string): Promise<number | null>;
  /** live sessions among `sessionIds` → their member ids, in one round trip (the WebSocket sweep) */
  getMany(sessionIds: string[]): Promise<Map<string, number>>;
  destroy(sessionId: string): Promise<void>;
  /** logout everywhere / ban: every session of the member ends at once */
  destroyAllFor(memberId: number): Promise<void>;
}

const newId = () => crypto.randomBytes(32).toString('base64url');

export function databaseSessions(db: Database, ttlSeconds: number): SessionStore {
  const repo = sessionsRepository(db);
  return {
    async create(memberId) {
      const id = newId();
      await repo.insert(id, memberId, ttlSeconds);
      return id;
    },
    get: (id) => repo.liveMember(id),
    async getMany(ids) {
      const rows = await repo.liveMany(ids);
      return new Map(rows.map((r) => [r.id, Number(r.member_id)]));
    },
    destroy: (id) => repo.delete(id),
    destroyAllFor: (memberId) => repo.deleteAllFor(memberId),
  };
}

/** `prefix` = REDIS_PREFIX: deployments sharing one Redis keep their sessions (and "log out everywhere") apart. */
export function redisSessions(redis: Redis, ttlSeconds: number, prefix = 'chwimeet:'): SessionStore {
  const key = (id: string) => `${prefix}session:${id}`;
  const index = (memberId: number) => `${prefix}member-sessions:${memberId}`;
  return {
    async create(memberId) {
      const id = newId();
      await redis.multi().set(key(id), String(memberId), { EX: ttlSeconds }).sAdd(index(memberId), id).expire(index(memberId), ttlSeconds).exec();
      return id;
    },
    async get(id) {
      const v = await redis.get(key(id));
      return v ? Number(v) : null;
    },
    async getMany(ids) {
      if (!ids.length) return new Map();
      const values = await redis.mGet(ids.map(key));
      return new Map(ids.flatMap((id, i) => (values[i] ? [[id, Number(values[i])] as const] : [])));
    },
    async destroy(id) {
      const v = await redis.get(key(id));
      await redis.del(key(id));
      if (v) await redis.sRem(index(Number(v)), id);
    },
    async destroyAllFor(memberId) {
      const ids = [...(await redis.sMembers(index(memberId)))].map(String);
      if (ids.length) await redis.del(ids.map(key));
      await redis.del(index(memberId));
    },
  };
}

/** Embedded mode: expired session rows are deleted by the sessions-cleanup job (Redis expires its own keys). */
export function deleteExpiredSessions(db: Database, now: Date): Promise<number> {
  return sessionsRepository(db).deleteExpired(now);
}
