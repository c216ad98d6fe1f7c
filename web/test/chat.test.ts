// Real-time chat and notifications in a real browser: two profiles (lender, borrower) over the real
// STOMP gateway. The borrower starts a chat from the listing and writes in Hangul (Enter while composing
// does not send); the lender sees the room, its unread badge and the message arrive live, replies, and
// the badges clear once read. Then a dropped connection resyncs (each message once), and the bell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import type { Page } from 'playwright-core';
import type { ChatMessage } from '../src/api/chat.ts';
import { contiguousMax, mergeMessages } from '../src/realtime/messages.ts';
import { makePost } from '../../server/test/factories.ts';
import {
  catalogIds, createListingViaApi, DESKTOP, liveServerAndBrowser, makePng, openLoggedInPage, screenshot,
} from './support.ts';

const live = liveServerAndBrowser();

/** A phone browser profile already logged in with the given session cookie. */
const loggedInPage = (cookie: string) => openLoggedInPage(live.browser, live.server.baseURL, cookie);

const chatTabBadge = (page: Page) => page.locator('.bottom-nav').getByTestId('chat-unread-badge');
const messageText = (page: Page, text: string) => page.getByTestId('chat-message').filter({ hasText: text });

test('borrower starts a chat in Hangul, lender sees it live with badges, replies, and the badges clear', async () => {
  const { ctx, baseURL } = live.server;
  // every upgraded socket, so the test can drop the connections like a network failure would
  const sockets: Duplex[] = [];
  const onUpgrade = (_req: unknown, socket: Duplex) => sockets.push(socket);
  ctx.app.server.on('upgrade', onUpgrade);
  const lender = await ctx.signUp('텐트주인');
  const borrower = await ctx.signUp('주말캠퍼');
  const { categoryId, regionId } = await catalogIds(baseURL, '텐트', '마포구');
  const title = '코베아 4인용 돔 텐트';
  const postId = await createListingViaApi(baseURL, lender.cookie, {
    title, content: '주말 캠핑용으로 빌려드려요', categoryId, regionIds: [regionId], fee: 15000, deposit: 50000,
    receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  }, [await makePng()]);

  // --- the lender waits on the chat list: nothing yet
  const l = await loggedInPage(lender.cookie);
  await l.page.goto('/chats');
  await l.page.getByText('아직 대화가 없어요').waitFor();
  assert.equal(await chatTabBadge(l.page).count(), 0);

  // the owner gets no 채팅하기 on their own listing
  await l.page.goto(`/posts/${postId}`);
  await l.page.getByRole('heading', { name: title }).waitFor();
  assert.equal(await l.page.getByRole('button', { name: '채팅하기' }).count(), 0);
  await l.page.goto('/chats');
  await l.page.getByText('아직 대화가 없어요').waitFor();

  // --- the borrower opens the listing and starts a chat
  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/posts/${postId}`);
  await b.page.getByRole('heading', { name: title }).waitFor();
  await screenshot(b.page, 'chat-phone-listing');
  await b.page.getByRole('button', { name: '채팅하기' }).click();
  await b.page.waitForURL(/\/chats\/\d+$/);
  const roomId = Number(new URL(b.page.url()).pathname.split('/').pop());
  await b.page.getByTestId('chat-listing').getByText(title).waitFor();
  await b.page.getByText('빌리고 싶은 날짜나 궁금한 점을 물어보세요.').waitFor();

  // the new room appears on the lender's list live (announced by its notification), with the bell
  const row = l.page.locator(`[data-testid="room-row"][data-room="${roomId}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /주말캠퍼/);
  assert.match(await row.innerText(), new RegExp(title));
  await l.page.getByTestId('notification-badge').filter({ hasText: '1' }).waitFor();

  // --- Enter while a Hangul syllable is being composed does not send; a plain Enter does
  const first = '안녕하세요! 이번 주 토요일에 텐트 빌릴 수 있을까요?';
  const box = b.page.getByLabel('메시지');
  await box.fill(first);
  const composing = await box.evaluate((el: HTMLTextAreaElement) => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    return { value: el.value, shown: document.querySelectorAll('[data-testid="chat-message"], [data-testid="chat-pending"]').length };
  });
  assert.deepEqual(composing, { value: first, shown: 0 });
  await box.press('Enter');
  await messageText(b.page, first).waitFor();
  assert.equal(await box.inputValue(), '');
  // Shift+Enter is a new line, not a send
  await box.fill('줄바꿈');
  await box.press('Shift+Enter');
  assert.equal(await box.inputValue(), '줄바꿈\n');
  await box.fill('');

  // --- the lender's list moves live: preview and unread badges
  await row.getByTestId('room-preview').filter({ hasText: first }).waitFor();
  await row.getByTestId('room-unread').filter({ hasText: '1' }).waitFor();
  await chatTabBadge(l.page).filter({ hasText: '1' }).waitFor();
  await screenshot(l.page, 'chat-phone-list-unread');

  // --- the lender opens the room: the message is there, the badge clears, they reply
  await row.click();
  await l.page.waitForURL(`**/chats/${roomId}`);
  await messageText(l.page, first).waitFor();
  await chatTabBadge(l.page).waitFor({ state: 'detached' });
  await l.page.getByTestId('notification-badge').waitFor({ state: 'detached' }); // reading clears the chat notice
  const reply = '네 가능해요. 토요일 오전 10시에 망원역에서 뵐까요?';
  await l.page.getByLabel('메시지').fill(reply);
  await l.page.getByRole('button', { name: '보내기', exact: true }).click();
  await messageText(l.page, reply).waitFor();

  // --- the borrower sees the reply live, and that the lender read their message
  await messageText(b.page, reply).waitFor();
  await b.page.getByTestId('chat-message').filter({ hasText: first }).getByText('읽음').waitFor();
  await screenshot(b.page, 'chat-phone-room');
  await screenshot(l.page, 'chat-phone-room-lender');

  // back on the list, nothing is unread for the lender; the borrower's room list shows the reply
  await l.page.goto('/chats');
  await row.getByTestId('room-preview').filter({ hasText: `나: ${reply}` }).waitFor();
  assert.equal(await row.getByTestId('room-unread').count(), 0);
  assert.equal(await chatTabBadge(l.page).count(), 0);

  // keyword search over rooms (?q=)
  await l.page.getByLabel('대화 검색').fill('망원역');
  await l.page.getByLabel('대화 검색').press('Enter');
  await l.page.waitForURL((u) => u.searchParams.get('q') === '망원역');
  await row.waitFor();
  await l.page.getByLabel('대화 검색').fill('없는단어');
  await l.page.getByLabel('대화 검색').press('Enter');
  await l.page.getByText("'없는단어' 에 맞는 대화가 없어요").waitFor();

  // --- a dropped connection: messages sent meanwhile show up once after the reconnect's resync
  await b.page.goto(`/chats/${roomId}`);
  await messageText(b.page, reply).waitFor();
  for (const socket of sockets.splice(0)) socket.destroy();
  const missed = ['연결이 끊긴 사이 보낸 메시지 1', '연결이 끊긴 사이 보낸 메시지 2'];
  for (const [i, content] of missed.entries()) {
    const res = await ctx.app.inject({
      method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: lender.cookie },
      payload: { clientId: `00000000-0000-4000-8000-00000000000${i}`, content },
    });
    assert.equal(res.statusCode, 201);
  }
  for (const content of missed) await messageText(b.page, content).waitFor();
  // and live delivery works again on the new connection
  await b.page.getByLabel('메시지').fill('다시 연결됐어요');
  await b.page.getByLabel('메시지').press('Enter');
  await messageText(b.page, '다시 연결됐어요').waitFor();
  await b.page.waitForFunction(() => !document.querySelector('[data-testid="chat-pending"]'));
  const seqs = await b.page.getByTestId('chat-message').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);

  assert.deepEqual(b.pageErrors.map(String), []);
  assert.deepEqual(l.pageErrors.map(String), []);
  // the same room on a desktop screen
  const desk = await openLoggedInPage(live.browser, baseURL, lender.cookie, DESKTOP);
  await desk.page.goto(`/chats/${roomId}`);
  await messageText(desk.page, '다시 연결됐어요').waitFor();
  await screenshot(desk.page, 'chat-desktop-room');
  await desk.context.close();

  ctx.app.server.off('upgrade', onUpgrade);
  await Promise.all([b.context.close(), l.context.close()]);
});

