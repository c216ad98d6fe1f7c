// Accounts: sign-up, login, profile, roles and bans.
import crypto from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import type { ProfilePatch } from './schemas.ts';
import { iso } from '../../http/wire.ts';

interface MemberRow {
  id: number;
  email: string;
  password_hash: string;
  nickname: string;
  role: 'USER' | 'ADMIN';
  phone: string | null;
  address: string | null;
  avatar_path: string | null;
  region_id: number | null;
  region_name: string | null;
  banned_at: Date | null;
  ban_reason: string | null;
  created_at: Date;
}

const SELECT_MEMBER = `SELECT m.*, r.name AS region_name FROM members m LEFT JOIN regions r ON r.id = m.region_id`;

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

const hashPassword = (password: string) => hash(password, { algorithm: Algorithm.Argon2id });

/**
 * An unknown email is verified against this hash (same algorithm and cost as real ones), so it takes as
 * long as a wrong password for a registered email: login time tells nothing about who has an account.
 */
let dummyHash: Promise<string> | null = null;
const timingDummyHash = () => (dummyHash ??= hashPassword(crypto.randomBytes(24).toString('base64url')));

export function membersService(deps: Deps) {
  const { db } = deps;

  async function byId(id: number): Promise<MemberRow> {
    const m = await db.one<MemberRow>(`${SELECT_MEMBER} WHERE m.id = $1`, [id]);
    if (!m) throw notFound('회원');
    return m;
  }

  async function nicknameTaken(nickname: string, exceptId = 0) {
    return !!(await db.one('SELECT 1 FROM members WHERE lower(nickname) = lower($1) AND id <> $2', [nickname, exceptId]));
  }

  async function assertRegion(regionId: number | null | undefined) {
    if (regionId && !(await db.one('SELECT 1 FROM regions WHERE id = $1', [regionId]))) {
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
      if (await db.one('SELECT 1 FROM members WHERE email = $1', [email])) throw emailTaken();
      if (await nicknameTaken(input.nickname)) throw nicknameTakenError();
      // The checks above give the friendly answer; the unique indexes decide a race between two sign-ups.
      const row = await db
        .one<{ id: number }>(
          'INSERT INTO members (email, password_hash, nickname, role, signup_ip) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [email, await hashPassword(input.password), input.nickname, role, signupIp],
        )
        .catch(uniqueToConflict);
      return byId(row!.id);
    },
    async isNicknameAvailable(nickname: string) {
      return !(await nicknameTaken(nickname));
    },
    /** Verifies credentials; the same answer for an unknown email and a wrong password. */
    async authenticate(emailRaw: string, password: string): Promise<MemberRow> {
      const m = await db.one<MemberRow>(`${SELECT_MEMBER} WHERE m.email = $1`, [emailRaw.trim().toLowerCase()]);
      const ok = await verify(m?.password_hash ?? (await timingDummyHash()), password).catch(() => false);
      if (!m || !ok) throw new AppError(401, 'BAD_CREDENTIALS', '이메일 또는 비밀번호가 올바르지 않습니다');
      // the member is told why (the same reason their ban notification carries)
      if (m.banned_at) {
        throw new AppError(403, 'MEMBER_BANNED', `이용이 제한된 계정입니다. 사유: ${m.ban_reason ?? '운영 정책 위반'}`, { banReason: m.ban_reason });
      }
      return m;
    },
    async updateProfile(id: number, patch: ProfilePatch) {
      if (patch.nickname !== undefined && (await nicknameTaken(patch.nickname, id))) throw nicknameTakenError();
      await assertRegion(patch.regionId);
      const sets: string[] = [];
      const values: unknown[] = [];
      const columns: Record<string, string> = { nickname: 'nickname', phone: 'phone', address: 'address', regionId: 'region_id' };
      for (const [key, column] of Object.entries(columns)) {
        const value = (patch as Record<string, unknown>)[key];
        if (value !== undefined) {
          values.push(value);
          sets.push(`${column} = $${values.length}`);
        }
      }
      if (sets.length) {
        values.push(id);
        await db.query(`UPDATE members SET ${sets.join(', ')}, updated_at = now() WHERE id = $${values.length}`, values).catch(uniqueToConflict);
      }
      return byId(id);
    },
    async setAvatar(id: number, avatarPath: string | null) {
      const before = await byId(id);
      await db.query('UPDATE members SET avatar_path = $1, updated_at = now() WHERE id = $2', [avatarPath, id]);
      return { previous: before.avatar_path };
    },
    /** Creates the admin, or promotes and re-keys an existing account with that email. */
    async ensureAdmin(email: string, password: string, nickname = '관리자') {
      const existing = await db.one<{ id: number }>('SELECT id FROM members WHERE email = $1', [email.toLowerCase()]);
      if (existing) {
        await db.query("UPDATE members SET role = 'ADMIN', password_hash = $2 WHERE id = $1", [existing.id, await hashPassword(password)]);
        return byId(existing.id);
      }
      let nick = nickname;
      for (let i = 2; await nicknameTaken(nick); i++) nick = `${nickname}${i}`;
      return this.signUp({ email, password, nickname: nick }, 'ADMIN');
    },
  };
}

export type MembersService = ReturnType<typeof membersService>;
