// Deps on a fresh in-memory PGlite (createDeps migrates it), no jobs, no demo seed, silent logs;
// closed and its data dir removed after fn. Shared by the search benchmark and the search eval.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { openPglite } from '../server/src/db/client.ts';
import { createDeps, closeDeps, type Deps } from '../server/src/deps.ts';

export async function withPgliteDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-bench-'));
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' });
  const deps = await createDeps(config, pino({ level: 'silent' }), { db: await openPglite({}) });
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
