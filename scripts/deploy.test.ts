// The production run without Docker (`npm run test:deploy`): Debian's nginx and Prometheus with the
// repo's own configs rendered for local ports, two server-mode instances on the real PostgreSQL (a fresh
// database) and Redis, and blue/green switches made by deploy/blue-green.sh --local — under HTTP load and
// with 20 browser-like STOMP clients (Origin and Host as a browser on the site sends them) chatting
// through nginx; uploads go to a local S3-compatible server both colours share. Asserts 0 failed requests, 0 lost or duplicated messages, every Grafana dashboard query
// answering from Prometheus, /metrics hidden, the drain order on shutdown, the script's failure paths.
// Prints the switch figures. A second test runs the HTTPS front: Chromium through Caddy (the repo's Caddyfile)
// and nginx to an instance with COOKIE_SECURE=true, as the compose stack serves browsers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Client, ReconnectionTimeMode } from '@stomp/stompjs';
import YAML from 'yaml';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../server/test/postgres.ts';
import { connectStomp, upgradeStatus, type TestStomp } from '../server/test/factories.ts';
import { startLocalS3, type LocalS3 } from '../server/test/s3-server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
process.env.PATH = `${process.env.PATH}:/usr/sbin`; // Debian's nginx lives there, outside a user's PATH
const SCRIPT = path.join(ROOT, 'deploy/blue-green.sh');
const SWITCHES = Number(process.env.DEPLOY_SWITCHES ?? 2);
const CLIENTS = 20; // 10 rooms, lender and borrower each
const LOAD_WORKERS = 6;
const DRAIN_MS = 1500; // SHUTDOWN_DRAIN_MS of the instances
// A browser on the site sends Host and Origin of the site's name; the name resolves to our nginx here.
const SITE = 'chwimeet.test';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let dir: string;
let database: TemporaryDatabase;
let s3: LocalS3;
let ports: { nginx: number; blue: number; green: number; prometheus: number };
let nginx: ChildProcess | null = null;
let prometheus: ChildProcess | null = null;
const adminEmail = 'deploy-admin@example.com';
const adminPassword = 'deploy-admin-password';
let failedTest = false;

// ---------- helpers ----------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The repo's file with exact replacements; every one must match, or the file changed under the test. */
function render(repoFile: string, replacements: [string, string][]): string {
  let text = fs.readFileSync(path.join(ROOT, repoFile), 'utf8');
  for (const [from, to] of replacements) {
    assert.ok(text.includes(from), `${repoFile} no longer contains "${from}": update the rendering in scripts/deploy.test.ts`);
    text = text.split(from).join(to);
  }
  return text;
}

function scriptEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // the instances (started by the script with this environment)
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `${database.name}:`,
    DATA_DIR: path.join(dir, 'data'),
    ...s3.env(), // STORAGE=s3: one bucket for both colours, as MinIO in the compose stack
    TRUST_PROXY: 'true',
    COOKIE_SECURE: 'false', // plain HTTP to the local nginx (the compose stack has Caddy's HTTPS)
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    SIGNUP_RATE_LIMIT_MAX: '100000',
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    NODE_ENV: 'production',
    // the script
    NGINX_CONF: path.join(dir, 'nginx/nginx.conf'),
    NGINX_DIR: path.join(dir, 'nginx/conf.d'),
    STATE_DIR: path.join(dir, 'state'),
    BLUE_PORT: String(ports.blue),
    GREEN_PORT: String(ports.green),
    DRAIN_SECONDS: '2',
    READY_TIMEOUT: '300', // generous: a start takes 3–8 s on an idle machine, minutes on a crowded one
    STOP_TIMEOUT: '30',
  };
}

