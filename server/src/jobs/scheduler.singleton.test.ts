// Singleton: 3 scheduler instances (separate pg-boss instances and pools) on the machine's real
// Postgres, sharing one scratch pg-boss schema and one scratch history schema → each cron tick of
// each job runs exactly once across the cluster. pg-boss cron is minute-granular (occurrences are
// filed in 60 s slots, sub-minute expressions still send one job a minute), so the test runs 3 jobs
// over 2 minute ticks each (the current minute's occurrence is due at start, the next one ≤ 60 s later):
// 6 ticks raced by 3 instances, under ~70 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { openPostgres, type Database } from '../db/client.ts';
import { systemClock, type Deps } from '../deps.ts';
import { Scheduler } from './scheduler.ts';
import type { JobDefinition } from './types.ts';

const BASE_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `sched_${process.pid}_${Date.now().toString(36)}`;
const APP_SCHEMA = `${run}_app`;
const BOSS_SCHEMA = `${run}_boss`;
const MIGRATIONS = ['030_scheduler.sql', '075_job_runs_once_per_tick.sql'].map((f) =>
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../db/migrations', f));
const JOBS = ['single-a', 'single-b', 'single-c'];
/** driven tick by tick through Scheduler.runTick (its cron never comes due during the test) */
const DRIVEN = 'single-driven';
const DRIVEN_TICKS = 50;
const TICKS = 2;

const calls: { job: string; instance: string }[] = [];
let admin: pg.Pool;
const dbs: Database[] = [];
const schedulers: Scheduler[] = [];

before(async () => {
  admin = new pg.Pool({ connectionString: BASE_URL, max: 2 });
  await admin.query(`CREATE SCHEMA ${APP_SCHEMA}`);
  for (const m of MIGRATIONS) await admin.query(`SET search_path TO ${APP_SCHEMA}; ${fs.readFileSync(m, 'utf8')}`);
  const scopedUrl = `${BASE_URL}?options=${encodeURIComponent(`-c search_path=${APP_SCHEMA}`)}`;
  const config = loadConfig({ DATABASE_URL: BASE_URL, LOG_LEVEL: 'silent' });
  for (let i = 0; i < 3; i++) {
    const db = await openPostgres(scopedUrl, 3);
    dbs.push(db);
    const deps = { config, db, clock: systemClock, log: pino({ level: 'silent' }) } as unknown as Deps;
    const instance = `instance-${i}`;
    const definitions: JobDefinition[] = JOBS.map((name) => ({
      name, description: '싱글톤 시험 작업', cron: '* * * * *',
      async run() {
        calls.push({ job: name, instance });
        await sleep(200); // long enough for a duplicate, if any, to overlap
        return { instance };
      },
    }));
    definitions.push({
      name: DRIVEN, description: '틱 직접 구동 시험 작업', cron: '0 0 1 1 *',
      async run() {
        calls.push({ job: DRIVEN, instance });
        await sleep(5); // the other instances' claims arrive while this one runs
        return { instance };
      },
    });
    schedulers.push(new Scheduler(deps, () => deps, {
      definitions, workers: true, instanceId: instance, schema: BOSS_SCHEMA, connectionString: BASE_URL,
      cronMonitorIntervalSeconds: 1, pollingIntervalSeconds: 1,
    }));
  }
  // All three at once: concurrent install of the pg-boss schema, queues and schedules must be safe too.
  await Promise.all(schedulers.map((s) => s.start()));
});

after(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  await Promise.all(dbs.map((db) => db.close()));
  await admin.query(`DROP SCHEMA IF EXISTS ${BOSS_SCHEMA} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${APP_SCHEMA} CASCADE`);
  await admin.end();
});

interface RunRow { job_name: string; scheduled_at: Date; instance_id: string; outcome: string | null }

