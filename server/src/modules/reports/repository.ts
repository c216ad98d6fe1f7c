// Every SQL statement of reports: one per reporter and target, the admin list with per-target counts.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import type { TargetType } from '../moderation/targets.ts';
import type { ReportReason } from './schemas.ts';

export interface ReportRow {
  id: number;
  reporter_id: number;
  target_type: TargetType;
  target_id: number;
  reason: ReportReason;
  detail: string;
  status: 'PENDING' | 'RESOLVED' | 'DISMISSED';
  created_at: Date;
}

export interface AdminReportRow extends ReportRow {
  reporter_nickname: string;
  resolved_at: Date | null;
  label: string | null;
  owner_id: number | null;
  banned: boolean | null;
  total: number;
  pending: number;
  recent: number;
}

export interface AdminReportFilter {
  status?: ReportRow['status'];
  targetType?: TargetType;
  /** the last id of the previous page */
  before?: number;
  limit: number;
  /** start of the auto-ban window: `recent` counts the pending reports after it */
  since: Date;
}

export function reportsRepository(db: Queryable) {
  return {
    /** null when this reporter already reported this target */
    insertOnce(r: { reporterId: number; targetType: TargetType; targetId: number; reason: ReportReason; detail: string; at: Date }) {
      return db.one<ReportRow>(sql`
        INSERT INTO reports (reporter_id, target_type, target_id, reason, detail, created_at)
        VALUES (${r.reporterId}, ${r.targetType}, ${r.targetId}, ${r.reason}, ${r.detail}, ${r.at})
        ON CONFLICT ON CONSTRAINT reports_once_per_reporter DO NOTHING
        RETURNING *`);
    },

    /** Newest first, one row more than `limit` when there is a next page. */
    listForAdmin(f: AdminReportFilter) {
      const filters = [sql`true`];
      if (f.status) filters.push(sql`r.status = ${f.status}`);
      if (f.targetType) filters.push(sql`r.target_type = ${f.targetType}`);
      if (f.before !== undefined) filters.push(sql`r.id < ${f.before}`);
      return db.query<AdminReportRow>(sql`
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
            count(*) FILTER (WHERE o.status = 'PENDING' AND o.created_at > ${f.since})::int AS recent
          FROM reports o WHERE o.target_type = r.target_type AND o.target_id = r.target_id
        ) c
        WHERE ${sql.join(filters, ' AND ')}
        ORDER BY r.id DESC
        LIMIT ${f.limit + 1}`);
    },

    /** null when the report is missing or no longer pending */
    dismissPending(id: number, at: Date) {
      return db.one<ReportRow>(sql`
        UPDATE reports SET status = 'DISMISSED', resolved_at = ${at} WHERE id = ${id} AND status = 'PENDING' RETURNING *`);
    },

    exists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM reports WHERE id = ${id}`)),
  };
}
