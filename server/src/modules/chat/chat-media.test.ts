// Chat photos, 약속 cards with their reminder, and the gentle warnings (issue 12 point 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, jpeg, jpegWithGps, multipart } from '../../../test/factories.ts';
import { chatJobs } from './jobs.ts';
import { CHAT_WARNINGS } from './warnings.ts';

type User = { id: number; cookie: string };
let ctx: TestContext;
let lender: User, borrower: User, stranger: User;
let roomId: number;
/** the test's clock: the service and the reminder job read time only from here */
let now = new Date('2026-12-01T09:00:00Z');

before(async () => {
  ctx = await createTestContext({ clock: { now: () => now } });
  lender = await ctx.signUp('사진빌려주는이');
  borrower = await ctx.signUp('사진빌리는이');
  stranger = await ctx.signUp('사진구경꾼');
  const postId = await insertPost(ctx.deps.db, lender.id, '캠핑 의자 두 개');
  roomId = (await api('POST', '/chats', borrower, { postId })).json().id;
});
after(() => ctx.close());

function api(method: 'GET' | 'POST', url: string, user?: User, payload?: unknown) {
  return ctx.app.inject({ method, url: `/api/v1${url}`, headers: user ? { cookie: user.cookie } : {}, payload: payload as any });
}
function sendPhoto(user: User | undefined, image: Buffer, clientId: string = crypto.randomUUID(), room = roomId) {
  const body = multipart([{ name: 'clientId', value: clientId }, { name: 'image', value: image, filename: 'photo.jpg' }]);
  return ctx.app.inject({
    method: 'POST', url: `/api/v1/chats/${room}/photos`, payload: body.payload,
    headers: { ...body.headers, ...(user ? { cookie: user.cookie } : {}) },
  });
}
const messageCount = async () => (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]))!.n;

