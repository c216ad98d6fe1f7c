// The walking skeleton in a real browser: sign up, list an item with a photo (watching the upload
// progress bar move), find it in the home feed, open its detail page; phone and desktop screenshots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  dayNextMonth, DESKTOP, imagesLoaded, launchBrowser, makePng, openPage, PHONE, screenshot, signUpViaUi, startServer,
  throttleUpload, type TestServer,
} from './support.ts';

let server: TestServer;
let browser: Browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('sign up, list an item with a photo, find it in the feed, open its detail page', async () => {
  const { page, context, pageErrors } = await openPage(browser, server.baseURL, PHONE);
  const title = `캠핑용 4인 돔 텐트 ${Date.now() % 100000}`;
  const blockedDay = dayNextMonth(15);

  // guests are sent to login from the create page; sign up instead
  await page.goto('/posts/new');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/posts/new');
  const account = await signUpViaUi(page);
  await page.getByRole('link', { name: '마이페이지' }).waitFor();

  await page.goto('/posts/new');
  await page.getByRole('heading', { name: '내 물건 빌려주기' }).waitFor();
  await screenshot(page, 'phone-create-empty');

  // two photos: a small picture (the primary) and a large noise image, so the upload takes a while
  await page.getByTestId('image-input').setInputFiles([
    { name: 'tent.png', mimeType: 'image/png', buffer: await makePng() },
    { name: 'big.png', mimeType: 'image/png', buffer: await makePng({ width: 700, height: 500, noise: true }) },
  ]);
  await page.getByRole('button', { name: '대표 사진' }).waitFor();
  assert.equal(await page.locator('.uploader-item').count(), 2);

  await page.getByLabel('제목').fill(title);
  await page.getByLabel('카테고리').selectOption({ label: '텐트' });
  await page.getByLabel('지역 시/도').selectOption({ label: '서울특별시' });
  await page.getByRole('button', { name: '마포구' }).click();
  await page.getByLabel('하루 대여료').fill('15000');
  await page.getByLabel('보증금').fill('50000');
  await page.getByRole('radio', { name: '직거래' }).first().check();
  await page.getByRole('button', { name: '옵션 추가' }).click();
  await page.getByLabel('옵션 1 이름').fill('그라운드시트');
  await page.getByLabel('옵션 1 하루 요금').fill('2000');
  await page.getByLabel('설명').fill('작년에 산 4인용 돔 텐트예요.\n설치가 쉽고 방수도 잘 됩니다.');
  // block a day next month on the calendar
  await page.getByRole('button', { name: '다음 달' }).last().click();
  await page.locator(`button[data-day="${blockedDay}"]`).click();
  assert.equal(await page.locator(`button[data-day="${blockedDay}"]`).getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'phone-create-filled', true);

  // a real upload progress bar: slow the upload down and watch it pass through the middle
  const unthrottle = await throttleUpload(page, 256 * 1024);
  const seen = new Set<number>();
  await page.exposeFunction('__progressSeen', (v: number) => seen.add(v));
  await page.evaluate(() => {
    const w = window as unknown as { __progressSeen: (v: number) => void };
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"]');
      if (bar) w.__progressSeen(Number(bar.getAttribute('aria-valuenow')));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.getByRole('button', { name: /등록하기/ }).click();
  await page.waitForURL(/\/posts\/\d+$/, { timeout: 60_000 });
  await unthrottle();
  const middle = [...seen].filter((v) => v > 0 && v < 100);
  assert.ok(middle.length > 0, `progress bar should show values between 0 and 100, saw ${[...seen].join(',')}`);
  const postId = Number(new URL(page.url()).pathname.split('/').pop());

  // the detail page right after saving
  await page.getByRole('heading', { name: title }).waitFor();
  assert.equal(await imagesLoaded(page, '[data-testid="gallery-image"]'), 2);

  // the home feed shows it with its photo; open it from there
  await page.goto('/');
  const card = page.getByTestId('post-card').filter({ hasText: title });
  await card.waitFor();
  await imagesLoaded(page, '[data-testid="post-card"] img');
  assert.match(await card.innerText(), /15,000원/);
  await screenshot(page, 'phone-home');
  await card.click();
  await page.waitForURL(`**/posts/${postId}`);

  const heading = page.getByRole('heading', { name: title });
  await heading.waitFor();
  const gallery = page.getByTestId('gallery-image');
  assert.equal(await imagesLoaded(page, '[data-testid="gallery-image"]'), 2);
  assert.match((await gallery.first().getAttribute('src')) ?? '', /^\/media\//);
  await page.getByText('그라운드시트').waitFor();
  await page.getByText('서울특별시 마포구').first().waitFor();
  const [, m, d] = blockedDay.split('-').map(Number);
  assert.match(await page.getByTestId('unavailable-summary').innerText(), new RegExp(`${m}/${d}`));
  assert.match(await page.getByTestId('owner-link').innerText(), new RegExp(account.nickname));
  // the owner sees edit/delete, not the favorite button
  await page.getByRole('link', { name: '수정하기' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '찜하기' }).count(), 0);
  await screenshot(page, 'phone-detail');
  await screenshot(page, 'phone-detail-full', true);

  // another member favorites it from a desktop browser
  const desk = await openPage(browser, server.baseURL, DESKTOP);
  await signUpViaUi(desk.page);
  await screenshot(desk.page, 'desktop-home');
  await desk.page.goto(`/posts/${postId}`);
  await desk.page.getByRole('heading', { name: title }).waitFor();
  await imagesLoaded(desk.page, '[data-testid="gallery-image"]');
  await desk.page.getByRole('button', { name: '찜하기' }).click();
  await desk.page.getByRole('button', { name: '찜 해제' }).waitFor();
  await screenshot(desk.page, 'desktop-detail');
  await desk.page.goto('/my?tab=favorites');
  await desk.page.getByTestId('post-card').filter({ hasText: title }).waitFor();
  await desk.page.goto(`/search?q=${encodeURIComponent('돔 텐트')}`);
  await desk.page.getByTestId('post-card').filter({ hasText: title }).waitFor();
  await screenshot(desk.page, 'desktop-search');

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(desk.pageErrors.map(String), []);
  await desk.context.close();
  await context.close();
});
