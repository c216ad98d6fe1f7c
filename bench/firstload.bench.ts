// First load on a phone (issue 11.8): first contentful paint of `/` and of a listing page in Debian's
// Chromium with DevTools' "Slow 4G" profile (562.5 ms latency, 180 kB/s down, 84.4 kB/s up) and a 4×
// CPU slowdown, cold cache each run; plus the compressed JS that `/` needs. Run: npm run bench:firstload
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

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-firstload-'));
const app = await startApp({ DATA_DIR: dataDir, JOBS_ENABLED: 'false' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  // the demo listings (seeded by the first start) give a real feed and a real listing page
  let postId: number | undefined;
  for (const end = Date.now() + 120_000; !postId && Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const posts = await fetch(`${app.url}/api/v1/posts?limit=1`).then((r) => r.json()).catch(() => null);
    postId = posts?.items?.[0]?.id;
  }
  if (!postId) throw new Error('no demo listing appeared');

  async function measure(url: string) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ko-KR' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
    await page.goto(app.url + url, { waitUntil: 'load' });
    const fcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const e = list.getEntriesByName('first-contentful-paint')[0];
            if (e) resolve(e.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    // the page's own content (feed cards / the listing title), not just the shell
    await page.locator(url === '/' ? 'main a[href^="/posts/"]:not([href="/posts/new"])' : 'main h1, main h2').first().waitFor({ timeout: 120_000 });
    const content = await page.evaluate(() => performance.now());
    await context.close();
    return { fcp, content, bytes };
  }

  for (const [label, url] of [['/', '/'], ['listing', `/posts/${postId}`]] as const) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(url));
    const fcp = median(runs.map((r) => r.fcp));
    console.log(
      `${label.padEnd(8)} FCP ${Math.round(fcp)} ms (median of ${RUNS}: ${runs.map((r) => Math.round(r.fcp)).join(', ')}; budget 1500 ms)` +
        `, content shown ${Math.round(median(runs.map((r) => r.content)))} ms, ${(median(runs.map((r) => r.bytes)) / 1024).toFixed(0)} KB transferred`,
    );
  }
} finally {
  await browser.close();
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
