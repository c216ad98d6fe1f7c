// The contract between domain modules and the scheduler (jobs/scheduler.ts, pg-boss).
// A module exports its JobDefinitions; jobs/registry.ts lists them all; the scheduler runs each
// cron tick on exactly one instance and records history. Tests call run() directly with a chosen `now`.
import type { Deps } from '../deps.ts';

export interface JobContext {
  deps: Deps;
  /** the tick's time: use this, never new Date(), so tests can control the clock */
  now: Date;
  /** set when the scheduler runs the job: aborted when this instance stops, so a long run can hand its work back */
  signal?: AbortSignal;
}

/** a small summary stored in the execution history, e.g. { expired: 3 } */
export type JobOutcome = Record<string, unknown>;

export interface JobDefinition {
  /** stable id, also the pg-boss queue name: 'domain-action', e.g. 'reservations-expire' */
  name: string;
  /** Korean description for the admin page */
  description: string;
  /** default cron expression, interpreted in Asia/Seoul; admins may change it at run time */
  cron: string;
  /** queue one run when an instance's workers start: work left by a previous run (or a crash) is picked up at once */
  runAtStart?: boolean;
  /** must be idempotent and safe when several instances exist */
  run(ctx: JobContext): Promise<JobOutcome | undefined>;
}

