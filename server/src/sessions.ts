// Server-side sessions: an opaque random id in a cookie, the member id on the server.
// Embedded mode keeps them in the database (they survive a restart); server mode in Redis.
import crypto from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { Database } from './db/client.ts';

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
  return {
    async create(memberId) {
      const id = newId();
      await db.query(
        `INSERT INTO sessions (id, member_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
        [id, memberId, ttlSeconds],
      );
      return id;
    },
    async get(id) {
      const row = await db.one<{ member_id: number }>(
        'SELECT member_id FROM sessions WHERE id = $1 AND expires_at > now()',
        [id],
      );
      return row?.member_id ?? null;
    },
    async getMany(ids) {
      const rows = await db.query<{ id: string; member_id: number }>(
        'SELECT id, member_id FROM sessions WHERE id = ANY($1::text[]) AND expires_at > now()',
        [ids],
      );
      return new Map(rows.map((r) => [r.id, Number(r.member_id)]));
    },
    async destroy(id) {
      await db.query('DELETE FROM sessions WHERE id = $1', [id]);
    },
    async destroyAllFor(memberId) {
      await db.query('DELETE FROM sessions WHERE member_id = $1', [memberId]);
    },
  };
}

/** `prefix` = REDIS_PREFIX: deployments sharing one Redis keep their sessions (and "log out everywhere") apart. */
export function redisSessions(redis: RedisClientType<any, any, any, any, any>, ttlSeconds: number, prefix = 'chwimeet:'): SessionStore {
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
export async function deleteExpiredSessions(db: Database, now: Date): Promise<number> {
  const rows = await db.query('DELETE FROM sessions WHERE expires_at <= $1 RETURNING id', [now]);
  return rows.length;
}
