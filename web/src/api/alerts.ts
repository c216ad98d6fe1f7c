// Alerts: saved searches (키워드 알림) and 빈 날짜 알림 — list, save, delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

interface Ref {
  id: number;
  name: string;
}

export interface SavedAlert {
  id: number;
  query: string;
  category: Ref | null;
  region: Ref | null;
  minFee: number | null;
  maxFee: number | null;
  radiusKm: number | null;
  createdAt: string;
}

export interface DateAlert {
  id: number;
  post: Ref;
  startDate: string;
  endDate: string;
  /** null while waiting */
  notifiedAt: string | null;
  createdAt: string;
}

export interface AlertInput {
  query: string;
  categoryId?: number;
  regionId?: number;
  minFee?: number;
  maxFee?: number;
  radiusKm?: number;
}

const alertKeys = { all: ['alerts'] as const };

export function useAlerts() {
  return useQuery({
    queryKey: alertKeys.all,
    queryFn: ({ signal }) => api<{ items: SavedAlert[]; dateAlerts: DateAlert[] }>('/alerts', { signal }),
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
