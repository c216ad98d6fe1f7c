// First load on a phone (issue 11.8): first contentful paint of `/` and of a listing page in Debian's
// Chromium with DevTools' "Slow 4G" profile (562.5 ms latency, 180 kB/s down, 84.4 kB/s up) and a 4×
// CPU slowdown, cold cache each run; plus the compressed JS that `/` needs. Run: npm run bench:firstload
// FCP is the browser's own paint timing (PerformanceObserver 'paint', buffered), read as soon as the
// navigation commits: nothing waits for the load event, so a first paint from the HTML is seen as such.
// Before/after on a loaded machine: FIRSTLOAD_BASELINE=<another checkout> (its server and its built
// web/dist, or FIRSTLOAD_BASELINE_DIST) runs beside this one, runs alternate, and the ratio is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { firstLoad, FIRST_LOAD_JS_BUDGET } from '../web/firstload.ts';
import { median, startApp } from './app-process.ts';

const RUNS = Number(process.env.FIRSTLOAD_RUNS ?? 5);
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375, connectionType: 'cellular4g' as const };
const dist = path.resolve('web/dist');
if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('web/dist is missing: run npm run build:web first');

const load = firstLoad(dist);
console.log(`JS for /: ${load.js.length} files, ${(load.bytes.brotli / 1024).toFixed(1)} KB br, ${(load.bytes.gzip / 1024).toFixed(1)} KB gzip, ${(load.bytes.raw / 1024).toFixed(1)} KB raw (budget ${FIRST_LOAD_JS_BUDGET / 1024} KB compressed)`);

const baselineCwd = process.env.FIRSTLOAD_BASELINE;
const dataDirs: string[] = [];
async function start(cwd: string, webDist: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-firstload-'));
  dataDirs.push(dataDir);
  const app = await startApp({ DATA_DIR: dataDir, JOBS_ENABLED: 'false', WEB_DIST: webDist }, 180_000, cwd);
  // the demo listings (seeded by the first start) give a real feed and a real listing page
  let postId: number | undefined;
  for (const end = Date.now() + 180_000; !postId && Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const posts = await fetch(`${app.url}/api/v1/posts?limit=1`).then((r) => r.json()).catch(() => null);
    postId = posts?.items?.[0]?.id;
  }
  if (!postId) throw new Error('no demo listing appeared');
  return { app, postId };
}
const servers = [{ label: 'this', ...(await start(process.cwd(), dist)) }];
if (baselineCwd) {
  const baseDist = path.resolve(process.env.FIRSTLOAD_BASELINE_DIST ?? path.join(baselineCwd, 'web/dist'));
  servers.push({ label: 'baseline', ...(await start(path.resolve(baselineCwd), baseDist)) });
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  async function measure(origin: string, url: string) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ko-KR' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
    // Recorded in the page from its first byte, so no measurement waits for the load event: when the
    // page's own content (feed cards / the listing title) is first in the document, whether from the
    // server's HTML or from React, and when the app has taken over (its search box is not in the shell).
    await page.addInitScript((contentSelector: string) => {
      const w = window as unknown as { contentAt?: number; appAt?: number };
      new MutationObserver(() => {
        w.contentAt ??= document.querySelector(contentSelector) ? performance.now() : undefined;
        w.appAt ??= document.querySelector('[role="search"]') ? performance.now() : undefined;
      }).observe(document, { childList: true, subtree: true });
    }, url === '/' ? 'main a[href^="/posts/"]:not([href="/posts/new"])' : 'main h1');
    await page.goto(origin + url, { waitUntil: 'commit' });
    const fcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const e = list.getEntriesByName('first-contentful-paint')[0];
            if (e) resolve(e.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    // (a promise polled inside the page: the page's CSP forbids the eval that waitForFunction uses)
    const { content, app } = await page.evaluate(
      () =>
        new Promise<{ content: number; app: number }>((resolve) => {
          const w = window as unknown as { contentAt?: number; appAt?: number };
          // no named functions in page code: tsx would wrap them in a helper the page does not have
          const timer = setInterval(() => {
            if (w.contentAt === undefined || w.appAt === undefined) return;
            clearInterval(timer);
            resolve({ content: w.contentAt, app: w.appAt });
          }, 50);
        }),
    );
    await context.close();
    return { fcp, content, app, bytes };
  }

  const fcps = new Map<string, number>();
  for (const page of ['/', 'listing']) {
    const runs = new Map<string, Awaited<ReturnType<typeof measure>>[]>(servers.map((s) => [s.label, []]));
    // alternate the servers run by run, so a change in the machine's load hits both alike
    for (let i = 0; i < RUNS; i++) {
      for (const s of servers) runs.get(s.label)!.push(await measure(s.app.url, page === '/' ? '/' : `/posts/${s.postId}`));
    }
    for (const [label, list] of runs) {
      const fcp = median(list.map((r) => r.fcp));
      fcps.set(`${label} ${page}`, fcp);
      console.log(
        `${label.padEnd(8)} ${page.padEnd(8)} FCP ${Math.round(fcp)} ms (median of ${RUNS}: ${list.map((r) => Math.round(r.fcp)).join(', ')}; budget 1500 ms)` +
          `; content in the page ${Math.round(median(list.map((r) => r.content)))} ms, app started ${Math.round(median(list.map((r) => r.app)))} ms` +
          `, ${(median(list.map((r) => r.bytes)) / 1024).toFixed(0)} KB transferred`,
      );
    }
    if (baselineCwd) console.log(`${page}: FCP this/baseline = ${(fcps.get(`this ${page}`)! / fcps.get(`baseline ${page}`)!).toFixed(2)}`);
  }
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await browser.close();
  for (const s of servers) await s.app.stop();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
}
