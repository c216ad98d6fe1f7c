// Bans and unbans of listings and reviews (admin or report job), and the automatic ban on reports.
// Member bans belong to the members service (it ends sessions); the job calls it.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../http/errors.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { membersService } from '../members/service.ts';
import { findTarget, TARGET_NAMES, type TargetType } from './targets.ts';
import { iso, isoOrNull } from '../../http/wire.ts';

/** 5 or more pending reports on one target within 30 days ban it (SPEC §6). */
export const AUTO_BAN_THRESHOLD = 5;
export const AUTO_BAN_WINDOW_DAYS = 30;
export const AUTO_BAN_REASON = '신고 누적으로 자동 제한되었습니다';

export type ContentType = Exclude<TargetType, 'MEMBER'>;

// Listings and reviews share the ban columns; the table name comes from this map, never from input.
const CONTENT_TABLE: Record<ContentType, { table: string; owner: string }> = {
  POST: { table: 'posts', owner: 'author_id' },
  REVIEW: { table: 'reviews', owner: 'author_id' },
};
// Reviews carry updated_at in the summary cache key; posts keep theirs for edits.
const TOUCH: Record<ContentType, string> = { POST: '', REVIEW: ', updated_at = now()' };

export interface BanState {
  targetType: ContentType;
  targetId: number;
  banned: boolean;
  banReason: string | null;
  bannedAt: string | null;
  /** false when the target already was in the requested state (nothing changed, nobody notified) */
  changed: boolean;
}

const banMessage = (type: TargetType, label: string, reason: string) => ({
  title:
    type === 'MEMBER'
      ? '신고 누적으로 계정 이용이 제한되었습니다'
      : `${TARGET_NAMES[type]}이(가) 운영 정책에 따라 숨김 처리되었습니다`,
  body: `「${label}」 사유: ${reason}`,
});

