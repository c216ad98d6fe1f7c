// Browser: what a user sees when the server answers 503 (issue 9 point 9) — the database or Redis down
// (the server's problem+json with its Korean detail and Retry-After), or a maintenance page in front of
// the app (a proxy's HTML 503, or a problem without detail: the web app's own Korean 503 message,
// web/src/api/client.ts). The answer is made by Playwright's page.route for one API call; nothing the
// user typed is lost, and the same action succeeds once the server is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { fillListingBasics, liveServerAndBrowser, makePng, openLoggedInPage, openPage } from './support.ts';
import { toAppError } from '../../server/src/http/errors.ts';
import { insertListings } from '../../server/test/factories.ts';

const live = liveServerAndBrowser();

/** the web app's message for a 503 that carries no Korean detail */
const UNAVAILABLE = '서비스를 잠시 사용할 수 없습니다. 잠시 후 다시 시도해 주세요';

/** The problem the server sends when PostgreSQL is unreachable (its own mapping of the driver's error). */
function databaseDownProblem(instance: string) {
  const err = toAppError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
  assert.ok(err && err.status === 503, 'premise: the server maps a refused database connection to 503');
  return {
    headers: { 'retry-after': String(err.extra.retryAfterSeconds) },
    body: { type: 'about:blank', title: 'Service Unavailable', status: 503, code: err.code, detail: err.detail, instance, ...err.extra },
  };
}

/** Answers `method` requests to `url` with `answer` while down; counts them. Others go to the server. */
async function outage(page: Page, url: string, method: string, answer: (route: Route) => Promise<void>) {
  const state = { down: true, hits: 0 };
  await page.route(url, async (route) => {
    if (!state.down || route.request().method() !== method) return route.fallback();
    state.hits++;
    await answer(route);
  });
  return state;
}

test('login while the database is down: the server\'s Korean detail, the form keeps its input, and the retry logs in', async () => {
  const member = await live.server.ctx.signUp();
  const { page, pageErrors } = await openPage(live.browser, live.server.baseURL);
  const problem = databaseDownProblem('/api/v1/members/login');
  const db = await outage(page, '**/api/v1/members/login', 'POST', (route) =>
    route.fulfill({ status: 503, contentType: 'application/problem+json', headers: problem.headers, body: JSON.stringify(problem.body) }));

  await page.goto('/login');
  await page.getByLabel('이메일').fill(member.email);
  await page.getByLabel('비밀번호').fill(member.password);
  await page.getByRole('button', { name: '로그인' }).last().click();
  const alert = page.getByRole('alert').filter({ hasText: problem.body.detail });
  await alert.waitFor();
  assert.equal(problem.body.detail, '데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주세요');
  assert.equal(db.hits, 1);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByLabel('이메일').inputValue(), member.email);
  assert.equal(await page.getByLabel('비밀번호').inputValue(), member.password);

  db.down = false;
  await page.getByRole('button', { name: '로그인' }).last().click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('link', { name: '마이페이지' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a new listing during maintenance (a proxy\'s HTML 503): the Korean 503 message, nothing typed or chosen is lost, and it saves after', async () => {
  const member = await live.server.ctx.signUp();
  const { page, pageErrors } = await openLoggedInPage(live.browser, live.server.baseURL, member.cookie);
  const maintenance = await outage(page, '**/api/v1/posts', 'POST', (route) =>
    route.fulfill({ status: 503, contentType: 'text/html', body: '<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>' }));
  const title = `점검 중에 쓴 텐트 ${Date.now() % 100000}`;
  const description = '점검 중에 작성한 설명입니다.\n사라지면 안 돼요.';

  await page.goto('/posts/new');
  await page.getByRole('heading', { name: '내 물건 빌려주기' }).waitFor();
  await page.getByTestId('image-input').setInputFiles([{ name: 'tent.png', mimeType: 'image/png', buffer: await makePng() }]);
  await page.getByRole('button', { name: '대표 사진' }).waitFor();
  await fillListingBasics(page, title);
  await page.getByLabel('설명').fill(description);
  await page.getByRole('button', { name: /등록하기/ }).click();

  const error = page.locator('.form-error[role="alert"]');
  await error.waitFor();
  assert.equal((await error.textContent())?.trim(), UNAVAILABLE);
  assert.equal(maintenance.hits, 1);
  assert.equal(new URL(page.url()).pathname, '/posts/new');
  assert.equal(await page.getByLabel('제목').inputValue(), title);
  assert.equal(await page.getByLabel('설명').inputValue(), description);
  assert.equal(await page.getByLabel('하루 대여료').inputValue(), '15,000');
  assert.equal(await page.getByLabel('보증금').inputValue(), '50,000');
  assert.equal(await page.getByLabel('카테고리').locator('option:checked').textContent(), '텐트');
  assert.equal(await page.locator('.uploader-item').count(), 1, 'the photo is still attached');

  maintenance.down = false;
  await page.getByRole('button', { name: /등록하기/ }).click();
  await page.waitForURL(/\/posts\/\d+$/, { timeout: 60_000 });
  await page.getByRole('heading', { name: title }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('search while unavailable (a 503 problem without detail): the Korean 503 message, the query kept, 다시 시도 finds results', async () => {
  const member = await live.server.ctx.signUp();
  const title = `점검 뒤에 찾은 텐트 ${Date.now() % 100000}`;
  await insertListings(live.server.ctx.deps.db, [{ title, content: '검색 장애 시험용 텐트', category: '텐트', authorId: member.id }]);
  const { page, pageErrors } = await openPage(live.browser, live.server.baseURL);
  const down = await outage(page, '**/api/v1/search?**', 'GET', (route) =>
    route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) }));

  await page.goto('/search?q=%ED%85%90%ED%8A%B8'); // 텐트
  const box = page.locator('.error-box[role="alert"]');
  await box.waitFor();
  assert.equal((await box.locator('p').textContent())?.trim(), UNAVAILABLE);
  assert.ok(down.hits >= 1);
  assert.equal(await page.getByLabel('검색어').inputValue(), '텐트');

  down.down = false;
  await box.getByRole('button', { name: '다시 시도' }).click();
  await page.locator('[data-testid="post-card"]').filter({ hasText: title }).waitFor();
  assert.equal(await box.count(), 0);
  assert.equal(await page.getByLabel('검색어').inputValue(), '텐트');
  assert.deepEqual(pageErrors, []);
});
