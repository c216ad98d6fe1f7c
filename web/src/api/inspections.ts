// Condition records (인수·반납 상태 기록) and itemised deposit claims of one reservation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { ConditionView } from '../../../server/src/modules/inspections/schemas.ts';

export type { ConditionView };
export type Stage = 'PICKUP' | 'RETURN';
export const STAGE_LABELS: Record<Stage, string> = { PICKUP: '인수할 때', RETURN: '반납할 때' };

const conditionKey = (reservationId: number) => ['reservations', reservationId, 'condition'] as const;

export function useCondition(reservationId: number, enabled: boolean) {
  return useQuery({
    queryKey: conditionKey(reservationId),
    queryFn: ({ signal }) => api<ConditionView>(`/reservations/${reservationId}/condition`, { signal }),
    enabled,
  });
}

function useConditionMutation<T>(reservationId: number, fn: (arg: T) => Promise<ConditionView>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (view) => qc.setQueryData(conditionKey(reservationId), view) });
}

export interface RecordInput {
  stage: Stage;
  checklist: { ok: boolean; note?: string }[];
  note?: string;
  photos: File[];
}

export function useRecordCondition(reservationId: number) {
  return useConditionMutation(reservationId, ({ photos, ...data }: RecordInput) => {
    const form = new FormData();
    form.append('data', JSON.stringify(data));
    for (const p of photos) form.append('photos', p);
    return api<ConditionView>(`/reservations/${reservationId}/condition-records`, { method: 'POST', body: form });
  });
}

export function useClaim(reservationId: number) {
  return useConditionMutation(reservationId, (items: { description: string; amount: number }[]) =>
    api<ConditionView>(`/reservations/${reservationId}/claim`, { method: 'POST', body: { items } }));
}

export function useAnswerClaim(reservationId: number) {
  return useConditionMutation(reservationId, (answers: { itemId: number; accept: boolean }[]) =>
    api<ConditionView>(`/reservations/${reservationId}/claim/answer`, { method: 'POST', body: { answers } }));
}
