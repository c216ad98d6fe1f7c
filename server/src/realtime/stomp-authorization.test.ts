// The STOMP authorization matrix (issue 9): every destination × (anonymous, non-member, member, banned),
// including the 약속 frames and the chat-photo HTTP routes whose messages travel on the room topic.
// A refusal is an ERROR frame and a closed socket (or 401/404 over HTTP) and stores nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { insertPost, jpeg, multipart, rawStomp, upgradeStatus, waitFor, type RawStomp, type User } from '../../test/factories.ts';
import { encodeFrame } from './stomp-codec.ts';

let ctx: TestContext;
let url: string;
let lender: User, borrower: User, outsider: User, banned: User;
let admin: { id: number; cookie: string };
let roomId: number;

before(async () => {
  ctx = await createTestContext({ env: { STOMP_HEARTBEAT_MS: '0' } });
  url = `${(await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/ws`;
  [lender, borrower, outsider, banned] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  admin = await ctx.admin();
  const postId = await insertPost(ctx.deps.db, lender.id, '권한 표 물건');
  roomId = (await api('POST', '/chats', borrower, { postId })).json().id;
  // the banned member had a room of their own before the ban; their cookie is kept to try with it
  const bannedRoom = (await api('POST', '/chats', banned, { postId })).json().id;
  assert.ok(bannedRoom > 0);
  const ban = await api('POST', `/adm/members/${banned.id}/ban`, admin, { reason: '권한 표 시험' });
  assert.equal(ban.statusCode, 200, ban.body);
});
after(() => ctx.close());

function api(method: 'GET' | 'POST', path: string, user?: { cookie: string }, payload?: unknown) {
  return ctx.app.inject({ method, url: `/api/v1${path}`, headers: user ? { cookie: user.cookie } : {}, payload: payload as any });
}
function photo(user: { cookie: string } | undefined, image: Buffer) {
  const body = multipart([{ name: 'clientId', value: crypto.randomUUID() }, { name: 'image', value: image, filename: 'a.jpg' }]);
  return ctx.app.inject({ method: 'POST', url: `/api/v1/chats/${roomId}/photos`, payload: body.payload, headers: { ...body.headers, ...(user ? { cookie: user.cookie } : {}) } });
}
async function connected(user: User): Promise<RawStomp> {
  const raw = await rawStomp(url, user.cookie);
  raw.sendRaw(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0' }));
  await raw.next('CONNECTED');
  return raw;
}
const messageCount = async () => (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]))!.n;
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** a 약속 proposed by the borrower over HTTP, for the accept frames */
async function proposal(): Promise<number> {
  const res = await api('POST', `/chats/${roomId}/appointments`, borrower, { clientId: crypto.randomUUID(), meetAt: inAnHour(), place: '역 앞' });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().appointment.id;
}

