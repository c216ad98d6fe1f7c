// The scheduler and its admin API on PGlite (embedded mode, pg-boss through fromPglite).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import type { PgBoss } from 'pg-boss';
import type { Scheduler, JobRun } from './scheduler.ts';
import type { JobDefinition } from './types.ts';

const FIXED_NOW = new Date('2026-03-01T00:30:00+09:00');
const NEVER = '0 0 1 1 *'; // 1 Jan 00:00 KST: never due while the test runs
let nudgedRuns = 0;

const definitions: JobDefinition[] = [
  { name: 'test-ok', description: '성공하는 작업', cron: NEVER, run: async ({ now }) => ({ now: now.toISOString() }) },
  {
    name: 'test-fail', description: '실패하는 작업', cron: NEVER,
    run: async () => {
      throw new Error('일부러 실패했습니다');
    },
  },
  { name: 'test-tick', description: '매분 작업', cron: NEVER, run: async () => ({ ticked: true }) },
  { name: 'test-paused', description: '일시정지 작업', cron: NEVER, run: async () => ({ ran: true }) },
  { name: 'test-page', description: '이력 페이지 작업', cron: NEVER, run: async () => ({}) },
  {
    name: 'test-nudge', description: '깨우기 작업', cron: NEVER,
    run: async () => {
      nudgedRuns++;
      await sleep(300);
      return {};
    },
  },
];

let ctx: TestContext;
let scheduler: Scheduler;
let admin: { cookie: string };
let startMs = 0;

before(async () => {
  ctx = await createTestContext({
    clock: { now: () => FIXED_NOW },
    jobs: { definitions, workers: true, pollingIntervalSeconds: 1, cronMonitorIntervalSeconds: 1 },
  });
  scheduler = ctx.deps.jobs;
  const t0 = performance.now();
  await scheduler.start();
  startMs = performance.now() - t0;
  admin = await ctx.admin();
});
after(async () => {
  console.log(`# scheduler start on PGlite (pg-boss install + ${definitions.length} queues): ${Math.round(startMs)} ms`);
  await scheduler.stop();
  await ctx.close();
});

const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1/adm/jobs${url}`, headers: { cookie: admin.cookie }, payload });

/** waits (real time, no assertion on it) until the job's newest runs satisfy the predicate */
async function waitForRuns(name: string, ok: (runs: JobRun[]) => boolean, what: string): Promise<JobRun[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { items } = await scheduler.history(name, { limit: 100 });
    if (ok(items)) return items;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(items)}`);
    await sleep(100);
  }
}
const finished = (runs: JobRun[]) => runs.filter((r) => r.outcome !== null);

