// The walking skeleton in a real browser: sign up, list an item with a photo (watching the upload
// progress bar move), find it in the home feed, open its detail page; phone and desktop screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogIds, createListingViaApi, dayNextMonth, DESKTOP, fillListingBasics, imagesLoaded, liveServerAndBrowser, makePng, openPage, PHONE, screenshot, signUpViaUi, throttleUpload,
} from './support.ts';

const live = liveServerAndBrowser();

test('sign up, list an item with a photo, find it in the feed, open its detail page', async () => {
  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  const title = `캠핑용 4인 돔 텐트 ${Date.now() % 100000}`;
  const blockedDay = dayNextMonth(15);

  // guests are sent to login from the create page; sign up instead
  await page.goto('/posts/new');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/posts/new');
  // a refused login shows the server's Korean problem detail
  await page.getByLabel('이메일').fill('nobody@example.com');
  await page.getByLabel('비밀번호').fill('wrong-password');
  await page.getByRole('button', { name: '로그인' }).last().click();
  await page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호가 올바르지 않습니다' }).waitFor();
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

  await fillListingBasics(page, title);
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

  // search on the phone: keyword from the URL, filters folded behind a chip
  await page.goto(`/search?q=${encodeURIComponent('텐트')}&region=${(await catalogIds(live.server.baseURL, '캠핑', '서울특별시')).regionId}`);
  await page.getByTestId('post-card').filter({ hasText: title }).waitFor();
  await page.getByRole('button', { name: /^필터/ }).click();
  await screenshot(page, 'phone-search');

  // another member favorites it from a desktop browser
  const desk = await openPage(live.browser, live.server.baseURL, DESKTOP);
  await signUpViaUi(desk.page);
  await imagesLoaded(desk.page, '[data-testid="post-card"] img');
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

  // the desktop member sets an avatar on the profile tab
  await desk.page.goto('/my?tab=profile');
  await desk.page.getByTestId('avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await makePng({ width: 200, height: 200, color: '#ff6f0f' }) });
  await desk.page.locator('.avatar-edit img.avatar[src^="/media/"]').waitFor();

  // the owner edits the listing on the phone: the form is prefilled; kept photos stay
  await page.goto(`/posts/${postId}`);
  await page.getByRole('link', { name: '수정하기' }).click();
  await page.getByRole('heading', { name: '게시글 수정' }).waitFor();
  assert.equal(await page.getByLabel('제목').inputValue(), title);
  assert.equal(await page.getByLabel('하루 대여료').inputValue(), '15,000');
  assert.equal(await page.locator('.uploader-item').count(), 2);
  await page.getByLabel('제목').fill(`${title} (수정)`);
  await page.getByLabel('하루 대여료').fill('12000');
  await page.getByRole('button', { name: '수정 완료' }).click();
  await page.waitForURL(`**/posts/${postId}`);
  await page.getByRole('heading', { name: `${title} (수정)` }).waitFor();
  assert.equal(await imagesLoaded(page, '[data-testid="gallery-image"]'), 2);
  assert.match(await page.locator('.price-box').innerText(), /12,000원/);

  assert.deepEqual(pageErrors.map(String), []);
  assert.deepEqual(desk.pageErrors.map(String), []);
  await desk.context.close();
  await context.close();
});

test('the home feed loads the next page as you scroll (cursor paging)', async () => {
  const owner = await live.server.ctx.signUp();
  const { categoryId, regionId } = await catalogIds(live.server.baseURL, '전동드릴', '마포구');
  const photo = await makePng({ width: 320, height: 240, color: '#3b6fd8' });
  for (let i = 1; i <= 23; i++) {
    await createListingViaApi(live.server.baseURL, owner.cookie, {
      title: `전동 드릴 세트 ${i}호`, content: '배터리 2개 포함', categoryId, regionIds: [regionId], fee: 3000 + i * 100, deposit: 20000,
      receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
    }, [photo]);
  }
  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  await page.goto('/');
  await page.getByTestId('post-card').filter({ hasText: '전동 드릴 세트 23호' }).waitFor();
  assert.equal(await page.getByTestId('post-card').count(), 20);
  // the oldest drill is on the second page; scrolling brings it in
  const oldest = page.getByTestId('post-card').filter({ hasText: '전동 드릴 세트 1호' });
  for (let i = 0; i < 40 && !(await oldest.count()); i++) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(100);
  }
  await oldest.waitFor();
  assert.ok((await page.getByTestId('post-card').count()) >= 24);
  assert.deepEqual(pageErrors.map(String), []);
  await context.close();
});
