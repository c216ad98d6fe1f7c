// Security headers on every kind of response, and CSRF: the attack forms a page on the same host
// (another port) could use — text/plain forms, body-less no-cors fetches, multipart forms — all refused,
// with nothing changed; the web client's own requests pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from './helpers.ts';
import { jpeg, multipart, sendPost } from './factories.ts';

let ctx: TestContext;
let secure: TestContext;
let base = '';
let member: { id: number; cookie: string };
let owner: { id: number; cookie: string };
let admin: { id: number; cookie: string };
let postId = 0;
let mediaPath = '';

before(async () => {
  const web = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-web-'));
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>취밋</title>');
  ctx = await createTestContext({ env: { WEB_DIST: web } });
  secure = await createTestContext({ env: { WEB_DIST: web, COOKIE_SECURE: 'true' } });
  member = await ctx.signUp();
  owner = await ctx.signUp();
  admin = await ctx.admin();
  const cats = (await ctx.app.inject({ url: '/api/v1/categories' })).json();
  const regions = (await ctx.app.inject({ url: '/api/v1/regions' })).json();
  const created = await sendPost(ctx.app, {
    cookie: owner.cookie,
    data: {
      title: '캠핑 텐트', content: '4인용', categoryId: cats[0].children[0].id, regionIds: [regions[0].children[0].id],
      fee: 1000, deposit: 0, receiveMethod: 'ANY', returnMethod: 'ANY',
    },
    images: [await jpeg()],
  });
  assert.equal(created.statusCode, 201, created.body);
  postId = created.json().id;
  const detail = (await ctx.app.inject({ url: `/api/v1/posts/${postId}` })).json();
  mediaPath = new URL(detail.images[0].originalUrl, 'http://x').pathname;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await ctx?.close();
  await secure?.close();
});

test('security headers on the web app, the API, errors, /docs and /media; HSTS only with COOKIE_SECURE', async () => {
  const paths = ['/', '/posts/1', '/api/v1/categories', '/api/v1/nothing', '/docs', '/docs/static/index.html', '/openapi.json', mediaPath, '/healthz'];
  for (const url of paths) {
    const res = await ctx.app.inject({ url });
    assert.ok(res.statusCode < 500, `${url} ${res.statusCode}`);
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.match(csp, /frame-ancestors 'none'/, `${url}: ${csp}`);
    assert.match(csp, /default-src 'self'/, url);
    assert.match(csp, /script-src 'self'(;|$)/, `${url}: no inline or foreign scripts`);
    assert.doesNotMatch(csp, /unsafe-eval/, url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
    assert.equal(res.headers['strict-transport-security'], undefined, `${url}: no HSTS over plain HTTP`);
  }
  const app = await ctx.app.inject({ url: '/' });
  assert.doesNotMatch(String(app.headers['content-security-policy']), /unsafe-inline/, 'the web app needs no inline code');
  for (const url of ['/', '/api/v1/categories', '/docs']) {
    const res = await secure.app.inject({ url });
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/, url);
  }
});

const favorited = async () =>
  Number((await ctx.deps.db.one<{ n: string }>('SELECT count(*) AS n FROM favorites WHERE post_id = $1 AND member_id = $2', [postId, member.id]))!.n) > 0;
const unread = async () =>
  Number((await ctx.deps.db.one<{ n: string }>('SELECT count(*) AS n FROM notifications WHERE member_id = $1 AND read_at IS NULL', [member.id]))!.n);
const loggedIn = async (cookie: string) => (await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } })).statusCode === 200;
const postCount = async () => Number((await ctx.deps.db.one<{ n: string }>('SELECT count(*) AS n FROM posts'))!.n);

