// Bans and unbans of listings, reviews and members (admin or report job), the automatic ban on
// reports and the admin queue of report cases the job would not decide alone.
// Every ban is one transaction: the target's row, its settled reports, the audit row and the
// owner's notification; a member's sessions end right after it commits.
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { conflict, notFound } from '../../http/errors.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { findTarget, TARGET_NAMES, type TargetType } from './targets.ts';
import { assessReporters, loadReporters, type Assessment } from './standing.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { nextIdCursor } from '../../lib/cursor.ts';

/**
 * 5 or more pending reports on one target within 30 days make a case (SPEC §6). The job bans only
 * when the reporters' weighted score (standing.ts) reaches the threshold too; otherwise the case
 * goes to the admin queue.
 */
export const AUTO_BAN_THRESHOLD = 5;
export const AUTO_BAN_WINDOW_DAYS = 30;
export const AUTO_BAN_REASON = '신고 누적으로 자동 제한되었습니다';

export type ContentType = Exclude<TargetType, 'MEMBER'>;

// Listings, reviews and members share the ban columns; the table name comes from this map, never from input.
const BAN_TABLE: Record<TargetType, { table: string; owner: string; touch: string }> = {
  POST: { table: 'posts', owner: 'author_id', touch: '' }, // posts keep updated_at for edits
  REVIEW: { table: 'reviews', owner: 'author_id', touch: ', updated_at = now()' }, // the summary cache key
  MEMBER: { table: 'members', owner: 'id', touch: ', updated_at = now()' },
};

export interface BanState {
  targetType: TargetType;
  targetId: number;
  banned: boolean;
  banReason: string | null;
  bannedAt: string | null;
  /** false when the target already was in the requested state (nothing changed, nobody notified) */
  changed: boolean;
}

function banMessage(type: TargetType, label: string, reason: string) {
  return type === 'MEMBER'
    ? { title: '계정 이용이 제한되었습니다', body: `사유: ${reason}` }
    : { title: `${josa(TARGET_NAMES[type], '이/가')} 운영 정책에 따라 숨김 처리되었습니다`, body: `「${label}」 사유: ${reason}` };
}
function unbanMessage(type: TargetType, label: string) {
  return type === 'MEMBER'
    ? { title: '계정 이용 제한이 해제되었습니다', body: `「${label}」` }
    : { title: `${TARGET_NAMES[type]}의 숨김 처리가 해제되었습니다`, body: `「${label}」` };
}

