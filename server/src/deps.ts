// Everything a request handler or job may use, built once at start (main.ts) or per test.
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { createClient, type RedisClientType } from 'redis';
import type { Config } from './config.ts';
import { openPglite, openPostgres, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { memoryBus, redisBus, type Bus } from './realtime/bus.ts';
import { databaseSessions, redisSessions, type SessionStore } from './sessions.ts';
import { createNotificationService, type NotificationService } from './modules/notifications/service.ts';
import type { ChatLLM } from './ai/types.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type Redis = RedisClientType<any, any, any, any, any>;

export interface Deps {
  config: Config;
  db: Database;
  redis: Redis | null;
  bus: Bus;
  sessions: SessionStore;
  clock: Clock;
  log: FastifyBaseLogger;
  notifications: NotificationService;
  /** in-process domain signals, e.g. 'post-changed' (postId) nudges the embedding worker */
  signals: EventEmitter;
  /** OpenAI-compatible chat model when LLM_BASE_URL is set, else null (extractive fallbacks) */
  llm: ChatLLM | null;
}

/** Opens the database (and Redis in server mode), runs migrations and builds the shared services. */
export async function createDeps(
  config: Config,
  log: FastifyBaseLogger,
  overrides: { db?: Database; clock?: Clock } = {},
): Promise<Deps> {
  const db =
    overrides.db ??
    (config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite({ dataDir: config.dataDir + '/pglite' }));
  const report = await migrate(db, (msg) => log.warn(msg));
  if (report.applied.length) log.info({ applied: report.applied }, 'migrations applied');
  if (!report.vectorAvailable) log.warn('semantic search unavailable: the database has no pgvector extension');

  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = createClient({ url: config.redisUrl });
    redis.on('error', (err) => log.error({ err: err.message }, 'redis error'));
    await redis.connect();
  }
  const bus = redis ? await redisBus(redis) : memoryBus();
  const sessions = redis
    ? redisSessions(redis, config.sessionTtlSeconds)
    : databaseSessions(db, config.sessionTtlSeconds);
  const clock = overrides.clock ?? systemClock;
  const signals = new EventEmitter();
  signals.setMaxListeners(50);
  const llm: ChatLLM | null = null; // TODO(search): createChatLLM(config.llm) from ai/llm.ts
  return { config, db, redis, bus, sessions, clock, log, signals, llm, notifications: createNotificationService(db, bus) };
}

export async function closeDeps(deps: Deps) {
  await deps.bus.close().catch(() => {});
  await deps.redis?.quit().catch(() => {});
  await deps.db.close();
}
