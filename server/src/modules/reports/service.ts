// Reports: one per reporter and target; never on oneself; the target must be visible to the reporter.
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { AUTO_BAN_WINDOW_DAYS } from '../moderation/service.ts';
import { findTarget, TARGET_NAMES } from '../moderation/targets.ts';
import { REPORT_REASONS, type AdminReportQuery, type CreateReportBody, type ReportReason } from './schemas.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';
import { reportsRepository, type ReportRow } from './repository.ts';


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
  const repo = reportsRepository(db);

  return {
    reasons: () => (Object.entries(REPORT_REASONS) as [ReportReason, string][]).map(([code, label]) => ({ code, label })),

    async create(reporterId: number, input: CreateReportBody) {
      const detail = (input.detail ?? '').trim();
      if (input.reason === 'OTHER' && !detail) throw badRequest('DETAIL_REQUIRED', '기타 사유로 신고할 때는 상세 내용을 적어 주세요');
      const target = await findTarget(db, input.targetType, input.targetId);
      if (!target?.visible) throw notFound(`신고할 ${TARGET_NAMES[input.targetType]}`);
      if (target.ownerId === reporterId) {
        throw badRequest('CANNOT_REPORT_SELF', '자기 자신이나 본인의 게시글·리뷰는 신고할 수 없습니다');
      }
      // created_at from the clock: the 30-day auto-ban window is measured against it.
      const row = await repo.insertOnce({
        reporterId, targetType: input.targetType, targetId: input.targetId, reason: input.reason, detail, at: deps.clock.now(),
      });
      if (!row) throw conflict('ALREADY_REPORTED', '이미 신고한 대상입니다');
      return toReport(row);
    },

    /** Newest first, each with the counts of its target (what the auto-ban job looks at). */
    async listForAdmin(query: AdminReportQuery) {
      const limit = query.limit ?? 20;
      const since = new Date(deps.clock.now().getTime() - AUTO_BAN_WINDOW_DAYS * 86_400_000);
      const rows = await repo.listForAdmin({
        status: query.status, targetType: query.targetType, before: decodeIdCursor(query.cursor) ?? undefined, limit, since,
      });
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
      const row = await repo.dismissPending(id, deps.clock.now());
      if (row) return toReport(row);
      if (!(await repo.exists(id))) throw notFound('신고');
      throw conflict('REPORT_NOT_PENDING', '이미 처리된 신고입니다');
    },
  };
}
