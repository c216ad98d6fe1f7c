// Starts the server as a child process on a free port and measures the time from spawn to a 200 from
// /readyz. By default it runs what `npm start` runs (scripts/start.mjs: the compiled server), without
// its web build step (the caller says which web/dist to serve); `from: 'source'` runs server/src through
// tsx as `npm run dev` does (and as checkouts from before scripts/start.mjs did).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** ms from spawn to the first 200 from /readyz */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** `cwd`: the checkout whose server runs (default: this one; the first-load bench compares against another). */
export async function startApp(
  env: Record<string, string>,
  timeoutMs = 120_000,
  cwd = process.cwd(),
  from: 'start' | 'source' = fs.existsSync(path.join(cwd, 'scripts/start.mjs')) ? 'start' : 'source',
): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = from === 'start' ? ['scripts/start.mjs', '--no-web-build'] : ['--import', 'tsx', 'server/src/main.ts'];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await done;
    clearTimeout(force);
  };
  while (true) {
    if (exited) throw new Error(`app exited before ready:\n${out}`);
    if (performance.now() - t0 > timeoutMs) {
      await stop();
      throw new Error(`app not ready after ${timeoutMs} ms:\n${out}`);
    }
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { url, child, readyMs: performance.now() - t0, output: () => out, stop };
}

/** The phases of a start as the server's ready log reports them (ms from the process start). */
export function startPhases(app: AppProcess): { modulesMs: number; depsMs: number; appMs: number } | undefined {
  const m = /"modulesMs":(\d+),"depsMs":(\d+),"appMs":(\d+)/.exec(app.output());
  return m ? { modulesMs: Number(m[1]), depsMs: Number(m[2]), appMs: Number(m[3]) } : undefined;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
