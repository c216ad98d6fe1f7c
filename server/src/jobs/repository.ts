// Every SQL statement of the scheduler: job settings (cron, pause), the run history in job_runs (one
// row per cron tick, claimed by a unique index), and the one read of pg-boss's own bookkeeping.
import type { Queryable } from '../db/client.ts';
import { sql } from '../db/sql.ts';
import type { JobOutcome } from './types.ts';

export type JobTrigger = 'CRON' | 'MANUAL' | 'NUDGE';

export interface SettingsRow {
  name: string;
  cron: string | null;
  paused: boolean;
}

export interface RunRow {
  id: number;
  job_name: string;
  trigger: JobTrigger;
  scheduled_at: Date | null;
  started_at: Date;
  finished_at: Date | null;
  /** null while running */
  outcome: 'OK' | 'FAILED' | 'SKIPPED' | null;
  result: JobOutcome | null;
  error: string | null;
  instance_id: string;
}

export function jobsRepository(db: Queryable) {
  return {
    async ensureSetting(name: string) {
      await db.query(sql`INSERT INTO job_settings (name) VALUES (${name}) ON CONFLICT (name) DO NOTHING`);
    },
    setting: (name: string) => db.one<SettingsRow>(sql`SELECT name, cron, paused FROM job_settings WHERE name = ${name}`),
    settings: () => db.query<SettingsRow>(sql`SELECT name, cron, paused FROM job_settings`),
    async setCron(name: string, cron: string, by: number | null) {
      await db.query(sql`
        INSERT INTO job_settings (name, cron, updated_at, updated_by) VALUES (${name}, ${cron}, now(), ${by})
        ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, updated_at = now(), updated_by = EXCLUDED.updated_by`);
    },
    async setPaused(name: string, paused: boolean, by: number | null) {
      await db.query(sql`
        INSERT INTO job_settings (name, paused, updated_at, updated_by) VALUES (${name}, ${paused}, now(), ${by})
        ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now(), updated_by = EXCLUDED.updated_by`);
    },

    /** the latest run of every job */
    lastRuns: () => db.query<RunRow>(sql`SELECT DISTINCT ON (job_name) * FROM job_runs ORDER BY job_name, id DESC`),
    lastRun: (name: string) => db.one<RunRow>(sql`SELECT * FROM job_runs WHERE job_name = ${name} ORDER BY id DESC LIMIT 1`),
    /** newest first, one row more than `limit` when there is a next page */
    runs: (name: string, before: number | undefined, limit: number) =>
      db.query<RunRow>(sql`
        SELECT * FROM job_runs
        WHERE job_name = ${name} ${before ? sql`AND id < ${before}` : sql.empty()}
        ORDER BY id DESC LIMIT ${limit + 1}`),

    /**
     * Claims a run by inserting its row; a cron tick is unique per (job, scheduled tick) (migration 075),
     * so the second claim of one tick gets undefined. A SKIPPED run is recorded as finished at once.
     */
    claimRun(r: { name: string; trigger: JobTrigger; scheduledAt: Date; instanceId: string; queueJobId: string | null; skipped: boolean }) {
      return db.one<{ id: number }>(sql`
        INSERT INTO job_runs (job_name, trigger, scheduled_at, instance_id, queue_job_id, outcome, finished_at, result)
        VALUES (${r.name}, ${r.trigger}, ${r.scheduledAt}, ${r.instanceId}, ${r.queueJobId}, ${r.skipped ? 'SKIPPED' : null},
                ${r.skipped ? sql`clock_timestamp()` : sql`NULL`}, ${r.skipped ? JSON.stringify({ reason: 'paused' }) : null}::jsonb)
        ON CONFLICT (job_name, scheduled_at) WHERE trigger = 'CRON' DO NOTHING
        RETURNING id`);
    },
    async finishOk(id: number, result: JobOutcome | null) {
      await db.query(sql`
        UPDATE job_runs SET finished_at = clock_timestamp(), outcome = 'OK', result = ${JSON.stringify(result)}::jsonb WHERE id = ${id}`);
    },
    async finishFailed(id: number, error: string) {
      await db.query(sql`UPDATE job_runs SET finished_at = clock_timestamp(), outcome = 'FAILED', error = ${error} WHERE id = ${id}`);
    },

    /** Runs still open `hours` after their start lost their instance: closed as FAILED. Returns how many. */
    async closeAbandoned(now: Date, hours: number, error: string) {
      const rows = await db.query(sql`
        UPDATE job_runs SET finished_at = ${now}, outcome = 'FAILED', error = ${error}
        WHERE outcome IS NULL AND started_at < ${now}::timestamptz - make_interval(hours => ${hours})
        RETURNING id`);
      return rows.length;
    },
    async deleteOlderThan(now: Date, days: number) {
      const rows = await db.query(sql`
        DELETE FROM job_runs WHERE started_at < ${now}::timestamptz - make_interval(days => ${days}) RETURNING id`);
      return rows.length;
    },

    /**
     * The minute pg-boss's cron pass filed the occurrence for: the latest '__pgboss__send-it' job of
     * `queue` started at or before `createdOn` (`bossSchema` is checked by the Scheduler's constructor).
     */
    filedSlot: (bossSchema: string, queue: string, createdOn: Date) =>
      db.one<{ slot: string | null }>(sql`
        SELECT data->>'slot' AS slot FROM ${sql.raw(bossSchema)}.job
        WHERE name = '__pgboss__send-it' AND data->>'name' = ${queue} AND started_on <= ${createdOn}
        ORDER BY started_on DESC LIMIT 1`),

    /** a transaction-scoped advisory lock (server mode) */
    async advisoryXactLock(key: number) {
      await db.query(sql`SELECT pg_advisory_xact_lock(${key})`);
    },
  };
}
