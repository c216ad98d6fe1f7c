// The borrower edits a request while it waits for approval (SPEC §5): the editor opens on the
// request's month with its choices, the price follows every change, a refusal shows the server's
// Korean message, the saved change reaches the lender live, and after approval there is no edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../server/src/db/sql.ts';
import { makePost } from '../../server/test/factories.ts';
import { dayNextMonth, liveServerAndBrowser, openLoggedInPage, screenshot } from './support.ts';

const live = liveServerAndBrowser();

const loggedInPage = (cookie: string) => openLoggedInPage(live.browser, live.server.baseURL, cookie);

test('borrower edits a pending request: new dates and price, live.server refusal shown, no edit after approval', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp('수정테스트대여자');
  const borrower = await ctx.signUp('수정테스트차용자');
  const post = await makePost(ctx.deps.db, lender.id, {
    title: '빔 프로젝터', fee: 10000, deposit: 20000, receiveMethod: 'ANY', returnMethod: 'DIRECT',
    options: [{ name: '스크린', fee: 2000, deposit: 5000 }],
  });
  const res = await fetch(`${live.server.baseURL}/api/v1/reservations`, {
    method: 'POST',
    headers: { cookie: borrower.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({
      postId: post.id, startDate: dayNextMonth(10), endDate: dayNextMonth(11), optionIds: [], receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  const { id } = JSON.parse(text) as { id: number };

  // the lender keeps the request open; it follows the borrower's edit without a reload
  const l = await loggedInPage(lender.cookie);
  await l.page.goto(`/reservations/${id}`);
  await l.page.getByRole('button', { name: '예약 승인' }).waitFor();
  assert.equal(await l.page.getByRole('button', { name: '요청 수정' }).count(), 0); // the lender cannot edit

  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/reservations/${id}`);
  await b.page.getByRole('button', { name: '요청 수정' }).click();
  const editor = b.page.getByRole('form', { name: '예약 요청 수정' });
  // filled with the request, on its month (no need to page the calendar)
  assert.match(await editor.getByTestId('booking-dates').innerText(), /\(2일\)/);
  assert.equal(await editor.getByTestId('price-total').innerText(), '40,000원'); // 10,000 × 2 + 20,000
  assert.match((await editor.locator(`button[data-day="${dayNextMonth(10)}"]`).getAttribute('class')) ?? '', /range-start/);

  // meanwhile the owner blocks a day this page does not know about yet
  await ctx.deps.db.query(sql`INSERT INTO post_blocked_dates (post_id, day) VALUES (${post.id}, ${dayNextMonth(16)})`);
  await editor.locator(`button[data-day="${dayNextMonth(14)}"]`).click();
  await editor.locator(`button[data-day="${dayNextMonth(17)}"]`).click();
  assert.match(await editor.getByTestId('booking-dates').innerText(), /\(4일\)/);
  assert.equal(await editor.getByTestId('price-total').innerText(), '60,000원'); // live: 10,000 × 4 + 20,000
  await editor.getByRole('button', { name: '수정 저장' }).click();
  assert.match(await editor.getByRole('alert').innerText(), /빌려주는 사람이 막아 둔 날짜가 포함되어 있습니다/);
  // and the calendar learns about the blocked day
  await editor.locator(`button.unavailable[data-day="${dayNextMonth(16)}"]`).waitFor();

  // three days before the blocked one, with the option
  await editor.locator(`button[data-day="${dayNextMonth(13)}"]`).click();
  await editor.locator(`button[data-day="${dayNextMonth(15)}"]`).click();
  await editor.getByRole('checkbox', { name: /스크린/ }).check();
  assert.equal(await editor.getByTestId('price-total').innerText(), '61,000원'); // (10,000 + 2,000) × 3 + 20,000 + 5,000
  await screenshot(b.page, 'reservation-edit-phone-form', true);
  await editor.getByRole('button', { name: '수정 저장' }).click();
  await editor.waitFor({ state: 'detached' });
  const deal = b.page.locator('.kv');
  await deal.getByText('(3일)').waitFor();
  assert.match(await deal.innerText(), /스크린/);
  assert.equal(await b.page.getByTestId('price-total').innerText(), '61,000원');
  assert.equal(await b.page.getByTestId('status-badge').first().innerText(), '승인 대기');

  // the lender's open page shows the edited request (notification → refetch), then approves it
  await l.page.locator('.kv').getByText('(3일)').waitFor();
  assert.equal(await l.page.getByTestId('price-total').innerText(), '61,000원');
  await l.page.getByRole('button', { name: '예약 승인' }).click();
  await l.page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === '결제 대기');

  // the borrower's page follows the approval live: no more edit button
  await b.page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === '결제 대기');
  assert.equal(await b.page.getByRole('button', { name: '요청 수정' }).count(), 0);
  await b.page.reload();
  await b.page.getByText('승인되었어요!').waitFor();
  assert.equal(await b.page.getByRole('button', { name: '요청 수정' }).count(), 0);

  assert.deepEqual(b.pageErrors.map(String), []);
  assert.deepEqual(l.pageErrors.map(String), []);
  await Promise.all([b.context.close(), l.context.close()]);
});
