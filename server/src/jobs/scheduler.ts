// The cluster-safe scheduler (SPEC §9, the Quartz JDBC job store's guarantees) on pg-boss 12.
//
// How each guarantee is met:
// - One run per cron tick across instances: pg-boss keeps the cron schedules in the database. One
//   instance at a time wins the cron pass (a conditional UPDATE on pg-boss's cron_on), and every due
//   occurrence is filed as a job under a singleton key + 60 s slot; a job is fetched by exactly one
//   worker (SKIP LOCKED). Under load pg-boss has still forwarded one occurrence twice, so the run itself
//   is claimed by a unique (job, scheduled tick) row in job_runs: the second forward does nothing. retryLimit 0: a failed run is recorded as
//   FAILED and waits for the next tick (Quartz's default, no recovery re-run); jobs are idempotent anyway.
// - No overlapping runs of one job anywhere (Quartz @DisallowConcurrentExecution): queue policy
//   'stately' — at most one queued and one active job per queue, so bursts of nudges or ticks collapse.
// - A crashed instance does not block its job: heartbeatSeconds fails an active job whose worker died.
// - Cron in Asia/Seoul; schedules, pause and history live in the database, so every instance agrees
//   and a change made on one instance applies everywhere without restart.
// - Paused jobs: their cron ticks are recorded as SKIPPED (visible in the history), nudges are dropped
//   silently, and "run now" still runs (an explicit admin action wins, as Quartz's triggerJob does).
// - Work asked for by a request (a new listing's embedding and image renditions, a mail, alert
//   matching) is a nudge: a job queued in the database that a worker on any instance picks up within
//   a second (LISTEN/NOTIFY), with the job's cron as the safety net. The work itself is recorded by the
//   caller (a WAIT listing, a PENDING image), so a crash or a nudge dropped before start loses nothing.
// - Granularity: one run per minute at most (pg-boss files occurrences in 60 s slots), so crons have 5 fields.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Clock, Deps } from '../deps.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { FastifyBaseLogger } from 'fastify';
import { jobsRepository, type JobTrigger, type RunRow, type SettingsRow } from './repository.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { initJobMetrics, recordJobRun } from '../metrics.ts';
import { jobDefinitions } from './registry.ts';
import type { JobDefinition, JobOutcome } from './types.ts';
import { iso, isoOrNull } from '../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../lib/cursor.ts';

export type { JobTrigger } from './repository.ts';

/** What the scheduler itself uses; the jobs it runs get the whole Deps (`jobDeps`). */
export interface SchedulerHost {
  readonly config: Config;
  readonly db: Database;
  readonly log: FastifyBaseLogger;
  readonly clock: Clock;
}

export interface SchedulerOptions {
  /** the jobs to run; the registry by default (tests pass their own) */
  definitions?: JobDefinition[];
  /** run ticks on this instance (config.jobsEnabled); false = control only (admin API still works) */
  workers?: boolean;
  /** pg-boss schema; 'pgboss' by default, tests use a scratch one */
  schema?: string;
  /** server mode: pg-boss opens its own small pool on this URL; default config.databaseUrl */
  connectionString?: string | null;
  /** backstop polling when LISTEN/NOTIFY is unavailable (it wakes workers at once otherwise) */
  pollingIntervalSeconds?: number;
  /** how often an instance tries to run the cron pass (1–45 s, pg-boss default 30) */
  cronMonitorIntervalSeconds?: number;
  instanceId?: string;
}

export interface JobRun {
  id: number;
  jobName: string;
  trigger: JobTrigger;
  scheduledAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** null while running */
  outcome: 'OK' | 'FAILED' | 'SKIPPED' | null;
  result: JobOutcome | null;
  error: string | null;
  instanceId: string;
}

export interface JobInfo {
  name: string;
  description: string;
  cron: string;
  defaultCron: string;
  timeZone: string;
  paused: boolean;
  /** null when paused */
  nextRunAt: string | null;
  lastRun: JobRun | null;
}

