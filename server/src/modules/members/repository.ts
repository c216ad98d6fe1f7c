// All SQL of accounts: members and the embedded-mode session table (server mode keeps sessions in Redis).
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export interface MemberRow {
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
  email_verified_at: Date | null;
  mail_notifications: boolean;
  created_at: Date;
}

/** what a mailed link is for (email_tokens.purpose) */
export type EmailTokenPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD';

/** What a request needs to know about the member behind a session (http/auth.ts). */
export interface SessionMemberRow {
  id: number;
  nickname: string;
  role: 'USER' | 'ADMIN';
  banned: boolean;
}

/** The profile fields a member may change; undefined = unchanged. */
export interface ProfileChanges {
  nickname?: string;
  phone?: string | null;
  address?: string | null;
  regionId?: number | null;
  mailNotifications?: boolean;
}

const SELECT_MEMBER = sql`
  SELECT m.id, m.email, m.password_hash, m.nickname, m.role, m.phone, m.address, m.avatar_path, m.region_id,
         r.name AS region_name, m.banned_at, m.ban_reason, m.email_verified_at, m.mail_notifications, m.created_at
  FROM members m LEFT JOIN regions r ON r.id = m.region_id`;

export function membersRepository(db: Queryable) {
  return {
    byId: (id: number) => db.one<MemberRow>(sql`${SELECT_MEMBER} WHERE m.id = ${id}`),
    /** `email` already normalised (trimmed, lower-cased) */
    byEmail: (email: string) => db.one<MemberRow>(sql`${SELECT_MEMBER} WHERE m.email = ${email}`),
    async idByEmail(email: string): Promise<number | null> {
      return (await db.one<{ id: number }>(sql`SELECT id FROM members WHERE email = ${email}`))?.id ?? null;
    },
    async nicknameTaken(nickname: string, exceptId = 0): Promise<boolean> {
      return !!(await db.one(sql`SELECT 1 FROM members WHERE lower(nickname) = lower(${nickname}) AND id <> ${exceptId}`));
    },
    async regionExists(regionId: number): Promise<boolean> {
      return !!(await db.one(sql`SELECT 1 FROM regions WHERE id = ${regionId}`));
    },
    async insert(m: { email: string; passwordHash: string; nickname: string; role: 'USER' | 'ADMIN'; signupIp: string | null }): Promise<number> {
      const row = await db.one<{ id: number }>(sql`
        INSERT INTO members (email, password_hash, nickname, role, signup_ip)
        VALUES (${m.email}, ${m.passwordHash}, ${m.nickname}, ${m.role}, ${m.signupIp}) RETURNING id`);
      return row!.id;
    },
    async updateProfile(id: number, changes: ProfileChanges): Promise<void> {
      // column names are fixed here; only the values come from the request
      const columns = { nickname: 'nickname', phone: 'phone', address: 'address', regionId: 'region_id', mailNotifications: 'mail_notifications' } as const;
      const sets = (Object.keys(columns) as (keyof typeof columns)[])
        .filter((key) => changes[key] !== undefined)
        .map((key) => sql`${sql.raw(columns[key])} = ${changes[key]}`);
      if (!sets.length) return;
      await db.query(sql`UPDATE members SET ${sql.join(sets, ', ')}, updated_at = now() WHERE id = ${id}`);
    },
    async setAvatar(id: number, avatarPath: string | null): Promise<void> {
      await db.query(sql`UPDATE members SET avatar_path = ${avatarPath}, updated_at = now() WHERE id = ${id}`);
    },
    async setPasswordHash(id: number, passwordHash: string): Promise<void> {
      await db.query(sql`UPDATE members SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${id}`);
    },
    async promoteToAdmin(id: number, passwordHash: string): Promise<void> {
      await db.query(sql`UPDATE members SET role = 'ADMIN', password_hash = ${passwordHash}, updated_at = now() WHERE id = ${id}`);
    },
    async markEmailVerified(id: number, at: Date): Promise<void> {
      await db.query(sql`UPDATE members SET email_verified_at = coalesce(email_verified_at, ${at}) WHERE id = ${id}`);
    },
    /** A new link replaces the member's earlier unused links of the same purpose (only the newest mail works). */
    async replaceToken(memberId: number, purpose: EmailTokenPurpose, tokenHash: string, expiresAt: Date): Promise<void> {
      await db.query(sql`DELETE FROM email_tokens WHERE member_id = ${memberId} AND purpose = ${purpose} AND used_at IS NULL`);
      await db.query(sql`
        INSERT INTO email_tokens (member_id, purpose, token_hash, expires_at)
        VALUES (${memberId}, ${purpose}, ${tokenHash}, ${expiresAt})`);
    },
    /** Uses a link once: the member it belongs to, or null when unknown, used, expired or for another purpose. */
    async useToken(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<number | null> {
      const row = await db.one<{ member_id: number }>(sql`
        UPDATE email_tokens SET used_at = ${now}
        WHERE token_hash = ${tokenHash} AND purpose = ${purpose} AND used_at IS NULL AND expires_at > ${now}
        RETURNING member_id`);
      return row?.member_id ?? null;
    },
    sessionMember: (id: number) =>
      db.one<SessionMemberRow>(sql`SELECT id, nickname, role, banned_at IS NOT NULL AS banned FROM members WHERE id = ${id}`),
  };
}

/** The embedded-mode session table (sessions.ts databaseSessions and the sessions-cleanup job). */
export function sessionsRepository(db: Queryable) {
  return {
    async insert(id: string, memberId: number, ttlSeconds: number): Promise<void> {
      await db.query(sql`INSERT INTO sessions (id, member_id, expires_at) VALUES (${id}, ${memberId}, now() + make_interval(secs => ${ttlSeconds}))`);
    },
    async liveMember(id: string): Promise<number | null> {
      const row = await db.one<{ member_id: number }>(sql`SELECT member_id FROM sessions WHERE id = ${id} AND expires_at > now()`);
      return row?.member_id ?? null;
    },
    liveMany: (ids: string[]) =>
      db.query<{ id: string; member_id: number }>(sql`SELECT id, member_id FROM sessions WHERE id = ANY(${ids}::text[]) AND expires_at > now()`),
    async delete(id: string): Promise<void> {
      await db.query(sql`DELETE FROM sessions WHERE id = ${id}`);
    },
    async deleteAllFor(memberId: number): Promise<void> {
      await db.query(sql`DELETE FROM sessions WHERE member_id = ${memberId}`);
    },
    async deleteExpired(now: Date): Promise<number> {
      return (await db.query(sql`DELETE FROM sessions WHERE expires_at <= ${now} RETURNING id`)).length;
    },
  };
}