test('the bell counts new notifications live; opening one marks it read and goes to its target', async () => {
  const { ctx } = live.server;
  const member = await ctx.signUp('알림받는이웃');
  const m = await loggedInPage(member.cookie);
  await m.page.goto('/notifications');
  await m.page.getByText('아직 알림이 없어요').waitFor();
  assert.equal(await m.page.getByTestId('notification-badge').count(), 0);

  // created on the server after the page loaded: pushed over /user/queue/notifications
  const { id: profileNotice } = await ctx.deps.notifications.notify({
    memberId: member.id, type: 'MODERATION', title: '프로필 점검 안내', body: '프로필 사진을 확인해 주세요', targetType: 'MEMBER', targetId: member.id,
  });
  await ctx.deps.notifications.notify({ memberId: member.id, type: 'REVIEW', title: '새 후기가 도착했어요', body: '「전동 드릴」 후기' });
  await m.page.getByTestId('notification-badge').filter({ hasText: '2' }).waitFor();
  await m.page.getByTestId('notification').filter({ hasText: '새 후기가 도착했어요' }).waitFor();
  await screenshot(m.page, 'notifications-phone');

  await m.page.locator(`[data-testid="notification"][data-id="${profileNotice}"]`).click();
  await m.page.waitForURL(`**/members/${member.id}`);
  await m.page.getByTestId('notification-badge').filter({ hasText: '1' }).waitFor();

  await m.page.getByTestId('notification-bell').click();
  await m.page.waitForURL('**/notifications');
  await m.page.getByRole('button', { name: '모두 읽음' }).click();
  await m.page.getByTestId('notification-badge').waitFor({ state: 'detached' });
  assert.equal(await m.page.locator('.notification-row.unread').count(), 0);

  assert.deepEqual(m.pageErrors.map(String), []);
  await m.context.close();
});

