import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { IMessage } from '@stomp/stompjs';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { parseFrames, encodeFrame, StompProtocolError } from './stomp-codec.ts';
import { connectStomp, insertPost, rawStomp, upgradeStatus, waitFor, type RawStomp } from '../../test/factories.ts';

let ctx: TestContext;
let url: string;
type User = { id: number; cookie: string };
let lender: User, borrower: User, stranger: User;
let roomId: number;

before(async () => {
  // a short heart-beat so negotiation and the late-ping rule can be observed within the test
  ctx = await createTestContext({ env: { STOMP_HEARTBEAT_MS: '300', STOMP_MAX_FRAME_BYTES: '4096', STOMP_SESSION_CHECK_MS: '200' } });
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  url = `${address.replace('http', 'ws')}/ws`;
  lender = await ctx.signUp();
  borrower = await ctx.signUp();
  stranger = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: borrower.cookie }, payload: { postId } });
  assert.equal(res.statusCode, 201);
  roomId = res.json().id;
});
after(() => ctx.close());

const connectFrame = (extra: Record<string, string> = {}) =>
  encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', ...extra });

async function rawConnected(cookie: string, heartBeat = '0,0'): Promise<RawStomp> {
  const raw = await rawStomp(url, cookie);
  raw.sendRaw(connectFrame({ 'heart-beat': heartBeat }));
  await raw.next('CONNECTED');
  return raw;
}

test('codec: escapes, content-length with NUL in the body, repeated headers, heart-beat EOLs', () => {
  const frame = encodeFrame('SEND', { destination: '/a:b\\c\nd', x: '1' }, Buffer.from([0x61, 0x00, 0x62]));
  assert.match(frame.toString('latin1'), /destination:\/a\\cb\\\\c\\nd\n/);
  const [parsed] = parseFrames(Buffer.concat([Buffer.from('\n\r\n'), frame, Buffer.from('\n')]), 1024);
  assert.equal(parsed.headers.destination, '/a:b\\c\nd');
  assert.deepEqual([...parsed.body], [0x61, 0x00, 0x62]);
  const twice = parseFrames(Buffer.from('SEND\ndestination:/first\ndestination:/second\n\nhi\0'), 1024);
  assert.equal(twice[0].headers.destination, '/first');
  assert.equal(twice[0].body.toString(), 'hi');
  assert.throws(() => parseFrames(Buffer.from('SEND\nbad:\\t\n\n\0'), 1024), StompProtocolError);
  assert.throws(() => parseFrames(Buffer.from('SEND\ndestination:/x\n\nno nul'), 1024), StompProtocolError);
  assert.throws(() => parseFrames(Buffer.from('SEND\ncontent-length:5\n\nab\0'), 1024), StompProtocolError);
  // CONNECT headers are not unescaped (spec): a backslash stays as it is
  assert.equal(parseFrames(Buffer.from('CONNECT\nlogin:a\\b\n\n\0'), 1024)[0].headers.login, 'a\\b');
});

test('the handshake needs a session cookie and answers the STOMP subprotocol', async () => {
  assert.equal(await upgradeStatus(url), 401);
  assert.equal(await upgradeStatus(url, { cookie: 'chwimeet_sid=forged' }), 401);
  // a page of another site cannot ride on the cookie; our own origin can
  assert.equal(await upgradeStatus(url, { cookie: borrower.cookie, origin: 'https://evil.example' }), 403);
  assert.equal(await upgradeStatus(url, { cookie: borrower.cookie, origin: url.replace('ws://', 'http://').replace('/ws', '') }), 101);
  const v12 = await rawStomp(url, borrower.cookie, ['v10.stomp', 'v12.stomp']);
  assert.equal(v12.ws.protocol, 'v12.stomp');
  v12.ws.close();
  const v11 = await rawStomp(url, borrower.cookie, ['v11.stomp']);
  assert.equal(v11.ws.protocol, 'v11.stomp');
  v11.ws.close();
});

