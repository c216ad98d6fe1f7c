import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, cookieOf, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ env: { LOGIN_RATE_LIMIT_MAX: '5' } });
});
after(() => ctx.close());

const signUpBody = (n: string) => ({ email: `u${Buffer.from(n).toString('hex')}@example.com`, password: 'password123', nickname: n });

test('sign up logs in, sets an HttpOnly SameSite cookie and hides the password', async () => {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload: signUpBody('가입자1') });
  assert.equal(res.statusCode, 201);
  const setCookie = String(res.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  const body = res.json();
  assert.equal(body.nickname, '가입자1');
  assert.equal(body.role, 'USER');
  assert.equal(body.password_hash, undefined);
  const me = await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: cookieOf(res.headers['set-cookie']) } });
  assert.equal(me.json().email, signUpBody('가입자1').email);
});

test('sign up rejects bad input with problem+json and stores nothing', async () => {
  const cases = [
    { email: 'not-an-email', password: 'password123', nickname: '닉' + 'a' },
    { email: 'short@example.com', password: 'short', nickname: '짧은비번' },
    { email: 'x@example.com', password: 'password123' },
    { email: 'x@example.com', password: 12345678, nickname: '숫자비번' },
    { email: 'x@example.com', password: 'password123', nickname: 'a'.repeat(50) },
    { email: 'x@example.com', password: 'password123', nickname: '공백 닉네임' },
  ];
  for (const payload of cases) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const count = await ctx.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE email = 'x@example.com'");
  assert.equal(count!.n, 0);
});

test('duplicate email and nickname are 409, nickname check reflects it', async () => {
  await ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload: signUpBody('중복이') });
  const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload: signUpBody('중복이') });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'EMAIL_TAKEN');
  const nick = await ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload: { ...signUpBody('중복이'), email: 'other@example.com' } });
  assert.equal(nick.json().code, 'NICKNAME_TAKEN');
  const check = await ctx.app.inject({ url: `/api/v1/members/check-nickname?nickname=${encodeURIComponent('중복이')}` });
  assert.deepEqual(check.json(), { nickname: '중복이', available: false });
  const free = await ctx.app.inject({ url: `/api/v1/members/check-nickname?nickname=${encodeURIComponent('새닉네임')}` });
  assert.equal(free.json().available, true);
});

test('login, wrong password, logout revokes every session', async () => {
  const u = await ctx.signUp();
  const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: 'wrong-password' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().code, 'BAD_CREDENTIALS');
  const a = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: u.password } });
  const b = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email.toUpperCase(), password: u.password } });
  assert.equal(a.statusCode, 200);
  assert.equal(b.statusCode, 200);
  const cookieA = cookieOf(a.headers['set-cookie']);
  const cookieB = cookieOf(b.headers['set-cookie']);
  const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/logout', headers: { cookie: cookieA } });
  assert.equal(out.statusCode, 204);
  for (const cookie of [cookieA, cookieB, u.cookie]) {
    const me = await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie } });
    assert.equal(me.statusCode, 401);
  }
});

test('login is rate limited per address and email', async () => {
  const u = await ctx.signUp();
  let last = 0;
  for (let i = 0; i < 6; i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: 'nope-nope' } });
    last = res.statusCode;
  }
  assert.equal(last, 429);
  const blocked = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: u.password } });
  assert.equal(blocked.statusCode, 429);
  assert.equal(blocked.json().code, 'TOO_MANY_ATTEMPTS');
  assert.ok(Number(blocked.headers['retry-after']) > 0);
});

test('sign-up is rate limited per address', async () => {
  const limited = await createTestContext({ env: { SIGNUP_RATE_LIMIT_MAX: '2' } });
  try {
    const statuses: number[] = [];
    for (const n of ['제한1', '제한2', '제한3']) {
      statuses.push((await limited.app.inject({ method: 'POST', url: '/api/v1/members', payload: signUpBody(n) })).statusCode);
    }
    assert.deepEqual(statuses, [201, 201, 429]);
    const stored = await limited.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE nickname = '제한3'");
    assert.equal(stored!.n, 0);
  } finally {
    await limited.close();
  }
});

test('profile edit and public profile; others cannot see private fields', async () => {
  const u = await ctx.signUp();
  const region = await ctx.deps.db.one<{ id: number }>("SELECT id FROM regions WHERE name = '마포구'");
  const patched = await ctx.app.inject({
    method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: u.cookie },
    payload: { phone: '010-1234-5678', address: '서울 마포구 어딘가', regionId: region!.id },
  });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().region.name, '마포구');
  const bad = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: u.cookie }, payload: { regionId: 999999 } });
  assert.equal(bad.statusCode, 400);
  const extra = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: u.cookie }, payload: { role: 'ADMIN' } });
  assert.equal(extra.statusCode, 400);
  const pub = await ctx.app.inject({ url: `/api/v1/members/${u.id}` });
  assert.equal(pub.statusCode, 200);
  assert.equal(pub.json().phone, undefined);
  assert.equal(pub.json().email, undefined);
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/abc' })).statusCode, 400);
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/99999999' })).statusCode, 404);
  assert.equal((await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', payload: {} })).statusCode, 401);
});

