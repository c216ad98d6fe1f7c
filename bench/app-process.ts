// Starts `node --import tsx server/src/main.ts` (what `npm start` runs after its web build step) as a
// child process on a free port and measures the time from spawn to a 200 from /readyz.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

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
export async function startApp(env: Record<string, string>, timeoutMs = 120_000, cwd = process.cwd()): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
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

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
