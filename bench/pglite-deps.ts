// Deps on a fresh PGlite (createDeps migrates it), no jobs, no demo seed, silent logs; closed and
// its data dir removed after fn. Shared by the search benchmark and the search eval.
// In memory by default; `onDisk` keeps the database in a data folder as `npm start` does (the
// search bench: `restart` closes it, runs `whileClosed` — the bench's searching server, a process of
// its own opening the folder with openBenchDeps — and opens it again).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { openPglite } from '../server/src/db/client.ts';
import { createDeps, closeDeps, type Deps } from '../server/src/deps.ts';

/** Deps with `dir` as the data folder; the database kept in it (onDisk) or in memory. */
export async function openBenchDeps(dir: string, onDisk: boolean, env: Record<string, string> = {}): Promise<Deps> {
  // the buffer cache is the operator's setting (PGLITE_SHARED_BUFFERS_MB), else sized from the data folder at open
  const buffers = process.env.PGLITE_SHARED_BUFFERS_MB ? { PGLITE_SHARED_BUFFERS_MB: process.env.PGLITE_SHARED_BUFFERS_MB } : {};
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent', ...buffers, ...env });
  const db = await openPglite(onDisk ? { dataDir: path.join(dir, 'pgdata'), sharedBuffersMb: config.pgliteSharedBuffersMb } : {});
  return createDeps(config, pino({ level: 'silent' }), { db });
}

export async function withPgliteDeps<T>(
  fn: (deps: Deps, restart: (whileClosed?: (dir: string) => Promise<void>) => Promise<Deps>) => Promise<T>,
  opts: { onDisk?: boolean; env?: Record<string, string> } = {},
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-bench-'));
  const open = () => openBenchDeps(dir, !!opts.onDisk, opts.env);
  let deps = await open();
  // on disk: close and open the same folder, as a server restarting on a loaded catalogue (in memory: nothing to reopen)
  const restart = async (whileClosed?: (dir: string) => Promise<void>) => {
    if (!opts.onDisk) return deps;
    await closeDeps(deps);
    await whileClosed?.(dir);
    deps = await open();
    return deps;
  };
  try {
    return await fn(deps, restart);
  } finally {
    await closeDeps(deps);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