test('stompjs: connect, subscribe with receipt, send, MESSAGE headers and body, stored before published', async () => {
  const a = await connectStomp(url, lender.cookie);
  const b = await connectStomp(url, borrower.cookie);
  assert.equal(a.connected.headers.version, '1.2');
  assert.equal(a.connected.headers['heart-beat'], '300,300');
  const got: IMessage[] = [];
  await a.subscribe(`/topic/chat/${roomId}`, (m) => got.push(m));
  const clientId = crypto.randomUUID();
  await b.send(`/app/chat/${roomId}`, { clientId, content: '안녕하세요, 텐트 빌릴 수 있을까요?' });
  // the receipt means "stored": history already has it
  const history = await ctx.app.inject({ url: `/api/v1/chats/${roomId}/messages?after=0`, headers: { cookie: lender.cookie } });
  assert.equal(history.json().items.at(-1).clientId, clientId);
  await waitFor(() => got.length === 1, 'message');
  const m = got[0];
  assert.equal(m.headers.destination, `/topic/chat/${roomId}`);
  assert.ok(m.headers.subscription);
  assert.ok(m.headers['message-id']);
  assert.match(m.headers['content-type'], /^application\/json/);
  const body = JSON.parse(m.body);
  assert.equal(body.content, '안녕하세요, 텐트 빌릴 수 있을까요?');
  assert.equal(body.senderId, borrower.id);
  assert.equal(body.roomId, roomId);
  assert.equal(m.headers.seq, String(body.seq));
  // a retried SEND (same clientId) is stored once and not delivered twice
  await b.send(`/app/chat/${roomId}`, { clientId, content: '안녕하세요, 텐트 빌릴 수 있을까요?' });
  await b.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: '두 번째' });
  await waitFor(() => got.length === 2, 'second message');
  assert.deepEqual(got.map((x) => JSON.parse(x.body).seq), [body.seq, body.seq + 1]);
  const count = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE client_id = $1', [clientId]);
  assert.equal(count!.n, 1);
  await a.close();
  await b.close();
});

test('raw frames: RECEIPT echoes escaped ids, transactions, UNSUBSCRIBE, DISCONNECT with receipt', async () => {
  const raw = await rawConnected(borrower.cookie);
  raw.send('SUBSCRIBE', { id: 's1', destination: `/topic/chat/${roomId}`, receipt: 'sub:1\\x' });
  const r = await raw.next('RECEIPT');
  assert.equal(r.headers['receipt-id'], 'sub:1\\x');
  raw.send('BEGIN', { transaction: 't1' });
  raw.send('SEND', { destination: `/app/chat/${roomId}`, transaction: 't1' }, JSON.stringify({ clientId: crypto.randomUUID(), content: '트랜잭션 메시지' }));
  raw.send('ABORT', { transaction: 't1', receipt: 'aborted' });
  await raw.next('RECEIPT');
  raw.send('BEGIN', { transaction: 't2' });
  raw.send('SEND', { destination: `/app/chat/${roomId}`, transaction: 't2' }, JSON.stringify({ clientId: crypto.randomUUID(), content: '커밋된 메시지' }));
  raw.send('COMMIT', { transaction: 't2', receipt: 'committed' });
  assert.equal((await raw.next('RECEIPT')).headers['receipt-id'], 'committed');
  const msg = await raw.next('MESSAGE');
  assert.equal(JSON.parse(msg.body.toString()).content, '커밋된 메시지');
  assert.equal(msg.headers.subscription, 's1');
  assert.equal(Number(msg.headers['content-length']), msg.body.length);
  const aborted = await ctx.deps.db.one("SELECT 1 FROM chat_messages WHERE content = '트랜잭션 메시지'");
  assert.equal(aborted, undefined);
  raw.send('UNSUBSCRIBE', { id: 's1', receipt: 'unsub' });
  await raw.next('RECEIPT');
  raw.send('DISCONNECT', { receipt: 'bye' });
  const bye = await raw.next('RECEIPT');
  assert.equal(bye.headers['receipt-id'], 'bye');
  assert.equal((await raw.closed).code, 1000);
});

test('heart-beats: the server sends what it advertised and drops a client silent for more than 3x the interval', async () => {
  const raw = await rawStomp(url, borrower.cookie);
  raw.sendRaw(connectFrame({ 'heart-beat': '100,100' }));
  const connected = await raw.next('CONNECTED');
  assert.equal(connected.headers['heart-beat'], '300,300');
  // a client pinging late (every 600 ms against the agreed 300) is tolerated
  let pings = 0;
  const pinger = setInterval(() => {
    if (raw.ws.readyState !== raw.ws.OPEN) return;
    raw.ws.send('\n');
    pings++;
  }, 600);
  // waited by condition, not by time: three pings 600 ms apart (late against the agreed 300 ms, inside the
  // 3x tolerance) and the server's own heart-beats, with the socket open throughout
  try {
    await waitFor(() => (pings >= 3 && raw.heartbeats >= 2) || raw.ws.readyState !== raw.ws.OPEN, 'late pings and server heart-beats');
  } finally {
    clearInterval(pinger);
  }
  assert.equal(raw.ws.readyState, raw.ws.OPEN);
  assert.ok(raw.heartbeats >= 2, `server heart-beats: ${raw.heartbeats}`);
  // then silence: ERROR and close
  const err = await raw.next('ERROR');
  assert.match(err.headers.message, /하트비트/);
  await raw.closed;
});