export function moderationService(deps: Deps) {
  const { db, notifications } = deps;
  const members = membersService(deps);

  async function state(q: Queryable, type: ContentType, id: number, changed: boolean): Promise<BanState> {
    const { table } = CONTENT_TABLE[type];
    const row = await q.one<{ banned_at: Date | null; ban_reason: string | null }>(
      `SELECT banned_at, ban_reason FROM ${table} WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound(TARGET_NAMES[type]);
    return {
      targetType: type,
      targetId: id,
      banned: row.banned_at !== null,
      banReason: row.ban_reason,
      bannedAt: isoOrNull(row.banned_at),
      changed,
    };
  }

  async function log(q: Queryable, type: TargetType, id: number, action: 'BAN' | 'UNBAN', reason: string, actorId: number | null, at: Date) {
    await q.query(
      `INSERT INTO moderation_actions (target_type, target_id, action, reason, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [type, id, action, reason, actorId, at],
    );
  }

  /** Pending reports on a banned target are settled by the ban; returns how many. */
  async function resolveReports(q: Queryable, type: TargetType, id: number, at: Date) {
    const rows = await q.query(
      `UPDATE reports SET status = 'RESOLVED', resolved_at = $3
       WHERE target_type = $1 AND target_id = $2 AND status = 'PENDING' RETURNING id`,
      [type, id, at],
    );
    return rows.length;
  }

  /**
   * Conditional ban (reason) or unban (null): only a target not already in that state changes (safe
   * under concurrent callers), and only the caller that changed it logs, settles reports (on a ban)
   * and notifies the owner.
   */
  async function setBan(type: ContentType, id: number, reason: string | null, actorId: number | null, at: Date) {
    const { table, owner } = CONTENT_TABLE[type];
    const ban = reason !== null;
    const notes: NotificationRow[] = [];
    const result = await db.transaction(async (tx) => {
      const target = await findTarget(tx, type, id);
      if (!target) throw notFound(TARGET_NAMES[type]);
      const row = await tx.one<{ owner_id: number }>(
        `UPDATE ${table} SET banned_at = $2, ban_reason = $3${TOUCH[type]}
         WHERE id = $1 AND banned_at IS ${ban ? 'NULL' : 'NOT NULL'} RETURNING ${owner} AS owner_id`,
        [id, ban ? at : null, reason],
      );
      if (!row) return state(tx, type, id, false);
      if (ban) await resolveReports(tx, type, id, at);
      await log(tx, type, id, ban ? 'BAN' : 'UNBAN', reason ?? '', actorId, at);
      const message = ban
        ? banMessage(type, target.label, reason)
        : { title: `${TARGET_NAMES[type]}의 숨김 처리가 해제되었습니다`, body: `「${target.label}」` };
      notes.push(
        await notifications.insert(tx, { memberId: row.owner_id, type: 'MODERATION', ...message, targetType: type, targetId: id }),
      );
      return state(tx, type, id, true);
    });
    await notifications.publish(notes);
    return result;
  }

  const banContent = (type: ContentType, id: number, reason: string, actorId: number | null, at = deps.clock.now()) =>
    setBan(type, id, reason, actorId, at);
  const unbanContent = (type: ContentType, id: number, actorId: number) => setBan(type, id, null, actorId, deps.clock.now());

  /**
   * The report job: every unbanned target with enough pending reports in the window is banned.
   * The claim is the conditional UPDATE of its pending reports: of concurrent runs exactly one
   * settles them, and only that run notifies. Already-banned targets are never selected.
   */
  async function autoBan(now: Date) {
    const since = new Date(now.getTime() - AUTO_BAN_WINDOW_DAYS * 86_400_000);
    const candidates = await db.query<{ target_type: TargetType; target_id: number }>(
      `SELECT target_type, target_id FROM reports
       WHERE status = 'PENDING' AND created_at > $1 AND created_at <= $2
       GROUP BY target_type, target_id HAVING count(*) >= $3
       ORDER BY min(created_at), target_type, target_id`,
      [since, now, AUTO_BAN_THRESHOLD],
    );
    let banned = 0;
    for (const c of candidates) {
      const target = await findTarget(db, c.target_type, c.target_id);
      if (!target || target.banned || target.isAdmin) continue;
      if (c.target_type === 'MEMBER') {
        // The members service owns the member ban (ends every session); it is idempotent.
        await members.ban(c.target_id, AUTO_BAN_REASON, { settleReports: false });
        const notes: NotificationRow[] = [];
        await db.transaction(async (tx) => {
          if ((await resolveReports(tx, 'MEMBER', c.target_id, now)) === 0) return; // another run won
          await log(tx, 'MEMBER', c.target_id, 'BAN', AUTO_BAN_REASON, null, now);
          notes.push(
            await notifications.insert(tx, {
              memberId: c.target_id, type: 'MODERATION', ...banMessage('MEMBER', target.label, AUTO_BAN_REASON),
              targetType: 'MEMBER', targetId: c.target_id,
            }),
          );
          banned++;
        });
        await notifications.publish(notes);
      } else {
        const result = await banContent(c.target_type, c.target_id, AUTO_BAN_REASON, null, now).catch((err) => {
          if (err?.status === 404) return null; // deleted meanwhile
          throw err;
        });
        if (result?.changed) banned++;
      }
    }
    return { candidates: candidates.length, banned };
  }

  /** What is banned now, newest id first (for the admin bans page; unban from there). */
  async function listBanned(type: TargetType, cursor: number | undefined, limit: number) {
    const FROM: Record<TargetType, string> = {
      POST: `SELECT p.id, p.title AS label, p.author_id AS owner_id, p.ban_reason, p.banned_at FROM posts p
             WHERE p.banned_at IS NOT NULL AND p.deleted_at IS NULL`,
      MEMBER: `SELECT m.id, m.nickname AS label, m.id AS owner_id, m.ban_reason, m.banned_at FROM members m
               WHERE m.banned_at IS NOT NULL`,
      REVIEW: `SELECT r.id, left(r.comment, 60) AS label, r.author_id AS owner_id, r.ban_reason, r.banned_at FROM reviews r
               WHERE r.banned_at IS NOT NULL`,
    };
    const rows = await db.query<{ id: number; label: string; owner_id: number; owner_nickname: string; ban_reason: string | null; banned_at: Date }>(
      `SELECT t.*, o.nickname AS owner_nickname FROM (${FROM[type]}) t JOIN members o ON o.id = t.owner_id
       WHERE t.id < $1 ORDER BY t.id DESC LIMIT $2`,
      [cursor ?? Number.MAX_SAFE_INTEGER, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        targetType: type,
        targetId: r.id,
        label: r.label,
        owner: { id: r.owner_id, nickname: r.owner_nickname },
        banReason: r.ban_reason,
        bannedAt: iso(r.banned_at),
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }

  return { banContent, unbanContent, autoBan, listBanned };
}

export type ModerationService = ReturnType<typeof moderationService>;
