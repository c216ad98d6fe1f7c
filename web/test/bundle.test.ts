// First load on a phone: the JS needed for `/` stays within budget (compressed), the pages that are not
// the home feed are separate chunks, hashed assets are cached for a year, index.html is revalidated, and
// assets, HTML and API JSON go out compressed (br/gzip). Needs `npm run build:web` (npm test does it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTestContext, type TestContext } from '../../server/test/helpers.ts';
import { FIRST_LOAD_JS_BUDGET, firstLoad } from '../firstload.ts';

const dist = path.resolve('web/dist');
let ctx: TestContext;

before(async () => {
  ctx = await createTestContext({ env: { WEB_DIST: dist } });
});
after(() => ctx.close());

test('the JS for `/` is within 150 KB compressed; admin, chat, forms and other pages load later', () => {
  const load = firstLoad(dist);
  console.log(`first-load JS: ${load.js.length} files, ${load.bytes.raw} B raw, ${load.bytes.gzip} B gzip, ${load.bytes.brotli} B br`);
  assert.ok(load.bytes.gzip <= FIRST_LOAD_JS_BUDGET, `first-load JS is ${load.bytes.gzip} B gzip (budget ${FIRST_LOAD_JS_BUDGET})`);
  assert.ok(load.bytes.brotli > 0 && load.bytes.brotli < load.bytes.gzip);
  for (const page of ['AdminLayout', 'AdminJobsPage', 'ChatRoomPage', 'PostFormPage', 'ReservationDetailPage', 'PostDetailPage', 'SearchPage']) {
    assert.ok(load.lazy.some((f) => path.basename(f).startsWith(`${page}-`)), `${page} is a lazy chunk`);
    assert.ok(!load.js.some((f) => path.basename(f).startsWith(`${page}-`)), `${page} is not in the first load`);
  }
});

test('hashed assets: immutable for a year, sent precompressed (br, gzip) with Vary; a missing asset is 404', async () => {
  const entry = firstLoad(dist).js.find((f) => /^assets\/index-/.test(f))!;
  const file = fs.readFileSync(path.join(dist, entry));
  for (const [encoding, decode] of [['br', zlib.brotliDecompressSync], ['gzip', zlib.gunzipSync]] as const) {
    const res = await ctx.app.inject({ url: `/${entry}`, headers: { 'accept-encoding': encoding } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-encoding'], encoding);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.match(String(res.headers.vary), /accept-encoding/i);
    assert.ok(res.rawPayload.length < file.length / 2);
    assert.ok(decode(res.rawPayload).equals(file), `${encoding} body decodes to the asset`);
  }
  const plain = await ctx.app.inject({ url: `/${entry}` });
  assert.ok(plain.rawPayload.equals(file), 'identity for a client that accepts no encoding');
  const css = await ctx.app.inject({ url: `/${firstLoad(dist).css[0]}`, headers: { 'accept-encoding': 'br' } });
  assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(css.headers['content-encoding'], 'br');

  const missing = await ctx.app.inject({ url: '/assets/index-OLDBUILD.js' });
  assert.equal(missing.statusCode, 404, 'an old chunk name is not answered with index.html');
});

test('index.html (at / and for app routes) is revalidated on every load', async () => {
  for (const url of ['/', '/posts/1', '/admin/jobs']) {
    const res = await ctx.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
  }
});

test('index.html carries its stylesheet inline, allowed by its hash alone; a listing URL preloads its page chunk', async () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<link rel="stylesheet"/, 'no render-blocking stylesheet request');
  const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(css.length, 1);
  assert.ok(css[0].includes('.topbar'), 'the app stylesheet, not a fragment');
  const hash = `'sha256-${crypto.createHash('sha256').update(css[0]).digest('base64')}'`;

  const home = await ctx.app.inject({ url: '/' });
  const csp = String(home.headers['content-security-policy']);
  assert.match(csp, new RegExp(`style-src 'self' ${hash.replace(/[+/]/g, '\\$&')}(;|$)`), csp);
  assert.doesNotMatch(csp, /unsafe-inline/);
  // the body also carries the first paint (web/test/first-paint.test.ts)
  assert.equal(home.body.split('<body>')[0], html.split('<body>')[0], "/'s head is index.html's as built");

  const detail = firstLoad(dist).lazy.find((f) => path.basename(f).startsWith('PostDetailPage-'))!;
  const listing = await ctx.app.inject({ url: '/posts/12?from=feed' });
  assert.ok(listing.body.includes(`<link rel="modulepreload" crossorigin href="/${detail}">`), 'the listing page chunk comes with the entry');
  assert.ok(!home.body.includes(detail), 'the home feed does not fetch the listing page');
  // the API is not an app route: its CSP stays the plain one
  const api = await ctx.app.inject({ url: '/api/v1/categories' });
  assert.doesNotMatch(String(api.headers['content-security-policy']), /sha256/);
});

test('API JSON is compressed for clients that accept it', async () => {
  const plain = await ctx.app.inject({ url: '/api/v1/categories' });
  assert.equal(plain.headers['content-encoding'], undefined);
  for (const encoding of ['br', 'gzip']) {
    const res = await ctx.app.inject({ url: '/api/v1/categories', headers: { 'accept-encoding': encoding } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], encoding);
    const body = encoding === 'br' ? zlib.brotliDecompressSync(res.rawPayload) : zlib.gunzipSync(res.rawPayload);
    assert.deepEqual(JSON.parse(body.toString()), plain.json());
    assert.ok(res.rawPayload.length < plain.rawPayload.length / 2);
  }
});
