// The rental lifecycle in a real browser: a borrower books dates on a listing (calendar, options,
// live price), the lender approves it in 받은 예약 and confirms the payment, and both see each new
// status (two browser profiles). Then the admin jobs page: schedule, pause/resume, run now, history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { insertReservation, makePost } from '../../server/test/factories.ts';
import { sql } from '../../server/src/db/sql.ts';
import { dayNextMonth, liveServerAndBrowser, openLoggedInPage, screenshot } from './support.ts';

const NEVER = '0 0 1 1 *'; // due once a year: the test only runs jobs by hand
const live = liveServerAndBrowser({}, {
  jobs: {
    workers: true, pollingIntervalSeconds: 1, cronMonitorIntervalSeconds: 1,
    definitions: [
      { name: 'demo-cleanup', description: '오래된 데이터를 정리합니다', cron: '0 4 * * *', run: async () => ({ deleted: 3 }) },
      { name: 'demo-broken', description: '항상 실패하는 작업', cron: NEVER, run: async () => { throw new Error('외부 서비스 응답 없음'); } },
    ],
  },
});

/** A phone browser profile already logged in with the given session cookie. */
const loggedInPage = (cookie: string) => openLoggedInPage(live.browser, live.server.baseURL, cookie);

const badge = (page: Page) => page.getByTestId('status-badge').first();