export const SCHEDULER_TZ = 'Asia/Seoul';
const HEARTBEAT_SECONDS = 30;
const MAX_RUN_SECONDS = 60 * 60;
const STOP_TIMEOUT_MS = 10_000;
const ERROR_MAX = 2000;
// Serialises "read settings → write pg-boss schedule" across instances (server mode only).
const SCHEDULE_LOCK = 727030;

const toRun = (r: RunRow): JobRun => ({
  id: r.id,
  jobName: r.job_name,
  trigger: r.trigger,
  scheduledAt: isoOrNull(r.scheduled_at),
  startedAt: iso(r.started_at),
  finishedAt: isoOrNull(r.finished_at),
  outcome: r.outcome,
  result: r.result,
  error: r.error,
  instanceId: r.instance_id,
});

export class Scheduler {
  readonly instanceId: string;
  readonly definitions: ReadonlyMap<string, JobDefinition>;
  private readonly makeBoss: () => Promise<PgBoss>;
  private bossInstance: PgBoss | null = null;
  private readonly workers: boolean;
  private readonly pollingIntervalSeconds: number;
  private readonly bossSchema: string;
  private started = false;
  /** aborted when this instance stops: a job run in progress hands its remaining work back */
  private stopping = new AbortController();
  private readonly repo: ReturnType<typeof jobsRepository>;

