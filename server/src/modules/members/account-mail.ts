// Links sent by mail: address verification and password reset (issue 12 point 8).
// A link carries a random token; only its SHA-256 is stored. It works once and for LINK_TTL_MINUTES.
// Asking for a reset never tells whether an account exists: the answer is the same either way.
import crypto from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { mailService } from '../mail/service.ts';
import { membersRepository, type EmailTokenPurpose } from './repository.ts';
import { hashPassword } from './service.ts';

export const LINK_TTL_MINUTES = 30;

const newToken = () => crypto.randomBytes(32).toString('base64url');
const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

const invalidLink = () => badRequest('INVALID_LINK', '링크가 올바르지 않거나 이미 사용되었거나 만료되었습니다. 새 메일을 요청해 주세요');

export function accountMail(deps: Deps) {
  const members = membersRepository(deps.db);
  const mail = mailService(deps);
  const { publicUrl } = deps.config.mail;

  /** Stores a fresh link for the member (earlier unused ones of the same purpose stop working) and returns its URL. */
  async function issueLink(memberId: number, purpose: EmailTokenPurpose, page: string): Promise<string> {
    const token = newToken();
    const expiresAt = new Date(deps.clock.now().getTime() + LINK_TTL_MINUTES * 60_000);
    await members.replaceToken(memberId, purpose, tokenHash(token), expiresAt);
    return `${publicUrl}${page}?token=${token}`;
  }

  return {
    /** Mails a verification link (after sign-up, or when the member asks again). 409 when already verified. */
    async sendVerification(memberId: number): Promise<void> {
      const m = await members.byId(memberId);
      if (!m) return;
      if (m.email_verified_at) throw conflict('ALREADY_VERIFIED', '이미 인증된 이메일입니다');
      const link = await issueLink(m.id, 'VERIFY_EMAIL', '/verify-email');
      await mail.queue([{
        to: m.email,
        subject: '[취밋] 이메일 주소를 확인해 주세요',
        body: [
          `${m.nickname}님, 취밋에 오신 것을 환영해요.`,
          `아래 링크를 열면 이메일 인증이 끝나요 (${LINK_TTL_MINUTES}분 동안, 한 번만 쓸 수 있어요).`,
          '',
          link,
          '',
          '가입한 적이 없다면 이 메일은 무시해 주세요.',
        ].join('\n'),
        link,
      }]);
    },

    /** Marks the address verified; the link's owner need not be logged in (it may open on another device). */
    async confirmVerification(token: string): Promise<number> {
      const now = deps.clock.now();
      const memberId = await members.useToken(tokenHash(token), 'VERIFY_EMAIL', now);
      if (!memberId) throw invalidLink();
      await members.markEmailVerified(memberId, now);
      return memberId;
    },

    /** Mails a reset link when the address belongs to an active member; otherwise does nothing, silently. */
    async requestPasswordReset(emailRaw: string): Promise<void> {
      const m = await members.byEmail(emailRaw.trim().toLowerCase());
      if (!m || m.banned_at) return;
      const link = await issueLink(m.id, 'RESET_PASSWORD', '/reset-password');
      await mail.queue([{
        to: m.email,
        subject: '[취밋] 비밀번호 재설정 안내',
        body: [
          `${m.nickname}님, 비밀번호 재설정을 요청하셨어요.`,
          `아래 링크에서 새 비밀번호를 정해 주세요 (${LINK_TTL_MINUTES}분 동안, 한 번만 쓸 수 있어요).`,
          '',
          link,
          '',
          '요청한 적이 없다면 이 메일은 무시해 주세요. 비밀번호는 그대로예요.',
        ].join('\n'),
        link,
      }]);
    },

    /**
     * Sets the new password and ends every session of the member, open WebSockets included (the
     * session store announces it: realtime/revocation.ts). The link also proves the address.
     */
    async resetPassword(token: string, password: string): Promise<number> {
      const passwordHash = await hashPassword(password);
      const now = deps.clock.now();
      const memberId = await deps.db.transaction(async (tx) => {
        const repo = membersRepository(tx);
        const id = await repo.useToken(tokenHash(token), 'RESET_PASSWORD', now);
        if (!id) return null;
        await repo.setPasswordHash(id, passwordHash);
        await repo.markEmailVerified(id, now);
        return id;
      });
      if (!memberId) throw invalidLink();
      await deps.sessions.destroyAllFor(memberId);
      return memberId;
    },
  };
}