export interface CaseRow {
  id: number;
  target_type: TargetType;
  target_id: number;
  status: 'OPEN' | 'BANNED' | 'DISMISSED';
  report_count: number;
  score: string;
  note: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/** Why the job left a case to a person, for the admin queue. */
function caseNote(a: Assessment) {
  const parts = [`신고 ${a.reports}건, 독립적인 신고자 점수 ${a.score}점 (자동 제한 기준 ${AUTO_BAN_THRESHOLD}점)`];
  if (a.newcomers) parts.push(`가입 직후이거나 완료한 대여가 없는 신고자 ${a.newcomers}명`);
  if (a.relatedGroups) parts.push(`같은 곳이나 비슷한 시각에 가입한 신고자 묶음 ${a.relatedGroups}개`);
  return parts.join(' · ');
}

export function moderationService(deps: Deps) {
  const { db, notifications } = deps;

  async function state(q: Queryable, type: TargetType, id: number, changed: boolean): Promise<BanState> {
    const { table } = BAN_TABLE[type];
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

  /** A ban settles the target's pending reports (so a later unban sticks) and closes its open case. */
  async function settle(q: Queryable, type: TargetType, id: number, actorId: number | null, at: Date) {
    await q.query(
      `UPDATE reports SET status = 'RESOLVED', resolved_at = $3
       WHERE target_type = $1 AND target_id = $2 AND status = 'PENDING'`,
      [type, id, at],
    );
    await q.query(
      `UPDATE moderation_cases SET status = 'BANNED', closed_at = $3, closed_by = $4, updated_at = $3
       WHERE target_type = $1 AND target_id = $2 AND status = 'OPEN'`,
      [type, id, at, actorId],
    );
  }

  /**
   * Conditional ban (reason) or unban (null): only a target not already in that state changes (safe
   * under concurrent callers), and only the caller that changed it settles reports (on a ban), logs
   * and notifies the owner, all in one transaction. A banned member's sessions end after the commit.
   */
  async function setBan(type: TargetType, id: number, reason: string | null, actorId: number | null, at: Date) {
    const { table, owner, touch } = BAN_TABLE[type];
    const ban = reason !== null;
    const notes: NotificationRow[] = [];
    const result = await db.transaction(async (tx) => {
      const target = await findTarget(tx, type, id);
      if (!target) throw notFound(TARGET_NAMES[type]);
      if (ban && target.isAdmin) throw conflict('CANNOT_BAN_ADMIN', '관리자는 정지할 수 없습니다');
      const row = await tx.one<{ owner_id: number }>(
        `UPDATE ${table} SET banned_at = $2, ban_reason = $3${touch}
         WHERE id = $1 AND banned_at IS ${ban ? 'NULL' : 'NOT NULL'} RETURNING ${owner} AS owner_id`,
        [id, ban ? at : null, reason],
      );
      if (!row) return state(tx, type, id, false);
      if (ban) await settle(tx, type, id, actorId, at);
      await log(tx, type, id, ban ? 'BAN' : 'UNBAN', reason ?? '', actorId, at);
      const message = ban ? banMessage(type, target.label, reason) : unbanMessage(type, target.label);
      notes.push(
        await notifications.insert(tx, { memberId: row.owner_id, type: 'MODERATION', ...message, targetType: type, targetId: id }),
      );
      return state(tx, type, id, true);
    });
    // Even an unchanged ban ends sessions: a session created in a race with the ban must not survive it.
    if (ban && type === 'MEMBER') await deps.sessions.destroyAllFor(id);
    await notifications.publish(notes);
    return result;
  }

  const banContent = (type: ContentType, id: number, reason: string, actorId: number | null, at = deps.clock.now()) =>
    setBan(type, id, reason, actorId, at);
  const unbanContent = (type: ContentType, id: number, actorId: number) => setBan(type, id, null, actorId, deps.clock.now());
  const banMember = (id: number, reason: string, actorId: number | null, at = deps.clock.now()) => setBan('MEMBER', id, reason, actorId, at);
  const unbanMember = (id: number, actorId: number) => setBan('MEMBER', id, null, actorId, deps.clock.now());

  /** Puts (or refreshes) the target's open case in the admin queue; true when a new case was opened. */
  async function queueCase(type: TargetType, id: number, a: Assessment, now: Date) {
    const row = await db.one<{ inserted: boolean }>(
      `INSERT INTO moderation_cases (target_type, target_id, report_count, score, note, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (target_type, target_id) WHERE status = 'OPEN'
       DO UPDATE SET report_count = EXCLUDED.report_count, score = EXCLUDED.score, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted`,
      [type, id, a.reports, a.score, caseNote(a), now],
    );
    return !!row?.inserted;
  }

  /**
   * The report job: every unbanned target with AUTO_BAN_THRESHOLD pending reports in the window is
   * weighed (standing.ts). Independent reporters with standing worth the threshold ban it; anything
   * less (throwaway, new or related accounts) opens a case for an admin instead. The ban is the
   * conditional UPDATE in setBan: of concurrent runs exactly one bans, settles and notifies.
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
    let queued = 0;
    for (const c of candidates) {
      const target = await findTarget(db, c.target_type, c.target_id);
      if (!target || target.banned || target.isAdmin) continue;
      const assessment = assessReporters(await loadReporters(db, c.target_type, c.target_id, since, now), now);
      if (assessment.score < AUTO_BAN_THRESHOLD) {
        if (await queueCase(c.target_type, c.target_id, assessment, now)) queued++;
        continue;
      }
      const result = await setBan(c.target_type, c.target_id, AUTO_BAN_REASON, null, now).catch((err) => {
        if (err?.status === 404) return null; // deleted meanwhile
        throw err;
      });
      if (result?.changed) banned++;
    }
    return { candidates: candidates.length, banned, queued };
  }

  /** The admin queue, newest first. */
  async function listCases(status: CaseRow['status'], cursor: number | undefined, limit: number) {
    const rows = await db.query<CaseRow & { label: string | null }>(
      `SELECT c.*, coalesce(p.title, m.nickname, left(r.comment, 60)) AS label
       FROM moderation_cases c
       LEFT JOIN posts p ON c.target_type = 'POST' AND p.id = c.target_id
       LEFT JOIN members m ON c.target_type = 'MEMBER' AND m.id = c.target_id
       LEFT JOIN reviews r ON c.target_type = 'REVIEW' AND r.id = c.target_id
       WHERE c.status = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3`,
      [status, cursor ?? Number.MAX_SAFE_INTEGER, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(toCase),
      nextCursor: nextIdCursor(rows, limit),
    };
  }

  /** An admin found nothing wrong: the case closes and its pending reports stop counting. */
  async function dismissCase(id: number, adminId: number) {
    const at = deps.clock.now();
    return db.transaction(async (tx) => {
      const row = await tx.one<CaseRow>(
        `UPDATE moderation_cases SET status = 'DISMISSED', closed_at = $2, closed_by = $3, updated_at = $2
         WHERE id = $1 AND status = 'OPEN' RETURNING *`,
        [id, at, adminId],
      );
      if (!row) {
        if (!(await tx.one('SELECT 1 FROM moderation_cases WHERE id = $1', [id]))) throw notFound('신고 사례');
        throw conflict('CASE_NOT_OPEN', '이미 처리된 사례입니다');
      }
      await tx.query(
        `UPDATE reports SET status = 'DISMISSED', resolved_at = $3 WHERE target_type = $1 AND target_id = $2 AND status = 'PENDING'`,
        [row.target_type, row.target_id, at],
      );
      return toCase({ ...row, label: null });
    });
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
      nextCursor: nextIdCursor(rows, limit),
    };
  }

  return { banContent, unbanContent, banMember, unbanMember, autoBan, listBanned, listCases, dismissCase };
}

export type ModerationService = ReturnType<typeof moderationService>;

function toCase(c: CaseRow & { label: string | null }) {
  return {
    id: c.id,
    targetType: c.target_type,
    targetId: c.target_id,
    label: c.label,
    status: c.status,
    reportCount: c.report_count,
    score: Number(c.score),
    note: c.note,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
    closedAt: isoOrNull(c.closed_at),
  };
}
