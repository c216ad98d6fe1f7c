// Accessibility and CSP over every page of the app in a real browser: axe-core (WCAG 2.1 A/AA rules and
// best practices) must find no serious or critical violation, and no page may trip the Content Security
// Policy (securitypolicyviolation events are recorded from the first byte of each page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { insertReservation } from '../../server/test/factories.ts';
import {
  catalogIds, createListingViaApi, dayNextMonth, DESKTOP, liveServerAndBrowser, makePng, openLoggedInPage, openPage, PHONE, type TestPage,
} from './support.ts';

const live = liveServerAndBrowser();

const AXE_SOURCE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

interface Finding { page: string; rule: string; impact: string; help: string; targets: string[] }

/** Records CSP violations in every document of this browser profile, before any page script runs. */
async function recordCsp(opened: TestPage) {
  await opened.context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

/**
 * Opens `url`, waits until the page has drawn its content (no loading spinner, `ready` visible), then runs
 * axe in the page. axe is evaluated through DevTools, not a <script> tag, so the page's CSP stays intact.
 */
async function audit(page: Page, url: string, ready: string, findings: Finding[], csp: string[]) {
  await page.goto(url);
  await page.locator(ready).first().waitFor().catch((e: Error) => {
    throw new Error(`${url}: ${ready} never appeared (${e.message.split('\n')[0]})`);
  });
  await page.waitForFunction(() => !document.querySelector('.spinner'));
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: {
      id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  for (const v of violations) findings.push({ page: url, rule: v.id, impact: v.impact, help: v.help, targets: v.targets });
  for (const c of await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)) csp.push(`${url}: ${c}`);
}

test('every page: no serious or critical axe violation, no CSP violation (phone and desktop)', async () => {
  const { ctx, baseURL } = live.server;
  const lender = await ctx.signUp('빌려주는이웃');
  const borrower = await ctx.signUp('빌리는이웃');
  const admin = await ctx.admin();
  const { categoryId, regionId } = await catalogIds(baseURL, '텐트', '마포구');
  const postId = await createListingViaApi(baseURL, lender.cookie, {
    title: '캠핑용 4인 돔 텐트', content: '설치가 쉬운 텐트예요', categoryId, regionIds: [regionId], fee: 15000, deposit: 50000,
    receiveMethod: 'ANY', returnMethod: 'DIRECT', options: [{ name: '그라운드시트', fee: 2000, deposit: 0 }],
  }, [await makePng()]);
  const reservationId = await insertReservation(ctx.deps.db, {
    postId, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_APPROVAL', startDate: dayNextMonth(10), endDate: dayNextMonth(12),
  });
  const opened = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  assert.ok(opened.statusCode < 300, opened.body);
  const roomId: number = opened.json().id;
  const sent = await ctx.app.inject({
    method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: borrower.cookie }, payload: { content: '주말에 빌릴 수 있을까요?', clientId: crypto.randomUUID() },
  });
  assert.ok(sent.statusCode < 300, sent.body);

  // [url, a selector that is there once the page has drawn its data]
  const guestPages: [string, string][] = [
    ['/', '.post-card'],
    ['/search?q=텐트', '.post-card'],
    [`/posts/${postId}`, 'h1'],
    ['/login', 'form'],
    ['/signup', 'form'],
    [`/members/${lender.id}`, 'h1'],
    ['/no-such-page', 'text=페이지를 찾을 수 없어요'],
  ];
  const memberPages: [string, string][] = [
    ['/', '.post-card'],
    [`/posts/${postId}`, '#booking'],
    ['/posts/new', 'form'],
    [`/posts/${postId}/edit`, 'form'],
    ['/my', 'h1'],
    ['/my/neighbourhoods', 'h1'],
    ['/chats', `a[href="/chats/${roomId}"]`],
    [`/chats/${roomId}`, '.chat-input, textarea'],
    ['/reservations', `a[href="/reservations/${reservationId}"]`],
    [`/reservations/${reservationId}`, 'h1'],
    ['/notifications', 'h1'],
  ];
  const adminPages: [string, string][] = [
    ['/admin/reports', 'h1'],
    ['/admin/bans', 'h1'],
    ['/admin/jobs', 'h1'],
    ['/admin/catalog', 'h1'],
  ];

  const findings: Finding[] = [];
  const csp: string[] = [];
  const errors: Error[] = [];
  for (const viewport of [PHONE, DESKTOP]) {
    const runs: [TestPage, [string, string][]][] = [
      [await openPage(live.browser, baseURL, viewport), guestPages],
      [await openLoggedInPage(live.browser, baseURL, borrower.cookie, viewport), memberPages],
      [await openLoggedInPage(live.browser, baseURL, lender.cookie, viewport), [['/reservations?tab=received', `a[href="/reservations/${reservationId}"]`], [`/reservations/${reservationId}`, 'h1']]],
      [await openLoggedInPage(live.browser, baseURL, admin.cookie, viewport), adminPages],
    ];
    for (const [tp, pages] of runs) {
      await recordCsp(tp);
      for (const [url, ready] of pages) await audit(tp.page, url, ready, findings, csp);
      errors.push(...tp.pageErrors);
      await tp.context.close();
    }
  }

  const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const report = (list: Finding[]) => list.map((f) => `${f.page} [${f.impact}] ${f.rule}: ${f.help} — ${f.targets.join(' | ')}`).join('\n');
  const minor = findings.filter((f) => !blocking.includes(f));
  if (minor.length) console.log(`axe: ${minor.length} moderate/minor findings\n${report(minor)}`);
  assert.deepEqual(csp, [], 'CSP violations');
  assert.equal(blocking.length, 0, `serious/critical axe violations:\n${report(blocking)}`);
  assert.deepEqual(errors.map(String), []);
});
