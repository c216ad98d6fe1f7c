import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireMember, SESSION_COOKIE } from '../../http/auth.ts';
import { createRateLimiter, enforceLimit } from '../../http/rate-limit.ts';
import { IdParams } from '../../http/wire.ts';
import {
  LoginBody, MailQueued, MyMember, Nickname, PasswordResetBody, PasswordResetRequest, ProfilePatch, SignUpBody,
  VerificationBody,
} from './schemas.ts';
import { membersService } from './service.ts';
import { accountMail } from './account-mail.ts';
import { profileExtras } from '../trust/profile.ts';
import { PublicProfile } from '../trust/schemas.ts';

const tags = ['members'];

export const membersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const members = membersService(app.deps);
  const { redis } = app.deps;
  const prefix = config.redisPrefix;
  const loginLimiter = createRateLimiter({ ...config.loginRateLimit, redis, prefix, name: 'login' });
  // every attempt from one address, whatever the email: guessing across many accounts is limited too
  const loginIpLimiter = createRateLimiter({ ...config.loginIpRateLimit, redis, prefix, name: 'login-ip' });
  const signUpLimiter = createRateLimiter({ ...config.signUpRateLimit, redis, prefix, name: 'signup' });
  // mailed links: per address of the caller and per mailbox, so nobody can flood someone's inbox
  const mailIpLimiter = createRateLimiter({ ...config.mailLinkRateLimit, redis, prefix, name: 'mail-link-ip' });
  const mailToLimiter = createRateLimiter({ ...config.mailLinkRateLimit, redis, prefix, name: 'mail-link-to' });
  const links = accountMail(app.deps);
  const MAIL_QUEUED = '입력하신 주소로 가입된 계정이 있으면 메일을 보냈어요. 메일함을 확인해 주세요';

  async function startSession(reply: FastifyReply, memberId: number) {
    const sid = await app.deps.sessions.create(memberId);
    reply.setCookie(SESSION_COOKIE, sid, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      path: '/',
      maxAge: config.sessionTtlSeconds,
    });
  }

  app.post('/members', {
    schema: { tags, summary: '회원 가입 (가입 후 바로 로그인됩니다)', body: SignUpBody, response: { 201: MyMember } },
  }, async (req, reply) => {
    const body = req.body;
    await enforceLimit(signUpLimiter, req.ip, reply, '회원 가입');
    const m = await members.signUp(body, 'USER', req.ip);
    await links.sendVerification(m.id);
    await startSession(reply, m.id);
    return reply.status(201).send(members.toMy(m));
  });

  app.get('/members/check-nickname', {
    schema: {
      tags, summary: '닉네임 사용 가능 여부',
      querystring: Type.Object({ nickname: Nickname }),
      response: { 200: Type.Object({ nickname: Type.String(), available: Type.Boolean() }) },
    },
  }, async (req) => {
    const { nickname } = req.query;
    return { nickname, available: await members.isNicknameAvailable(nickname) };
  });

  app.post('/members/login', {
    schema: { tags, summary: '로그인', body: LoginBody, response: { 200: MyMember } },
  }, async (req, reply) => {
    const { email, password } = req.body;
    const key = `${req.ip}:${email.trim().toLowerCase()}`;
    await enforceLimit(loginIpLimiter, req.ip, reply, '로그인');
    await enforceLimit(loginLimiter, key, reply, '로그인');
    const m = await members.authenticate(email, password);
    await loginLimiter.reset(key);
    await startSession(reply, m.id);
    return members.toMy(m);
  });

  app.post('/members/logout', {
    schema: { tags, summary: '로그아웃 (이 회원의 모든 세션 종료)', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    if (req.member) await app.deps.sessions.destroyAllFor(req.member.id);
    else if (req.sessionId) await app.deps.sessions.destroy(req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.post('/members/password-reset', {
    schema: {
      tags, summary: '비밀번호 재설정 메일 요청 (가입 여부와 관계없이 같은 응답)', body: PasswordResetRequest,
      response: { 202: MailQueued },
    },
  }, async (req, reply) => {
    const email = req.body.email.trim().toLowerCase();
    await enforceLimit(mailIpLimiter, req.ip, reply, '비밀번호 재설정 요청');
    await enforceLimit(mailToLimiter, email, reply, '비밀번호 재설정 요청');
    await links.requestPasswordReset(email);
    return reply.status(202).send({ message: MAIL_QUEUED });
  });

  app.post('/members/password-reset/confirm', {
    schema: {
      tags, summary: '메일의 링크로 새 비밀번호 설정 (한 번, 30분 안에; 모든 기기에서 로그아웃됨)', body: PasswordResetBody,
      response: { 204: Type.Null() },
    },
  }, async (req, reply) => {
    await links.resetPassword(req.body.token, req.body.password);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.post('/members/me/email-verification', {
    schema: { tags, summary: '이메일 인증 메일 다시 받기', response: { 202: MailQueued } },
  }, async (req, reply) => {
    const me = requireMember(req);
    await enforceLimit(mailIpLimiter, req.ip, reply, '인증 메일 요청');
    await enforceLimit(mailToLimiter, `member:${me.id}`, reply, '인증 메일 요청');
    await links.sendVerification(me.id);
    return reply.status(202).send({ message: '인증 메일을 보냈어요. 메일함을 확인해 주세요' });
  });

  app.post('/members/email-verification/confirm', {
    schema: { tags, summary: '메일의 링크로 이메일 인증 (로그인 없이도 됨)', body: VerificationBody, response: { 200: Type.Object({ verified: Type.Boolean() }) } },
  }, async (req) => {
    await links.confirmVerification(req.body.token);
    return { verified: true };
  });

  app.get('/members/me', { schema: { tags, summary: '내 정보', response: { 200: MyMember } } }, async (req) => {
    return members.toMy(await members.byId(requireMember(req).id));
  });

  // The app asks this on every start: a guest is a normal answer (null), not a 401 that browsers log as an error.
  app.get('/members/session', {
    schema: { tags, summary: '로그인 상태 (손님이면 member가 null)', response: { 200: Type.Object({ member: Type.Union([MyMember, Type.Null()]) }) } },
  }, async (req) => {
    return { member: req.member ? members.toMy(await members.byId(req.member.id)) : null };
  });

  app.patch('/members/me', {
    schema: { tags, summary: '내 정보 수정', body: ProfilePatch, response: { 200: MyMember } },
  }, async (req) => {
    const me = requireMember(req);
    return members.toMy(await members.updateProfile(me.id, req.body));
  });

  app.get('/members/:id', {
    schema: { tags, summary: '공개 프로필 (신뢰 온도, 응답률, 동네 인증)', params: IdParams, response: { 200: PublicProfile } },
  }, async (req) => {
    const m = await members.byId(req.params.id);
    return { ...members.toPublic(m), ...(await profileExtras(app.deps, m.id, req.member?.id ?? null)) };
  });
};
