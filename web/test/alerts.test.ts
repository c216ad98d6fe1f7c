// Alerts and listing controls in a real browser: a search saved with "이 검색 저장" fires a
// notification when another member creates a matching listing (the alerts-match job's pass run by
// the test), and 숨기기 on the listing page takes a listing out of the feed until 다시 보이기.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchQueuedListings } from '../../server/src/modules/alerts/service.ts';
import {
  catalogIds, createListingViaApi, liveServerAndBrowser, makePng, openLoggedInPage, openPage, screenshot,
} from './support.ts';

let watcher: { id: number; cookie: string };
let lender: { id: number; cookie: string };
let listingData: (title: string) => Record<string, unknown>;
let photo: Buffer;

const live = liveServerAndBrowser({}, async (server) => {
  watcher = await server.ctx.signUp();
  lender = await server.ctx.signUp();
  const { categoryId, regionId } = await catalogIds(server.baseURL, '텐트', '마포구');
  photo = await makePng();
  listingData = (title: string) => ({
    title, content: `${title}입니다. 깨끗하게 썼어요.`, categoryId, regionIds: [regionId], fee: 12000, deposit: 30000,
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
});

test('a search saved from the results page notifies its member when another member lists a match', async () => {
  const { page, context, pageErrors } = await openLoggedInPage(live.browser, live.server.baseURL, watcher.cookie);
  await page.goto(`/search?q=${encodeURIComponent('돔텐트')}`);
  await page.getByRole('button', { name: '이 검색 저장' }).click();
  await page.getByRole('button', { name: '알림 저장됨' }).waitFor();
  await page.goto('/alerts');
  await page.getByTestId('saved-alerts').getByText('돔텐트').waitFor();

  const title = '4인용 돔텐트 빌려드려요';
  const id = await createListingViaApi(live.server.baseURL, lender.cookie, listingData(title), [photo]);
  await createListingViaApi(live.server.baseURL, lender.cookie, listingData('무선 전동드릴 대여'), [photo]);
  // the alerts-match job's pass (the scheduler is not started in tests)
  assert.deepEqual(await matchQueuedListings(live.server.ctx.deps), { listings: 2, notified: 1 });

  await page.goto('/notifications');
  const note = page.getByText(`'돔텐트' 키워드 알림: ${title}`);
  await note.waitFor();
  await screenshot(page, 'alerts-notification');
  await note.click();
  await page.waitForURL((url) => url.pathname === `/posts/${id}`);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('숨기기 takes a listing out of the feed; 다시 보이기 brings it back', async () => {
  const title = '숨겨 볼 캠핑 테이블';
  const id = await createListingViaApi(live.server.baseURL, lender.cookie, listingData(title), [photo]);
  const visitor = await openPage(live.browser, live.server.baseURL);
  await visitor.page.goto('/');
  await visitor.page.getByText(title).first().waitFor();

  const owner = await openLoggedInPage(live.browser, live.server.baseURL, lender.cookie);
  await owner.page.goto(`/posts/${id}`);
  await owner.page.getByRole('button', { name: '숨기기' }).click();
  await owner.page.getByTestId('paused-badge').waitFor();
  await screenshot(owner.page, 'listing-paused');

  await visitor.page.reload();
  await visitor.page.getByText('무선 전동드릴 대여').first().waitFor(); // the feed has loaded
  assert.equal(await visitor.page.getByText(title).count(), 0, 'the paused listing is not in the feed');

  await owner.page.getByRole('button', { name: '다시 보이기' }).click();
  await owner.page.getByRole('button', { name: '숨기기' }).waitFor();
  await visitor.page.reload();
  await visitor.page.getByText(title).first().waitFor();
  assert.deepEqual([...visitor.pageErrors, ...owner.pageErrors], []);
  await visitor.context.close();
  await owner.context.close();
});