test('CSRF: the attack forms from another port on the same host are refused and change nothing', async () => {
  await ctx.deps.notifications.insert(ctx.deps.db, { memberId: member.id, type: 'TEST', title: '알림', body: '' });
  const evil = 'http://127.0.0.1:9999';
  const posts = await postCount();
  const send = (url: string, init: RequestInit & { headers?: Record<string, string> }) =>
    fetch(base + url, { ...init, headers: { cookie: member.cookie, ...init.headers } });

  const attacks: [string, Promise<Response>, number][] = [
    // <form enctype="text/plain"> — no Origin check needed to refuse it
    ['text/plain favorite', send(`/api/v1/posts/${postId}/favorite`, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'text/plain' } }), 415],
    ['text/plain favorite from a foreign origin', send(`/api/v1/posts/${postId}/favorite`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'text/plain', origin: evil, 'sec-fetch-site': 'same-site' } }), 403],
    ['urlencoded form', send(`/api/v1/notifications/read-all`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    // fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include'}) — no body, no content type
    ['no-cors read-all', send('/api/v1/notifications/read-all', { method: 'POST', headers: { origin: evil, 'sec-fetch-site': 'same-site' } }), 403],
    ['body-less read-all without proof', send('/api/v1/notifications/read-all', { method: 'POST' }), 403],
    ['body-less logout without proof', send('/api/v1/members/logout', { method: 'POST' }), 403],
    ['no-cors logout', send('/api/v1/members/logout', { method: 'POST', headers: { 'sec-fetch-site': 'same-site' } }), 403],
    ['body-less favorite, text/plain, no body', send(`/api/v1/posts/${postId}/favorite`, { method: 'POST', headers: { 'content-type': 'text/plain' } }), 415],
    // a JSON body from a foreign origin (would need CORS; refused on Origin alone)
    ['JSON from a foreign origin', send(`/api/v1/posts/${postId}/favorite`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', origin: evil } }), 403],
  ];
  // no-cors multipart fetch / <form enctype="multipart/form-data"> creating a listing
  const form = multipart([{ name: 'data', value: '{}' }, { name: 'images', value: await jpeg(), filename: 'a.jpg' }]);
  attacks.push(['multipart from another port', send('/api/v1/posts', { method: 'POST', body: new Blob([new Uint8Array(form.payload)]), headers: { ...form.headers, origin: evil, 'sec-fetch-site': 'same-site' } }), 403]);
  attacks.push(['multipart without Origin or header', send('/api/v1/posts', { method: 'POST', body: new Blob([new Uint8Array(form.payload)]), headers: form.headers }), 403]);
  // body-less admin POSTs with text/plain
  const adminSend = (url: string, headers: Record<string, string>) => fetch(base + url, { method: 'POST', headers: { cookie: admin.cookie, ...headers } });
  attacks.push(['admin ban, text/plain', adminSend(`/api/v1/adm/posts/${postId}/ban`, { 'content-type': 'text/plain' }), 415]);
  attacks.push(['admin unban, no proof', adminSend(`/api/v1/adm/posts/${postId}/unban`, {}), 403]);

  for (const [name, pending, status] of attacks) {
    const res = await pending;
    assert.equal(res.status, status, `${name}: ${await res.clone().text()}`);
    assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/problem+json', name);
    assert.match((await res.json()).detail, /[가-힣]/, name);
  }
  assert.equal(await favorited(), false, 'no favorite was toggled');
  assert.equal(await unread(), 1, 'the notification is still unread');
  assert.ok(await loggedIn(member.cookie), 'the member is still logged in');
  assert.equal(await postCount(), posts, 'no listing was created');
  const banned = await ctx.deps.db.one<{ banned: boolean }>('SELECT banned_at IS NOT NULL AS banned FROM posts WHERE id = $1', [postId]);
  assert.equal(banned?.banned, false, 'the listing was not banned');
});

test('CSRF: what the web client sends passes (JSON, X-Requested-With, same-origin multipart)', async () => {
  const fav = await fetch(`${base}/api/v1/posts/${postId}/favorite`, { method: 'POST', headers: { cookie: member.cookie, 'x-requested-with': 'chwimeet' } });
  assert.equal(fav.status, 200, await fav.text());
  assert.equal(await favorited(), true);
  const json = await fetch(`${base}/api/v1/notifications/read-all`, {
    method: 'POST', headers: { cookie: member.cookie, 'content-type': 'application/json', origin: base, 'sec-fetch-site': 'same-origin' }, body: '{}',
  });
  assert.ok(json.status < 300, await json.text());
  assert.equal(await unread(), 0);
  // a browser form post from our own page (Origin = this host) reaches the handler
  const form = multipart([{ name: 'data', value: '{}' }, { name: 'images', value: await jpeg(), filename: 'a.jpg' }]);
  const same = await fetch(`${base}/api/v1/posts`, {
    method: 'POST', body: new Blob([new Uint8Array(form.payload)]), headers: { ...form.headers, cookie: member.cookie, origin: base, 'sec-fetch-site': 'same-origin' },
  });
  assert.equal(same.status, 400, 'past the CSRF guard, refused by validation');
  assert.equal((await same.json()).code, 'VALIDATION_FAILED');
});
