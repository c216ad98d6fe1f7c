// Test harness: every test file gets a fresh copy of one migrated template database (PGlite),
// built once per run by scripts/test.mjs, and an app wired exactly as in production.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config.ts';
import { openPglite, type Database } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createDeps, closeDeps, type Clock, type Deps } from '../src/deps.ts';
import { buildApp, type App } from '../src/app.ts';
import { CSRF_HEADER } from '../src/http/csrf.ts';
import { membersService } from '../src/modules/members/service.ts';
import { createTemporaryDatabase } from './postgres.ts';
import type { SchedulerOptions } from '../src/jobs/scheduler.ts';

export const TEMPLATE_DUMP = path.resolve('.test-data/template.tar.gz');

/** A migrated PGlite database: from the run's template when present, else migrated now. */
export async function freshDatabase(): Promise<Database> {
  if (fs.existsSync(TEMPLATE_DUMP)) {
    const blob = new Blob([fs.readFileSync(TEMPLATE_DUMP)]);
    const db = await openPglite({ loadDataDir: blob });
    await migrate(db); // marks vector availability; applies nothing new
    return db;
  }
  const db = await openPglite({});
  await migrate(db);
  return db;
}

export function testConfig(env: Record<string, string> = {}): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-test-'));
  // tests sign up, log in, search and send chat bursts many times from one address; those limits have their own tests
  return loadConfig({
    DATA_DIR: dir, SEED_DEMO: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent', CHAT_SEND_BURST: '100000',
    SIGNUP_RATE_LIMIT_MAX: '100000', LOGIN_IP_RATE_LIMIT_MAX: '100000', SEARCH_RATE_LIMIT_MAX: '100000', AI_SEARCH_RATE_LIMIT_MAX: '100000',
    ...env,
  });
}

export interface TestContext {
  app: App;
  deps: Deps;
  /** sign up a fresh member; returns its cookie header and id */
  signUp(nickname?: string): Promise<{ id: number; cookie: string; email: string; password: string }>;
  /** an ADMIN member */
  admin(): Promise<{ id: number; cookie: string }>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestContext(
  /** jobs: the scheduler's options (e.g. a test's own definitions); the test starts it with ctx.deps.jobs.start() */
  opts: { env?: Record<string, string>; clock?: Clock; db?: Database; jobs?: SchedulerOptions } = {},
): Promise<TestContext> {
  // TEST_DB=postgres runs the same tests on the machine's real PostgreSQL: a database of its own per context.
  const onPostgres = process.env.TEST_DB === 'postgres' && !opts.db && !opts.env?.DATABASE_URL;
  const temporary = onPostgres ? await createTemporaryDatabase('t') : null;
  const config = testConfig(temporary ? { DATABASE_URL: temporary.url, SINGLE_INSTANCE: 'true', ...opts.env } : opts.env);
  const db = opts.db ?? (config.databaseUrl ? undefined : await freshDatabase());
  const deps = await createDeps(config, pino({ level: 'silent' }), { db, clock: opts.clock, jobs: opts.jobs });
  const app = await buildApp(deps);
  await app.ready();
  // The harness calls the API the way our web client does (web/src/api/client.ts), with the custom
  // header that proves a request is not a cross-site form (http/csrf.ts); csrf.test.ts sends without it.
  const inject = app.inject.bind(app);
  app.inject = ((opts?: any, cb?: any) =>
    opts && typeof opts === 'object'
      ? inject({ ...opts, headers: { [CSRF_HEADER]: 'test', ...opts.headers } }, cb)
      : inject(opts, cb)) as typeof app.inject;

  const ctx: TestContext = {
    app,
    deps,
    async signUp(nickname) {
      const n = ++counter;
      const nick = nickname ?? `회원${process.pid % 10000}x${n}`;
      const email = `user${process.pid}-${n}-${Date.now()}@example.com`;
      const password = 'password123!';
      const res = await app.inject({ method: 'POST', url: '/api/v1/members', payload: { email, password, nickname: nick } });
      if (res.statusCode !== 201) throw new Error(`signUp failed: ${res.statusCode} ${res.body}`);
      return { id: res.json().id, cookie: cookieOf(res.headers['set-cookie']), email, password };
    },
    async admin() {
      const n = ++counter;
      const email = `admin${process.pid}-${n}-${Date.now()}@example.com`;
      const m = await membersService(deps).ensureAdmin(email, 'adminpass123', `관리자${n}`);
      const res = await app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email, password: 'adminpass123' } });
      return { id: m.id, cookie: cookieOf(res.headers['set-cookie']) };
    },
    async close() {
      await app.close();
      await closeDeps(deps);
      await temporary?.drop();
    },
  };
  return ctx;
}

/** "name=value" from a set-cookie header, for the Cookie header of later requests. */
export function cookieOf(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('no set-cookie header');
  return first.split(';')[0];
}