test('ban: only admins; sessions end at once and login is refused; unban restores', async () => {
  const u = await ctx.signUp();
  const other = await ctx.signUp();
  const admin = await ctx.admin();
  const byUser = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/members/${u.id}/ban`, headers: { cookie: other.cookie }, payload: { reason: '사기' } });
  assert.equal(byUser.statusCode, 403);
  const anon = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/members/${u.id}/ban`, payload: { reason: '사기' } });
  assert.equal(anon.statusCode, 401);
  const ban = await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/members/${u.id}/ban`, headers: { cookie: admin.cookie }, payload: { reason: '사기' } });
  assert.equal(ban.statusCode, 200);
  assert.equal(ban.json().banned, true);
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: u.cookie } })).statusCode, 401);
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: u.password } });
  assert.equal(login.statusCode, 403);
  assert.equal(login.json().code, 'MEMBER_BANNED');
  await ctx.app.inject({ method: 'POST', url: `/api/v1/adm/members/${u.id}/unban`, headers: { cookie: admin.cookie } });
  const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/members/login', payload: { email: u.email, password: u.password } });
  assert.equal(again.statusCode, 200);
});

test('conventions: health, readiness, openapi, docs, unknown route', async () => {
  assert.equal((await ctx.app.inject({ url: '/healthz' })).statusCode, 200);
  const ready = await ctx.app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  // the machine's PostgreSQL has no pgvector (TEST_DB=postgres); PGlite always has it
  assert.equal(ready.json().checks.vector, ctx.deps.db.kind === 'pglite' ? 'ok' : 'unavailable');
  const spec = await ctx.app.inject({ url: '/openapi.json' });
  assert.equal(spec.statusCode, 200);
  assert.ok(spec.json().paths['/api/v1/members']);
  assert.equal((await ctx.app.inject({ url: '/docs' })).statusCode < 400, true);
  const missing = await ctx.app.inject({ url: '/api/v1/nothing-here' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'NOT_FOUND');
  const badJson = await ctx.app.inject({ method: 'POST', url: '/api/v1/members', headers: { 'content-type': 'application/json' }, payload: '{bad' });
  assert.equal(badJson.statusCode, 400);
  assert.ok(missing.headers['x-request-id']);
});

test('session: a guest gets member null (200, not 401), a member gets their own profile', async () => {
  const guest = await ctx.app.inject({ url: '/api/v1/members/session' });
  assert.equal(guest.statusCode, 200);
  assert.deepEqual(guest.json(), { member: null });
  const u = await ctx.signUp();
  const mine = await ctx.app.inject({ url: '/api/v1/members/session', headers: { cookie: u.cookie } });
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.json().member.id, u.id);
  assert.equal(mine.json().member.email, u.email);
  assert.equal(mine.json().member.password, undefined);
  // an ended session is a guest again
  await ctx.app.inject({ method: 'POST', url: '/api/v1/members/logout', headers: { cookie: u.cookie } });
  assert.deepEqual((await ctx.app.inject({ url: '/api/v1/members/session', headers: { cookie: u.cookie } })).json(), { member: null });
});

test('phone: only Korean mobile numbers, stored as 010-1234-5678; a refused number changes nothing', async () => {
  const u = await ctx.signUp();
  const patch = (phone: unknown) => ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: u.cookie }, payload: { phone } });
  const accepted: [string, string][] = [
    ['010-1234-5678', '010-1234-5678'],
    ['01098765432', '010-9876-5432'],
    ['010 2222 3333', '010-2222-3333'],
    ['+82 10-1234-5678', '010-1234-5678'],
    ['011-123-4567', '011-123-4567'],
    ['016-1234-5678', '016-1234-5678'],
  ];
  for (const [input, stored] of accepted) {
    const res = await patch(input);
    assert.equal(res.statusCode, 200, input);
    assert.equal(res.json().phone, stored, input);
  }
  for (const input of ['010-1234-567', '010-123-4567', '02-123-4567', '012-1234-5678', '010-1234-56789', '1234567', '+1 415 555 0100']) {
    const res = await patch(input);
    assert.equal(res.statusCode, 400, input);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  }
  const refused = await patch('010-1234-567');
  assert.equal(refused.json().code, 'INVALID_PHONE');
  assert.match(refused.json().detail, /010-1234-5678/);
  const me = await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: u.cookie } });
  assert.equal(me.json().phone, '016-1234-5678');
  assert.equal((await patch(null)).json().phone, null);
});