/** every SEND destination with a valid body (the appointment to accept is made fresh for each) */
async function sends(): Promise<[string, string, object][]> {
  return [
    ['text', `/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: '권한 표 메시지' }],
    ['약속 제안', `/app/chat/${roomId}/appointments`, { clientId: crypto.randomUUID(), meetAt: inAnHour(), place: '공원 입구' }],
    ['약속 수락', `/app/chat/${roomId}/appointments/${await proposal()}/accept`, { clientId: crypto.randomUUID() }],
  ];
}
const ROOM_TOPIC = () => `/topic/chat/${roomId}`;
const PERSONAL = ['/user/queue/notifications', '/user/queue/chat'];

test('anonymous and banned: no socket at all (401 at the upgrade), and every chat HTTP route answers 401', async () => {
  assert.equal(await upgradeStatus(url), 401);
  assert.equal(await upgradeStatus(url, { cookie: banned.cookie }), 401);
  const before = await messageCount();
  const message = (await api('POST', `/chats/${roomId}/messages`, borrower, { clientId: crypto.randomUUID(), content: '사진 전' })).json();
  for (const who of [undefined, banned]) {
    const statuses = [
      (await photo(who, await jpeg())).statusCode,
      (await api('GET', `/chats/${roomId}/photos/${message.id}`, who)).statusCode,
      (await api('POST', `/chats/${roomId}/appointments`, who, { clientId: crypto.randomUUID(), meetAt: inAnHour(), place: '역' })).statusCode,
      (await api('POST', `/chats/${roomId}/appointments/1/accept`, who, { clientId: crypto.randomUUID() })).statusCode,
      (await api('POST', `/chats/${roomId}/messages`, who, { clientId: crypto.randomUUID(), content: 'x' })).statusCode,
      (await api('GET', `/chats/${roomId}/messages`, who)).statusCode,
    ];
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401], who ? 'banned' : 'anonymous');
  }
  assert.equal(await messageCount(), before + 1);
});

test('a non-member: the room topic and every SEND destination are ERROR + close and store nothing; photos are 404', async () => {
  const before = await messageCount();
  const sub = await connected(outsider);
  sub.send('SUBSCRIBE', { id: 's', destination: ROOM_TOPIC(), receipt: 'r' });
  assert.equal((await sub.next('ERROR')).headers['receipt-id'], 'r');
  await sub.closed;
  const proposalsBefore = (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_appointments WHERE status = $1', ['ACCEPTED']))!.n;
  for (const [name, destination, body] of await sends()) {
    const raw = await connected(outsider);
    raw.send('SEND', { destination, receipt: name }, JSON.stringify(body));
    const err = await raw.next('ERROR');
    assert.equal(err.headers['receipt-id'], name, name);
    assert.equal((await raw.closed).code, 1008, name);
  }
  // only the borrower's own proposal (made for the accept frame) was stored; nothing was accepted
  assert.equal(await messageCount(), before + 1);
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_appointments WHERE status = $1', ['ACCEPTED']))!.n, proposalsBefore);
  const stored = (await photo(borrower, await jpeg())).json();
  assert.equal((await photo(outsider, await jpeg())).statusCode, 404);
  assert.equal((await api('GET', stored.photo.url.replace('/api/v1', ''), outsider)).statusCode, 404);
});

test('a non-member may hold their own personal queues, which carry nothing of the room', async () => {
  const raw = await connected(outsider);
  const got: string[] = [];
  for (const [i, destination] of PERSONAL.entries()) {
    raw.send('SUBSCRIBE', { id: `p${i}`, destination, receipt: `p${i}` });
    await raw.next('RECEIPT');
  }
  await api('POST', `/chats/${roomId}/messages`, borrower, { clientId: crypto.randomUUID(), content: '남의 방 메시지' });
  await proposal();
  // barrier: the outsider's own notice, published after the room's events on the same bus
  await ctx.deps.notifications.notify({ memberId: outsider.id, type: 'REVIEW', title: '표식' });
  await waitFor(() => raw.frames.some((f) => f.command === 'MESSAGE' && f.body.toString().includes('표식')), 'the outsider\'s own notice');
  for (const f of raw.frames) if (f.command === 'MESSAGE') got.push(JSON.parse(f.body.toString()).title ?? 'room event');
  assert.deepEqual(got, ['표식']);
  raw.ws.close();
});

test('a member: every destination is answered with a RECEIPT, and the room topic carries text, photo and 약속 messages', async () => {
  const raw = await connected(lender);
  raw.send('SUBSCRIBE', { id: 'room', destination: ROOM_TOPIC(), receipt: 'room' });
  await raw.next('RECEIPT');
  for (const [i, destination] of PERSONAL.entries()) {
    raw.send('SUBSCRIBE', { id: `p${i}`, destination, receipt: `p${i}` });
    await raw.next('RECEIPT');
  }
  const before = await messageCount();
  for (const [name, destination, body] of await sends()) {
    raw.send('SEND', { destination, receipt: name }, JSON.stringify(body));
    assert.equal((await raw.next('RECEIPT')).headers['receipt-id'], name, name);
  }
  const sent = await photo(borrower, await jpeg());
  assert.equal(sent.statusCode, 201);
  // the borrower's proposal behind the accept frame + 3 SENDs + the photo
  assert.equal(await messageCount(), before + 5);
  const kinds = () =>
    raw.frames.filter((f) => f.command === 'MESSAGE' && f.headers.subscription === 'room').map((f) => JSON.parse(f.body.toString()).kind);
  await waitFor(() => kinds().length >= 5, 'five room messages');
  assert.deepEqual(kinds(), ['APPOINTMENT', 'TEXT', 'APPOINTMENT', 'APPOINTMENT', 'PHOTO']);
  // the photo a member received on the topic is served to them
  const photoMessage = JSON.parse(raw.frames.filter((f) => f.headers.subscription === 'room').at(-1)!.body.toString());
  assert.equal((await api('GET', photoMessage.photo.url.replace('/api/v1', ''), lender)).statusCode, 200);
  raw.ws.close();
});

test('a member banned with a socket open: the socket is closed at once and the session cannot be used again', async () => {
  const member = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '정지 시험 물건');
  const room = (await api('POST', '/chats', member, { postId })).json().id;
  const raw = await connected(member);
  raw.send('SUBSCRIBE', { id: 'r', destination: `/topic/chat/${room}`, receipt: 'r' });
  await raw.next('RECEIPT');
  assert.equal((await api('POST', `/adm/members/${member.id}/ban`, admin, { reason: '시험' })).statusCode, 200);
  assert.match((await raw.next('ERROR')).headers.message, /세션/);
  await raw.closed;
  assert.equal(await upgradeStatus(url, { cookie: member.cookie }), 401);
});
