// E-mail (issue 12 point 8) against a real SMTP server started here (smtp-server): the app queues each
// mail, the real scheduler's mail-send job (nudged by the request) delivers it, and the test reads the
// received message and follows its link — as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, cookieOf, type TestContext } from '../../../test/helpers.ts';
import { linkIn, parseMail, startSmtpServer, type TestSmtpServer } from '../../../test/mail.ts';
import type { Scheduler } from '../../jobs/scheduler.ts';
import { mailJobs } from '../mail/jobs.ts';
import { MAIL_MAX_ATTEMPTS, mailService } from '../mail/service.ts';
import { connectStomp, waitFor } from '../../../test/factories.ts';

let smtp: TestSmtpServer;
let ctx: TestContext;
let scheduler: Scheduler;
/** the app's clock runs this far ahead of real time (link expiry) */
let clockOffsetMs = 0;
let ip = 0;
/** each test asks from its own address, so the per-address mail limit is only met where a test wants it */
const nextIp = () => `10.0.0.${++ip}`;

before(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext({
    env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://chwimeet.example', MAIL_LINK_RATE_LIMIT_MAX: '3', STOMP_SESSION_CHECK_MS: '600000' },
    clock: { now: () => new Date(Date.now() + clockOffsetMs) },
    jobs: { definitions: mailJobs, workers: true, pollingIntervalSeconds: 1 },
  });
  scheduler = ctx.deps.jobs;
  await scheduler.start();
});
after(async () => {
  await scheduler?.stop();
  await ctx?.close();
  await smtp?.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}, remoteAddress = nextIp()) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers, remoteAddress });

const tokenOf = (link: URL) => link.searchParams.get('token')!;

test('sign-up mails a verification link; following it verifies the address, once', async () => {
  const u = await ctx.signUp();
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: u.cookie } })).json().emailVerified, false);
  const mail = await smtp.waitFor(u.email);
  assert.equal(mail.subject, '[취밋] 이메일 주소를 확인해 주세요');
  const link = linkIn(mail, '/verify-email');
  assert.equal(link.origin, 'https://chwimeet.example');
  // no login needed: the link may be opened on another device
  const ok = await post('/members/email-verification/confirm', { token: tokenOf(link) });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { verified: true });
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: u.cookie } })).json().emailVerified, true);
  const again = await post('/members/email-verification/confirm', { token: tokenOf(link) });
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'INVALID_LINK');
  // nothing left to verify
  const resend = await post('/members/me/email-verification', {}, { cookie: u.cookie });
  assert.equal(resend.statusCode, 409);
  assert.equal(resend.json().code, 'ALREADY_VERIFIED');
  assert.equal((await post('/members/me/email-verification', {})).statusCode, 401);
});

test('a new verification mail replaces the old link', async () => {
  const u = await ctx.signUp();
  const first = linkIn(await smtp.waitFor(u.email), '/verify-email');
  const resend = await post('/members/me/email-verification', {}, { cookie: u.cookie });
  assert.equal(resend.statusCode, 202);
  const second = linkIn(await smtp.waitFor(u.email), '/verify-email');
  assert.equal((await post('/members/email-verification/confirm', { token: tokenOf(first) })).statusCode, 400);
  assert.equal((await post('/members/email-verification/confirm', { token: tokenOf(second) })).statusCode, 200);
});

test('password reset by mail: new password works, old one and every session (live socket too) end, link works once', async () => {
  const u = await ctx.signUp();
  await smtp.waitFor(u.email); // the verification mail of the sign-up
  const other = await post('/members/login', { email: u.email, password: u.password });
  const otherCookie = cookieOf(other.headers['set-cookie']);
  const base = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const socket = await connectStomp(`${base.replace('http', 'ws')}/ws`, u.cookie);
  let socketClosed = false;
  socket.client.onWebSocketClose = () => (socketClosed = true);

  const asked = await post('/members/password-reset', { email: `  ${u.email.toUpperCase()} ` });
  assert.equal(asked.statusCode, 202);
  const mail = await smtp.waitFor(u.email);
  assert.equal(mail.subject, '[취밋] 비밀번호 재설정 안내');
  assert.match(mail.text, /30분/);
  const token = tokenOf(linkIn(mail, '/reset-password'));
  // only the token's hash is stored
  const stored = await ctx.deps.db.query<{ token_hash: string }>("SELECT token_hash FROM email_tokens WHERE purpose = 'RESET_PASSWORD'");
  assert.ok(stored.length > 0 && stored.every((r) => r.token_hash !== token && !r.token_hash.includes(token)));
  // the delivered mail's body is not kept either
  const outbox = await ctx.deps.db.query<{ body: string; status: string }>(
    "SELECT body, status FROM mail_outbox WHERE to_address = $1 AND subject LIKE '%비밀번호%'", [u.email]);
  assert.deepEqual(outbox, [{ body: '', status: 'SENT' }]);

  const reset = await post('/members/password-reset/confirm', { token, password: 'a-new-password-1' });
  assert.equal(reset.statusCode, 204);
  for (const cookie of [u.cookie, otherCookie]) {
    assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } })).statusCode, 401);
  }
  await waitFor(() => socketClosed, 'the open WebSocket of the member is closed');
  await socket.close();
  assert.equal((await post('/members/login', { email: u.email, password: u.password })).statusCode, 401);
  const login = await post('/members/login', { email: u.email, password: 'a-new-password-1' });
  assert.equal(login.statusCode, 200);
  // following the reset link proved the address too
  assert.equal(login.json().emailVerified, true);
  const twice = await post('/members/password-reset/confirm', { token, password: 'yet-another-password' });
  assert.equal(twice.statusCode, 400);
  assert.equal(twice.json().code, 'INVALID_LINK');
});

