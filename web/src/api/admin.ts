// Admin API (/adm, ADMIN only): reports, bans, scheduled jobs, category/region trees.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { catalogKeys } from './catalog.ts';
import { cursorPaging, type CursorPage } from './paging.ts';
import type { ReportTargetType } from './reports.ts';
import type { Static } from 'typebox';
import type { JobInfoSchema, JobRunSchema } from '../../../server/src/modules/jobs-admin/schemas.ts';
import type { BannedPage } from '../../../server/src/modules/moderation/schemas.ts';
import type { AdminReport as AdminReportSchema, ReportStatusSchema } from '../../../server/src/modules/reports/schemas.ts';

// ---------- reports ----------
export type ReportStatus = Static<typeof ReportStatusSchema>;
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = { PENDING: '처리 대기', RESOLVED: '제한됨', DISMISSED: '기각' };
export type AdminReport = Static<typeof AdminReportSchema>;
export type BannedItem = Static<typeof BannedPage>['items'][number];

export const adminKeys = {
  all: ['admin'] as const,
  reports: (status?: ReportStatus, targetType?: ReportTargetType) => ['admin', 'reports', status ?? null, targetType ?? null] as const,
  bans: (targetType: ReportTargetType) => ['admin', 'bans', targetType] as const,
  jobs: ['admin', 'jobs'] as const,
  history: (name: string) => ['admin', 'jobs', name, 'history'] as const,
};

export function useAdminReports(status?: ReportStatus, targetType?: ReportTargetType) {
  return useInfiniteQuery({
    queryKey: adminKeys.reports(status, targetType),
    queryFn: ({ pageParam, signal }) =>
      api<CursorPage<AdminReport>>('/adm/reports', { query: { status, targetType, cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

export function useBans(targetType: ReportTargetType) {
  return useInfiniteQuery({
    queryKey: adminKeys.bans(targetType),
    queryFn: ({ pageParam, signal }) => api<CursorPage<BannedItem>>('/adm/bans', { query: { targetType, cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

const BAN_PATHS: Record<ReportTargetType, string> = { POST: 'posts', MEMBER: 'members', REVIEW: 'reviews' };

/** Ban or unban a listing, member or review; every admin list and public view may change. */
export function useModerate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ targetType, targetId, ban, reason }: { targetType: ReportTargetType; targetId: number; ban: boolean; reason?: string }) =>
      api<unknown>(`/adm/${BAN_PATHS[targetType]}/${targetId}/${ban ? 'ban' : 'unban'}`, {
        method: 'POST', body: ban ? { reason } : undefined,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: adminKeys.all });
      void qc.invalidateQueries({ queryKey: ['posts'] });
      void qc.invalidateQueries({ queryKey: ['members'] });
      void qc.invalidateQueries({ queryKey: ['reviews'] });
    },
  });
}

export function useDismissReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<unknown>(`/adm/reports/${id}/dismiss`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin', 'reports'] }),
  });
}

// ---------- jobs ----------
export type JobRun = Static<typeof JobRunSchema>;
export type JobOutcome = JobRun['outcome'];
export type JobInfo = Static<typeof JobInfoSchema>;

export function useJobs() {
  return useQuery({
    queryKey: adminKeys.jobs,
    queryFn: ({ signal }) => api<{ items: JobInfo[] }>('/adm/jobs', { signal }),
    select: (d) => d.items,
    staleTime: 0,
  });
}

export function useJobHistory(name: string) {
  return useInfiniteQuery({
    queryKey: adminKeys.history(name),
    queryFn: ({ pageParam, signal }) =>
      api<CursorPage<JobRun>>(`/adm/jobs/${name}/history`, { query: { cursor: pageParam, limit: 10 }, signal }),
    ...cursorPaging,
    staleTime: 0,
  });
}

export type JobCommand = { name: string } & ({ kind: 'pause' | 'resume' | 'run' } | { kind: 'schedule'; cron: string });

export function useJobCommand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cmd: JobCommand) =>
      cmd.kind === 'schedule'
        ? api<JobInfo>(`/adm/jobs/${cmd.name}/schedule`, { method: 'PUT', body: { cron: cmd.cron } })
        : api<unknown>(`/adm/jobs/${cmd.name}/${cmd.kind}`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: adminKeys.jobs }),
  });
}

// ---------- categories / regions ----------
export type CatalogKind = 'categories' | 'regions';

export type CatalogCommand =
  | { kind: CatalogKind; op: 'create'; name: string; parentId: number | null }
  | { kind: CatalogKind; op: 'rename'; id: number; name: string }
  | { kind: CatalogKind; op: 'delete'; id: number };

export function useCatalogCommand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cmd: CatalogCommand) => {
      if (cmd.op === 'create') return api<unknown>(`/adm/${cmd.kind}`, { method: 'POST', body: { name: cmd.name, parentId: cmd.parentId } });
      if (cmd.op === 'rename') return api<unknown>(`/adm/${cmd.kind}/${cmd.id}`, { method: 'PATCH', body: { name: cmd.name } });
      return api<unknown>(`/adm/${cmd.kind}/${cmd.id}`, { method: 'DELETE' });
    },
    onSuccess: (_r, cmd) =>
      void qc.invalidateQueries({ queryKey: cmd.kind === 'categories' ? catalogKeys.categories : catalogKeys.regions }),
  });
}
