// Reports (SPEC §6): reasons and filing a report on a listing, member or review (once per target).
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Static } from 'typebox';
import type { CreateReportBody, ReasonList, TargetTypeSchema } from '../../../server/src/modules/reports/schemas.ts';

export type ReportTargetType = Static<typeof TargetTypeSchema>;
export type ReportReason = Static<typeof ReasonList>[number];
export type ReportInput = CreateReportBody;
export type ReportReasonCode = ReportInput['reason'];

export const REPORT_TARGET_LABELS: Record<ReportTargetType, string> = { POST: '게시글', MEMBER: '회원', REVIEW: '리뷰' };

/** "기타" needs a written detail (the server refuses it otherwise). */
export const DETAIL_REQUIRED_REASON = 'OTHER';

export function useReportReasons(enabled = true) {
  return useQuery({
    queryKey: ['reports', 'reasons'],
    queryFn: () => api<ReportReason[]>('/reports/reasons'),
    staleTime: 60 * 60_000,
    enabled,
  });
}

export function useCreateReport() {
  return useMutation({
    mutationFn: (body: ReportInput) => api<{ id: number }>('/reports', { method: 'POST', body }),
  });
}