test('malformed input gets an ERROR frame and a closed socket; the server and other sessions carry on', async () => {
  const watcher = await connectStomp(url, lender.cookie);
  const got: IMessage[] = [];
  await watcher.subscribe(`/topic/chat/${roomId}`, (m) => got.push(m));

  const cases: { name: string; cookie: string; connect: boolean; data: string | Buffer }[] = [
    { name: 'bad command', cookie: borrower.cookie, connect: true, data: 'HELLO\n\n\0' },
    { name: 'missing NUL', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/app/chat/${roomId}\n\n{"x":1}` },
    { name: 'oversize frame', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/app/chat/${roomId}\n\n${'가'.repeat(3000)}\0` },
    { name: 'bad escape', cookie: borrower.cookie, connect: true, data: `SUBSCRIBE\nid:1\ndestination:/topic/chat/${roomId}\\q\n\n\0` },
    { name: 'subscribe before connect', cookie: borrower.cookie, connect: false, data: `SUBSCRIBE\nid:1\ndestination:/topic/chat/${roomId}\n\n\0` },
    { name: 'bad content-length', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/x\ncontent-length:99\n\nab\0` },
    { name: 'header without colon', cookie: borrower.cookie, connect: true, data: `SEND\ndestination\n\n\0` },
    { name: 'bad heart-beat', cookie: borrower.cookie, connect: false, data: `CONNECT\naccept-version:1.2\nheart-beat:soon\n\n\0` },
    { name: 'unsupported version', cookie: borrower.cookie, connect: false, data: `CONNECT\naccept-version:9.9\n\n\0` },
    { name: 'SEND body not JSON', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/app/chat/${roomId}\n\nhello\0` },
    { name: 'SEND without clientId', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/app/chat/${roomId}\n\n{"content":"x"}\0` },
    { name: 'missing subscription id', cookie: borrower.cookie, connect: true, data: `SUBSCRIBE\ndestination:/topic/chat/${roomId}\n\n\0` },
    { name: 'unknown destination', cookie: borrower.cookie, connect: true, data: `SUBSCRIBE\nid:1\ndestination:/topic/everything\n\n\0` },
    { name: 'send to a topic', cookie: borrower.cookie, connect: true, data: `SEND\ndestination:/topic/chat/${roomId}\n\n{}\0` },
  ];
  for (const c of cases) {
    const raw = c.connect ? await rawConnected(c.cookie) : await rawStomp(url, c.cookie);
    raw.sendRaw(c.data);
    const err = await raw.next('ERROR');
    assert.ok(err.headers.message, c.name);
    await raw.closed;
  }

  // still alive: the watcher gets the next message, a new session works
  const b = await connectStomp(url, borrower.cookie);
  await b.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: '아직 살아있나요?' });
  await waitFor(() => got.some((m) => JSON.parse(m.body).content === '아직 살아있나요?'), 'message after errors');
  const health = await ctx.app.inject({ url: '/healthz' });
  assert.equal(health.statusCode, 200);
  await b.close();
  await watcher.close();
});

test('only members subscribe or send to a room; refusals are ERROR frames', async () => {
  const s = await rawConnected(stranger.cookie);
  s.send('SUBSCRIBE', { id: 'x', destination: `/topic/chat/${roomId}`, receipt: 'r' });
  const err = await s.next('ERROR');
  assert.match(err.headers.message, /권한/);
  assert.equal(err.headers['receipt-id'], 'r');
  await s.closed;

  const s2 = await rawConnected(stranger.cookie);
  const before = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]);
  s2.send('SEND', { destination: `/app/chat/${roomId}` }, JSON.stringify({ clientId: crypto.randomUUID(), content: '끼어들기' }));
  await s2.next('ERROR');
  await s2.closed;
  const afterCount = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]);
  assert.equal(afterCount!.n, before!.n);

  // a room that does not exist is refused the same way
  const s3 = await rawConnected(stranger.cookie);
  s3.send('SUBSCRIBE', { id: 'y', destination: '/topic/chat/999999' });
  await s3.next('ERROR');
  await s3.closed;
});

test('/user/queue/notifications delivers only the connected user\'s notifications', async () => {
  const mine = await connectStomp(url, lender.cookie);
  const theirs = await connectStomp(url, stranger.cookie);
  const lenderGot: IMessage[] = [];
  const strangerGot: IMessage[] = [];
  await mine.subscribe('/user/queue/notifications', (m) => lenderGot.push(m));
  await theirs.subscribe('/user/queue/notifications', (m) => strangerGot.push(m));
  await ctx.deps.notifications.notify({ memberId: lender.id, type: 'REVIEW', title: '새 후기가 도착했어요', targetType: 'REVIEW', targetId: 1 });
  await waitFor(() => lenderGot.length === 1, 'notification');
  const n = JSON.parse(lenderGot[0].body);
  assert.equal(n.memberId, lender.id);
  assert.equal(n.type, 'REVIEW');
  assert.equal(n.readAt, null);
  assert.match(n.createdAt, /^\d{4}-\d\d-\d\dT/);
  // a chat message from the borrower notifies the lender live too; the stranger hears nothing
  await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/read-all`, headers: { cookie: lender.cookie } });
  const b = await connectStomp(url, borrower.cookie);
  await b.send(`/app/chat/${roomId}`, { clientId: crypto.randomUUID(), content: '알림 확인용' });
  await waitFor(() => lenderGot.length === 2, 'chat notification');
  assert.equal(JSON.parse(lenderGot[1].body).type, 'CHAT_MESSAGE');
  // barrier instead of a sleep: a notice of the stranger's own, published after the chat message, arrives
  // through the same bus; by then anything meant for the lender would have arrived too
  await ctx.deps.notifications.notify({ memberId: stranger.id, type: 'REVIEW', title: '표식', targetType: 'REVIEW', targetId: 2 });
  await waitFor(() => strangerGot.length >= 1, 'the stranger\'s own notice');
  assert.deepEqual(strangerGot.map((m) => JSON.parse(m.body).title), ['표식']);
  await Promise.all([mine.close(), theirs.close(), b.close()]);
});

