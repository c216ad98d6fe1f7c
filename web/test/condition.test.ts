// A condition record with photos at pickup, in a real browser (issue 12 point 4): the borrower ticks the
// category checklist (one problem noted), adds two photos and saves; both sides then see the record and
// its photos, served only to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertReservation } from '../../server/test/factories.ts';
import { catalogIds, createListingViaApi, liveServerAndBrowser, makePng, openLoggedInPage, screenshot } from './support.ts';

const live = liveServerAndBrowser();

test('a condition record with photos at pickup: recorded by the borrower, seen by both parties', async () => {
  const { ctx, baseURL } = live.server;
  const lender = await ctx.signUp('상태기록주인');
  const borrower = await ctx.signUp('상태기록캠퍼');
  const { categoryId, regionId } = await catalogIds(baseURL, '텐트', '마포구');
  const postId = await createListingViaApi(baseURL, lender.cookie, {
    title: '캠핑 타프 세트', content: '타프와 폴대', categoryId, regionIds: [regionId], fee: 9000, deposit: 30000,
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  }, [await makePng()]);
  const reservationId = await insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status: 'PENDING_PICKUP', receiveMethod: 'DIRECT', returnMethod: 'DIRECT' });

  const b = await openLoggedInPage(live.browser, baseURL, borrower.cookie);
  await b.page.goto(`/reservations/${reservationId}`);
  const form = b.page.getByRole('form', { name: '인수할 때 상태 기록' });
  await form.waitFor();
  // the 캠핑 checklist: one item has a problem, with a note
  const torn = form.getByLabel('찢어짐·구멍이 없어요');
  await torn.uncheck();
  await form.getByLabel('찢어짐·구멍이 없어요 문제 설명').fill('모서리에 손톱만 한 구멍');
  await form.locator('input[type=file]').setInputFiles([
    { name: 'front.png', mimeType: 'image/png', buffer: await makePng({ width: 300, height: 200, color: '#286' }) },
    { name: 'corner.png', mimeType: 'image/png', buffer: await makePng({ width: 200, height: 300, color: '#a62' }) },
  ]);
  await form.getByRole('button', { name: '상태 기록 남기기' }).click();

  const recordOn = (page: typeof b.page) => page.locator('[data-testid="condition-record"][data-stage="PICKUP"]');
  await recordOn(b.page).waitFor();
  assert.equal(await form.count(), 0, 'the form is gone once the stage is recorded');
  assert.match(await recordOn(b.page).innerText(), /찢어짐·구멍이 없어요 — 문제 있음 \(모서리에 손톱만 한 구멍\)/);
  const loaded = (page: typeof b.page) =>
    page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="condition-record"] img')];
      return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
  await loaded(b.page);
  await screenshot(b.page, 'condition-record-pickup', true);

  // the lender sees the same record and photos
  const l = await openLoggedInPage(live.browser, baseURL, lender.cookie);
  await l.page.goto(`/reservations/${reservationId}`);
  await recordOn(l.page).waitFor();
  assert.match(await recordOn(l.page).innerText(), /상태기록캠퍼님 기록/);
  await loaded(l.page);
  const src = await recordOn(l.page).locator('img').first().getAttribute('src');
  assert.match(src ?? '', new RegExp(`^/api/v1/reservations/${reservationId}/condition/photos/\\d+$`));

  assert.deepEqual([...b.pageErrors, ...l.pageErrors].map(String), []);
  await Promise.all([b.context.close(), l.context.close()]);
});
