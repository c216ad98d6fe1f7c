-- Scheduler (SPEC §9): runtime settings every instance agrees on, and the execution history.
-- pg-boss keeps its own tables (queues, jobs, cron schedules) in the `pgboss` schema; these two are ours.
-- No foreign keys to other tables: the multi-instance test creates only these two in a scratch schema.

-- One row per job definition, created at scheduler start. cron NULL = the definition's default.
CREATE TABLE IF NOT EXISTS job_settings (
  name        text PRIMARY KEY,
  cron        text,
  paused      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  bigint
);

-- One row per execution. outcome NULL while running.
CREATE TABLE IF NOT EXISTS job_runs (
  id            bigserial PRIMARY KEY,
  job_name      text NOT NULL,
  trigger       text NOT NULL CHECK (trigger IN ('CRON', 'MANUAL', 'NUDGE')),
  scheduled_at  timestamptz,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  outcome       text CHECK (outcome IN ('OK', 'FAILED', 'SKIPPED')),
  result        jsonb,
  error         text,
  instance_id   text NOT NULL,
  queue_job_id  text
);
CREATE INDEX IF NOT EXISTS job_runs_name_id ON job_runs (job_name, id DESC);
CREATE INDEX IF NOT EXISTS job_runs_started ON job_runs (started_at);