test('3 instances, 3 jobs, 2 minute ticks each: every tick runs exactly once', async () => {
  const deadline = Date.now() + 150_000;
  let rows: RunRow[] = [];
  for (;;) {
    rows = (await admin.query<RunRow>(`SELECT job_name, scheduled_at, instance_id, outcome FROM ${APP_SCHEMA}.job_runs`)).rows;
    const ticksDone = JOBS.map((j) => new Set(rows.filter((r) => r.job_name === j && r.outcome).map((r) => +r.scheduled_at)).size);
    if (ticksDone.every((n) => n >= TICKS)) break;
    if (Date.now() > deadline) throw new Error(`timed out: ticks per job ${ticksDone}`);
    await sleep(500);
  }
  // Stop everything (waiting for runs in flight), then count.
  await Promise.all(schedulers.map((s) => s.stop()));
  rows = (await admin.query<RunRow>(`SELECT job_name, scheduled_at, instance_id, outcome FROM ${APP_SCHEMA}.job_runs`)).rows;

  const perTick = new Map<string, number>();
  rows = rows.filter((r) => r.job_name !== DRIVEN);
  for (const r of rows) {
    assert.equal(r.outcome, 'OK');
    assert.equal(new Date(r.scheduled_at).getUTCSeconds(), 0, 'a tick is a minute occurrence');
    const key = `${r.job_name}@${new Date(r.scheduled_at).toISOString()}`;
    perTick.set(key, (perTick.get(key) ?? 0) + 1);
  }
  for (const [tick, n] of perTick) assert.equal(n, 1, `tick ${tick} ran ${n} times`);
  for (const job of JOBS) {
    assert.ok([...perTick.keys()].filter((k) => k.startsWith(`${job}@`)).length >= TICKS);
    // run() was called once per recorded tick, and pg-boss completed one job per tick. A job forwarded
    // in the instant before the stop may still be waiting, unfetched, or — fetched as the stop began —
    // failed by pg-boss's shutdown without reaching run(): neither is a run
    const recorded = rows.filter((r) => r.job_name === job).length;
    assert.equal(calls.filter((c) => c.job === job).length, recorded);
    const { rows: states } = await admin.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 GROUP BY state`, [job]);
    assert.equal(states.find((r) => r.state === 'completed')?.n ?? 0, recorded, JSON.stringify(states));
    assert.ok(states.every((r) => ['created', 'completed', 'failed'].includes(r.state)), JSON.stringify(states));
  }
  const byInstance: Record<string, number> = {};
  for (const r of rows) byInstance[r.instance_id] = (byInstance[r.instance_id] ?? 0) + 1;
  console.log(`# ${perTick.size} ticks, each once; runs per instance: ${JSON.stringify(byInstance)}`);
});

test('a schedule change or pause made on one instance is what every instance sees', async () => {
  await Promise.all(schedulers.map((s) => s.start())); // control reads work on started instances
  await schedulers[0].setSchedule('single-a', '15 4 * * *');
  await schedulers[1].pause('single-b');
  for (const s of schedulers) {
    const jobs = await s.list();
    assert.equal(jobs.find((j) => j.name === 'single-a')!.cron, '15 4 * * *');
    assert.equal(jobs.find((j) => j.name === 'single-b')!.paused, true);
  }
  const { rows } = await admin.query(`SELECT cron, timezone FROM ${BOSS_SCHEMA}.schedule WHERE name = 'single-a'`);
  assert.deepEqual(rows, [{ cron: '15 4 * * *', timezone: 'Asia/Seoul' }]);
  // a restarting instance keeps the stored schedule instead of writing its default back
  await schedulers[2].stop();
  await schedulers[2].start();
  const again = await admin.query(`SELECT cron FROM ${BOSS_SCHEMA}.schedule WHERE name = 'single-a'`);
  assert.equal(again.rows[0].cron, '15 4 * * *');
});

test('3 instances × 50 ticks driven at once through runTick, plus a late second forward of each: every tick runs exactly once', async () => {
  const base = Date.UTC(2030, 0, 1, 0, 0, 0);
  const outcomes: string[] = [];
  for (let i = 0; i < DRIVEN_TICKS; i++) {
    const tick = new Date(base + i * 60_000);
    // pg-boss forwarding one occurrence to every instance at the same moment
    outcomes.push(...(await Promise.all(schedulers.map((s) => s.runTick(DRIVEN, tick)))));
  }
  // and once more, after the fact (a forward delayed past the run)
  for (let i = 0; i < DRIVEN_TICKS; i++) outcomes.push(await schedulers[i % 3].runTick(DRIVEN, new Date(base + i * 60_000)));

  const runs = calls.filter((c) => c.job === DRIVEN);
  const rows = (await admin.query<RunRow>(`SELECT job_name, scheduled_at, instance_id, outcome FROM ${APP_SCHEMA}.job_runs WHERE job_name = $1`, [DRIVEN])).rows;
  const perTick = new Map<number, number>();
  for (const r of rows) perTick.set(+r.scheduled_at, (perTick.get(+r.scheduled_at) ?? 0) + 1);
  const duplicates = [...perTick.values()].filter((n) => n > 1).length;
  console.log(`# driven: ${DRIVEN_TICKS} ticks × 4 forwards → ${runs.length} runs, ${duplicates} duplicated ticks`);
  assert.equal(runs.length, DRIVEN_TICKS, 'run() called exactly once per tick');
  assert.equal(rows.length, DRIVEN_TICKS);
  assert.equal(perTick.size, DRIVEN_TICKS);
  assert.equal(duplicates, 0);
  assert.ok(rows.every((r) => r.outcome === 'OK'));
  assert.equal(outcomes.filter((o) => o === 'ran').length, DRIVEN_TICKS);
  assert.equal(outcomes.filter((o) => o === 'duplicate').length, DRIVEN_TICKS * 3);
});
