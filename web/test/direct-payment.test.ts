// Direct payment in the browser (issue 12 point 1): the lender saves a payout account on the payment
// step, the borrower sees it with a chat link and presses 송금했어요, the lender sees it and confirms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../server/src/db/sql.ts';
import { insertReservation, makePost } from '../../server/test/factories.ts';
import { dayNextMonth, liveServerAndBrowser, openLoggedInPage, screenshot } from './support.ts';

const live = liveServerAndBrowser();

test('payment → 송금했어요 → the lender confirms receipt', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp('송금테스트대여자');
  const borrower = await ctx.signUp('송금테스트차용자');
  const post = await makePost(ctx.deps.db, lender.id, { title: '캠핑 의자 2개', fee: 5000, deposit: 10000 });
  const id = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'PENDING_PAYMENT',
    startDate: dayNextMonth(10), endDate: dayNextMonth(11), receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
  const room = await fetch(`${live.server.baseURL}/api/v1/chats`, {
    method: 'POST', headers: { cookie: borrower.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ postId: post.id }),
  });
  assert.ok(room.ok, await room.clone().text());
  const roomId = ((await room.json()) as { id: number }).id;

  // the lender saves the account where it is needed
  const l = await openLoggedInPage(live.browser, live.server.baseURL, lender.cookie);
  await l.page.goto(`/reservations/${id}`);
  const form = l.page.getByRole('form', { name: '입금 계좌 등록' });
  await form.getByLabel('은행').fill('국민은행');
  await form.getByLabel('계좌번호').fill('123456-01-234567');
  await form.getByLabel('예금주').fill('김빌려');
  await form.getByRole('button', { name: '계좌 저장' }).click();
  await l.page.getByTestId('my-payout-account').waitFor();

  // the borrower sees it, with the chat, and says the money is sent
  const b = await openLoggedInPage(live.browser, live.server.baseURL, borrower.cookie);
  await b.page.goto(`/reservations/${id}`);
  const account = b.page.getByTestId('payout-account');
  await account.waitFor();
  assert.match(await account.innerText(), /국민은행[\s\S]*123456-01-234567[\s\S]*김빌려/);
  assert.equal(await b.page.getByRole('link', { name: '채팅으로 이야기하기' }).getAttribute('href'), `/chats/${roomId}`);
  await b.page.getByRole('button', { name: '송금했어요' }).click();
  await b.page.getByText('송금했다고 알렸어요').waitFor();
  await screenshot(b.page, 'direct-payment-borrower');

  // the lender is told and confirms receipt
  await l.page.reload();
  await l.page.getByText('송금했다고 알려 왔어요').waitFor();
  await l.page.getByRole('button', { name: '입금 확인 (결제 완료)' }).click();
  await l.page.getByTestId('payment-step').waitFor({ state: 'detached' });
  const log = l.page.getByTestId('status-log');
  await log.getByText('수령 대기').waitFor();
  assert.match(await log.innerText(), /송금했어요/);
  const notes = await ctx.deps.db.query<{ member_id: number; type: string }>(
    sql`SELECT member_id, type FROM notifications WHERE target_type = 'RESERVATION' AND target_id = ${id} ORDER BY id`);
  assert.deepEqual(notes.map((n) => [n.member_id, n.type]), [[lender.id, 'TRANSFER_SENT'], [borrower.id, 'RESERVATION_STATUS'], [lender.id, 'RESERVATION_STATUS']]);
});
