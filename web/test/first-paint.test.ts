// First paint from the HTML (issue 11.8): `/` and a listing page arrive with their first screen as
// markup and their data as a JSON block (server/src/http/first-paint.ts); a guest's page holds nothing
// private and may be revalidated by shared caches, a member's is private and never stored; no inline
// script is allowed by the CSP; the app starts from the injected data without asking the API for it.
// Needs `npm run build:web`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePost, waitFor } from '../../server/test/factories.ts';
import { liveServerAndBrowser, openLoggedInPage, openPage } from './support.ts';

let owner: { id: number; cookie: string; email: string };
let postId: number;
const TITLE = '캠핑 의자 2개 </script><script>alert(1)</script> & 테이블';

const live = liveServerAndBrowser({}, async (server) => {
  owner = await server.ctx.signUp('의자주인');
  // makePost gives it a return address (서울시 마포구), which only the owner and approved borrowers see
  postId = (await makePost(server.ctx.deps.db, owner.id, { title: TITLE, fee: 7000, deposit: 30000 })).id;
  for (const n of [1, 2, 3]) await makePost(server.ctx.deps.db, owner.id, { title: `접이식 캠핑 테이블 ${n}호`, fee: 3000 + n });
});

const get = (url: string, cookie?: string) => live.server.ctx.app.inject({ url, headers: cookie ? { cookie } : {} });

/** the JSON data block of a served page */
function firstData(html: string) {
  const blocks = [...html.matchAll(/<script type="application\/json" id="first-data">([^<]*)<\/script>/g)];
  assert.equal(blocks.length, 1, 'one data block');
  return JSON.parse(blocks[0][1]);
}

test('a guest\'s `/` carries the newest cards as markup and data, nothing private, cacheable only with revalidation', async () => {
  const res = await get('/');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-cache');
  assert.match(String(res.headers.vary), /cookie/i);
  for (const n of [1, 2, 3]) assert.ok(res.body.includes(`<h3 class="post-card-title">접이식 캠핑 테이블 ${n}호</h3>`), `card ${n} in the markup`);
  assert.ok(res.body.includes('3,001원'), 'prices in the markup');
  assert.ok(res.body.includes(`<a href="/posts/${postId}" class="post-card">`), 'cards are links to the listing pages');
  const data = firstData(res.body);
  assert.equal(data.me, null);
  assert.equal(data.feed.items.length, 4);
  assert.equal(data.feed.items.find((p: { id: number }) => p.id === postId).title, TITLE, 'the JSON round-trips');
  assert.doesNotMatch(res.body, /returnAddress|email|서울시 마포구/);
  // text can neither close the data block nor the markup: no second script, escaped HTML
  assert.equal(res.body.match(/<script/g)?.length, 2, 'the entry module and the data block only');
  assert.ok(res.body.includes('캠핑 의자 2개 &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 테이블'));
  // the CSP allows no inline script (the data block is not one: browsers do not run application/json)
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|script-src[^;]*sha256/);
  // still compressed, and cached apart per encoding and per cookie
  const br = await live.server.ctx.app.inject({ url: '/', headers: { 'accept-encoding': 'br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.vary), /cookie.*accept-encoding/i);
});

test('a listing page carries its title, price and owner; the return address only in the owner\'s own, unstored page', async () => {
  const guest = await get(`/posts/${postId}`);
  assert.equal(guest.headers['cache-control'], 'no-cache');
  assert.ok(guest.body.includes('<h1 class="detail-title">캠핑 의자 2개 &lt;/script&gt;'));
  assert.ok(guest.body.includes('7,000원') && guest.body.includes('30,000원'));
  assert.ok(guest.body.includes('<strong>의자주인</strong>'));
  assert.ok(guest.body.includes(`<title>캠핑 의자 2개 &lt;/script&gt;`), 'the tab shows the listing');
  const data = firstData(guest.body);
  assert.equal(data.post.id, postId);
  assert.equal(data.post.returnAddress, null);
  assert.equal(data.post.isOwner, false);
  assert.doesNotMatch(guest.body, /서울시 마포구|"email"/);

  const own = await get(`/posts/${postId}`, owner.cookie);
  assert.equal(own.headers['cache-control'], 'private, no-store');
  const mine = firstData(own.body);
  assert.equal(mine.post.returnAddress, '서울시 마포구', 'the owner sees their own view');
  assert.equal(mine.post.isOwner, true);
  assert.equal(mine.me.id, owner.id);

  const home = await get('/', owner.cookie);
  assert.equal(home.headers['cache-control'], 'private, no-store');
  assert.equal(firstData(home.body).me.email, owner.email);
  assert.equal(firstData(home.body).feed, undefined, 'a member\'s feed is their 동네\'s, chosen by the app');

  // other routes and unknown listings: the shell alone
  for (const url of ['/search?q=chair', '/posts/999999', '/my']) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.doesNotMatch(res.body, /<main/, url);
  }
  assert.doesNotMatch((await get('/posts/999999')).body, /"post"/);
});

test('the app starts from the injected data: no request for the feed, the listing or the session', async () => {
  for (const [url, cookie, shows] of [
    ['/', undefined, '접이식 캠핑 테이블 3호'],
    [`/posts/${postId}`, undefined, '하루 대여료'],
    [`/posts/${postId}`, owner.cookie, '반납 주소'],
  ] as const) {
    const { browser, server } = live;
    const opened = cookie ? await openLoggedInPage(browser, server.baseURL, cookie) : await openPage(browser, server.baseURL);
    const asked: string[] = [];
    opened.page.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (/^\/api\/v1\/(posts(\/\d+)?|members\/session)$/.test(pathname)) asked.push(pathname);
    });
    await opened.page.goto(url);
    // React has replaced the shell when the search box (not in the shell) is there
    await opened.page.getByRole('search').waitFor();
    await opened.page.getByText(shows).first().waitFor();
    // a refetch would start at once on mount; give the app a moment of real activity to show one
    await waitFor(async () => (await opened.page.evaluate(() => document.readyState)) === 'complete', 'page load');
    await opened.page.waitForLoadState('networkidle');
    assert.deepEqual(asked, [], `${url}: nothing fetched again`);
    assert.deepEqual(opened.pageErrors, []);
    await opened.context.close();
  }
});