test('a chat photo: checked like a listing image, EXIF stripped, served only to the room\'s members', async () => {
  const gps = await jpegWithGps();
  const clientId = crypto.randomUUID();
  const res = await sendPhoto(borrower, gps, clientId);
  assert.equal(res.statusCode, 201, res.body);
  const message = res.json();
  assert.equal(message.kind, 'PHOTO');
  assert.equal(message.photo.width, 120);
  assert.match(message.photo.url, new RegExp(`^/api/v1/chats/${roomId}/photos/${message.id}$`));
  // the other member sees it in the history and can load it; the stored copy has no EXIF (GPS)
  const history = (await api('GET', `/chats/${roomId}/messages`, lender)).json();
  assert.equal(history.items.at(-1).photo.url, message.photo.url);
  const image = await ctx.app.inject({ method: 'GET', url: message.photo.url, headers: { cookie: lender.cookie } });
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/jpeg');
  assert.match(String(image.headers['cache-control']), /^private/);
  assert.equal((await sharp(image.rawPayload).metadata()).exif, undefined);
  // a retried upload (same clientId) is the same message, and its extra file is not kept
  const retry = await sendPhoto(borrower, gps, clientId);
  assert.equal(retry.statusCode, 200);
  assert.equal(retry.json().id, message.id);

  // nobody else: not a stranger, not without a login, not through the public /media path
  assert.equal((await ctx.app.inject({ method: 'GET', url: message.photo.url, headers: { cookie: stranger.cookie } })).statusCode, 404);
  assert.equal((await ctx.app.inject({ method: 'GET', url: message.photo.url })).statusCode, 401);
  const key = (await ctx.deps.db.one<{ photo_path: string }>('SELECT photo_path FROM chat_messages WHERE id = $1', [message.id]))!.photo_path;
  assert.match(key, /^chat\//);
  assert.equal((await ctx.app.inject({ method: 'GET', url: `/media/${key}` })).statusCode, 404);
  // a photo id of another room is not found through this room
  assert.equal((await ctx.app.inject({ method: 'GET', url: `/api/v1/chats/${roomId + 1000}/photos/${message.id}`, headers: { cookie: borrower.cookie } })).statusCode, 404);
});

test('chat photo refusals: 12 MB → 413, a fake image → 400, a stranger → 404, no login → 401; nothing stored', async () => {
  const before = await messageCount();
  const big = Buffer.concat([await jpeg(), crypto.randomBytes(12 * 1024 * 1024)]);
  const tooBig = await sendPhoto(borrower, big);
  assert.equal(tooBig.statusCode, 413);
  assert.equal(tooBig.json().code, 'FILE_TOO_LARGE');
  const fake = await sendPhoto(borrower, Buffer.from('GIF89a 가짜 이미지입니다'));
  assert.equal(fake.statusCode, 400);
  assert.equal(fake.json().code, 'INVALID_IMAGE');
  assert.equal((await sendPhoto(stranger, await jpeg())).statusCode, 404);
  assert.equal((await sendPhoto(undefined, await jpeg())).statusCode, 401);
  assert.equal((await sendPhoto(borrower, await jpeg(), 'not-a-uuid')).json().code, 'INVALID_CLIENT_ID');
  const noFile = multipart([{ name: 'clientId', value: crypto.randomUUID() }]);
  const missing = await ctx.app.inject({ method: 'POST', url: `/api/v1/chats/${roomId}/photos`, payload: noFile.payload, headers: { ...noFile.headers, cookie: borrower.cookie } });
  assert.equal(missing.json().code, 'IMAGE_REQUIRED');
  const json = await api('POST', `/chats/${roomId}/photos`, borrower, { clientId: crypto.randomUUID() });
  assert.equal(json.statusCode, 415);
  assert.equal(await messageCount(), before);
  const files = await ctx.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM chat_messages WHERE photo_path IS NOT NULL");
  assert.equal(files!.n, 1);
});

test('a 약속 card: proposed by one side, accepted by the other, reminded to both an hour before, once', async () => {
  const meetAt = new Date(now.getTime() + 5 * 3_600_000).toISOString();
  const proposed = await api('POST', `/chats/${roomId}/appointments`, borrower, {
    clientId: crypto.randomUUID(), meetAt, place: '망원역 2번 출구', neighbourhoodCode: '1144069000',
  });
  assert.equal(proposed.statusCode, 201, proposed.body);
  const card = proposed.json();
  assert.equal(card.kind, 'APPOINTMENT');
  assert.equal(card.appointment.status, 'PROPOSED');
  assert.equal(card.appointment.place, '망원역 2번 출구');
  assert.equal(card.appointment.neighbourhood.code, '1144069000');
  assert.ok(card.appointment.neighbourhood.name.length > 0);
  assert.match(card.content, /^약속 제안: 12월 1일 \(화\) 오후 11:00, 망원역 2번 출구$/);
  const appointmentId = card.appointment.id;

  // the proposer cannot accept their own card; a stranger cannot see the room
  const own = await api('POST', `/chats/${roomId}/appointments/${appointmentId}/accept`, borrower, { clientId: crypto.randomUUID() });
  assert.equal(own.statusCode, 403);
  assert.equal((await api('POST', `/chats/${roomId}/appointments/${appointmentId}/accept`, stranger, { clientId: crypto.randomUUID() })).statusCode, 404);
  assert.equal((await api('POST', `/chats/${roomId}/appointments/999999/accept`, lender, { clientId: crypto.randomUUID() })).statusCode, 404);

  const acceptId = crypto.randomUUID();
  const accepted = await api('POST', `/chats/${roomId}/appointments/${appointmentId}/accept`, lender, { clientId: acceptId });
  assert.equal(accepted.statusCode, 201, accepted.body);
  assert.equal(accepted.json().appointment.status, 'ACCEPTED');
  assert.equal(accepted.json().content, '약속을 수락했어요');
  // a retry of the same accept is the same message; a second accept is a conflict
  assert.equal((await api('POST', `/chats/${roomId}/appointments/${appointmentId}/accept`, lender, { clientId: acceptId })).statusCode, 200);
  const again = await api('POST', `/chats/${roomId}/appointments/${appointmentId}/accept`, lender, { clientId: crypto.randomUUID() });
  assert.equal(again.statusCode, 409);
  // the original card now shows the accepted state too
  const history = (await api('GET', `/chats/${roomId}/messages`, borrower)).json().items;
  assert.equal(history.find((m: any) => m.id === card.id).appointment.status, 'ACCEPTED');

  // the reminder job, driven by the clock: nothing 2 hours before; both sides 59 minutes before; never twice
  const job = chatJobs.find((j) => j.name === 'chat-appointment-reminders')!;
  const reminders = async () =>
    (await ctx.deps.db.query<{ member_id: number; body: string }>(
      "SELECT member_id, body FROM notifications WHERE type = 'CHAT_APPOINTMENT' AND target_id = $1 ORDER BY member_id", [roomId],
    ));
  now = new Date(Date.parse(meetAt) - 2 * 3_600_000);
  assert.deepEqual(await job.run({ deps: ctx.deps, now }), { reminded: 0 });
  now = new Date(Date.parse(meetAt) - 59 * 60_000);
  assert.deepEqual(await job.run({ deps: ctx.deps, now }), { reminded: 1 });
  const sent = await reminders();
  assert.deepEqual(sent.map((r) => Number(r.member_id)), [lender.id, borrower.id].sort((a, b) => a - b));
  assert.match(sent[0].body, /캠핑 의자 두 개.*망원역 2번 출구/);
  assert.deepEqual(await Promise.all([job.run({ deps: ctx.deps, now }), job.run({ deps: ctx.deps, now })]), [{ reminded: 0 }, { reminded: 0 }]);
  assert.equal((await reminders()).length, 2);
});

test('약속 bad input: 400 for a past, too distant or malformed time, an empty place or an unknown 동; nothing stored', async () => {
  const before = await messageCount();
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const cases: [string, Record<string, unknown>, number, string?][] = [
    ['past', { meetAt: at(-60_000), place: '역 앞' }, 400, 'MEET_AT_PAST'],
    ['too far', { meetAt: at(61 * 24 * 3_600_000), place: '역 앞' }, 400, 'MEET_AT_TOO_FAR'],
    ['not a time', { meetAt: '내일 3시', place: '역 앞' }, 400],
    ['blank place', { meetAt: at(3_600_000), place: '   ' }, 400, 'PLACE_REQUIRED'],
    ['long place', { meetAt: at(3_600_000), place: '가'.repeat(101) }, 400],
    ['unknown 동', { meetAt: at(3_600_000), place: '역 앞', neighbourhoodCode: '9999999999' }, 400, 'UNKNOWN_NEIGHBOURHOOD'],
    ['extra field', { meetAt: at(3_600_000), place: '역 앞', price: 1 }, 400],
  ];
  for (const [name, body, status, code] of cases) {
    const res = await api('POST', `/chats/${roomId}/appointments`, borrower, { clientId: crypto.randomUUID(), ...body });
    assert.equal(res.statusCode, status, `${name}: ${res.body}`);
    if (code) assert.equal(res.json().code, code, name);
  }
  const ok = { clientId: crypto.randomUUID(), meetAt: at(3_600_000), place: '역 앞' };
  assert.equal((await api('POST', `/chats/${roomId}/appointments`, stranger, ok)).statusCode, 404);
  assert.equal((await api('POST', `/chats/${roomId}/appointments`, undefined, ok)).statusCode, 401);
  assert.equal(await messageCount(), before);
});

test('a gentle warning rides on messages with a phone number, an account number or an off-platform payment request', async () => {
  const said = async (content: string) => (await api('POST', `/chats/${roomId}/messages`, borrower, { clientId: crypto.randomUUID(), content })).json();
  assert.equal((await said('제 번호는 010-1234-5678 이에요')).warning, CHAT_WARNINGS.phone);
  assert.equal((await said('국민은행 123456-01-234567 로 보내주세요')).warning, CHAT_WARNINGS.account);
  assert.equal((await said('예약 말고 선입금 주시면 바로 드릴게요')).warning, CHAT_WARNINGS.offPlatform);
  assert.equal((await said('카톡으로 얘기해요')).warning, CHAT_WARNINGS.offPlatform);
  // ordinary talk about dates, prices and times carries none
  for (const content of ['12월 5일 오후 3시에 뵐게요', '2026-12-05 에 반납할게요', '하루 30000원 맞나요?', '안녕하세요!']) {
    assert.equal((await said(content)).warning, null, content);
  }
  // the warning is there for the other side too, in the history
  const last = (await api('GET', `/chats/${roomId}/messages?limit=6`, lender)).json().items;
  assert.equal(last[0].warning, CHAT_WARNINGS.offPlatform);
});
