import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost } from '../../../test/factories.ts';

let ctx: TestContext;
type User = { id: number; cookie: string };
let lender: User, borrower: User, stranger: User;
let postId: number;

before(async () => {
  ctx = await createTestContext();
  lender = await ctx.signUp('빌려주는이');
  borrower = await ctx.signUp('빌리는이');
  stranger = await ctx.signUp('지나가는이');
  postId = await insertPost(ctx.deps.db, lender.id, '코베아 캠핑 텐트');
});
after(() => ctx.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, user?: User, payload?: unknown) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user ? { cookie: user.cookie } : {}, payload: payload as any });
const send = (user: User, roomId: number, content: string, clientId: string = crypto.randomUUID()) =>
  api('POST', `/chats/${roomId}/messages`, user, { clientId, content });
const unreadChatNotifications = async (memberId: number, roomId: number) =>
  (await ctx.deps.db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE member_id = $1 AND target_type = 'CHAT_ROOM' AND target_id = $2 AND read_at IS NULL`,
    [memberId, roomId],
  ))!.n;

test('one room per (listing, borrower): created once, returned afterwards; the lender is notified', async () => {
  const first = await api('POST', '/chats', borrower, { postId });
  assert.equal(first.statusCode, 201);
  const room = first.json();
  assert.equal(room.lenderId, lender.id);
  assert.equal(room.borrowerId, borrower.id);
  assert.equal(room.other.nickname, '빌려주는이');
  assert.equal(room.post.title, '코베아 캠핑 텐트');
  assert.equal(room.lastSeq, 0);
  assert.equal(room.lastMessage, null);
  const again = await api('POST', '/chats', borrower, { postId });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().id, room.id);
  const notes = await api('GET', '/notifications', lender);
  assert.equal(notes.json().items[0].type, 'CHAT_ROOM');
  assert.equal(notes.json().items[0].targetId, room.id);
});

test('no room on one\'s own, a hidden or a missing listing; bad input and no login are refused', async () => {
  assert.equal((await api('POST', '/chats', lender, { postId })).json().code, 'CHAT_OWN_POST');
  const hidden = await insertPost(ctx.deps.db, lender.id, '숨겨진 물건');
  await ctx.deps.db.query('UPDATE posts SET banned_at = now() WHERE id = $1', [hidden]);
  assert.equal((await api('POST', '/chats', borrower, { postId: hidden })).statusCode, 404);
  const deleted = await insertPost(ctx.deps.db, lender.id, '삭제된 물건');
  await ctx.deps.db.query('UPDATE posts SET deleted_at = now() WHERE id = $1', [deleted]);
  assert.equal((await api('POST', '/chats', borrower, { postId: deleted })).statusCode, 404);
  assert.equal((await api('POST', '/chats', borrower, { postId: 99999999 })).statusCode, 404);
  assert.equal((await api('POST', '/chats', borrower, { postId: 'abc' })).statusCode, 400);
  assert.equal((await api('POST', '/chats', borrower, {})).statusCode, 400);
  assert.equal((await api('POST', '/chats', undefined, { postId })).statusCode, 401);
  assert.equal((await api('GET', '/chats')).statusCode, 401);
});

test('messages: per-room sequence, idempotent retries, history paging by sequence, members only', async () => {
  const room = (await api('POST', '/chats', borrower, { postId })).json();
  const clientId = crypto.randomUUID();
  const first = await send(borrower, room.id, '안녕하세요', clientId);
  assert.equal(first.statusCode, 201);
  const retry = await send(borrower, room.id, '안녕하세요', clientId);
  assert.equal(retry.statusCode, 200);
  assert.equal(retry.json().id, first.json().id);
  for (let i = 1; i <= 5; i++) await send(i % 2 ? lender : borrower, room.id, `메시지 ${i}`);
  const all = (await api('GET', `/chats/${room.id}/messages?after=0`, lender)).json();
  assert.deepEqual(all.items.map((m: any) => m.seq), [1, 2, 3, 4, 5, 6]);
  assert.equal(all.hasMore, false);
  const after = (await api('GET', `/chats/${room.id}/messages?after=2&limit=2`, lender)).json();
  assert.deepEqual(after.items.map((m: any) => m.seq), [3, 4]);
  assert.equal(after.hasMore, true);
  const latest = (await api('GET', `/chats/${room.id}/messages?limit=2`, lender)).json();
  assert.deepEqual(latest.items.map((m: any) => m.seq), [5, 6]);
  const before = (await api('GET', `/chats/${room.id}/messages?before=5&limit=3`, lender)).json();
  assert.deepEqual(before.items.map((m: any) => m.seq), [2, 3, 4]);
  assert.equal(before.hasMore, true);

  assert.equal((await api('GET', `/chats/${room.id}/messages`, stranger)).statusCode, 404);
  assert.equal((await api('GET', `/chats/${room.id}`, stranger)).statusCode, 404);
  assert.equal((await send(stranger, room.id, '끼어들기')).statusCode, 404);
  assert.equal((await api('GET', `/chats/${room.id}/messages?after=1&before=3`, lender)).statusCode, 400);
  assert.equal((await api('GET', `/chats/${room.id}/messages?limit=0`, lender)).statusCode, 400);
  assert.equal((await api('GET', `/chats/${room.id}/messages?after=-1`, lender)).statusCode, 400);
  assert.equal((await api('GET', `/chats/abc/messages`, lender)).statusCode, 400);
  assert.equal((await send(borrower, room.id, '')).statusCode, 400);
  assert.equal((await send(borrower, room.id, 'x'.repeat(1001))).statusCode, 400);
  assert.equal((await api('POST', `/chats/${room.id}/messages`, borrower, { clientId: 'not-a-uuid', content: 'x' })).statusCode, 400);
  assert.equal((await send(borrower, room.id, '   ')).json().code, 'EMPTY_MESSAGE');
});

test('concurrent senders get distinct, gap-free sequences', async () => {
  const postB = await insertPost(ctx.deps.db, lender.id, '동시성 테스트 물건');
  const room = (await api('POST', '/chats', borrower, { postId: postB })).json();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? lender : borrower, room.id, `동시 ${i}`)));
  const seqs = results.map((r) => r.json().seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1));
  // concurrent retries of one clientId: one message, no hole in the sequence
  const clientId = crypto.randomUUID();
  const retries = await Promise.all(Array.from({ length: 5 }, () => send(borrower, room.id, '재시도', clientId)));
  assert.equal(new Set(retries.map((r) => r.json().id)).size, 1);
  assert.equal((await send(lender, room.id, '다음')).json().seq, 22);
});

test('room list: other party, last message, unread count, keyword search, cursor paging; read pointer never goes back', async () => {
  const u = await ctx.signUp('목록검사자');
  const rooms: number[] = [];
  for (const title of ['전동 드릴', '빔 프로젝터', '유아 카시트']) {
    const p = await insertPost(ctx.deps.db, lender.id, title);
    rooms.push((await api('POST', '/chats', u, { postId: p })).json().id);
  }
  await send(lender, rooms[0], '드릴 배터리도 같이 드려요');
  await send(lender, rooms[0], '언제 오실래요?');
  await send(u, rooms[1], '프로젝터 해상도가 어떻게 되나요');

  const list = (await api('GET', '/chats', u)).json();
  assert.deepEqual(list.items.map((r: any) => r.id), [rooms[1], rooms[0], rooms[2]]);
  const drill = list.items.find((r: any) => r.id === rooms[0]);
  assert.equal(drill.unreadCount, 2);
  assert.equal(drill.lastMessage.content, '언제 오실래요?');
  assert.equal(drill.other.id, lender.id);
  assert.equal(list.items.find((r: any) => r.id === rooms[1]).unreadCount, 0); // my own message is not unread
  assert.deepEqual((await api('GET', '/chats/unread-count', u)).json(), { count: 2 });

  const byTitle = (await api('GET', `/chats?q=${encodeURIComponent('카시트')}`, u)).json();
  assert.deepEqual(byTitle.items.map((r: any) => r.id), [rooms[2]]);
  const byMessage = (await api('GET', `/chats?q=${encodeURIComponent('배터리')}`, u)).json();
  assert.deepEqual(byMessage.items.map((r: any) => r.id), [rooms[0]]);
  const byNick = (await api('GET', `/chats?q=${encodeURIComponent('빌려주는')}`, u)).json();
  assert.equal(byNick.items.length, 3);
  assert.equal((await api('GET', `/chats?q=${encodeURIComponent('100%')}`, u)).json().items.length, 0);

  const page1 = (await api('GET', '/chats?limit=2', u)).json();
  assert.equal(page1.items.length, 2);
  const page2 = (await api('GET', `/chats?limit=2&cursor=${page1.nextCursor}`, u)).json();
  assert.deepEqual([...page1.items, ...page2.items].map((r: any) => r.id), [rooms[1], rooms[0], rooms[2]]);
  assert.equal(page2.nextCursor, null);
  assert.equal((await api('GET', '/chats?cursor=garbage', u)).statusCode, 400);

  const read = (await api('PATCH', `/chats/${rooms[0]}/read`, u, { seq: 1 })).json();
  assert.deepEqual(read, { roomId: rooms[0], lastReadSeq: 1, unreadCount: 1 });
  const back = (await api('PATCH', `/chats/${rooms[0]}/read`, u, { seq: 0 })).json();
  assert.equal(back.lastReadSeq, 1);
  const beyond = (await api('PATCH', `/chats/${rooms[0]}/read`, u, { seq: 1000 })).json();
  assert.deepEqual(beyond, { roomId: rooms[0], lastReadSeq: 2, unreadCount: 0 });
  assert.equal((await api('PATCH', `/chats/${rooms[0]}/read`, stranger, { seq: 1 })).statusCode, 404);
  assert.equal((await api('PATCH', `/chats/${rooms[0]}/read`, u, { seq: 'x' })).statusCode, 400);
  const view = (await api('GET', `/chats/${rooms[0]}`, lender)).json();
  assert.equal(view.otherLastReadSeq, 2);
});

test('chat notifications are coalesced: one per unread burst, cleared by reading the room', async () => {
  const p = await insertPost(ctx.deps.db, lender.id, '알림 묶음 테스트');
  const room = (await api('POST', '/chats', borrower, { postId: p })).json();
  await send(borrower, room.id, '첫 메시지');
  await send(borrower, room.id, '두 번째');
  await send(borrower, room.id, '세 번째');
  assert.equal(await unreadChatNotifications(lender.id, room.id), 1); // the new-room notice covers the burst
  await api('PATCH', `/chats/${room.id}/read`, lender, { seq: 3 });
  assert.equal(await unreadChatNotifications(lender.id, room.id), 0);
  await send(borrower, room.id, '다시 연락드려요');
  await send(borrower, room.id, '확인 부탁드려요');
  assert.equal(await unreadChatNotifications(lender.id, room.id), 1);
  const latest = (await api('GET', '/notifications?limit=1', lender)).json().items[0];
  assert.equal(latest.type, 'CHAT_MESSAGE');
  assert.equal(latest.body, '다시 연락드려요');
  await send(lender, room.id, '네 가능합니다');
  assert.equal(await unreadChatNotifications(borrower.id, room.id), 1);
});
