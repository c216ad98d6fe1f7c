// Work that runs beside the HTTP server: scheduler and workers, started once the server listens
// (they share PGlite's single connection with requests). Each issue adds its part here.
import type { Deps } from './deps.ts';
import { startRenditionWorker } from './modules/images/renditions.ts';
import { seedDemo } from './db/seed/demo.ts';
import { postsRepository } from './modules/posts/repository.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { startEmbeddingNudger } from './modules/embeddings/service.ts';

/**
 * First start in embedded mode: fill the empty app with demo data. Runs after the server listens, so
 * the app is usable at once; meanwhile deps.demoSeed is 'loading' (/readyz shows it, the web app says so).
 */
export async function seedIfEmpty(deps: Deps) {
  if (deps.config.databaseUrl || !deps.config.seedDemo) return;
  if (await postsRepository(deps.db).hasAny()) return;
  deps.demoSeed = 'loading';
  try {
    const seed = await seedDemo(deps);
    if (seed.seeded) deps.log.info(seed, 'demo data seeded');
    deps.demoSeed = 'ready';
  } catch (err) {
    deps.demoSeed = 'failed';
    deps.log.error({ err: (err as Error).message }, 'demo data seeding failed');
  }
}

export interface Background {
  stop(): Promise<void>;
}

export async function startBackground(deps: Deps): Promise<Background> {
  const stops: (() => Promise<void>)[] = [];

  // The scheduler always starts so the admin API works on every instance; it runs ticks and
  // workers only when JOBS_ENABLED (control-only otherwise). Stopped last = started first.
  const scheduler = new Scheduler(deps, { workers: deps.config.jobsEnabled });
  const t0 = performance.now();
  await scheduler.start();
  deps.scheduler = scheduler;
  deps.log.info({ jobs: scheduler.definitions.size, workers: deps.config.jobsEnabled, ms: Math.round(performance.now() - t0) }, 'scheduler started');
  stops.push(async () => {
    await scheduler.stop();
    deps.scheduler = undefined;
  });
  // Embedding worker: a pass at start and within ~1 s of every listing change (the hourly job is the net).
  if (deps.config.jobsEnabled) stops.push(startEmbeddingNudger(deps));
  // Image renditions: every instance runs a worker, but each image is claimed (and rendered) by one.
  const renditions = startRenditionWorker(deps);
  stops.push(() => renditions.stop());
  return {
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
