// Everything a request handler or job may use, built once at start (main.ts) or per test.
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClientType } from 'redis';
import type { Config } from './config.ts';
import { openPglite, openPostgres, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { templateFor } from './db/template.ts';
import { memoryBus, redisBus, type Bus } from './realtime/bus.ts';
import { databaseSessions, redisSessions, type SessionStore } from './sessions.ts';
import { announcingRevocations } from './realtime/revocation.ts';
import { createNotificationService, type NotificationService } from './modules/notifications/service.ts';
import { mailService } from './modules/mail/service.ts';
import type { ChatLLM } from './ai/types.ts';
import { createChatLLM } from './ai/llm.ts';
import { Scheduler, type SchedulerOptions } from './jobs/scheduler.ts';
import { createStorage, type Storage } from './storage/index.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

// biome-ignore lint/suspicious/noExplicitAny: the client is created with the default modules/scripts; node-redis' own docs type a generic client this way
export type Redis = RedisClientType<any, any, any, any, any>;

/** Longest wait for one Redis command before the request fails with 503 (requests must fail fast in an outage). */
export const REDIS_COMMAND_TIMEOUT_MS = 1500;

/** The first embedded start's demo data, seeded after listening (background.ts seedIfEmpty); /readyz shows it. */
export class DemoSeed {
  #state: 'loading' | 'ready' | 'failed' | null = null;
  /** null when no seeding was started by this process */
  get state() {
    return this.#state;
  }
  /** Runs the seeding once, recording its state; its errors are the caller's to log. */
  async track<T>(seed: () => Promise<T>): Promise<T> {
    this.#state = 'loading';
    try {
      const result = await seed();
      this.#state = 'ready';
      return result;
    } catch (err) {
      this.#state = 'failed';
      throw err;
    }
  }
}

export interface Deps {
  readonly config: Config;
  readonly db: Database;
  readonly redis: Redis | null;
  readonly bus: Bus;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  readonly notifications: NotificationService;
  /** OpenAI-compatible chat model when LLM_BASE_URL is set, else null (extractive fallbacks) */
  readonly llm: ChatLLM | null;
  /** uploaded images: local folder or S3-compatible bucket (STORAGE) */
  readonly storage: Storage;
  /**
   * Background work: the job scheduler (pg-boss), built here and started by startBackground (or a
   * test). Request code queues work with jobs.nudge(name); the admin API reads and changes schedules.
   */
  readonly jobs: Scheduler;
  readonly demo: DemoSeed;
}

/** Opens the database (and Redis in server mode), runs migrations and builds the shared services. */
export async function createDeps(
  config: Config,
  log: FastifyBaseLogger,
  overrides: { db?: Database; clock?: Clock; jobs?: SchedulerOptions } = {},
): Promise<Deps> {
  const db =
    overrides.db ??
    (config.databaseUrl
      ? await openPostgres(config.databaseUrl)
      : await openPglite({ dataDir: `${config.dataDir}/pglite`, loadDataDir: templateFor(`${config.dataDir}/pglite`), sharedBuffersMb: config.pgliteSharedBuffersMb }));
  const report = await migrate(db, (msg) => log.warn(msg));
  if (report.applied.length) log.info({ applied: report.applied }, 'migrations applied');
  if (!report.vectorAvailable) log.warn('semantic search unavailable: the database has no pgvector extension');

  let redis: Redis | null = null;
  if (config.redisUrl) {
    // Reconnect forever once up, but fail fast at start: an unreachable Redis is a clear error, not a hang.
    let connected = false;
    // loaded only here: the Redis client is a large part of module loading, and embedded mode never needs it
    const { createClient } = await import('redis');
    redis = createClient({
      url: config.redisUrl,
      socket: { connectTimeout: 5000, reconnectStrategy: (retries, cause) => (connected ? Math.min(retries * 200, 5000) : cause) },
      // During an outage node-redis would queue every command until Redis is back, so each request
      // carrying a session cookie (and /readyz) hung for the whole outage. Fail at once instead (503),
      // and give up on a command that gets no answer (a hung Redis) after REDIS_COMMAND_TIMEOUT_MS.
      disableOfflineQueue: true,
      commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
    });
    redis.on('error', (err) => {
      if (connected) log.error({ err: err.message }, 'redis error');
    });
    try {
      await redis.connect();
    } catch (err) {
      await db.close().catch(() => {});
      const where = config.redisUrl.replace(/\/\/[^@/]*@/, '//'); // never print a password
      throw new Error(`Redis ${where}: ${(err as Error).message || String(err)}`);
    }
    connected = true;
  }
  const bus = redis ? await redisBus(redis, config.redisPrefix) : memoryBus();
  const sessions = announcingRevocations(
    redis ? redisSessions(redis, config.sessionTtlSeconds, config.redisPrefix) : databaseSessions(db, config.sessionTtlSeconds),
    bus,
    log,
  );
  const clock = overrides.clock ?? systemClock;
  const llm: ChatLLM | null = createChatLLM(config.llm);
  const storage = createStorage(config);
  const deps: Deps = {
    config, db, redis, bus, sessions, clock, log, llm, storage,
    // important notifications are also mailed to members who asked for it
    notifications: createNotificationService(db, bus, (rows) => mailService(deps).queueNotificationCopies(rows)),
    // runs ticks and workers only when JOBS_ENABLED (control-only otherwise: the admin API still works)
    jobs: new Scheduler({ config, db, log, clock }, () => deps, { workers: config.jobsEnabled, ...overrides.jobs }),
    demo: new DemoSeed(),
  };
  return deps;
}

/** createDeps for a command-line entry point (server, CLI): a database or Redis that cannot be reached is one line on stderr and exit code 1. */
export async function createDepsOrExit(
  config: Config,
  log: FastifyBaseLogger,
  prefix: string,
  jobs?: SchedulerOptions,
): Promise<Deps> {
  try {
    return await createDeps(config, log, { jobs });
  } catch (err) {
    const target = config.databaseUrl ? 'PostgreSQL/Redis' : `데이터 폴더 ${config.dataDir}`;
    console.error(`${prefix}: ${target} 에 연결할 수 없습니다 — ${(err as Error).message}`);
    process.exit(1);
  }
}

export async function closeDeps(deps: Deps) {
  await deps.jobs.stop(); // no-op unless started
  await deps.bus.close().catch(() => {});
  await deps.redis?.quit().catch(() => {});
  await deps.storage.close().catch(() => {});
  await deps.db.close();
}