test('borrower books dates, lender approves and confirms payment, both see the new status', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp('빌려주는이웃');
  const borrower = await ctx.signUp('빌리는이웃');
  const start = dayNextMonth(10);
  const end = dayNextMonth(12);
  const blocked = dayNextMonth(20);
  const post = await makePost(ctx.deps.db, lender.id, {
    title: '감성 캠핑 타프 세트', fee: 12000, deposit: 30000, receiveMethod: 'ANY', returnMethod: 'DIRECT',
    options: [{ name: '캠핑 의자 2개', fee: 3000, deposit: 5000 }], blocked: [blocked],
  });

  // --- borrower: pick dates, an option, see the price, request
  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/posts/${post.id}`);
  await b.page.getByRole('heading', { name: '감성 캠핑 타프 세트' }).waitFor();
  const booking = b.page.locator('#booking');
  await booking.getByRole('button', { name: '다음 달' }).click();
  // an owner-blocked day cannot be picked
  await booking.locator(`button[data-day="${blocked}"]`).click();
  await booking.getByText('예약할 수 없는 날이에요').waitFor();
  assert.match((await booking.locator(`button[data-day="${blocked}"]`).getAttribute('class')) ?? '', /unavailable/);
  // a one-day rental first, then extend it to three days
  await booking.locator(`button[data-day="${start}"]`).click();
  assert.match(await b.page.getByTestId('booking-dates').innerText(), /\(1일\)/);
  await booking.locator(`button[data-day="${end}"]`).click();
  assert.match(await b.page.getByTestId('booking-dates').innerText(), /\(3일\)/);
  assert.equal(await b.page.getByTestId('price-total').innerText(), '66,000원'); // 12,000 × 3 + 30,000
  await booking.getByRole('checkbox').check();
  // (12,000 + 3,000) × 3 + 30,000 + 5,000 — the server's formula
  assert.equal(await b.page.getByTestId('price-total').innerText(), '80,000원');
  // delivery needs an address; direct pickup does not
  await booking.getByRole('radio', { name: '택배' }).check();
  await booking.getByPlaceholder('택배로 받을 주소').waitFor();
  await booking.getByRole('radio', { name: '직거래' }).check();
  assert.equal(await booking.getByPlaceholder('택배로 받을 주소').count(), 0);
  await screenshot(b.page, 'booking-phone-form', true);
  await booking.getByRole('button', { name: '예약 요청' }).click();
  await b.page.getByTestId('booking-done').waitFor();
  await screenshot(b.page, 'booking-phone-done');

  await b.page.getByRole('link', { name: '예약 상세 보기' }).click();
  await b.page.waitForURL(/\/reservations\/\d+$/);
  const reservationId = Number(new URL(b.page.url()).pathname.split('/').pop());
  assert.equal(await badge(b.page).innerText(), '승인 대기');
  await b.page.getByText('빌려주는 분의 승인을 기다리고 있어요.').waitFor();
  // the borrower may only cancel now — never approve their own request
  await b.page.getByRole('button', { name: '예약 취소' }).waitFor();
  assert.equal(await b.page.getByRole('button', { name: '예약 승인' }).count(), 0);

  // --- lender: sees the request on the listing and in 받은 예약, approves it
  const l = await loggedInPage(lender.cookie);
  await l.page.goto(`/posts/${post.id}`);
  await l.page.getByTestId('owner-reservations').getByText('승인 대기 1').waitFor();
  await l.page.goto('/my');
  await l.page.getByRole('link', { name: '받은 예약' }).click();
  await l.page.waitForURL((u) => u.pathname === '/reservations' && u.searchParams.get('tab') === 'received');
  const card = l.page.locator(`[data-testid="reservation-card"][data-id="${reservationId}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /승인 대기/);
  assert.match(await card.innerText(), /빌리는이웃/);
  await l.page.getByRole('button', { name: /승인 대기 1/ }).waitFor(); // status filter with its count
  await screenshot(l.page, 'booking-phone-received');
  await card.click();
  await l.page.waitForURL(`**/reservations/${reservationId}`);
  await l.page.getByRole('button', { name: '거절' }).waitFor();
  // rejecting needs a reason: the form opens instead of rejecting at once
  await l.page.getByRole('button', { name: '거절' }).click();
  await l.page.getByRole('button', { name: '거절 확정' }).waitFor();
  assert.equal(await l.page.getByRole('button', { name: '거절 확정' }).isDisabled(), true);
  await l.page.getByRole('button', { name: '닫기' }).click();
  await l.page.getByRole('button', { name: '예약 승인' }).click();
  await l.page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === '결제 대기');
  // direct payment: the lender confirms receipt of the money
  await l.page.getByRole('button', { name: '입금 확인 (결제 완료)' }).waitFor();
  assert.match(await l.page.getByTestId('status-log').innerText(), /결제 대기[\s\S]*빌려주는이웃 \(빌려주는 분\)[\s\S]*승인 대기/);
  await screenshot(l.page, 'booking-phone-lender-approved', true);

  // --- borrower: sees the approval and is told to pay; no confirm button for them
  await b.page.reload();
  await b.page.getByText('승인되었어요!').waitFor();
  assert.equal(await badge(b.page).innerText(), '결제 대기');
  assert.equal(await b.page.getByRole('button', { name: '입금 확인 (결제 완료)' }).count(), 0);
  await screenshot(b.page, 'booking-phone-borrower-approved', true);

  // --- lender confirms the payment → 수령 대기 for both
  await l.page.getByRole('button', { name: '입금 확인 (결제 완료)' }).click();
  await l.page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent === '수령 대기');
  await b.page.goto('/reservations');
  const sent = b.page.locator(`[data-testid="reservation-card"][data-id="${reservationId}"]`);
  await sent.waitFor();
  assert.match(await sent.innerText(), /수령 대기/);
  await b.page.getByRole('button', { name: /수령 대기 1/ }).waitFor();
  await screenshot(b.page, 'booking-phone-sent');

  // the dates are now taken on the listing's calendar
  await b.page.goto(`/posts/${post.id}`);
  await b.page.locator('#booking').getByRole('button', { name: '다음 달' }).click();
  assert.match((await b.page.locator(`#booking button[data-day="${start}"]`).getAttribute('class')) ?? '', /unavailable/);

  assert.deepEqual(b.pageErrors.map(String), []);
  assert.deepEqual(l.pageErrors.map(String), []);
  await b.context.close();
  await l.context.close();
});