interface ScriptRun {
  code: number;
  output: string;
  ms: number;
}
/** deploy/blue-green.sh --local <args>, as an operator runs it */
const runScript = (...args: string[]) => runScriptWith({}, ...args);
/** the same with some of the environment replaced (another state folder, port, COOKIE_SECURE) */
function runScriptWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<ScriptRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('bash', [SCRIPT, '--local', ...args], { env: { ...scriptEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

const colourPid = (colour: string) => {
  try {
    return Number(fs.readFileSync(path.join(dir, 'state', `app-${colour}.pid`), 'utf8'));
  } catch {
    return null;
  }
};
const isAlive = (pid: number | null) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.split(') ')[1]?.[0] !== 'Z';
};
const activeColour = () => fs.readFileSync(path.join(dir, 'nginx/conf.d/.active-colour'), 'utf8').trim();
const upstreamConf = () => fs.readFileSync(path.join(dir, 'nginx/conf.d/upstream.conf'), 'utf8');
const site = () => `http://127.0.0.1:${ports.nginx}`;

async function portAnswers(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function startChild(cmd: string, args: string[], logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

async function stopChild(child: ChildProcess | null) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
}

/**
 * nginx in folder `n`: the repo's server and upstream files, for local ports; the main file is what the
 * nginx image provides around conf.d (pid, logs, temp folders, `include conf.d/*.conf`).
 * `serverReplacements`: more exact edits of the server file (each must match).
 */
function writeNginx(n: string, listenPort: number, appPort: number, serverReplacements: [string, string][] = []) {
  for (const sub of ['conf.d', 'tmp']) fs.mkdirSync(path.join(n, sub), { recursive: true });
  fs.writeFileSync(
    path.join(n, 'conf.d/chwimeet.conf'),
    render('deploy/nginx/chwimeet.conf', [['listen 80 default_server;', `listen 127.0.0.1:${listenPort} default_server;`], ...serverReplacements]),
  );
  fs.writeFileSync(path.join(n, 'conf.d/upstream.conf'), render('deploy/nginx/upstream.conf', [['server app-blue:8080;', `server 127.0.0.1:${appPort};`]]));
  fs.writeFileSync(
    path.join(n, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 2;
pid ${n}/nginx.pid;
error_log ${n}/error.log notice;
events { worker_connections 4096; }
http {
  log_format deploy '$status $upstream_addr $request_time "$request" $request_id xff="$http_x_forwarded_for"';
  access_log ${n}/access.log deploy;
  client_body_temp_path ${n}/tmp/body;
  proxy_temp_path ${n}/tmp/proxy;
  fastcgi_temp_path ${n}/tmp/fastcgi;
  uwsgi_temp_path ${n}/tmp/uwsgi;
  scgi_temp_path ${n}/tmp/scgi;
  include ${n}/conf.d/*.conf;
}
`,
  );
}

const startNginx = (n: string) =>
  startChild('nginx', ['-p', n, '-c', path.join(n, 'nginx.conf'), '-e', path.join(n, 'error.log'), '-g', 'daemon off;'], path.join(n, 'stdout.log'));

// ---------- HTTP through nginx ----------

interface Member {
  id: number;
  cookie: string;
}
const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

async function api(method: string, url: string, body?: unknown, cookie?: string) {
  const res = await fetch(`${site()}${url}`, {
    method,
    // like the web app: X-Requested-With on every call (the CSRF rule refuses body-less writes without it)
    headers: { 'x-requested-with': 'chwimeet', ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res;
}

async function signUp(n: number): Promise<Member> {
  const res = await api('POST', '/api/v1/members', {
    email: `deploy-${n}-${crypto.randomBytes(3).toString('hex')}@example.com`,
    password: 'password123!',
    nickname: `배포${n}x${crypto.randomBytes(2).toString('hex')}`,
  });
  assert.equal(res.status, 201, await res.clone().text());
  return { id: (await res.json()).id, cookie: cookieOf(res) };
}

/**
 * HTTP load: workers request pages and API calls through nginx in a loop; anything but 200 is a failure.
 * One thing is retried, once, because browsers (and Caddy's Go transport in front of nginx) do it too:
 * a GET on a kept-alive connection that nginx closed before answering — an old nginx worker closes its
 * idle connections on reload, and a request sent at that instant meets a closed socket (HTTP/1.1 has no
 * way to announce it; RFC 9112 §9.3.1 lets clients retry idempotent requests then). Counted apart.
 */
class Load {
  ok = 0;
  retriedOnClosedConnection = 0;
  failures: string[] = [];
  private running = true;
  private workers: Promise<void>[] = [];

  constructor(private cookie: string, private roomId: number) {}

  start(n: number) {
    const paths = ['/api/v1/categories', '/api/v1/posts?limit=5', '/healthz', '/api/v1/members/me', `/api/v1/chats/${this.roomId}/messages?limit=5`, '/api/v1/chats'];
    for (let w = 0; w < n; w++) {
      this.workers.push(
        (async () => {
          for (let i = w; this.running; i++) {
            const p = paths[i % paths.length];
            for (let attempt = 0; ; attempt++) {
              try {
                const res = await fetch(`${site()}${p}`, { headers: { cookie: this.cookie } });
                await res.arrayBuffer();
                if (res.status === 200) this.ok++;
                else this.failures.push(`${res.status} ${p}`);
              } catch (err) {
                const code = ((err as Error).cause as { code?: string } | undefined)?.code;
                if (attempt === 0 && code === 'UND_ERR_SOCKET') {
                  this.retriedOnClosedConnection++;
                  continue;
                }
                this.failures.push(`${(err as Error).cause ?? (err as Error).message} ${p}`);
              }
              break;
            }
          }
        })(),
      );
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.workers);
  }
}

// ---------- browser-like chat clients ----------

interface ChatMessage {
  seq: number;
  clientId: string;
  content: string;
}

/** As the web app behaves: reconnect, resubscribe, fetch what was missed by sequence; sends retry by clientId. */
class ChatClient {
  store = new Map<number, ChatMessage>();
  liveDuplicates = 0;
  connects = 0;
  sent = new Map<string, { acked: boolean }>();
  offline: number[] = [];
  rateLimited = 0;
  /** sends waiting for their RECEIPT, by receipt id */
  private pending = new Map<string, (o: { ok: boolean; retryAfterMs?: number }) => void>();
  private closedAt: number | null = null;
  private sending = true;
  private loop: Promise<void> | null = null;
  private stomp: TestStomp | null = null;

  private constructor(
    private member: Member,
    readonly roomId: number,
  ) {}

  /** Connects through nginx as a browser on the site does (its Host and Origin), reconnecting with back-off. */
  static async open(member: Member, roomId: number): Promise<ChatClient> {
    const c = new ChatClient(member, roomId);
    c.stomp = await connectStomp(`ws://127.0.0.1:${ports.nginx}/ws`, member.cookie, {
      headers: { host: `${SITE}:${ports.nginx}`, origin: `http://${SITE}:${ports.nginx}` },
      reconnectDelay: 1000,
      client: {
        reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
        maxReconnectDelay: 30_000,
        connectionTimeout: 10_000,
        onWebSocketClose: () => {
          if (c.closedAt === null && c.connects > 0) c.closedAt = Date.now();
          for (const settle of [...c.pending.values()]) settle({ ok: false });
        },
      },
      onConnect: (_frame, client) => c.onConnect(client),
    });
    void c.settleErrors();
    return c;
  }

  get client(): Client {
    if (!this.stomp) throw new Error('not connected yet');
    return this.stomp.client;
  }

  /** an ERROR frame answers the send of its receipt: a rate-limit refusal says when to send again */
  private async settleErrors() {
    for (;;) {
      const frame = await this.stomp!.nextError();
      const settle = this.pending.get(frame.headers['receipt-id'] ?? '');
      if (settle) settle({ ok: false, retryAfterMs: 1000 * Number(frame.headers['retry-after'] ?? 1) });
    }
  }

  private onConnect(client: Client) {
    this.connects++;
    const live = new Set<number>();
    const receipt = crypto.randomUUID();
    // offline until the room is subscribed again and the gap is fetched
    client.watchForReceipt(receipt, () => {
      void this.resync().then(() => {
        if (this.closedAt !== null) this.offline.push(Date.now() - this.closedAt);
        this.closedAt = null;
      });
    });
    client.subscribe(
      `/topic/chat/${this.roomId}`,
      (m) => {
        const msg = JSON.parse(m.body) as ChatMessage;
        if (live.has(msg.seq)) this.liveDuplicates++;
        live.add(msg.seq);
        this.store.set(msg.seq, msg);
      },
      { receipt },
    );
  }

  contiguous() {
    let n = 0;
    while (this.store.has(n + 1)) n++;
    return n;
  }

  async resync() {
    for (let attempt = 0; ; attempt++) {
      try {
        for (;;) {
          const res = await fetch(`${site()}/api/v1/chats/${this.roomId}/messages?after=${this.contiguous()}&limit=100`, {
            headers: { cookie: this.member.cookie },
          });
          if (res.status !== 200) throw new Error(`resync ${res.status}`);
          const page = (await res.json()) as { items: ChatMessage[]; hasMore: boolean };
          for (const m of page.items) this.store.set(m.seq, m);
          if (!page.hasMore) return;
        }
      } catch (err) {
        if (attempt > 20) throw err;
        await sleep(200);
      }
    }
  }

  startSending(intervalMs: number) {
    this.loop = (async () => {
      let n = 0;
      while (this.sending) {
        await this.sendReliably(`${this.member.id}번 회원의 ${++n}번째 메시지`);
        await sleep(intervalMs * (0.5 + Math.random()));
      }
    })();
  }

  async stopSending() {
    this.sending = false;
    await this.loop;
  }

  /**
   * SEND with a receipt, as the web app does: a RECEIPT confirms it; a rate-limit ERROR (retry-after) or a
   * closed socket means "send again" — with the same clientId, so the server stores it once.
   */
  private async sendReliably(content: string) {
    const clientId = crypto.randomUUID();
    const entry = { acked: false };
    this.sent.set(clientId, entry);
    for (;;) {
      await waitFor(() => this.client.connected, 'connection', 120_000);
      const receipt = crypto.randomUUID();
      const outcome = await new Promise<{ ok: boolean; retryAfterMs?: number }>((resolve) => {
        // a safety net only: a live socket answers with RECEIPT or ERROR, a dead one closes
        const timer = setTimeout(() => settle({ ok: false }), 30_000);
        const settle = (o: { ok: boolean; retryAfterMs?: number }) => {
          clearTimeout(timer);
          this.pending.delete(receipt);
          resolve(o);
        };
        this.pending.set(receipt, settle);
        this.client.watchForReceipt(receipt, () => settle({ ok: true }));
        try {
          this.client.publish({ destination: `/app/chat/${this.roomId}`, body: JSON.stringify({ clientId, content }), headers: { receipt } });
        } catch {
          settle({ ok: false });
        }
      });
      if (outcome.ok) {
        entry.acked = true;
        return;
      }
      if (outcome.retryAfterMs !== undefined) {
        this.rateLimited++;
        await sleep(outcome.retryAfterMs);
      }
    }
  }

  close() {
    return this.client.deactivate();
  }
}

// ---------- the run ----------

let lenders: Member[] = [];
let borrowers: Member[] = [];
let rooms: number[] = [];
/** every STOMP client, so `after` can stop them: a live client reconnects forever and keeps the process up */
const chatClients: ChatClient[] = [];
let admin: Member;

before(async () => {
  for (const bin of ['nginx', 'prometheus']) {
    const which = spawnSync('sh', ['-c', `command -v ${bin}`]);
    assert.equal(which.status, 0, `${bin} is not installed: apt-get install -y nginx prometheus (.ci/run does this)`);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-deploy-'));
  fs.chmodSync(dir, 0o755);
  for (const sub of ['nginx/conf.d', 'nginx/tmp', 'state', 'prometheus', 'data', 'uploads']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  ports = { nginx: await freePort(), blue: await freePort(), green: await freePort(), prometheus: await freePort() };
  database = await createTemporaryDatabase('deploy');
  s3 = await startLocalS3();

  writeNginx(path.join(dir, 'nginx'), ports.nginx, ports.blue);

  // Prometheus: the repo's scrape config with the colours' local addresses, scraping every second
  const promConfig = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'));
  promConfig.global = { ...promConfig.global, scrape_interval: '1s', evaluation_interval: '1s' };
  const addresses: Record<string, string> = { 'app-blue:8080': `127.0.0.1:${ports.blue}`, 'app-green:8080': `127.0.0.1:${ports.green}` };
  const mapped = new Set<string>();
  for (const job of promConfig.scrape_configs) {
    for (const sc of job.static_configs ?? []) {
      sc.targets = sc.targets.map((t: string) => {
        assert.ok(addresses[t], `deploy/prometheus/prometheus.yml: unknown target ${t}`);
        mapped.add(t);
        return addresses[t];
      });
    }
  }
  assert.equal(mapped.size, 2, 'prometheus.yml scrapes both colours');
  fs.writeFileSync(path.join(dir, 'prometheus/prometheus.yml'), YAML.stringify(promConfig));
});

after(async () => {
  await Promise.all(chatClients.map((c) => c.close().catch(() => {})));
  if (!dir || !database) return;
  await runScript('stop', 'blue');
  await runScript('stop', 'green');
  await stopChild(nginx);
  await stopChild(prometheus);
  await database?.drop().catch(() => {});
  await s3?.stop().catch(() => {});
  if (failedTest) console.log(`logs kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
});

// The timeout belongs to the test (not --test-timeout, which kills the file before `after` cleans up).
test('the production run: blue/green switches under load with browser chat clients', { timeout: 840_000 }, async (t) => {
  t.after(() => {
    if (t.signal.aborted) failedTest = true;
  });
  try {
    await productionRun();
  } catch (err) {
    failedTest = true;
    throw err;
  }
});

async function productionRun() {
  // --- blue, nginx and Prometheus come up ---
  const startBlue = await runScript('start', 'blue');
  assert.equal(startBlue.code, 0, startBlue.output);
  fs.writeFileSync(path.join(dir, 'nginx/conf.d/.active-colour'), 'blue\n');
  nginx = startNginx(path.join(dir, 'nginx'));
  prometheus = startChild(
    'prometheus',
    [`--config.file=${path.join(dir, 'prometheus/prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'prometheus/data')}`, `--web.listen-address=127.0.0.1:${ports.prometheus}`],
    path.join(dir, 'prometheus/log'),
  );
  await waitFor(() => portAnswers(ports.nginx), 'nginx');

  // the start log's readyMs counts from the process start: close to what the script waited, module loading included
  const readyLine = JSON.parse(fs.readFileSync(path.join(dir, 'state/app-blue.log'), 'utf8').split('\n').find((l) => l.includes('"readyMs"'))!);
  assert.ok(readyLine.readyMs > readyLine.modulesMs && readyLine.modulesMs > 0, JSON.stringify(readyLine));
  assert.ok(readyLine.readyMs <= startBlue.ms && readyLine.readyMs >= startBlue.ms * 0.5, `readyMs ${readyLine.readyMs} vs spawn→ready ${startBlue.ms} ms`);

  // --- members, listings and chat rooms, all through nginx ---
  lenders = await Promise.all(Array.from({ length: CLIENTS / 2 }, (_, i) => signUp(i)));
  borrowers = await Promise.all(Array.from({ length: CLIENTS / 2 }, (_, i) => signUp(100 + i)));
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => {});
  rooms = [];
  for (let i = 0; i < lenders.length; i++) {
    const post = await pool.query<{ id: number }>(
      `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
       VALUES ($1, $2, '배포 시험용 물건', (SELECT min(id) FROM categories), 10000, 50000, 'DIRECT', 'DIRECT') RETURNING id::int AS id`,
      [lenders[i].id, `배포 시험 텐트 ${i}`],
    );
    const res = await api('POST', '/api/v1/chats', { postId: post.rows[0].id }, borrowers[i].cookie);
    assert.equal(res.status, 201, await res.clone().text());
    rooms.push((await res.json()).id);
  }
  await pool.end();
  const login = await api('POST', '/api/v1/members/login', { email: adminEmail, password: adminPassword });
  assert.equal(login.status, 200, 'ADMIN_EMAIL account logs in');
  admin = { id: (await login.json()).id, cookie: cookieOf(login) };

  // --- what nginx must (not) pass ---
  const metrics = await fetch(`${site()}/metrics`);
  assert.equal(metrics.status, 404, '/metrics is not reachable through nginx');
  assert.doesNotMatch(await metrics.text(), /http_request_duration_seconds/);
  assert.ok((await fetch(`http://127.0.0.1:${ports.blue}/metrics`)).ok, 'Prometheus reaches /metrics directly');
  // a page of another site may not open the WebSocket (the Origin check still sees the real Host)
  assert.equal(
    await upgradeStatus(`ws://127.0.0.1:${ports.nginx}/ws`, { cookie: borrowers[0].cookie, host: `${SITE}:${ports.nginx}`, origin: 'http://evil.example' }),
    403,
  );
  // the same site on another port is another origin: Host must keep its port ($http_host, not $host)
  assert.equal(
    await upgradeStatus(`ws://127.0.0.1:${ports.nginx}/ws`, { cookie: borrowers[0].cookie, host: `${SITE}:${ports.nginx}`, origin: `http://${SITE}:1` }),
    403,
  );
  // the app sees this hop's client address, never a list a client made up
  const spoofed = await fetch(`${site()}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  const requestId = spoofed.headers.get('x-request-id');
  const seen = await waitFor(
    () => fs.readFileSync(path.join(dir, 'state/app-blue.log'), 'utf8').split('\n').find((l) => l.includes(`"reqId":"${requestId}"`) && l.includes('remoteAddress')),
    'the request in the app log',
    5000,
  );
  assert.equal(JSON.parse(seen).req.remoteAddress, '127.0.0.1', seen);

  // --- an upload on blue (S3 storage), to be read back through nginx once the other colour serves ---
  const form = new FormData();
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2f7d5b' } }).png().toBuffer();
  form.append('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'avatar.png');
  const upload = await fetch(`${site()}/api/v1/members/me/avatar`, { method: 'PUT', headers: { cookie: lenders[0].cookie, origin: site(), 'x-requested-with': 'chwimeet' }, body: form }); // as the web app sends it
  assert.equal(upload.status, 200, await upload.clone().text());
  const avatarUrl = (await upload.json()).avatarUrl as string;
  assert.ok(s3.writes.some((key) => avatarUrl.endsWith(key)), `the upload went to the bucket: ${avatarUrl} in ${JSON.stringify(s3.writes)}`);
  const avatar = await fetch(`${site()}${avatarUrl}`);
  assert.equal(avatar.status, 200);
  const avatarBytes = Buffer.from(await avatar.arrayBuffer());

  // --- load and chat, then the switches ---
  const load = new Load(borrowers[0].cookie, rooms[0]);
  load.start(LOAD_WORKERS);
  const clients = chatClients;
  // each pushed once connected, so `after` stops every client that got a socket
  await Promise.all(rooms.flatMap((roomId, i) => [lenders[i], borrowers[i]].map(async (m) => clients.push(await ChatClient.open(m, roomId)))));
  assert.ok(clients.every((c) => c.connects >= 1), 'every chat client connected through nginx');
  for (const c of clients) c.startSending(1200); // ~50 a minute each: under the per-member chat send limit (60)
  await sleep(3000);

  const switches: { from: string; to: string; ms: number; drain: DrainSeen }[] = [];
  for (let s = 0; s < SWITCHES; s++) {
    const from = activeColour();
    const to = from === 'blue' ? 'green' : 'blue';
    const connectsBefore = clients.reduce((n, c) => n + c.connects, 0);
    const drainWatch = watchDrain(from === 'blue' ? ports.blue : ports.green);
    const sw = await runScript('switch');
    assert.equal(sw.code, 0, sw.output);
    const drain = await drainWatch.result();
    assert.equal(activeColour(), to);
    assert.match(upstreamConf(), new RegExp(`server 127\\.0\\.0\\.1:${to === 'blue' ? ports.blue : ports.green};`));
    assert.ok(!isAlive(colourPid(from)), `${from} stopped`);
    switches.push({ from, to, ms: sw.ms, drain });
    // the colour now serving reads what the other one stored
    const shared = await fetch(`${site()}${avatarUrl}`);
    assert.equal(shared.status, 200, `${avatarUrl} after the switch to ${to}`);
    assert.ok(Buffer.from(await shared.arrayBuffer()).equals(avatarBytes));
    // every client went through a reconnect to the new colour
    await waitFor(() => clients.reduce((n, c) => n + c.connects, 0) >= connectsBefore + clients.length && clients.every((c) => c.client.connected), 'clients back', 90_000);
    await sleep(2000);
  }

  // --- settle: stop sending, every client catches up ---
  await Promise.all(clients.map((c) => c.stopSending()));
  await load.stop();
  await Promise.all(clients.map((c) => c.resync()));

  // --- figures ---
  const history = new Map<number, ChatMessage[]>();
  for (const roomId of rooms) history.set(roomId, await fullHistory(roomId, borrowers[rooms.indexOf(roomId)].cookie));
  let sentTotal = 0;
  let unacked = 0;
  let lostOnServer = 0;
  let lostAtClients = 0;
  let duplicatedStored = 0;
  for (const c of clients) {
    const stored = history.get(c.roomId)!;
    const clientIds = new Set(stored.map((m) => m.clientId));
    for (const [clientId, s] of c.sent) {
      sentTotal++;
      if (!s.acked) unacked++;
      if (!clientIds.has(clientId)) lostOnServer++;
    }
    // the client holds exactly the room's messages: every seq, the same clientId at each
    for (const m of stored) if (c.store.get(m.seq)?.clientId !== m.clientId) lostAtClients++;
  }
  for (const stored of history.values()) {
    duplicatedStored += stored.length - new Set(stored.map((m) => m.clientId)).size;
    assert.deepEqual(stored.map((m) => m.seq), stored.map((_, i) => i + 1), 'sequence without holes');
  }
  const liveDuplicates = clients.reduce((n, c) => n + c.liveDuplicates, 0);
  const offline = clients.flatMap((c) => c.offline).sort((a, b) => a - b);
  const access = fs.readFileSync(path.join(dir, 'nginx/access.log'), 'utf8').split('\n').filter(Boolean);
  const nginx5xx = access.filter((l) => l.startsWith('5')).length;
  const pct = (p: number) => offline[Math.min(offline.length - 1, Math.floor(p * offline.length))] ?? 0;

  console.log(`
  ── blue/green switch figures (${SWITCHES} switches, ${CLIENTS} STOMP clients, ${LOAD_WORKERS} HTTP load workers) ──
  HTTP requests through nginx:   ${load.ok + load.failures.length} (failed: ${load.failures.length}; nginx 5xx: ${nginx5xx}; GETs retried once after nginx closed an idle keep-alive connection: ${load.retriedOnClosedConnection})
  chat messages sent:            ${sentTotal} (lost: ${lostOnServer + lostAtClients + unacked}; duplicated: ${duplicatedStored + liveDuplicates}; sends refused by the chat rate limit and retried: ${clients.reduce((n, c) => n + c.rateLimited, 0)})
  client offline per reconnect:  median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${offline.at(-1) ?? 0} ms (${offline.length} reconnects)
  switches:                      ${switches.map((s) => `${s.from}→${s.to} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}
  old colour after SIGTERM:      /readyz 503 → port closed ${switches.map((s) => `${s.drain.servedMs} ms (served ${s.drain.okDuringDrain} requests meanwhile)`).join(', ')}
`);

  assert.deepEqual(load.failures, [], 'no failed HTTP request during the switches');
  assert.equal(nginx5xx, 0);
  assert.equal(unacked, 0, 'every message was confirmed');
  assert.equal(lostOnServer, 0, 'no confirmed message is missing from the room');
  assert.equal(lostAtClients, 0, 'every client holds every message of its room');
  assert.equal(duplicatedStored, 0, 'no message stored twice');
  assert.equal(liveDuplicates, 0, 'no message delivered twice on one connection');
  assert.ok(offline.length >= CLIENTS * SWITCHES, 'every client reconnected at every switch');
  for (const s of switches) {
    assert.ok(s.drain.servedMs >= DRAIN_MS * 0.9, `the old colour kept serving ${s.drain.servedMs} ms after /readyz failed (SHUTDOWN_DRAIN_MS ${DRAIN_MS})`);
    assert.ok(s.drain.okDuringDrain > 0, 'requests were answered during the drain');
  }

  // --- every dashboard query answers from Prometheus (a job run now, on the live colour, for the job panels) ---
  const run = await api('POST', '/api/v1/adm/jobs/notifications-cleanup/run', undefined, admin.cookie);
  assert.ok(run.status < 300, `run job: ${run.status} ${await run.clone().text()}`);
  await dashboardQueriesAnswer();

  // --- failure paths of the script: a bad config, a failed reload ---
  const failures = await scriptFailurePaths();
  console.log(`  script failure paths: nginx -t failed → ${failures.badConfig}; reload failed → ${failures.badReload}`);
}

interface DrainSeen {
  servedMs: number;
  okDuringDrain: number;
}
/** Polls the old colour directly: when /readyz first fails, how long /healthz still answers until the port closes. */
function watchDrain(port: number) {
  let notReadyAt = 0;
  let closedAt = 0;
  let okDuringDrain = 0;
  const done = (async () => {
    while (!closedAt) {
      try {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
        await ready.arrayBuffer();
        if (ready.status === 503 && !notReadyAt) notReadyAt = Date.now();
        if (notReadyAt) {
          const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
          await health.arrayBuffer();
          if (health.ok) okDuringDrain++;
        }
      } catch {
        if (notReadyAt) closedAt = Date.now();
        else if (!(await portAnswers(port))) closedAt = Date.now(); // closed without ever failing readiness
      }
      await sleep(50);
    }
  })();
  return {
    async result(): Promise<DrainSeen> {
      await done;
      return { servedMs: notReadyAt ? closedAt - notReadyAt : 0, okDuringDrain };
    },
  };
}

async function fullHistory(roomId: number, cookie: string) {
  const all: ChatMessage[] = [];
  for (;;) {
    const res = await fetch(`${site()}/api/v1/chats/${roomId}/messages?after=${all.at(-1)?.seq ?? 0}&limit=100`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const page = (await res.json()) as { items: ChatMessage[]; hasMore: boolean };
    all.push(...page.items);
    if (!page.hasMore) return all;
  }
}

/** The switch fails at nginx: the upstream file, the state and the running colours stay as they were. */
async function scriptFailurePaths() {
  const active = activeColour();
  const idle = active === 'blue' ? 'green' : 'blue';
  const conf = path.join(dir, 'nginx/conf.d/chwimeet.conf');
  const good = fs.readFileSync(conf, 'utf8');
  const upstreamBefore = upstreamConf();

  // 1. nginx -t rejects the configuration (a broken edit of the server file)
  fs.writeFileSync(conf, `${good}\nthis_is_not_a_directive on;\n`);
  const badConfig = await runScript('switch');
  fs.writeFileSync(conf, good);
  assert.notEqual(badConfig.code, 0, badConfig.output);
  assert.match(badConfig.output, /nginx rejected the configuration/);
  assert.equal(upstreamConf(), upstreamBefore, 'upstream.conf restored');
  assert.equal(activeColour(), active, 'state unchanged');
  assert.ok(!isAlive(colourPid(idle)), 'the idle colour was stopped again');
  assert.ok(!(await portAnswers(idle === 'blue' ? ports.blue : ports.green)), 'the idle colour no longer answers on its port');
  assert.equal((await fetch(`${site()}/healthz`)).status, 200, 'still serving');

  // 2. the reload fails (nginx is not running): same promise
  await stopChild(nginx);
  nginx = null;
  const badReload = await runScript('switch');
  assert.notEqual(badReload.code, 0, badReload.output);
  assert.match(badReload.output, /nginx reload failed/);
  assert.equal(upstreamConf(), upstreamBefore, 'upstream.conf restored');
  assert.equal(activeColour(), active, 'state unchanged');
  assert.ok(!isAlive(colourPid(idle)), 'the idle colour was stopped again');
  assert.ok(isAlive(colourPid(active)), 'the active colour still runs');
  return { badConfig: 'upstream restored, idle stopped', badReload: 'upstream restored, state kept, idle stopped' };
}

/** Every query of deploy/grafana/dashboards/chwimeet.json returns series from the local Prometheus. */
async function dashboardQueriesAnswer() {
  const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy/grafana/dashboards/chwimeet.json'), 'utf8'));
  const queries: { panel: string; expr: string }[] = [];
  for (const panel of dashboard.panels) for (const target of panel.targets ?? []) queries.push({ panel: panel.title, expr: target.expr });
  assert.ok(queries.length >= 10);
  const query = async (expr: string) => {
    const res = await fetch(`http://127.0.0.1:${ports.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    assert.equal(body.status, 'success', expr);
    return body.data.result;
  };
  // the job run above has been scraped with its job name
  await waitFor(async () => (await query('job_runs_total{job_name="notifications-cleanup",outcome="success"} > 0')).length > 0, 'the job run in Prometheus', 30_000);
  const empty: string[] = [];
  for (const q of queries) {
    const result = await query(q.expr);
    if (result.length === 0) empty.push(`${q.panel}: ${q.expr}`);
    // a grouping label of the panel is a real label of the series (not lost to exported_*)
    const by = /sum by \(([^)]*)\)/.exec(q.expr)?.[1].split(',').map((s) => s.trim()).filter((l) => l !== 'le') ?? [];
    for (const series of result) for (const label of by) assert.ok(series.metric[label], `${q.panel}: series without ${label}: ${JSON.stringify(series.metric)}`);
  }
  assert.deepEqual(empty, [], 'dashboard queries without series');
  const jobs = await query(queries.find((q) => q.panel.startsWith('Job runs'))!.expr);
  assert.ok(jobs.some((s) => Object.values(s.metric).includes('notifications-cleanup')), 'the job runs panel shows job names');
  console.log(`  dashboard: ${queries.length} queries, each with series`);
}

/** The parts of the stack this machine cannot run (Docker), checked where they are written. */
test('compose and image: writable volumes owned by node, one image tag per colour, HTTPS in front, shared storage, no secrets in the image', () => {
  const compose = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy/docker-compose.yml'), 'utf8'), { merge: true }); // <<: *app
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const [blue, green] = [compose.services['app-blue'], compose.services['app-green']];
  assert.ok(blue.image && green.image && blue.image !== green.image, 'each colour runs its own image tag (a rollback keeps the old one)');
  // every folder the app container mounts to write into exists in the image and belongs to `node`
  const userAt = finalStage.indexOf('\nUSER node');
  assert.ok(userAt > 0, 'the app runs as node');
  // no TypeScript compiling at each start: the image compiles the server once and runs that
  assert.ok(dockerfile.includes('npm run build:server') && /^CMD .*dist\/server\/main\.js/m.test(finalStage), 'the image runs the server compiled at build time');
  for (const mount of blue.volumes as string[]) {
    const target = mount.split(':')[1];
    const run = finalStage.split('\n').find((l) => l.startsWith('RUN') && l.includes('mkdir') && l.split(/\s+/).includes(target));
    assert.ok(run, `the image creates ${target}`);
    assert.ok(/chown -R node:node (\S+)/.exec(run) && target.startsWith(/chown -R node:node (\S+)/.exec(run)![1]), `${target} belongs to node: ${run}`);
  }
  // browsers reach the app over HTTPS only (COOKIE_SECURE=true): Caddy publishes 443, nginx nothing
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a docker compose variable, expected literally in the file
  assert.equal(blue.environment.COOKIE_SECURE, '${COOKIE_SECURE:-true}');
  assert.ok(compose.services.caddy.ports.some((p: string) => p.endsWith(':443')));
  assert.equal(compose.services.nginx.ports, undefined, 'nginx is reached through Caddy only');
  assert.match(fs.readFileSync(path.join(ROOT, 'deploy/caddy/Caddyfile'), 'utf8'), /reverse_proxy nginx:80/);
  // both colours share one bucket served by the stack's MinIO
  assert.match(blue.environment.STORAGE, /s3/);
  assert.equal(new URL(blue.environment.S3_ENDPOINT.replace(/^\$\{S3_ENDPOINT:-(.*)\}$/, '$1')).hostname, 'minio');
  assert.ok(compose.services.minio && blue.depends_on['minio-init'], 'the bucket exists before an app starts');
  // the deployment's secrets never enter the build context
  const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.ok(ignored.includes('deploy/.env'));
});

// ---------- the HTTPS front: Caddy → nginx → app, with Chromium ----------

/** Runs the repo's Caddyfile (not a copy): only the upstream and global options for an unprivileged local run. */
function writeCaddyfile(folder: string, p: { https: number; http: number; nginx: number }) {
  const global = `# added by scripts/deploy.test.ts: free ports, no admin API, no trust-store install, storage in the test folder
{
	admin off
	http_port ${p.http}
	https_port ${p.https}
	auto_https disable_redirects
	skip_install_trust
	storage file_system {
		root ${path.join(folder, 'data')}
	}
}
`;
  const file = path.join(folder, 'Caddyfile');
  fs.writeFileSync(file, global + render('deploy/caddy/Caddyfile', [['reverse_proxy nginx:80', `reverse_proxy 127.0.0.1:${p.nginx}`]]));
  return file;
}

// Frames of a STOMP session on the page's own WebSocket, kept on the page.
declare global {
  interface Window {
    stompFrames?: string[];
    stompSocket?: WebSocket;
  }
}

/** Opens wss://<the page's host>/ws from the page (its Origin, its cookies) and sends CONNECT. */
async function pageStompConnect(page: Page) {
  await page.evaluate(async () => {
    const frames: string[] = [];
    window.stompFrames = frames;
    const ws = new WebSocket(`wss://${location.host}/ws`, ['v12.stomp', 'v11.stomp', 'v10.stomp']);
    window.stompSocket = ws;
    ws.onmessage = (e) => {
      for (const f of String(e.data).split('\0')) if (f.trim()) frames.push(f.replace(/^\n+/, ''));
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onclose = (e) => reject(new Error(`WebSocket closed before opening: ${e.code}`));
    });
    ws.send(`CONNECT\naccept-version:1.2\nhost:${location.hostname}\nheart-beat:0,0\n\n\0`);
  });
  return pageStompFrame(page, 'CONNECTED', '');
}

const pageStompSend = (page: Page, frame: string) => page.evaluate((f) => window.stompSocket!.send(`${f}\0`), frame);

/** Waits for a frame of this command that contains `needle`. */
async function pageStompFrame(page: Page, command: string, needle: string): Promise<string> {
  const found = await page.waitForFunction(
    ([c, n]) => window.stompFrames?.find((f) => (f.startsWith(`${c}\n`) || f.startsWith('ERROR\n')) && (f.includes(n) || f.startsWith('ERROR\n'))),
    [command, needle] as const,
    { timeout: 30_000 },
  );
  const frame = (await found.jsonValue()) as string;
  assert.ok(frame.startsWith(`${command}\n`), `expected ${command}, got: ${frame}`);
  return frame;
}

/** fetch from the page, as the web app calls the API (same origin, X-Requested-With) */
function pageApi(page: Page, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  return page.evaluate(
    async ({ method, url, body, headers }) => {
      const res = await fetch(url, {
        method,
        headers: { 'x-requested-with': 'chwimeet', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.text(), requestId: res.headers.get('x-request-id') };
    },
    { method, url, body, headers },
  );
}

const pageSignUp = async (page: Page, n: number) => {
  const res = await pageApi(page, 'POST', '/api/v1/members', {
    email: `tls-${n}-${crypto.randomBytes(3).toString('hex')}@example.com`,
    password: 'password123!',
    nickname: `보안${n}x${crypto.randomBytes(2).toString('hex')}`,
  });
  assert.equal(res.status, 201, res.body);
  return JSON.parse(res.body).id as number;
};

test('the HTTPS front: Chromium through Caddy (the repo Caddyfile) and nginx to an instance with COOKIE_SECURE=true', { timeout: 300_000 }, async (t) => {
  const caddyBin = spawnSync('sh', ['-c', 'command -v caddy']);
  assert.equal(caddyBin.status, 0, 'caddy is not installed: apt-get install -y caddy (.ci/run does this)');
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const root = path.join(dir, 'tls');
  const p = { https: await freePort(), http: await freePort(), nginx: await freePort(), app: await freePort() };
  // one colour of its own, as compose runs it: behind the proxies, Secure session cookie
  const env = { STATE_DIR: path.join(root, 'state'), BLUE_PORT: String(p.app), COOKIE_SECURE: 'true', NGINX_CONF: path.join(root, 'nginx/nginx.conf'), NGINX_DIR: path.join(root, 'nginx/conf.d') };
  let front: ChildProcess | null = null;
  let caddy: ChildProcess | null = null;
  let browser: Browser | null = null;
  t.after(async () => {
    if (t.signal.aborted) failedTest = true;
    await browser?.close().catch(() => {});
    await stopChild(caddy);
    await stopChild(front);
    await runScriptWith(env, 'stop', 'blue');
  });
  try {
    const started = await runScriptWith(env, 'start', 'blue');
    assert.equal(started.code, 0, started.output);
    // in compose Caddy reaches nginx from a private address, which nginx trusts for X-Forwarded-For; here from loopback
    writeNginx(path.join(root, 'nginx'), p.nginx, p.app, [['set_real_ip_from 10.0.0.0/8;', 'set_real_ip_from 127.0.0.1;\n  set_real_ip_from 10.0.0.0/8;']]);
    front = startNginx(path.join(root, 'nginx'));
    fs.mkdirSync(path.join(root, 'caddy'), { recursive: true });
    const caddyfile = writeCaddyfile(path.join(root, 'caddy'), p);
    caddy = spawn('caddy', ['run', '--adapter', 'caddyfile', '--config', caddyfile], {
      // DOMAIN as deploy/.env sets it (TLS unset: `tls internal`); HOME and XDG folders kept in the test folder
      env: { ...process.env, DOMAIN: SITE, HOME: path.join(root, 'caddy'), XDG_DATA_HOME: path.join(root, 'caddy/data'), XDG_CONFIG_HOME: path.join(root, 'caddy/config') },
      stdio: ['ignore', fs.openSync(path.join(root, 'caddy/log'), 'a'), fs.openSync(path.join(root, 'caddy/log'), 'a')],
    });
    const caddyExit = new Promise<never>((_, reject) => caddy!.once('exit', (code) => reject(new Error(`caddy exited (${code}): ${fs.readFileSync(path.join(root, 'caddy/log'), 'utf8').slice(-2000)}`))));
    caddyExit.catch(() => {});
    await Promise.race([waitFor(() => portAnswers(p.https), 'caddy'), caddyExit]);
    await waitFor(() => portAnswers(p.nginx), 'nginx');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // the site's name (and a second one for plain HTTP) resolve to this machine, as DNS would point them at the stack
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage', `--host-resolver-rules=MAP ${SITE} 127.0.0.1, MAP plain.${SITE} 127.0.0.1`],
    });
    const https = `https://${SITE}:${p.https}`;
    // Caddy's internal CA is not in Chromium's trust store: certificate errors ignored, not TLS itself
    const open = async (url: string) => {
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const res = await page.goto(url);
      assert.equal(res?.status(), 200, `${url}: ${res?.status()}`);
      return { context, page, res: res! };
    };

    // --- the site over HTTPS: Caddy's certificate, HSTS from the app (COOKIE_SECURE=true) ---
    const lender = await open(`${https}/`);
    const tls = await lender.res.securityDetails();
    assert.ok(tls?.protocol?.startsWith('TLS'), JSON.stringify(tls));
    assert.match(tls?.issuer ?? '', /Caddy Local Authority/, 'the certificate comes from Caddy (tls internal)');
    // the leaf names DOMAIN in its subjectAltName only (an empty subject): Caddy stores it under that name
    assert.ok(fs.existsSync(path.join(root, `caddy/data/certificates/local/${SITE}/${SITE}.crt`)), 'a certificate issued for DOMAIN');
    assert.match((await lender.res.allHeaders())['strict-transport-security'] ?? '', /max-age=/);

    // --- sign up: the Secure session cookie is kept and sent back ---
    const lenderId = await pageSignUp(lender.page, 1);
    const cookies = await lender.context.cookies(https);
    assert.ok(cookies.length > 0 && cookies.every((c) => c.secure && c.httpOnly), `Secure, HttpOnly session cookie: ${JSON.stringify(cookies)}`);
    const me = await pageApi(lender.page, 'GET', '/api/v1/members/me');
    assert.equal(me.status, 200, me.body);
    assert.equal(JSON.parse(me.body).id, lenderId);

    // --- chat over wss (Caddy and nginx pass the upgrade, the app accepts the browser's Origin) ---
    const borrower = await open(`${https}/`);
    await pageSignUp(borrower.page, 2);
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    pool.on('error', () => {});
    const post = await pool.query<{ id: number }>(
      `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
       VALUES ($1, 'HTTPS 시험 텐트', '보안 연결 시험용 물건', (SELECT min(id) FROM categories), 10000, 50000, 'DIRECT', 'DIRECT') RETURNING id::int AS id`,
      [lenderId],
    );
    await pool.end();
    const room = await pageApi(borrower.page, 'POST', '/api/v1/chats', { postId: post.rows[0].id });
    assert.equal(room.status, 201, room.body);
    const roomId = JSON.parse(room.body).id as number;
    for (const side of [borrower, lender]) {
      await pageStompConnect(side.page);
      await pageStompSend(side.page, `SUBSCRIBE\nid:room\ndestination:/topic/chat/${roomId}\nreceipt:subscribed\n\n`);
      await pageStompFrame(side.page, 'RECEIPT', 'receipt-id:subscribed');
    }
    const clientId = crypto.randomUUID();
    await pageStompSend(borrower.page, `SEND\ndestination:/app/chat/${roomId}\ncontent-type:application/json\nreceipt:sent\n\n${JSON.stringify({ clientId, content: '텐트 빌릴 수 있을까요?' })}`);
    await pageStompFrame(borrower.page, 'RECEIPT', 'receipt-id:sent');
    const delivered = await pageStompFrame(lender.page, 'MESSAGE', clientId);
    assert.match(delivered, /텐트 빌릴 수 있을까요\?/);
    // nginx logs a proxied WebSocket when it closes
    for (const side of [borrower, lender]) await side.page.evaluate(() => window.stompSocket!.close());
    const upgrades = await waitFor(() => {
      const lines = fs.readFileSync(path.join(root, 'nginx/access.log'), 'utf8').split('\n').filter((l) => l.includes('"GET /ws '));
      return lines.length >= 2 ? lines : null;
    }, 'both sockets in the nginx log', 10_000);
    assert.ok(upgrades.every((l) => l.startsWith('101 ')), `the sockets went through nginx: ${upgrades.join('\n')}`);

    // --- the client address: Caddy replaces a client's X-Forwarded-For, nginx passes one hop, the app sees the client ---
    const spoofed = await pageApi(lender.page, 'GET', '/healthz', undefined, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(spoofed.status, 200);
    const atNginx = await waitFor(() => fs.readFileSync(path.join(root, 'nginx/access.log'), 'utf8').split('\n').find((l) => l.includes(` ${spoofed.requestId} `)), 'the request in the nginx log', 5000);
    assert.match(atNginx, /xff="127\.0\.0\.1"$/, `Caddy sent nginx only the address it saw: ${atNginx}`);
    const atApp = await waitFor(
      () => fs.readFileSync(path.join(root, 'state/app-blue.log'), 'utf8').split('\n').find((l) => l.includes(`"reqId":"${spoofed.requestId}"`) && l.includes('remoteAddress')),
      'the request in the app log',
      5000,
    );
    assert.equal(JSON.parse(atApp).req.remoteAddress, '127.0.0.1', atApp);

    // --- plain HTTP on a real host name (no HTTPS front): the browser drops the Secure cookie ---
    const plain = await open(`http://plain.${SITE}:${p.nginx}/`);
    await pageSignUp(plain.page, 3);
    assert.deepEqual(await plain.context.cookies(), [], 'no cookie kept over plain HTTP');
    assert.equal((await pageApi(plain.page, 'GET', '/api/v1/members/me')).status, 401, 'signed up, yet unknown on the next request');

    console.log(`  HTTPS front: ${tls?.protocol} with ${tls?.issuer}'s certificate for ${SITE}; Secure cookie kept, /members/me 200, chat over wss delivered; over plain HTTP /members/me 401`);
  } catch (err) {
    failedTest = true;
    throw err;
  }
});