async function waitFor(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('admin API: anonymous 401, member 403, admin 200', async () => {
  const anon = await ctx.app.inject({ url: '/api/v1/adm/jobs' });
  assert.equal(anon.statusCode, 401);
  const user = await ctx.signUp();
  for (const [method, url] of [['GET', ''], ['POST', '/test-ok/run'], ['POST', '/test-ok/pause'], ['GET', '/test-ok/history']] as const) {
    const res = await ctx.app.inject({ method, url: `/api/v1/adm/jobs${url}`, headers: { cookie: user.cookie } });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
  }
  const put = await ctx.app.inject({
    method: 'PUT', url: '/api/v1/adm/jobs/test-ok/schedule', headers: { cookie: user.cookie }, payload: { cron: '* * * * *' },
  });
  assert.equal(put.statusCode, 403);
  const res = await call('GET', '');
  assert.equal(res.statusCode, 200);
  const names = res.json().items.map((j: { name: string }) => j.name);
  assert.deepEqual(names, definitions.map((d) => d.name));
  const ok = res.json().items[0];
  assert.equal(ok.cron, NEVER);
  assert.equal(ok.timeZone, 'Asia/Seoul');
  assert.equal(ok.paused, false);
  assert.equal(ok.nextRunAt, '2026-12-31T15:00:00.000Z'); // next 1 Jan 00:00 KST after the test clock
});

test('unknown job → 404 on every route', async () => {
  for (const [method, url, payload] of [
    ['PUT', '/no-such-job/schedule', { cron: '* * * * *' }], ['POST', '/no-such-job/pause'], ['POST', '/no-such-job/resume'],
    ['POST', '/no-such-job/run'], ['GET', '/no-such-job/history'],
  ] as const) {
    const res = await call(method, url, payload);
    assert.equal(res.statusCode, 404, `${method} ${url}`);
    assert.equal(res.json().code, 'NOT_FOUND');
  }
});

test('a bad cron is a 400 with a Korean detail and changes nothing; a good one applies to pg-boss', async () => {
  for (const cron of ['bad cron', '61 * * * *', '* * * *', '0 0 * * * *', '*/0 * * * *']) {
    const res = await call('PUT', '/test-ok/schedule', { cron });
    assert.equal(res.statusCode, 400, cron);
    assert.equal(res.json().code, 'INVALID_CRON');
    assert.match(res.json().detail, /cron 표현식/);
  }
  const [stored] = await ctx.deps.db.query(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'test-ok'`);
  assert.deepEqual(stored, { cron: NEVER, timezone: 'Asia/Seoul' });
  assert.equal((await scheduler.get('test-ok')).cron, NEVER);

  const res = await call('PUT', '/test-ok/schedule', { cron: '0  9 * *  1' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().cron, '0 9 * * 1');
  assert.equal(res.json().defaultCron, NEVER);
  assert.equal(res.json().nextRunAt, '2026-03-02T00:00:00.000Z'); // Monday 09:00 KST
  const [after] = await ctx.deps.db.query(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'test-ok'`);
  assert.deepEqual(after, { cron: '0 9 * * 1', timezone: 'Asia/Seoul' });
  // a restart keeps the admin's schedule, not the definition's default
  await scheduler.stop();
  await scheduler.start();
  const [kept] = await ctx.deps.db.query(`SELECT cron FROM pgboss.schedule WHERE name = 'test-ok'`);
  assert.equal(kept.cron, '0 9 * * 1');
  await call('PUT', '/test-ok/schedule', { cron: NEVER });
});

test('run now records a history row with start, end, outcome and the controlled clock', async () => {
  const res = await call('POST', '/test-ok/run');
  assert.equal(res.statusCode, 202);
  assert.equal(res.json().queued, true);
  const [run] = await waitForRuns('test-ok', (r) => finished(r).length >= 1, 'test-ok run');
  assert.equal(run.outcome, 'OK');
  assert.equal(run.trigger, 'MANUAL');
  assert.equal(run.instanceId, scheduler.instanceId);
  assert.deepEqual(run.result, { now: FIXED_NOW.toISOString() });
  assert.ok(run.finishedAt && new Date(run.finishedAt) >= new Date(run.startedAt));
  assert.equal(run.error, null);
  const list = (await call('GET', '')).json().items.find((j: { name: string }) => j.name === 'test-ok');
  assert.equal(list.lastRun.id, run.id);
});

test('a failing job records FAILED with the error message and is not retried', async () => {
  await call('POST', '/test-fail/run');
  const runs = await waitForRuns('test-fail', (r) => finished(r).length >= 1, 'test-fail run');
  await sleep(1500); // a retry would show up as a second row by now
  const again = (await scheduler.history('test-fail')).items;
  assert.equal(again.length, 1);
  assert.equal(runs[0].outcome, 'FAILED');
  assert.equal(runs[0].error, '일부러 실패했습니다');
  assert.ok(runs[0].finishedAt);
});

test('a cron tick runs exactly once at its minute, even when forwarded twice; a paused job records the tick as SKIPPED; resume restores', async () => {
  const paused = await call('POST', '/test-paused/pause');
  assert.equal(paused.statusCode, 200);
  assert.equal(paused.json().paused, true);
  assert.equal(paused.json().nextRunAt, null);

  // Every minute: the occurrence of the current minute is due at once (pg-boss's 60 s window).
  await call('PUT', '/test-tick/schedule', { cron: '* * * * *' });
  await call('PUT', '/test-paused/schedule', { cron: '* * * * *' });
  const [tick] = finished(await waitForRuns('test-tick', (r) => finished(r).length >= 1, 'a cron tick'));
  const [skipped] = finished(await waitForRuns('test-paused', (r) => finished(r).length >= 1, 'a skipped tick'));
  await call('PUT', '/test-tick/schedule', { cron: NEVER });
  await call('PUT', '/test-paused/schedule', { cron: NEVER });

  // pg-boss forwarding the same occurrence a second time (seen under load): the tick is already taken
  const boss = (scheduler as unknown as { boss: PgBoss }).boss;
  const again = await boss.send('test-tick', { trigger: 'CRON' });
  assert.ok(again, 'the second forward was queued');
  await waitFor(async () => ['completed', 'failed'].includes((await boss.getJobById('test-tick', again))?.state ?? ''), 'the second forward handled');
  const cronRuns = (await scheduler.history('test-tick', { limit: 100 })).items.filter((r) => r.trigger === 'CRON');
  assert.equal(cronRuns.filter((r) => r.scheduledAt === tick.scheduledAt).length, 1, 'the tick ran exactly once');
  assert.equal(new Set(cronRuns.map((r) => r.scheduledAt)).size, cronRuns.length, 'no tick ran twice');

  assert.equal(tick.trigger, 'CRON');
  assert.equal(tick.outcome, 'OK');
  assert.equal(new Date(tick.scheduledAt!).getUTCSeconds(), 0); // the minute's occurrence
  assert.equal(new Date(tick.scheduledAt!).getUTCMilliseconds(), 0);
  assert.equal(skipped.trigger, 'CRON');
  assert.equal(skipped.outcome, 'SKIPPED');
  assert.deepEqual(skipped.result, { reason: 'paused' });

  // run now still runs a paused job (explicit admin action)
  await call('POST', '/test-paused/run');
  const runs = await waitForRuns('test-paused', (r) => r.some((x) => x.trigger === 'MANUAL' && x.outcome), 'manual run');
  assert.equal(runs.find((x) => x.trigger === 'MANUAL')!.outcome, 'OK');

  const resumed = await call('POST', '/test-paused/resume');
  assert.equal(resumed.json().paused, false);
  assert.ok(resumed.json().nextRunAt);
});

test('history pages newest first with a cursor', async () => {
  for (let i = 0; i < 3; i++) {
    await scheduler.runNow('test-page');
    await waitForRuns('test-page', (r) => finished(r).length === i + 1, `page run ${i}`);
  }
  const first = await call('GET', '/test-page/history?limit=2');
  assert.equal(first.statusCode, 200);
  const p1 = first.json();
  assert.equal(p1.items.length, 2);
  assert.ok(p1.items[0].id > p1.items[1].id);
  assert.equal(typeof p1.nextCursor, 'string');
  const p2 = (await call('GET', `/test-page/history?limit=2&cursor=${p1.nextCursor}`)).json();
  assert.equal(p2.items.length, 1);
  assert.ok(p2.items[0].id < p1.items[1].id);
  assert.equal(p2.nextCursor, null);
  const bad = await call('GET', '/test-page/history?limit=1000');
  assert.equal(bad.statusCode, 400);
});

test('nudges collapse: a burst gives one or two runs, never one per nudge', async () => {
  nudgedRuns = 0;
  await Promise.all(Array.from({ length: 10 }, () => scheduler.nudge('test-nudge')));
  await waitForRuns('test-nudge', (r) => r.length > 0 && finished(r).length === r.length, 'nudged runs');
  await sleep(1500); // a queued follow-up would have started by now
  const runs = (await scheduler.history('test-nudge')).items;
  assert.ok(runs.length >= 1 && runs.length <= 2, `runs: ${runs.length}`);
  assert.equal(nudgedRuns, runs.length);
  assert.ok(runs.every((r) => r.trigger === 'NUDGE' && r.outcome === 'OK'));
  await scheduler.nudge('no-such-job'); // logged, never thrown
});
