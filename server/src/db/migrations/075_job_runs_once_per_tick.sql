-- Scheduler exactly-once (issue 9 §16): under load pg-boss can forward one cron occurrence twice. A cron
-- run is recorded under a unique (job, scheduled tick) before it starts, so the second forward finds the
-- tick taken and does nothing. Duplicates recorded before this migration are dropped (the first stays).
DELETE FROM job_runs a USING job_runs b
 WHERE a.trigger = 'CRON' AND b.trigger = 'CRON'
   AND a.job_name = b.job_name AND a.scheduled_at = b.scheduled_at AND a.id > b.id;
CREATE UNIQUE INDEX IF NOT EXISTS job_runs_cron_tick ON job_runs (job_name, scheduled_at) WHERE trigger = 'CRON';
