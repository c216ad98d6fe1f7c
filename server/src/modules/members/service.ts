// Accounts: sign-up, login, profile, roles and bans.
import crypto from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import type { ProfilePatch } from './schemas.ts';
import { iso } from '../../http/wire.ts';
import { membersRepository, type MemberRow } from './repository.ts';
import { normalizeMobile } from './phone.ts';

export type { MemberRow };

function toMy(m: MemberRow) {
  return {
    id: m.id,
    email: m.email,
    nickname: m.nickname,
    role: m.role,
    phone: m.phone,
    address: m.address,
    avatarUrl: mediaUrl(m.avatar_path),
    region: m.region_id ? { id: m.region_id, name: m.region_name! } : null,
    createdAt: iso(m.created_at),
    emailVerified: m.email_verified_at !== null,
    mailNotifications: m.mail_notifications,
  };
}

function toPublic(m: MemberRow) {
  return {
    id: m.id,
    nickname: m.nickname,
    avatarUrl: mediaUrl(m.avatar_path),
    region: m.region_id ? { id: m.region_id, name: m.region_name! } : null,
    createdAt: iso(m.created_at),
    banned: m.banned_at !== null,
  };
}

const emailTaken = () => conflict('EMAIL_TAKEN', '이미 가입된 이메일입니다');
const nicknameTakenError = () => conflict('NICKNAME_TAKEN', '이미 사용 중인 닉네임입니다');

/** A lost race on members' unique indexes (email, lower(nickname)) is the same 409 as the pre-check's. */
function uniqueToConflict(err: unknown): never {
  const e = err as { code?: string; constraint?: string; detail?: string; message?: string };
  if (e?.code === '23505') {
    const where = `${e.constraint ?? ''} ${e.detail ?? ''} ${e.message ?? ''}`;
    if (where.includes('nickname')) throw nicknameTakenError();
    if (where.includes('email')) throw emailTaken();
  }
  throw err;
}

export const hashPassword = (password: string) => hash(password, { algorithm: Algorithm.Argon2id });

/**
 * An unknown email is verified against this hash (same algorithm and cost as real ones), so it takes as
 * long as a wrong password for a registered email: login time tells nothing about who has an account.
 */
let dummyHash: Promise<string> | null = null;
const timingDummyHash = () => (dummyHash ??= hashPassword(crypto.randomBytes(24).toString('base64url')));

export function membersService(deps: Deps) {
  const repo = membersRepository(deps.db);

  async function byId(id: number): Promise<MemberRow> {
    const m = await repo.byId(id);
    if (!m) throw notFound('회원');
    return m;
  }

  async function assertRegion(regionId: number | null | undefined) {
    if (regionId && !(await repo.regionExists(regionId))) {
      throw badRequest('UNKNOWN_REGION', '존재하지 않는 지역입니다');
    }
  }

  return {
    toMy,
    toPublic,
    byId,
    /** `signupIp`: the client's address, which the report rule uses to tell related accounts apart. */
    async signUp(input: { email: string; password: string; nickname: string }, role: 'USER' | 'ADMIN' = 'USER', signupIp: string | null = null) {
      const email = input.email.trim().toLowerCase();
      if (await repo.idByEmail(email)) throw emailTaken();
      if (await repo.nicknameTaken(input.nickname)) throw nicknameTakenError();
      // The checks above give the friendly answer; the unique indexes decide a race between two sign-ups.
      const id = await repo
        .insert({ email, passwordHash: await hashPassword(input.password), nickname: input.nickname, role, signupIp })
        .catch(uniqueToConflict);
      return byId(id);
    },
    async isNicknameAvailable(nickname: string) {
      return !(await repo.nicknameTaken(nickname));
    },
    /** Verifies credentials; the same answer for an unknown email and a wrong password. */
    async authenticate(emailRaw: string, password: string): Promise<MemberRow> {
      const m = await repo.byEmail(emailRaw.trim().toLowerCase());
      const ok = await verify(m?.password_hash ?? (await timingDummyHash()), password).catch(() => false);
      if (!m || !ok) throw new AppError(401, 'BAD_CREDENTIALS', '이메일 또는 비밀번호가 올바르지 않습니다');
      // the member is told why (the same reason their ban notification carries)
      if (m.banned_at) {
        throw new AppError(403, 'MEMBER_BANNED', `이용이 제한된 계정입니다. 사유: ${m.ban_reason ?? '운영 정책 위반'}`, { banReason: m.ban_reason });
      }
      return m;
    },
    async updateProfile(id: number, patch: ProfilePatch) {
      const phone = typeof patch.phone === 'string' ? normalizeMobile(patch.phone) : patch.phone;
      if (phone === null && typeof patch.phone === 'string') {
        throw badRequest('INVALID_PHONE', '휴대전화 번호를 확인해 주세요 (예: 010-1234-5678)');
      }
      if (patch.nickname !== undefined && (await repo.nicknameTaken(patch.nickname, id))) throw nicknameTakenError();
      await assertRegion(patch.regionId);
      await repo.updateProfile(id, { ...patch, phone }).catch(uniqueToConflict);
      return byId(id);
    },
    async setAvatar(id: number, avatarPath: string | null) {
      const before = await byId(id);
      await repo.setAvatar(id, avatarPath);
      return { previous: before.avatar_path };
    },
    /** Creates the admin, or promotes and re-keys an existing account with that email. */
    async ensureAdmin(email: string, password: string, nickname = '관리자') {
      const existing = await repo.idByEmail(email.trim().toLowerCase());
      if (existing) {
        await repo.promoteToAdmin(existing, await hashPassword(password));
        return byId(existing);
      }
      let nick = nickname;
      for (let i = 2; await repo.nicknameTaken(nick); i++) nick = `${nickname}${i}`;
      return this.signUp({ email, password, nickname: nick }, 'ADMIN');
    },
  };
}

export type MembersService = ReturnType<typeof membersService>;
