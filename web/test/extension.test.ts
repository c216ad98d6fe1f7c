// A rental extension in a real browser (issue 12 point 3): the borrower of a running rental picks a later
// return date, sees the extra fee and asks; the lender sees the pending request and approves; both then
// see the new return date, and the history records both steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertReservation } from '../../server/test/factories.ts';
import { addDays, koreanDate, seoulDate } from '../src/lib/format.ts';
import { catalogIds, createListingViaApi, liveServerAndBrowser, makePng, openLoggedInPage, screenshot } from './support.ts';

const live = liveServerAndBrowser();

test('extension: the borrower asks with the extra fee shown, the lender approves, the new return date is shown', async () => {
  const { ctx, baseURL } = live.server;
  const browser = live.browser;
  const lender = await ctx.signUp('연장주인');
  const borrower = await ctx.signUp('연장캠퍼');
  const { categoryId, regionId } = await catalogIds(baseURL, '텐트', '마포구');
  const postId = await createListingViaApi(baseURL, lender.cookie, {
    title: '캠핑 타프 연장용', content: '타프와 폴대', categoryId, regionIds: [regionId], fee: 9000, deposit: 30000,
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  }, [await makePng()]);
  // running since two days ago, due back tomorrow (Seoul)
  const today = seoulDate();
  const [start, end, newEnd] = [addDays(today, -2), addDays(today, 1), addDays(today, 4)];
  const reservationId = await insertReservation(ctx.deps.db, {
    postId, borrowerId: borrower.id, status: 'RENTING', startDate: start, endDate: end, receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });

  const b = await openLoggedInPage(browser, baseURL, borrower.cookie);
  await b.page.goto(`/reservations/${reservationId}`);
  const form = b.page.getByRole('form', { name: '대여 연장 요청' });
  await form.waitFor();
  await form.getByLabel('새 반납일').fill(newEnd);
  // 3 more days × 9,000원; 7 days in all
  await b.page.getByTestId('extension-quote').filter({ hasText: '추가 요금 27,000원 · 전체 7일' }).waitFor();
  await form.getByRole('button', { name: '연장 요청' }).click();
  const pending = b.page.locator('[data-testid="extension-current"][data-status="PENDING"]');
  await pending.waitFor();
  assert.match(await pending.innerText(), /빌려주는 분의 답을 기다리고 있어요/);
  assert.equal(await form.count(), 0, 'one pending request at a time: the form is gone');

  const l = await openLoggedInPage(browser, baseURL, lender.cookie);
  await l.page.goto(`/reservations/${reservationId}`);
  const request = l.page.locator('[data-testid="extension-current"][data-status="PENDING"]');
  await request.waitFor();
  assert.match(await request.innerText(), new RegExp(`연장캠퍼님이 반납일을 ${koreanDate(newEnd)}(으로|로) 늦추고 싶어 해요`));
  assert.match(await request.innerText(), /추가 요금 27,000원/);
  await screenshot(l.page, 'extension-pending-lender', true);
  await request.getByRole('button', { name: '연장 승인' }).click();
  await l.page.locator('[data-testid="extension-current"][data-status="APPROVED"]').waitFor();
  await l.page.getByText(`${koreanDate(start)} ~ ${koreanDate(newEnd)} (7일)`).waitFor();

  await b.page.reload();
  await b.page.locator('[data-testid="extension-current"][data-status="APPROVED"]').waitFor();
  await b.page.getByText(`${koreanDate(start)} ~ ${koreanDate(newEnd)} (7일)`).waitFor();
  assert.match(await b.page.getByTestId('status-guide').innerText(), new RegExp(`${koreanDate(newEnd)}까지 대여 중이에요`));
  const history = await b.page.getByTestId('status-log').innerText();
  assert.match(history, /대여 연장 승인/);
  assert.match(history, /대여 연장 요청/);
  await screenshot(b.page, 'extension-approved-borrower', true);

  assert.deepEqual([...b.pageErrors, ...l.pageErrors].map(String), []);
  await Promise.all([b.context.close(), l.context.close()]);
});
