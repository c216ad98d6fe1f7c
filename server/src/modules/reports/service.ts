// Reports: one per reporter and target; never on oneself; the target must be visible to the reporter.
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { sql } from '../../db/sql.ts';
import { AUTO_BAN_WINDOW_DAYS } from '../moderation/service.ts';
import { findTarget, TARGET_NAMES } from '../moderation/targets.ts';
import { REPORT_REASONS, type AdminReportQuery, type CreateReportBody, type ReportReason } from './schemas.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';


interface ReportRow {
  id: number;
  reporter_id: number;
  target_type: 'POST' | 'MEMBER' | 'REVIEW';
  target_id: number;
  reason: ReportReason;
  detail: string;
  status: 'PENDING' | 'RESOLVED' | 'DISMISSED';
  created_at: Date;
}

const toReport = (r: ReportRow) => ({
  id: r.id,
  targetType: r.target_type,
  targetId: r.target_id,
  reason: r.reason,
  detail: r.detail,
  status: r.status,
  createdAt: iso(r.created_at),
});

export function reportsService(deps: Deps) {
  const { db } = deps;

  return {
    reasons: () => (Object.entries(REPORT_REASONS) as [ReportReason, string][]).map(([code, label]) => ({ code, label })),

    async create(reporterId: number, input: CreateReportBody) {
      const detail = (input.detail ?? '').trim();
      if (input.reason === 'OTHER' && !detail) throw badRequest('DETAIL_REQUIRED', '기타 사유로 신고할 때는 상세 내용을 적어 주세요');
      const target = await findTarget(db, input.targetType, input.targetId);
      if (!target || !target.visible) throw notFound(`신고할 ${TARGET_NAMES[input.targetType]}`);
      if (target.ownerId === reporterId) {
        throw badRequest('CANNOT_REPORT_SELF', '자기 자신이나 본인의 게시글·리뷰는 신고할 수 없습니다');
      }
      // created_at from the clock: the 30-day auto-ban window is measured against it.
      const row = await db.one<ReportRow>(
        `INSERT INTO reports (reporter_id, target_type, target_id, reason, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT reports_once_per_reporter DO NOTHING
         RETURNING *`,
        [reporterId, input.targetType, input.targetId, input.reason, detail, deps.clock.now()],
      );
      if (!row) throw conflict('ALREADY_REPORTED', '이미 신고한 대상입니다');
      return toReport(row);
    },

    /** Newest first, each with the counts of its target (what the auto-ban job looks at). */
    async listForAdmin(query: AdminReportQuery) {
      const limit = query.limit ?? 20;
      const since = new Date(deps.clock.now().getTime() - AUTO_BAN_WINDOW_DAYS * 86_400_000);
      const filters = [sql`true`];
      if (query.status) filters.push(sql`r.status = ${query.status}`);
      if (query.targetType) filters.push(sql`r.target_type = ${query.targetType}`);
      const after = decodeIdCursor(query.cursor);
      if (after) filters.push(sql`r.id < ${after}`);
      const rows = await db.query<ReportRow & {
        reporter_nickname: string; resolved_at: Date | null; label: string | null; owner_id: number | null;
        banned: boolean | null; total: number; pending: number; recent: number;
      }>(sql`
        SELECT r.*, rm.nickname AS reporter_nickname,
          coalesce(p.title, tm.nickname, left(rv.comment, 60)) AS label,
          coalesce(p.author_id, tm.id, rv.author_id) AS owner_id,
          coalesce(p.banned_at, tm.banned_at, rv.banned_at) IS NOT NULL AS banned,
          c.total, c.pending, c.recent
        FROM reports r
        JOIN members rm ON rm.id = r.reporter_id
        LEFT JOIN posts p ON r.target_type = 'POST' AND p.id = r.target_id AND p.deleted_at IS NULL
        LEFT JOIN members tm ON r.target_type = 'MEMBER' AND tm.id = r.target_id
        LEFT JOIN reviews rv ON r.target_type = 'REVIEW' AND rv.id = r.target_id
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS total,
            count(*) FILTER (WHERE o.status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE o.status = 'PENDING' AND o.created_at > ${since})::int AS recent
          FROM reports o WHERE o.target_type = r.target_type AND o.target_id = r.target_id
        ) c
        WHERE ${sql.join(filters, ' AND ')}
        ORDER BY r.id DESC
        LIMIT ${limit + 1}`);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          ...toReport(r),
          reporter: { id: r.reporter_id, nickname: r.reporter_nickname },
          target: { exists: r.owner_id !== null, label: r.label, ownerId: r.owner_id, banned: !!r.banned },
          targetCounts: { total: r.total, pending: r.pending, last30Days: r.recent },
          reasonLabel: REPORT_REASONS[r.reason],
          resolvedAt: isoOrNull(r.resolved_at),
        })),
        nextCursor: nextIdCursor(rows, limit),
      };
    },

    /** An admin found nothing wrong: the report no longer counts towards an automatic ban. */
    async dismiss(id: number) {
      const row = await db.one<ReportRow>(
        `UPDATE reports SET status = 'DISMISSED', resolved_at = $2 WHERE id = $1 AND status = 'PENDING' RETURNING *`,
        [id, deps.clock.now()],
      );
      if (row) return toReport(row);
      if (!(await db.one('SELECT 1 FROM reports WHERE id = $1', [id]))) throw notFound('신고');
      throw conflict('REPORT_NOT_PENDING', '이미 처리된 신고입니다');
    },
  };
}
