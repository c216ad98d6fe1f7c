// Work that runs beside the HTTP server, started once the server listens (it shares PGlite's single
// connection with requests): the job scheduler's ticks and workers (deps.jobs), which also render
// images and embed listings when a request nudges them (jobs/scheduler.ts), and a warm-up search.
import type { Deps } from './deps.ts';
import { seedDemo } from './db/seed/demo.ts';
import { postsRepository } from './modules/posts/repository.ts';
import { warmUpSearch } from './modules/search/service.ts';

/**
 * First start in embedded mode: fill the empty app with demo data. Runs after the server listens, so
 * the app is usable at once; meanwhile deps.demo.state is 'loading' (/readyz shows it, the web app says so).
 */
async function seedIfEmpty(deps: Deps) {
  if (deps.config.databaseUrl || !deps.config.seedDemo) return;
  if (await postsRepository(deps.db).hasAny()) return;
  try {
    const seed = await deps.demo.track(() => seedDemo(deps));
    if (seed.seeded) deps.log.info(seed, 'demo data seeded');
  } catch (err) {
    deps.log.error({ err: (err as Error).message }, 'demo data seeding failed');
  }
}

export interface Background {
  stop(): Promise<void>;
}

/** Starts the demo seed (a first embedded start) and the scheduler, then, once the seed is over, the
 *  warm-up search: term statistics are reused for minutes, and a half-seeded catalogue's would skew
 *  ranking. Resolves when all of it is done, so a stop never closes the database under a running seed. */
export async function startBackground(deps: Deps): Promise<Background> {
  const seeding = seedIfEmpty(deps); // after listen: the first start is usable while demo data loads
  // The scheduler always starts so the admin API works on every instance; it runs ticks and
  // workers only when JOBS_ENABLED (control-only otherwise).
  const t0 = performance.now();
  await deps.jobs.start();
  deps.log.info({ jobs: deps.jobs.definitions.size, workers: deps.config.jobsEnabled, ms: Math.round(performance.now() - t0) }, 'scheduler started');
  await seeding;
  try {
    deps.log.info({ ms: await warmUpSearch(deps) }, 'search warmed up');
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'search warm-up failed'); // only the first searches are slower
  }
  return { stop: () => deps.jobs.stop() };
}