  /**
   * Built with the Deps (deps.ts createDeps) and started by startBackground, or by a test. `jobDeps`
   * is what a job runs with: the Deps that hold this scheduler, so it is read at run time.
   */
  constructor(
    private readonly deps: SchedulerHost,
    private readonly jobDeps: () => Deps,
    opts: SchedulerOptions = {},
  ) {
    this.repo = jobsRepository(deps.db);
    const defs = opts.definitions ?? jobDefinitions;
    this.definitions = new Map(defs.map((d) => [d.name, d]));
    if (this.definitions.size !== defs.length) throw new Error('작업 이름이 중복되었습니다');
    this.workers = opts.workers ?? deps.config.jobsEnabled;
    this.instanceId = opts.instanceId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.pollingIntervalSeconds = opts.pollingIntervalSeconds ?? 5;

    this.bossSchema = opts.schema ?? 'pgboss';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.bossSchema)) throw new Error(`스케줄러: 스키마 이름이 올바르지 않습니다: ${this.bossSchema}`);
    const connectionString = opts.connectionString === undefined ? deps.config.databaseUrl : opts.connectionString;
    const common = {
      schema: this.bossSchema,
      // The cron pass and maintenance belong to instances that do the work.
      schedule: this.workers,
      supervise: this.workers,
      // pg-boss asserts on a present-but-undefined option, so only pass it when given
      ...(opts.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds } : {}),
      useListenNotify: true,
      instanceName: this.instanceId,
    };
    // made (and pg-boss loaded) at start: every Deps holds a scheduler, the server imports pg-boss only
    // after it listens, and a scheduler over a database pg-boss cannot reach (a test's PGlite behind a
    // socket) is fine until something starts it
    this.makeBoss = async () => {
      const { PgBoss, fromPglite } = await import('pg-boss');
      let boss: PgBoss;
      if (connectionString) {
        boss = new PgBoss({ ...common, connectionString, max: 4, application_name: 'chwimeet-jobs' });
      } else {
        if (!deps.db.pglite) throw new Error('스케줄러: PGlite 또는 DATABASE_URL 이 필요합니다');
        boss = new PgBoss({ ...common, db: fromPglite(deps.db.pglite), backend: 'pglite' });
      }
      boss.on('error', (err) => deps.log.error({ err: err.message }, 'scheduler error'));
      boss.on('warning', (w) => deps.log.warn({ warning: w.message }, 'scheduler warning'));
      return boss;
    };
  }

  /** the started pg-boss (the admin API and nudges only reach it while `running`) */
  private get boss(): PgBoss {
    if (!this.bossInstance) throw new Error('스케줄러가 시작되지 않았습니다');
    return this.bossInstance;
  }

  /** Installs/updates pg-boss, creates a queue + cron schedule per job, and starts the workers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.bossInstance ??= await this.makeBoss();
    await this.boss.start();
    this.stopping = new AbortController();
    this.started = true;
    for (const def of this.definitions.values()) {
      await this.repo.ensureSetting(def.name);
      await this.boss.createQueue(def.name, {
        policy: 'stately',
        retryLimit: 0,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        expireInSeconds: MAX_RUN_SECONDS,
        notify: true,
      });
      await this.syncSchedule(def.name);
    }
    if (!this.workers) return;
    initJobMetrics(this.definitions.keys());
    for (const def of this.definitions.values()) {
      await this.boss.work(
        def.name,
        {
          batchSize: 1,
          localConcurrency: 1,
          includeMetadata: true,
          pollingIntervalSeconds: this.pollingIntervalSeconds,
          notifyPollingIntervalSeconds: 30,
        },
        async (jobs) => {
          for (const job of jobs) await this.execute(def, job as JobWithMetadata<{ trigger?: JobTrigger }>);
        },
      );
    }
    for (const def of this.definitions.values()) if (def.runAtStart) await this.nudge(def.name);
  }

  /** true between start() and stop(): the admin API answers, nudges are queued */
  get running(): boolean {
    return this.started;
  }

  /** Waits up to 10 s for running jobs, then stops. The caller closes the database afterwards. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.stopping.abort();
    await this.boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
  }

  // ---- control (any instance; state lives in the database) ----

  async list(): Promise<JobInfo[]> {
    const settings = await this.settings();
    const last = await this.repo.lastRuns();
    const lastByName = new Map(last.map((r) => [r.job_name, toRun(r)]));
    return [...this.definitions.values()].map((def) => this.info(def, settings.get(def.name), lastByName.get(def.name) ?? null));
  }

  async get(name: string): Promise<JobInfo> {
    const def = this.definition(name);
    const s = await this.setting(name);
    const last = await this.repo.lastRun(name);
    return this.info(def, s, last ? toRun(last) : null);
  }

  /** Changes a job's cron for the whole cluster; a bad expression is a 400 and changes nothing. */
  async setSchedule(name: string, cron: string, by: number | null = null): Promise<JobInfo> {
    this.definition(name);
    const expression = this.validateCron(cron);
    await this.underScheduleLock(async () => {
      await this.repo.setCron(name, expression, by);
      await this.writeSchedule(name, expression);
    });
    return this.get(name);
  }

  async pause(name: string, by: number | null = null) {
    return this.setPaused(name, true, by);
  }

  async resume(name: string, by: number | null = null) {
    return this.setPaused(name, false, by);
  }

  /**
   * Queues one run now (an admin's "run now"; runs even when paused). queued=false when a run of
   * this job is already waiting — the queue holds one waiting run at most, and that one will do the work.
   */
  async runNow(name: string): Promise<{ queued: boolean; jobId: string | null }> {
    this.definition(name);
    const jobId = await this.boss.send(name, { trigger: 'MANUAL' satisfies JobTrigger });
    return { queued: jobId !== null, jobId };
  }

  /**
   * Asks for a run soon (e.g. the embedding job when a listing changed). Never throws; bursts
   * collapse into one waiting run; a run already in progress is followed by exactly one more.
   * Dropped silently while the job is paused, and before start (the caller's work is in the database:
   * the runAtStart pass or the next cron tick picks it up). `at`: not before then — a retry when work
   * put back after a failure is due; one waiting run per due time, beside the immediate one.
   */
  async nudge(name: string, opts: { at?: Date } = {}): Promise<void> {
    if (!this.definitions.has(name)) {
      this.deps.log.warn({ job: name }, 'nudge for an unknown job');
      return;
    }
    if (!this.started) return;
    // the delay in seconds (the app's clock may differ from the database's); pg-boss counts from its own now
    const delaySeconds = opts.at ? Math.ceil((opts.at.getTime() - this.deps.clock.now().getTime()) / 1000) : 0;
    const later = opts.at && delaySeconds > 0 ? { startAfter: delaySeconds, singletonKey: `at:${opts.at.getTime()}` } : {};
    try {
      await this.boss.send(name, { trigger: 'NUDGE' satisfies JobTrigger }, later);
    } catch (err) {
      this.deps.log.warn({ job: name, err: (err as Error).message }, 'nudge failed');
    }
  }

  /** Newest first; cursor = the last id of the previous page. */
  async history(name: string, opts: { cursor?: string; limit?: number } = {}): Promise<{ items: JobRun[]; nextCursor: string | null }> {
    this.definition(name);
    const after = decodeIdCursor(opts.cursor);
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
    const rows = await this.repo.runs(name, after ?? undefined, limit);
    const items = rows.slice(0, limit).map(toRun);
    return { items, nextCursor: nextIdCursor(rows, limit) };
  }

  /** Returns the normalised expression, or throws a 400 with a Korean detail. */
  validateCron(cron: string): string {
    const expression = cron.trim().replace(/\s+/g, ' ');
    if (expression.split(' ').length !== 5) {
      throw badRequest('INVALID_CRON', `cron 표현식은 '분 시 일 월 요일' 5개 항목이어야 합니다 (예: '*/10 * * * *'): ${cron}`);
    }
    try {
      this.boss.previewSchedule(expression, { tz: SCHEDULER_TZ, count: 1 });
    } catch (err) {
      throw badRequest('INVALID_CRON', `올바르지 않은 cron 표현식입니다: ${cron} (${(err as Error).message})`);
    }
    return expression;
  }

  // ---- execution ----

  /** Runs one queued job on this instance and records it; never throws (no pg-boss retries). */
  private async execute(def: JobDefinition, job: JobWithMetadata<{ trigger?: JobTrigger }>) {
    const trigger: JobTrigger = job.data?.trigger ?? 'CRON';
    const createdOn = new Date(job.createdOn);
    if (trigger !== 'CRON') {
      await this.record(def, trigger, createdOn, job.id);
      return;
    }
    const settings = await this.setting(def.name);
    const scheduledAt = (await this.filedOccurrence(def.name, createdOn)) ?? this.tickOf(settings?.cron ?? def.cron, createdOn);
    await this.record(def, 'CRON', scheduledAt, job.id, settings);
  }

  /**
   * One cron tick of `name` on this instance: the scheduler's entry point for a tick, exactly once per
   * (job, scheduledAt) across the cluster — a tick already taken (pg-boss forwarded the occurrence twice,
   * or another instance got it) is 'duplicate' and does nothing. A paused job records it as SKIPPED.
   */
  async runTick(name: string, scheduledAt: Date, queueJobId: string | null = null): Promise<'ran' | 'skipped' | 'duplicate'> {
    return this.record(this.definition(name), 'CRON', scheduledAt, queueJobId);
  }

  private async record(
    def: JobDefinition,
    trigger: JobTrigger,
    scheduledAt: Date,
    queueJobId: string | null,
    settings?: SettingsRow,
  ): Promise<'ran' | 'skipped' | 'duplicate'> {
    const s = settings ?? (await this.setting(def.name));
    // the run is claimed by its row: a cron tick is unique per job (migration 075), other triggers never conflict
    const claim = (skipped: boolean) =>
      this.repo.claimRun({ name: def.name, trigger, scheduledAt, instanceId: this.instanceId, queueJobId, skipped });

    if (s?.paused && trigger !== 'MANUAL') {
      // a paused job's cron tick is visible in the history; nudges are dropped silently
      if (trigger === 'CRON') return (await claim(true)) ? 'skipped' : 'duplicate';
      return 'skipped';
    }
    const run = await claim(false);
    if (!run) {
      this.deps.log.info({ job: def.name, scheduledAt: scheduledAt.toISOString(), queueJobId }, 'duplicate cron tick skipped');
      return 'duplicate';
    }
    try {
      const result = (await def.run({ deps: this.jobDeps(), now: this.deps.clock.now(), signal: this.stopping.signal })) ?? null;
      await this.repo.finishOk(run.id, result);
      recordJobRun(def.name, true);
    } catch (err) {
      const message = err instanceof Error ? err.message || err.name : String(err);
      this.deps.log.error({ job: def.name, err: message }, 'job failed');
      await this.repo.finishFailed(run.id, message.slice(0, ERROR_MAX));
      recordJobRun(def.name, false);
    }
    return 'ran';
  }

  /**
   * The cron occurrence pg-boss filed this job for. Its cron pass files each occurrence as a
   * '__pgboss__send-it' job naming the occurrence's minute (`slot`); the job that forwarded ours is
   * the latest one for this queue started before ours was created. Timing alone cannot tell: a
   * forward delayed past the minute would otherwise be taken for the next tick.
   */
  private async filedOccurrence(queue: string, createdOn: Date): Promise<Date | null> {
    try {
      const row = await this.repo.filedSlot(this.bossSchema, queue, createdOn);
      return row?.slot ? new Date(`${row.slot.replace(' ', 'T')}Z`) : null;
    } catch {
      return null; // pg-boss changed its bookkeeping: fall back to timing
    }
  }

  /** Fallback: the latest cron occurrence at or before the job's creation. */
  private tickOf(cron: string, createdOn: Date): Date {
    try {
      const from = new Date(createdOn.getTime() - 120_000);
      const recent = this.boss.previewSchedule(cron, { tz: SCHEDULER_TZ, from, count: 3 }).filter((d) => d <= createdOn);
      return recent.at(-1) ?? createdOn;
    } catch {
      return createdOn;
    }
  }

  // ---- helpers ----

  private definition(name: string): JobDefinition {
    const def = this.definitions.get(name);
    if (!def) throw notFound('작업');
    return def;
  }

  private setting(name: string): Promise<SettingsRow | undefined> {
    return this.repo.setting(name);
  }

  private async settings(): Promise<Map<string, SettingsRow>> {
    const rows = await this.repo.settings();
    return new Map(rows.map((r) => [r.name, r]));
  }

  private info(def: JobDefinition, s: SettingsRow | undefined, lastRun: JobRun | null): JobInfo {
    const cron = s?.cron ?? def.cron;
    const paused = s?.paused ?? false;
    let nextRunAt: string | null = null;
    if (!paused) {
      try {
        nextRunAt = this.boss.previewSchedule(cron, { tz: SCHEDULER_TZ, from: this.deps.clock.now(), count: 1 })[0]?.toISOString() ?? null;
      } catch {
        nextRunAt = null;
      }
    }
    return { name: def.name, description: def.description, cron, defaultCron: def.cron, timeZone: SCHEDULER_TZ, paused, nextRunAt, lastRun };
  }

  private async setPaused(name: string, paused: boolean, by: number | null): Promise<JobInfo> {
    this.definition(name);
    await this.repo.setPaused(name, paused, by);
    return this.get(name);
  }

  /** Writes the pg-boss schedule from the stored setting (or the default), under the cluster lock. */
  private async syncSchedule(name: string) {
    await this.underScheduleLock(async () => {
      const s = await this.setting(name);
      await this.writeSchedule(name, s?.cron ?? this.definition(name).cron);
    });
  }

  private async writeSchedule(name: string, cron: string) {
    await this.boss.schedule(name, cron, { trigger: 'CRON' satisfies JobTrigger }, { tz: SCHEDULER_TZ });
  }

  // Without it, an instance starting while an admin changes a schedule could read the old setting
  // and write it back after the new one. PGlite is one process: no lock needed (and a PGlite
  // transaction would block pg-boss's own statements on the same connection).
  private async underScheduleLock(fn: () => Promise<void>) {
    if (this.deps.db.kind !== 'postgres') return fn();
    await this.deps.db.transaction(async (tx) => {
      await jobsRepository(tx).advisoryXactLock(SCHEDULE_LOCK);
      await fn();
    });
  }
}
