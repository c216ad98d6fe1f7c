// Deps on a fresh PGlite (createDeps migrates it), no jobs, no demo seed, silent logs; closed and
// its data dir removed after fn. Shared by the search benchmark and the search eval.
// In memory by default; `onDisk` keeps the database in a data folder as `npm start` does (the
// 100k search bench: the process's memory is then what the embedded server's would be; `restart`
// reopens it, as a server restarted after an import).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { openPglite } from '../server/src/db/client.ts';
import { createDeps, closeDeps, type Deps } from '../server/src/deps.ts';

export async function withPgliteDeps<T>(
  fn: (deps: Deps, restart: () => Promise<Deps>) => Promise<T>,
  opts: { onDisk?: boolean; env?: Record<string, string> } = {},
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-bench-'));
  // the buffer cache is the operator's setting (PGLITE_SHARED_BUFFERS_MB), else sized from the data folder at open
  const buffers = process.env.PGLITE_SHARED_BUFFERS_MB ? { PGLITE_SHARED_BUFFERS_MB: process.env.PGLITE_SHARED_BUFFERS_MB } : {};
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent', ...buffers, ...opts.env });
  const open = async () => {
    const db = await openPglite(opts.onDisk ? { dataDir: path.join(dir, 'pgdata'), sharedBuffersMb: config.pgliteSharedBuffersMb } : {});
    return createDeps(config, pino({ level: 'silent' }), { db });
  };
  let deps = await open();
  // on disk: close and open the same folder, as a server restarting on a loaded catalogue (in memory: nothing to reopen)
  const restart = async () => {
    if (!opts.onDisk) return deps;
    await closeDeps(deps);
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
