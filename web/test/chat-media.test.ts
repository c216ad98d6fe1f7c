// Chat photos and 약속 in a real browser (issue 12 point 2): the borrower sends a photo and proposes a
// meeting; the lender sees the photo load and the card arrive live, accepts it, and the borrower's card
// turns into a confirmed 약속. A message with a phone number shows the gentle warning on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogIds, createListingViaApi, liveServerAndBrowser, makePng, openLoggedInPage, screenshot } from './support.ts';

const live = liveServerAndBrowser();

/** 'YYYY-MM-DDTHH:mm' in Seoul, `days` from now at 15:00 (what a datetime-local input takes) */
function seoulWallClock(days: number): string {
  const day = new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' });
  return `${day}T15:00`;
}

test('a chat photo is sent and seen by the other side; a 약속 is proposed and accepted', async () => {
  const { ctx, baseURL } = live.server;
  const lender = await ctx.signUp('사진텐트주인');
  const borrower = await ctx.signUp('사진캠퍼');
  const { categoryId, regionId } = await catalogIds(baseURL, '텐트', '마포구');
  const postId = await createListingViaApi(baseURL, lender.cookie, {
    title: '원터치 그늘막 텐트', content: '해변용', categoryId, regionIds: [regionId], fee: 8000, deposit: 20000,
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  }, [await makePng()]);
  const opened = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  const roomId: number = opened.json().id;

  const b = await openLoggedInPage(live.browser, baseURL, borrower.cookie);
  const l = await openLoggedInPage(live.browser, baseURL, lender.cookie);
  await Promise.all([b.page.goto(`/chats/${roomId}`), l.page.goto(`/chats/${roomId}`)]);
  await Promise.all([b.page.getByTestId('chat-room').waitFor(), l.page.getByTestId('chat-room').waitFor()]);

  // --- a photo: picked from the composer, shown to the sender, and loaded on the lender's screen live
  await b.page.getByTestId('chat-photo-input').setInputFiles({ name: 'tent.png', mimeType: 'image/png', buffer: await makePng({ width: 320, height: 240, color: '#2a8' }) });
  const photoOnLender = l.page.locator('[data-testid="chat-message"][data-kind="PHOTO"] img');
  await photoOnLender.waitFor();
  await l.page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-kind="PHOTO"] img');
    return !!img && img.complete && img.naturalWidth === 320;
  });
  assert.match((await photoOnLender.getAttribute('src')) ?? '', new RegExp(`^/api/v1/chats/${roomId}/photos/\\d+$`));
  await b.page.locator('[data-testid="chat-message"][data-kind="PHOTO"] img').waitFor();

  // --- a 약속: time, place and one of my 동네 (none set: left out), proposed by the borrower
  await b.page.getByRole('button', { name: '약속' }).click();
  const form = b.page.getByRole('form', { name: '약속 잡기' });
  await form.getByLabel('언제').fill(seoulWallClock(2));
  await form.getByLabel('어디서').fill('망원한강공원 주차장 입구');
  await form.getByRole('button', { name: '약속 제안하기' }).click();
  await b.page.getByTestId('chat-appointment').filter({ hasText: '망원한강공원 주차장 입구' }).waitFor();
  assert.equal(await form.count(), 0);

  // the lender sees the card live and accepts it
  const cardOnLender = l.page.getByTestId('chat-appointment').filter({ hasText: '망원한강공원 주차장 입구' }).first();
  await cardOnLender.waitFor();
  assert.match(await cardOnLender.innerText(), /오후 3:00/);
  await screenshot(l.page, 'chat-appointment-proposed');
  await cardOnLender.getByRole('button', { name: '약속 수락하기' }).click();
  // both sides: every card of this 약속 shows it confirmed, and nobody can accept it again
  for (const page of [l.page, b.page]) {
    await page.locator('[data-testid="chat-appointment"][data-status="ACCEPTED"]').filter({ hasText: '약속을 수락했어요' }).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chat-appointment"]')].every((c) => c.getAttribute('data-status') === 'ACCEPTED'));
    assert.equal(await page.getByRole('button', { name: '약속 수락하기' }).count(), 0);
  }
  await screenshot(b.page, 'chat-appointment-accepted');

  // --- a phone number in a message: delivered, with the gentle warning beside it on both sides
  await b.page.getByLabel('메시지').fill('급하면 010-2345-6789 로 전화 주세요');
  await b.page.getByLabel('메시지').press('Enter');
  await l.page.getByTestId('chat-warning').filter({ hasText: '전화번호가 보여요' }).waitFor();
  await b.page.getByTestId('chat-warning').filter({ hasText: '전화번호가 보여요' }).waitFor();

  assert.deepEqual([...b.pageErrors, ...l.pageErrors].map(String), []);
  await Promise.all([b.context.close(), l.context.close()]);
});