test('asking for a reset tells nothing about whether the address has an account', async () => {
  const u = await ctx.signUp();
  const known = await post('/members/password-reset', { email: u.email });
  const unknown = await post('/members/password-reset', { email: 'nobody-here@example.com' });
  assert.equal(known.statusCode, 202);
  assert.equal(unknown.statusCode, 202);
  assert.deepEqual(known.json(), unknown.json());
  const queued = await ctx.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM mail_outbox WHERE to_address = 'nobody-here@example.com'");
  assert.equal(queued!.n, 0);
});

test('a reset link expires after 30 minutes', async () => {
  const u = await ctx.signUp();
  await post('/members/password-reset', { email: u.email });
  let mail = await smtp.waitFor(u.email);
  if (!mail.subject.includes('비밀번호')) mail = await smtp.waitFor(u.email); // skip the sign-up's verification mail
  const token = tokenOf(linkIn(mail, '/reset-password'));
  clockOffsetMs += 31 * 60_000;
  const late = await post('/members/password-reset/confirm', { token, password: 'a-new-password-1' });
  assert.equal(late.statusCode, 400);
  assert.equal(late.json().code, 'INVALID_LINK');
  assert.equal((await post('/members/login', { email: u.email, password: u.password })).statusCode, 200);
});

test('bad input is a 400 and changes nothing: the link still works afterwards', async () => {
  const u = await ctx.signUp();
  await post('/members/password-reset', { email: u.email });
  let mail = await smtp.waitFor(u.email);
  if (!mail.subject.includes('비밀번호')) mail = await smtp.waitFor(u.email);
  const token = tokenOf(linkIn(mail, '/reset-password'));
  const cases: [string, object][] = [
    ['/members/password-reset', {}],
    ['/members/password-reset', { email: 'x'.repeat(201) }],
    ['/members/password-reset', { email: u.email, extra: 1 }],
    ['/members/password-reset/confirm', { token, password: 'short' }],
    ['/members/password-reset/confirm', { token: 'not a token!', password: 'a-new-password-1' }],
    ['/members/password-reset/confirm', { password: 'a-new-password-1' }],
    ['/members/email-verification/confirm', { token: 123 }],
  ];
  for (const [url, payload] of cases) {
    const res = await post(url, payload);
    assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(payload)}`);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  }
  const unknownToken = await post('/members/password-reset/confirm', { token: 'A'.repeat(43), password: 'a-new-password-1' });
  assert.equal(unknownToken.json().code, 'INVALID_LINK');
  assert.equal((await post('/members/login', { email: u.email, password: u.password })).statusCode, 200);
  assert.equal((await post('/members/password-reset/confirm', { token, password: 'a-new-password-1' })).statusCode, 204);
});

test('reset requests are rate limited per address asked for, known or not, and per caller', async () => {
  const u = await ctx.signUp();
  for (const email of [u.email, 'unknown-limited@example.com']) {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/members/password-reset', { email })).statusCode);
    assert.deepEqual(statuses, [202, 202, 202, 429], email);
  }
  const caller = nextIp();
  const fromOne: number[] = [];
  for (let i = 0; i < 4; i++) fromOne.push((await post('/members/password-reset', { email: `other${i}@example.com` }, {}, caller)).statusCode);
  assert.deepEqual(fromOne, [202, 202, 202, 429]);
  const limited = await post('/members/password-reset', { email: u.email });
  assert.equal(limited.json().code, 'TOO_MANY_ATTEMPTS');
  assert.ok(Number(limited.headers['retry-after']) > 0);
});

test('mail copies of important notifications go only to verified members who asked for them', async () => {
  const wants = await ctx.signUp();
  const unverified = await ctx.signUp();
  const silent = await ctx.signUp();
  for (const m of [wants, silent]) {
    const link = linkIn(await smtp.waitFor(m.email), '/verify-email');
    assert.equal((await post('/members/email-verification/confirm', { token: tokenOf(link) })).statusCode, 200);
  }
  await smtp.waitFor(unverified.email);
  for (const m of [wants, unverified]) {
    const on = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: m.cookie }, payload: { mailNotifications: true } });
    assert.equal(on.statusCode, 200);
    assert.equal(on.json().mailNotifications, true);
  }
  const bad = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: wants.cookie }, payload: { mailNotifications: 'yes' } });
  assert.equal(bad.statusCode, 400);

  for (const m of [wants, unverified, silent]) {
    await ctx.deps.notifications.notify({ memberId: m.id, type: 'REVIEW', title: '후기가 도착했어요' });
    await ctx.deps.notifications.notify({ memberId: m.id, type: 'RESERVATION_STATUS', title: '예약이 승인되었어요', body: '12/5 ~ 12/6 캠핑 텐트' });
  }
  const copy = await smtp.waitFor(wants.email);
  assert.equal(copy.subject, '[취밋] 예약이 승인되었어요');
  assert.match(copy.text, /12\/5 ~ 12\/6 캠핑 텐트/);
  assert.match(copy.text, /https:\/\/chwimeet\.example\/notifications/);
  // everything queued so far has been delivered; nobody else got a copy, and no review was mailed
  await waitFor(async () => (await ctx.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM mail_outbox WHERE status <> 'SENT'"))!.n === 0, 'outbox drained');
  const copies = await ctx.deps.db.query<{ to_address: string; subject: string }>(
    "SELECT to_address, subject FROM mail_outbox WHERE subject IN ('[취밋] 예약이 승인되었어요', '[취밋] 후기가 도착했어요')");
  assert.deepEqual(copies, [{ to_address: wants.email, subject: '[취밋] 예약이 승인되었어요' }]);
});

test('without SMTP the mail is an .eml file in DATA_DIR/outbox; an unreachable SMTP server is retried, then given up', async () => {
  const local = await createTestContext();
  try {
    const u = await local.signUp();
    assert.equal((await local.app.inject({ method: 'POST', url: '/api/v1/members/password-reset', payload: { email: u.email } })).statusCode, 202);
    const delivered = await mailService(local.deps).deliverDue(local.deps.clock.now());
    assert.deepEqual(delivered, { sent: 2, retrying: 0, failed: 0, transport: 'outbox' });
    const dir = local.deps.config.mail.outboxDir;
    assert.equal(dir, path.join(local.deps.config.dataDir, 'outbox'));
    const mails = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => parseMail(fs.readFileSync(path.join(dir, f), 'utf8')));
    const reset = mails.find((m) => m.subject === '[취밋] 비밀번호 재설정 안내');
    assert.ok(reset, 'the reset mail is in the outbox');
    assert.equal(reset.headers.get('to'), u.email);
    assert.equal(linkIn(reset, '/reset-password').origin, `http://localhost:${local.deps.config.port}`);
  } finally {
    await local.close();
  }

  // a port nothing listens on: the request is still answered at once, the mail waits
  const deadSmtp = await startSmtpServer();
  await deadSmtp.close();
  const failing = await createTestContext({ env: { SMTP_URL: deadSmtp.url } });
  try {
    const u = await failing.signUp();
    const [id] = await mailService(failing.deps).queue([{ to: u.email, subject: '시험', body: '본문' }]);
    let now = failing.deps.clock.now();
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      const pass = await mailService(failing.deps).deliverDue(now);
      assert.equal(pass.sent, 0);
      const row = await failing.deps.db.one<{ status: string; attempts: number; last_error: string | null; body: string }>(
        'SELECT status, attempts, last_error, body FROM mail_outbox WHERE id = $1', [id]);
      assert.equal(row!.attempts, attempt);
      assert.ok(row!.last_error);
      assert.equal(row!.status, attempt < MAIL_MAX_ATTEMPTS ? 'PENDING' : 'FAILED');
      if (attempt === MAIL_MAX_ATTEMPTS) assert.equal(row!.body, '');
      now = new Date(now.getTime() + 60 * 60_000); // past the pause before the next attempt
    }
  } finally {
    await failing.close();
  }
});