test('a weekly price shows as "1주 요금 + 2일" before booking, with the policy; 바로 예약 is approved at once', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp('바로빌려줌');
  const borrower = await ctx.signUp('바로빌림');
  const post = await makePost(ctx.deps.db, lender.id, {
    title: '빔프로젝터 주간 대여', fee: 10000, deposit: 20000, weeklyFee: 50000, instantBooking: true, cancellationPolicy: 'moderate',
  });
  const start = dayNextMonth(3);
  const end = dayNextMonth(11); // 9 days: one week + 2 days is the cheapest

  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/posts/${post.id}`);
  await b.page.getByRole('heading', { name: '빔프로젝터 주간 대여' }).waitFor();
  assert.match(await b.page.getByTestId('weekly-fee').innerText(), /1주 \(7일\)\s*50,000원/);
  const booking = b.page.locator('#booking');
  await booking.getByTestId('instant-badge').waitFor();
  assert.match(await booking.getByTestId('cancellation-policy').innerText(), /취소 정책: 보통[\s\S]*시작 5일 전까지 취소: 대여료 전액 환불/);
  await booking.getByRole('button', { name: '다음 달' }).click();
  await booking.locator(`button[data-day="${start}"]`).click();
  await booking.locator(`button[data-day="${end}"]`).click();
  assert.match(await b.page.getByTestId('booking-dates').innerText(), /\(9일\)/);
  assert.equal(await b.page.getByTestId('price-units').innerText(), '9일 = 1주 요금 + 2일 (가장 싼 조합)');
  const table = await b.page.getByTestId('price-table').innerText();
  assert.match(table, /1주 요금 50,000원 × 1\s*50,000원/);
  assert.match(table, /하루 요금 10,000원 × 2일\s*20,000원/);
  assert.equal(await b.page.getByTestId('price-total').innerText(), '90,000원'); // 50,000 + 2 × 10,000 + 20,000
  await screenshot(b.page, 'booking-instant-weekly', true);

  await booking.getByRole('button', { name: '바로 예약' }).click();
  const done = b.page.getByTestId('booking-done');
  await done.getByText('바로 예약되었어요').waitFor();
  const row = await ctx.deps.db.one<{ id: number; status: string; rental_fee: number; weeks: number }>(
    sql`SELECT id, status, rental_fee, weeks FROM reservations WHERE post_id = ${post.id}`,
  );
  assert.deepEqual({ status: row?.status, rental_fee: row?.rental_fee, weeks: row?.weeks }, { status: 'PENDING_PAYMENT', rental_fee: 70000, weeks: 1 });
  await done.getByRole('link', { name: '예약 상세 보기' }).click();
  await badge(b.page).getByText('결제 대기').waitFor();
  await b.context.close();
});

test('admin jobs page: change a schedule, pause and resume, run now and read the history', async () => {
  const { ctx } = live.server;
  // members who are not admins are turned away
  const member = await ctx.signUp();
  const m = await loggedInPage(member.cookie);
  await m.page.goto('/admin/jobs');
  await m.page.getByText('권한이 없어요').waitFor();
  await m.context.close();

  const admin = await ctx.admin();
  const a = await loggedInPage(admin.cookie);
  await a.page.goto('/my');
  await a.page.getByRole('link', { name: '관리자' }).click();
  await a.page.waitForURL('**/admin/reports');
  await a.page.getByRole('link', { name: '예약 작업' }).click();
  const cleanup = a.page.locator('[data-job="demo-cleanup"]');
  const broken = a.page.locator('[data-job="demo-broken"]');
  await cleanup.waitFor();
  assert.equal(await cleanup.getByTestId('job-cron').innerText(), '0 4 * * *');

  // schedule change
  await cleanup.getByRole('button', { name: '주기 변경' }).click();
  await cleanup.getByLabel('demo-cleanup 실행 주기 (cron)').fill('*/30 * * * *');
  await cleanup.getByRole('button', { name: '저장' }).click();
  await cleanup.getByTestId('job-cron').filter({ hasText: '*/30 * * * *' }).waitFor();
  // an invalid cron is refused with the server's message
  await cleanup.getByRole('button', { name: '주기 변경' }).click();
  await cleanup.getByLabel('demo-cleanup 실행 주기 (cron)').fill('매일 새벽');
  await cleanup.getByRole('button', { name: '저장' }).click();
  await cleanup.getByRole('alert').waitFor();
  await cleanup.getByRole('button', { name: '취소' }).click();

  // pause / resume
  await cleanup.getByRole('button', { name: '일시정지' }).click();
  await cleanup.getByText('일시정지됨').waitFor();
  await cleanup.getByRole('button', { name: '재개' }).click();
  await cleanup.getByText('동작 중').waitFor();

  // run now: one success, one failure with its error in the history
  await cleanup.getByRole('button', { name: '지금 실행' }).click();
  await broken.getByRole('button', { name: '지금 실행' }).click();
  await waitForOutcome(cleanup, '성공');
  await waitForOutcome(broken, '실패');
  await broken.getByText('외부 서비스 응답 없음').first().waitFor();
  await screenshot(a.page, 'admin-phone-jobs', true);

  // the other admin pages render for an admin
  await a.page.getByRole('link', { name: '카테고리·지역' }).click();
  await a.page.getByTestId('tree-node').first().waitFor();
  await screenshot(a.page, 'admin-phone-catalog');
  // deleting a category still in use is refused with the server's message
  const camping = a.page.locator('[data-testid="tree-node"][data-name="캠핑"]');
  await camping.getByRole('button', { name: '캠핑 삭제' }).click();
  await camping.getByRole('button', { name: '삭제 확인' }).click();
  assert.match(await camping.getByRole('alert').innerText(), /삭제할 수 없습니다/);
  await a.page.getByText('캠핑', { exact: true }).first().waitFor();

  assert.deepEqual(a.pageErrors.map(String), []);
  await a.context.close();
});

test('borrower reviews a returned rental, lender replies, a report reaches the admin who bans and unbans', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp('캠핑고수');
  const borrower = await ctx.signUp('주말캠퍼');
  const post = await makePost(ctx.deps.db, lender.id, { title: '원터치 그늘막 텐트', fee: 8000, deposit: 20000 });
  const reservationId = await insertReservation(ctx.deps.db, {
    postId: post.id, borrowerId: borrower.id, lenderId: lender.id, status: 'RETURN_COMPLETED', startDate: '2025-05-03', endDate: '2025-05-04',
  });

  // --- borrower writes the review (three scores + comment)
  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/reservations/${reservationId}`);
  const form = b.page.getByRole('form', { name: '후기 작성' });
  await form.waitFor();
  assert.equal(await form.getByRole('button', { name: '후기 등록' }).isDisabled(), true);
  await form.getByRole('radio', { name: '장비 상태 5점' }).click();
  await form.getByRole('radio', { name: '친절도 4점' }).click();
  await form.getByRole('radio', { name: '응답 속도 5점' }).click();
  await form.getByLabel('후기').fill('텐트가 깨끗하고 설치도 쉬웠어요. 친절하게 설명해 주셨어요.');
  await screenshot(b.page, 'review-phone-form', true);
  await form.getByRole('button', { name: '후기 등록' }).click();
  await b.page.getByTestId('review-item').getByText('텐트가 깨끗하고').waitFor();
  assert.equal(await b.page.getByRole('form', { name: '후기 작성' }).count(), 0);

  // --- reviews both ways, written blind: the lender sees only that a review arrived, writes theirs
  // about the borrower, and then sees the borrower's review and replies once, from the reservation
  const l = await loggedInPage(lender.cookie);
  await l.page.goto(`/reservations/${reservationId}`);
  await l.page.getByTestId('review-sealed').waitFor();
  assert.equal(await l.page.getByText('텐트가 깨끗하고').count(), 0, 'sealed until the lender writes theirs');
  const lenderForm = l.page.getByRole('form', { name: '후기 작성' });
  await lenderForm.getByRole('radio', { name: '물건 관리 5점' }).click();
  await lenderForm.getByRole('radio', { name: '시간 약속 5점' }).click();
  await lenderForm.getByRole('radio', { name: '소통 4점' }).click();
  await lenderForm.getByLabel('후기').fill('깨끗하게 쓰고 제시간에 돌려주셨어요.');
  await lenderForm.getByRole('button', { name: '후기 등록' }).click();
  await l.page.getByTestId('review-item').getByText('텐트가 깨끗하고').waitFor();
  await l.page.getByTestId('borrower-review-item').getByText('제시간에 돌려주셨어요').waitFor();
  await l.page.getByRole('button', { name: '답글 달기' }).click();
  await l.page.getByLabel('답글 (한 번만 쓸 수 있어요)').fill('깨끗하게 써 주셔서 감사해요!');
  await l.page.getByRole('button', { name: '답글 등록' }).click();
  await l.page.getByText('깨끗하게 써 주셔서 감사해요!').waitFor();
  assert.equal(await l.page.getByRole('button', { name: '답글 달기' }).count(), 0);

  // --- the listing shows the summary and the review with its reply; the borrower reports the listing
  await b.page.goto(`/posts/${post.id}`);
  const reviews = b.page.getByTestId('reviews');
  await reviews.getByText('깨끗하게 써 주셔서 감사해요!').waitFor();
  assert.match(await reviews.innerText(), /4\.7/); // (5 + 4 + 5) / 3
  await b.page.locator('.detail-report').getByRole('button', { name: '신고' }).click();
  const dialog = b.page.getByRole('dialog', { name: '게시글 신고' });
  await dialog.getByText('사기 의심').click();
  await dialog.getByLabel('상세 내용 (선택)').fill('보증금만 받고 연락이 끊긴다는 후기가 있어요');
  await screenshot(b.page, 'report-phone-dialog');
  await dialog.getByRole('button', { name: '신고하기' }).click();
  await dialog.getByText('신고가 접수되었어요.').waitFor();
  await dialog.getByRole('button', { name: '확인' }).click();
  // a second report on the same listing is refused with the server's message
  await b.page.locator('.detail-report').getByRole('button', { name: '신고' }).click();
  await dialog.getByText('사기 의심').click();
  await dialog.getByRole('button', { name: '신고하기' }).click();
  await dialog.getByRole('alert').waitFor();
  await dialog.getByRole('button', { name: '취소' }).click();
  await screenshot(b.page, 'review-phone-listing', true);

  // the lender's public profile lists the review received
  await b.page.goto(`/members/${lender.id}`);
  await b.page.getByTestId('reviews').getByTestId('review-item').getByText('텐트가 깨끗하고').waitFor();
  await b.page.getByRole('button', { name: '신고' }).first().waitFor();

  // --- admin: the report with its counts, ban the listing, then unban it from the bans list
  const admin = await ctx.admin();
  const a = await loggedInPage(admin.cookie);
  await a.page.goto('/admin/reports');
  const report = a.page.getByTestId('admin-report').filter({ hasText: '원터치 그늘막 텐트' });
  await report.waitFor();
  assert.match(await report.innerText(), /사기 의심/);
  assert.match(await report.innerText(), /신고 1건/);
  await screenshot(a.page, 'admin-phone-reports');
  await report.getByRole('button', { name: '게시글 제한' }).click();
  await report.getByLabel('제한 사유').fill('사기 의심 신고 확인');
  await report.getByRole('button', { name: '제한', exact: true }).click();
  await report.waitFor({ state: 'detached' }); // resolved: no longer pending
  await a.page.getByRole('link', { name: '제한 목록' }).click();
  const ban = a.page.getByTestId('admin-ban').filter({ hasText: '원터치 그늘막 텐트' });
  await ban.waitFor();
  assert.match(await ban.innerText(), /사기 의심 신고 확인/);
  // banned listings cannot be opened (or booked) by anyone but admins
  await b.page.goto(`/posts/${post.id}`);
  await b.page.getByText('게시글을 찾을 수 없어요').waitFor();
  await ban.getByRole('button', { name: '제한 해제' }).click();
  await ban.waitFor({ state: 'detached' });
  await b.page.goto(`/posts/${post.id}`);
  await b.page.getByRole('heading', { name: '원터치 그늘막 텐트' }).waitFor();

  assert.deepEqual(b.pageErrors.map(String), []);
  assert.deepEqual(l.pageErrors.map(String), []);
  assert.deepEqual(a.pageErrors.map(String), []);
  await Promise.all([b.context.close(), l.context.close(), a.context.close()]);
});

/** Refreshes a job's history until a finished run with that outcome shows up. */
async function waitForOutcome(card: ReturnType<Page['locator']>, label: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runs = card.getByTestId('job-run').filter({ hasText: label });
    if (await runs.count()) return;
    if (Date.now() > deadline) throw new Error(`no ${label} run appeared`);
    await card.getByRole('button', { name: /새로고침/ }).click();
    await card.page().waitForTimeout(500);
  }
}
