// Shared helpers for browser tests: the real server (fresh PGlite, built web app) on a random port,
// Debian's Chromium through playwright-core, phone/desktop pages, UI sign-up, test images, screenshots.
import fs from 'node:fs';
import { after, before } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../server/test/helpers.ts';
import type { SchedulerOptions } from '../../server/src/jobs/scheduler.ts';
import { seoulDate } from '../src/lib/format.ts';

export const WEB_DIST = path.resolve('web/dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp/chwimeet-screens';

export interface TestServer {
  ctx: TestContext;
  baseURL: string;
  close(): Promise<void>;
}

/** The real app (same wiring as production) listening on 127.0.0.1 with a random port. */
/** `jobs`: the scheduler's options (a test's own job definitions); the test starts it (server.ctx.deps.jobs.start()). */
export async function startServer(env: Record<string, string> = {}, jobs?: SchedulerOptions): Promise<TestServer> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build:web` first (npm test does it)');
  }
  // Serve a snapshot of the build: a rebuild of web/dist while tests run (another terminal, a watcher)
  // must not swap assets under a running server (static routes are listed at start).
  const snapshot = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-web-'));
  fs.cpSync(WEB_DIST, snapshot, { recursive: true });
  const ctx = await createTestContext({ env: { WEB_DIST: snapshot, ...env }, jobs });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  return {
    ctx,
    baseURL: `http://127.0.0.1:${address.port}`,
    async close() {
      await ctx.close();
      fs.rmSync(snapshot, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

export interface LiveServerAndBrowser {
  readonly server: TestServer;
  readonly browser: Browser;
}

/** The file's own set-up once the server and Chromium run. */
type SetUp = (server: TestServer) => Promise<void>;

export interface LiveOptions {
  /** the scheduler's options (the file's own job definitions): started with the server, stopped with it */
  jobs?: SchedulerOptions;
  setUp?: SetUp;
}

/**
 * The app and Chromium for one test file: started in `before`, stopped in `after` (registered here, so
 * a file only says `const live = liveServerAndBrowser()` and reads `live.server` / `live.browser`).
 * The set-up runs in the same hook: a second root `before` may not wait for this one.
 */
export function liveServerAndBrowser(env: Record<string, string> = {}, options: SetUp | LiveOptions = {}): LiveServerAndBrowser {
  const { jobs, setUp } = typeof options === 'function' ? { jobs: undefined, setUp: options } : options;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [server, browser] = await Promise.all([startServer(env, jobs), launchBrowser()]);
    if (jobs) await server.ctx.deps.jobs.start();
    await setUp?.(server);
  });
  after(async () => {
    await browser?.close();
    await server?.close(); // stops the scheduler too
  });
  return {
    get server() {
      if (!server) throw new Error('the test server is not started yet (read live.server inside a test or hook)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet (read live.browser inside a test or hook)');
      return browser;
    },
  };
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** uncaught exceptions in the page; a test should end with none */
  pageErrors: Error[];
}

/** A fresh browser profile (own cookies) in Korean, in Seoul, at a phone or desktop size. */
export async function openPage(browser: Browser, baseURL: string, viewport = PHONE): Promise<TestPage> {
  const phone = viewport.width < 768;
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: phone ? 2 : 1,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  return { context, page, pageErrors };
}

/** openPage, logged in with a session cookie ('name=value', as ctx.signUp() returns it). */
export async function openLoggedInPage(browser: Browser, baseURL: string, cookie: string, viewport = PHONE): Promise<TestPage> {
  const opened = await openPage(browser, baseURL, viewport);
  const [name, value] = cookie.split('=');
  await opened.context.addCookies([{ name, value, url: baseURL }]);
  return opened;
}

let accountSeq = 0;

/** Signs up through the UI (nickname check included); returns the credentials. */
export async function signUpViaUi(page: Page, nickname = `이웃${process.pid % 1000}${++accountSeq}`) {
  const email = `web${process.pid}-${Date.now()}-${accountSeq}@example.com`;
  const password = 'password123!';
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('닉네임').fill(nickname);
  await page.getByText('사용할 수 있는 닉네임이에요').waitFor();
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByLabel('비밀번호 확인').fill(password);
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return { email, password, nickname };
}

/** A PNG test photo: a soft gradient with a coloured block, or noise (large, for upload progress). */
export async function makePng(opts: { width?: number; height?: number; color?: string; noise?: boolean } = {}): Promise<Buffer> {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  if (opts.noise) {
    const raw = Buffer.alloc(width * height * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (Math.random() * 256) | 0;
    return sharp(raw, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  }
  const color = opts.color ?? '#2f9e6e';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fdf6ec"/><stop offset="1" stop-color="#f3d9bd"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <polygon points="${width * 0.2},${height * 0.78} ${width * 0.5},${height * 0.22} ${width * 0.8},${height * 0.78}" fill="${color}"/>
    <rect x="${width * 0.45}" y="${height * 0.55}" width="${width * 0.1}" height="${height * 0.23}" fill="#fdf6ec"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The new-listing form's required fields, as a lender fills them: a tent in 마포구, direct hand-over. */
export async function fillListingBasics(page: Page, title: string) {
  await page.getByLabel('제목').fill(title);
  await page.getByLabel('카테고리').selectOption({ label: '텐트' });
  await page.getByLabel('지역 시/도').selectOption({ label: '서울특별시' });
  await page.getByRole('button', { name: '마포구' }).click();
  await page.getByLabel('하루 대여료').fill('15000');
  await page.getByLabel('보증금').fill('50000');
  await page.getByRole('radio', { name: '직거래' }).first().check();
}

/** Creates a listing over HTTP (faster than the UI) as the member with `cookie`; returns its id. */
export async function createListingViaApi(
  baseURL: string,
  cookie: string,
  data: Record<string, unknown>,
  images: Buffer[],
): Promise<number> {
  const form = new FormData();
  form.append('data', JSON.stringify(data));
  for (const [i, img] of images.entries()) form.append('images', new Blob([new Uint8Array(img)], { type: 'image/png' }), `photo${i}.png`);
  const res = await fetch(`${baseURL}/api/v1/posts`, { method: 'POST', body: form, headers: { cookie, 'x-requested-with': 'test' } });
  if (res.status !== 201) throw new Error(`create listing failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** Ids of a leaf category and a leaf region, by name, from the public catalog API. */
export async function catalogIds(baseURL: string, category: string, region: string) {
  type Tree = { id: number; name: string; children: { id: number; name: string }[] }[];
  const find = (tree: Tree, name: string) => {
    for (const root of tree) {
      if (root.name === name) return root.id;
      const child = root.children.find((c) => c.name === name);
      if (child) return child.id;
    }
    throw new Error(`no catalog node ${name}`);
  };
  const [cats, regions] = await Promise.all(
    ['categories', 'regions'].map(async (k) => (await (await fetch(`${baseURL}/api/v1/${k}`)).json()) as Tree),
  );
  return { categoryId: find(cats, category), regionId: find(regions, region) };
}

/** Saves a full-page screenshot for a human (or a model) to look at; returns its path. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Resolves when every <img> matched by the selector has decoded real pixels. */
export async function imagesLoaded(page: Page, selector: string): Promise<number> {
  await page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>(sel)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector);
  return page.locator(selector).count();
}

/** Slows uploads in this page (Chromium DevTools network emulation), so progress is observable. */
export async function throttleUpload(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/** The first day of the month after `today` ('YYYY-MM-DD' in Seoul), plus n days. */
export function dayNextMonth(dayOfMonth: number, now = new Date()): string {
  const [y, m] = seoulDate(now).split('-').map(Number);
  const next = new Date(Date.UTC(y, m, dayOfMonth)); // month index m = next month
  return next.toISOString().slice(0, 10);
}
