// Alerts: saved searches (키워드 알림) and 빈 날짜 알림 — list, save, delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Static } from 'typebox';
import type { AlertBody, AlertList, AlertOut, DateAlertOut } from '../../../server/src/modules/alerts/schemas.ts';

export type SavedAlert = Static<typeof AlertOut>;
export type DateAlert = Static<typeof DateAlertOut>;
export type AlertInput = AlertBody;
type AlertListing = Static<typeof AlertList>;

const alertKeys = { all: ['alerts'] as const };

export function useAlerts() {
  return useQuery({
    queryKey: alertKeys.all,
    queryFn: ({ signal }) => api<AlertListing>('/alerts', { signal }),
  });
}

function useAlertMutation<I>(fn: (input: I) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.all }) });
}

export const useSaveAlert = () => useAlertMutation((input: AlertInput) => api<SavedAlert>('/alerts', { method: 'POST', body: input }));
export const useDeleteAlert = () => useAlertMutation((id: number) => api<void>(`/alerts/${id}`, { method: 'DELETE' }));
export const useWatchDates = (postId: number) =>
  useAlertMutation((dates: { startDate: string; endDate: string }) => api<DateAlert>(`/posts/${postId}/date-alerts`, { method: 'POST', body: dates }));
export const useDeleteDateAlert = () => useAlertMutation((id: number) => api<void>(`/alerts/dates/${id}`, { method: 'DELETE' }));
