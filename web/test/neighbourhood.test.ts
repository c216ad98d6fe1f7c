// Browser: 동네 by "현재 위치로 인증" (Chromium's emulated geolocation), distances on the home feed,
// widening the range, a refused permission explained in Korean, and a block that makes a member's
// listings disappear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogIds, createListingViaApi, liveServerAndBrowser, makePng, openLoggedInPage, openPage, screenshot,
} from './support.ts';

const live = liveServerAndBrowser();

const MANGWON = { latitude: 37.5522, longitude: 126.8988 }; // 망원1동
const HOODS = { 망원1동: '1144069000', 서교동: '1144066000', 성수1가1동: '1120065000' };

async function memberAt(code: string) {
  const m = await live.server.ctx.signUp();
  const res = await live.server.ctx.app.inject({ method: 'PUT', url: '/api/v1/members/me/neighbourhoods', headers: { cookie: m.cookie }, payload: { codes: [code] } });
  assert.equal(res.statusCode, 200, res.body);
  return m;
}

test('현재 위치로 인증 → near feed with distances → wider range → block hides a member’s listings', async () => {
  const { categoryId, regionId } = await catalogIds(live.server.baseURL, '텐트', '마포구');
  const png = await makePng();
  const listing = (title: string) => ({ title, content: '동네 이웃에게 빌려드려요', categoryId, regionIds: [regionId], fee: 5000, deposit: 10000, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' });
  const near = await memberAt(HOODS.서교동); // ~2 km from 망원
  const far = await memberAt(HOODS.성수1가1동); // ~13 km from 망원
  await createListingViaApi(live.server.baseURL, near.cookie, listing('서교동 캠핑 의자'), [png]);
  await createListingViaApi(live.server.baseURL, near.cookie, listing('서교동 2인용 텐트'), [png]);
  await createListingViaApi(live.server.baseURL, far.cookie, listing('성수동 대형 텐트'), [png]);

  const me = await live.server.ctx.signUp();
  const { context, page, pageErrors } = await openLoggedInPage(live.browser, live.server.baseURL, me.cookie);
  await context.grantPermissions(['geolocation'], { origin: live.server.baseURL });
  await context.setGeolocation(MANGWON);

  await page.goto('/my/neighbourhoods');
  await page.getByText('아직 동네를 정하지 않았어요').waitFor();
  await page.getByRole('button', { name: '현재 위치로 인증' }).click();
  await page.getByText('망원1동 동네 인증을 마쳤어요').waitFor();
  const mine = page.getByTestId('my-hoods');
  await mine.getByText('망원1동', { exact: true }).waitFor();
  await mine.getByText('인증', { exact: true }).waitFor();

  // home: 근처 동네 within 3 km, each card with its 동 and distance
  await page.goto('/');
  await page.getByRole('heading', { name: /근처 동네 · 망원1동 3km/ }).waitFor();
  const cards = page.getByTestId('post-card');
  await cards.filter({ hasText: '서교동 캠핑 의자' }).waitFor();
  assert.equal(await cards.filter({ hasText: '성수동 대형 텐트' }).count(), 0);
  const distance = await cards.filter({ hasText: '서교동 2인용 텐트' }).getByTestId('distance').textContent();
  assert.match(distance ?? '', /· [12]\.\dkm/);
  await screenshot(page, 'neighbourhood-feed');

  // widen the range: the 성수 listing appears with its (whole-km) distance
  await page.getByRole('button', { name: '20km' }).click();
  await page.getByRole('heading', { name: /근처 동네 · 망원1동 20km/ }).waitFor();
  const farCard = cards.filter({ hasText: '성수동 대형 텐트' });
  await farCard.waitFor();
  assert.match((await farCard.getByTestId('distance').textContent()) ?? '', /· 1\dkm/);

  // block the 서교동 neighbour from their profile: their listings disappear from the feed
  await cards.filter({ hasText: '서교동 캠핑 의자' }).click();
  await page.getByTestId('owner-link').click();
  await page.waitForURL(`**/members/${near.id}`);
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('block-button').click();
  await page.getByRole('button', { name: '차단 해제' }).waitFor();
  await page.goto('/?radius=20');
  await farCard.waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('서교동 캠핑 의자'));
  assert.equal(await cards.filter({ hasText: '서교동' }).count(), 0);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('a refused location permission is explained in Korean; visitors get a region picker', async () => {
  const me = await live.server.ctx.signUp();
  const { context, page } = await openLoggedInPage(live.browser, live.server.baseURL, me.cookie);
  // Chromium grants the listed permissions for the origin and rejects all others: geolocation is denied
  await context.grantPermissions(['clipboard-read'], { origin: live.server.baseURL });
  await page.goto('/my/neighbourhoods');
  await page.getByRole('button', { name: '현재 위치로 인증' }).click();
  await page.getByRole('alert').filter({ hasText: '위치 권한이 거부되어' }).waitFor();
  assert.equal((await live.server.ctx.deps.db.query('SELECT 1 FROM member_neighbourhoods WHERE member_id = $1', [me.id])).length, 0);
  await context.close();

  const guest = await openPage(live.browser, live.server.baseURL);
  await guest.page.goto('/');
  await guest.page.getByRole('combobox', { name: '시·도' }).selectOption({ label: '서울특별시' });
  await guest.page.getByRole('combobox', { name: '시·군·구' }).selectOption({ label: '성동구' });
  await guest.page.getByTestId('post-card').filter({ hasText: '성수동 대형 텐트' }).waitFor();
  await guest.page.waitForFunction(() => !document.body.innerText.includes('서교동 2인용 텐트'));
  await guest.context.close();
});
