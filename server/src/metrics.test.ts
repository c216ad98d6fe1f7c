// Job metrics carry the job's name as `job_name`: Prometheus attaches the scrape job as `job` to every
// series, so a metric label `job` would be stored as `exported_job` and the dashboard would group by
// the scrape job. Every job is exported at 0 from the start (a panel reads 0, not "no data").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initJobMetrics, recordJobRun, registry } from './metrics.ts';

test('job counters are labelled job_name (never job) and start at 0 for every job', async () => {
  initJobMetrics(['metrics-test-idle', 'metrics-test-busy']);
  recordJobRun('metrics-test-busy', true);
  recordJobRun('metrics-test-busy', false);
  const text = await registry.metrics();
  const series = (name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));
  for (const line of [...series('job_runs_total'), ...series('job_failures_total')]) {
    assert.doesNotMatch(line, /[{,]job=/, line);
  }
  assert.ok(series('job_runs_total').some((l) => /job_name="metrics-test-idle",outcome="success".*\} 0$/.test(l)));
  assert.ok(series('job_failures_total').some((l) => /job_name="metrics-test-idle".*\} 0$/.test(l)));
  assert.ok(series('job_runs_total').some((l) => /job_name="metrics-test-busy",outcome="success".*\} 1$/.test(l)));
  assert.ok(series('job_failures_total').some((l) => /job_name="metrics-test-busy".*\} 1$/.test(l)));
});