test('/user/queue/chat carries my rooms\' messages and read pointers', async () => {
  const l = await connectStomp(url, lender.cookie);
  const events: any[] = [];
  await l.subscribe('/user/queue/chat', (m) => events.push(JSON.parse(m.body)));
  const res = await ctx.app.inject({
    method: 'POST', url: `/api/v1/chats/${roomId}/messages`, headers: { cookie: borrower.cookie },
    payload: { clientId: crypto.randomUUID(), content: 'REST 로 보낸 메시지' },
  });
  assert.equal(res.statusCode, 201);
  await waitFor(() => events.some((e) => e.kind === 'chat-message' && e.message.content === 'REST 로 보낸 메시지'), 'chat event');
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/chats/${roomId}/read`, headers: { cookie: lender.cookie }, payload: { seq: res.json().seq } });
  await waitFor(() => events.some((e) => e.kind === 'chat-read' && e.memberId === lender.id && e.unreadCount === 0), 'read event');
  await l.close();
});

test('a session that ended (logout) can no longer send', async () => {
  const u = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '로그아웃 테스트 물건');
  const room = (await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: u.cookie }, payload: { postId } })).json();
  const raw = await rawConnected(u.cookie);
  await ctx.app.inject({ method: 'POST', url: '/api/v1/members/logout', headers: { cookie: u.cookie } });
  raw.send('SEND', { destination: `/app/chat/${room.id}` }, JSON.stringify({ clientId: crypto.randomUUID(), content: '로그아웃 후' }));
  const err = await raw.next('ERROR');
  assert.match(err.headers.message, /세션/);
  await raw.closed;
});

test('a ban closes the member\'s open sockets, even idle ones', async () => {
  const u = await ctx.signUp();
  const admin = await ctx.admin();
  const raw = await rawConnected(u.cookie);
  raw.send('SUBSCRIBE', { id: 'n', destination: '/user/queue/notifications', receipt: 'ok' });
  await raw.next('RECEIPT');
  const ban = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/members/${u.id}/ban`, headers: { cookie: admin.cookie }, payload: { reason: '스팸' } });
  assert.equal(ban.statusCode, 200);
  const err = await raw.next('ERROR');
  assert.match(err.headers.message, /세션/);
  await raw.closed;
  assert.equal(await upgradeStatus(url, { cookie: u.cookie }), 401);
});

test('graceful close ends every session with 1012 so clients reconnect elsewhere', async () => {
  const other = await createTestContext({ env: { STOMP_HEARTBEAT_MS: '0' } });
  const address = await other.app.listen({ port: 0, host: '127.0.0.1' });
  const u = await other.signUp();
  const raw = await rawStomp(`${address.replace('http', 'ws')}/ws`, u.cookie);
  raw.sendRaw(connectFrame());
  await raw.next('CONNECTED');
  const closing = other.close();
  assert.equal((await raw.closed).code, 1012);
  await closing;
});
