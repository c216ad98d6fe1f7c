// Bans and unbans of listings, reviews and members (admin or report job), the automatic ban on
// reports and the admin queue of report cases the job would not decide alone.
// Every ban is one transaction: the target's row, its settled reports, the audit row and the
// owner's notification; a member's sessions end right after it commits.
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { moderationRepository, type CaseRow } from './repository.ts';
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
    const row = await moderationRepository(q).banColumns(type, id);
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

  /**
   * Conditional ban (reason) or unban (null): only a target not already in that state changes (safe
   * under concurrent callers), and only the caller that changed it settles reports (on a ban), logs
   * and notifies the owner, all in one transaction. A banned member's sessions end after the commit.
   */
  async function setBan(type: TargetType, id: number, reason: string | null, actorId: number | null, at: Date) {
    const ban = reason !== null;
    const notes: NotificationRow[] = [];
    const result = await db.transaction(async (tx) => {
      const repo = moderationRepository(tx);
      const target = await findTarget(tx, type, id);
      if (!target) throw notFound(TARGET_NAMES[type]);
      if (ban && target.isAdmin) throw conflict('CANNOT_BAN_ADMIN', '관리자는 정지할 수 없습니다');
      const row = await repo.setBanned(type, id, reason, at);
      if (!row) return state(tx, type, id, false);
      if (ban) await repo.settle(type, id, actorId, at);
      await repo.log(type, id, ban ? 'BAN' : 'UNBAN', reason ?? '', actorId, at);
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

  /**
   * The report job: every unbanned target with AUTO_BAN_THRESHOLD pending reports in the window is
   * weighed (standing.ts). Independent reporters with standing worth the threshold ban it; anything
   * less (throwaway, new or related accounts) opens a case for an admin instead. The ban is the
   * conditional UPDATE in setBan: of concurrent runs exactly one bans, settles and notifies.
   */
  async function autoBan(now: Date) {
    const since = new Date(now.getTime() - AUTO_BAN_WINDOW_DAYS * 86_400_000);
    const repo = moderationRepository(db);
    const candidates = await repo.autoBanCandidates(since, now, AUTO_BAN_THRESHOLD);
    let banned = 0;
    let queued = 0;
    for (const c of candidates) {
      const target = await findTarget(db, c.target_type, c.target_id);
      if (!target || target.banned || target.isAdmin) continue;
      const assessment = assessReporters(await loadReporters(db, c.target_type, c.target_id, since, now), now);
      if (assessment.score < AUTO_BAN_THRESHOLD) {
        const opened = await repo.queueCase(c.target_type, c.target_id, { ...assessment, note: caseNote(assessment) }, now);
        if (opened) queued++;
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
    const rows = await moderationRepository(db).cases(status, cursor, limit);
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
      const repo = moderationRepository(tx);
      const row = await repo.closeCaseDismissed(id, adminId, at);
      if (!row) {
        if (!(await repo.caseExists(id))) throw notFound('신고 사례');
        throw conflict('CASE_NOT_OPEN', '이미 처리된 사례입니다');
      }
      await repo.dismissPendingReports(row.target_type, row.target_id, at);
      return toCase({ ...row, label: null });
    });
  }

  /** What is banned now, newest id first (for the admin bans page; unban from there). */
  async function listBanned(type: TargetType, cursor: number | undefined, limit: number) {
    const rows = await moderationRepository(db).banned(type, cursor, limit);
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