test('a long conversation opens at the newest messages and pages back with 이전 메시지 보기', async () => {
  const { ctx } = live.server;
  const lender = await ctx.signUp();
  const borrower = await ctx.signUp();
  const post = await makePost(ctx.deps.db, lender.id, { title: '전동 드릴 세트' });
  const opened = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId: post.id } });
  const roomId = opened.json().id as number;
  for (let i = 1; i <= 60; i++) {
    const res = await ctx.app.inject({
      method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: i % 2 ? borrower.cookie : lender.cookie },
      payload: { clientId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, content: `메시지 ${i}번` },
    });
    assert.equal(res.statusCode, 201);
  }
  const b = await loggedInPage(borrower.cookie);
  await b.page.goto(`/chats/${roomId}`);
  await messageText(b.page, '메시지 60번').waitFor();
  assert.equal(await messageText(b.page, '메시지 1번').count(), 0);
  await b.page.getByRole('button', { name: '이전 메시지 보기' }).click();
  await b.page.locator('[data-testid="chat-message"][data-seq="1"]').waitFor();
  await b.page.getByRole('button', { name: '이전 메시지 보기' }).waitFor({ state: 'detached' });
  const seqs = await b.page.getByTestId('chat-message').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  assert.deepEqual(seqs, Array.from({ length: 60 }, (_, i) => i + 1));
  assert.deepEqual(b.pageErrors.map(String), []);
  await b.context.close();
});

test('timeline rules: merge by seq keeps each message once; resync starts after the highest seq held without gaps', () => {
  const msg = (seq: number): ChatMessage => ({ id: seq, roomId: 1, seq, senderId: 1, clientId: `c${seq}`, kind: 'TEXT', content: `m${seq}`, photo: null, appointment: null, warning: null, createdAt: '2025-05-01T00:00:00Z' });
  const held = mergeMessages([], [msg(3), msg(1), msg(2)]);
  assert.deepEqual(held.map((m) => m.seq), [1, 2, 3]);
  assert.equal(mergeMessages(held, [msg(2), msg(3)]), held); // nothing new: the same array
  const withGap = mergeMessages(held, [msg(6), msg(4)]);
  assert.deepEqual(withGap.map((m) => m.seq), [1, 2, 3, 4, 6]);
  assert.equal(contiguousMax(withGap), 4);
  assert.equal(contiguousMax([]), 0);
  assert.equal(contiguousMax(mergeMessages([], [msg(51), msg(52)])), 52); // history starts mid-room
});
