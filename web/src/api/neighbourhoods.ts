// 동네: name search, nearest 동, 내 동네 (one or two) and 동네 인증; blocks; trust on profiles.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Static } from 'typebox';
import type { BlockList } from '../../../server/src/modules/blocks/routes.ts';
import type { MyNeighbourhoods, Neighbourhood as NeighbourhoodSchema } from '../../../server/src/modules/neighbourhoods/routes.ts';
import { memberKeys } from './members.ts';

export type Neighbourhood = Static<typeof NeighbourhoodSchema>;
export type MyNeighbourhood = Static<typeof MyNeighbourhoods>['items'][number];
// the server's own type (erased at build): one definition of what trust carries
export type { Trust } from '../../../server/src/modules/trust/score.ts';
// the radii the API accepts, from the server's one definition
export { RADII_KM, type RadiusKm } from '../../../server/src/modules/neighbourhoods/geo.ts';

export const hoodKeys = { mine: ['neighbourhoods', 'mine'] as const, blocks: ['blocks'] as const };

export function useMyNeighbourhoods(enabled = true) {
  return useQuery({
    queryKey: hoodKeys.mine,
    queryFn: ({ signal }) => api<{ items: MyNeighbourhood[] }>('/members/me/neighbourhoods', { signal }).then((r) => r.items),
    enabled,
  });
}

export const searchNeighbourhoods = (q: string, signal?: AbortSignal) =>
  api<{ items: Neighbourhood[] }>('/neighbourhoods', { query: { q }, signal }).then((r) => r.items);

export const nearestNeighbourhood = (lat: number, lng: number) =>
  api<{ neighbourhood: Neighbourhood; distanceKm: number }>('/neighbourhoods/nearest', { query: { lat, lng } });

/** Any change of 동네 changes every distance and the home feed. */
function useHoodMutation<T>(fn: (arg: T) => Promise<{ items: MyNeighbourhood[] }>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      qc.setQueryData(hoodKeys.mine, r.items);
      void qc.invalidateQueries({ queryKey: ['posts'] });
      void qc.invalidateQueries({ queryKey: ['members'] });
    },
  });
}

export const useSetNeighbourhoods = () =>
  useHoodMutation((codes: string[]) => api<{ items: MyNeighbourhood[] }>('/members/me/neighbourhoods', { method: 'PUT', body: { codes } }));

export const useVerifyNeighbourhood = () =>
  useHoodMutation((p: { lat: number; lng: number; code?: string }) =>
    api<{ items: MyNeighbourhood[] }>('/members/me/neighbourhoods/verify', { method: 'POST', body: p }));

/** The browser's position (standard Geolocation API), with the refusal explained in Korean. */
export function currentPosition(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('이 브라우저는 위치 확인을 지원하지 않아요. 동네를 직접 검색해서 설정해 주세요.'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
      (err) => {
        const why =
          err.code === err.PERMISSION_DENIED
            ? '위치 권한이 거부되어 동네를 인증할 수 없어요. 브라우저 설정에서 이 사이트의 위치 권한을 허용한 뒤 다시 시도해 주세요. 위치는 동네 확인에만 쓰고 저장하지 않아요.'
            : err.code === err.TIMEOUT
              ? '위치를 확인하는 데 시간이 너무 오래 걸려요. 잠시 후 다시 시도해 주세요.'
              : '현재 위치를 확인할 수 없어요. 잠시 후 다시 시도해 주세요.';
        reject(new Error(why));
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

export type BlockedMember = Static<typeof BlockList>['items'][number];

export function useBlocks(enabled = true) {
  return useQuery({
    queryKey: hoodKeys.blocks,
    queryFn: ({ signal }) => api<{ items: BlockedMember[] }>('/members/me/blocks', { signal }).then((r) => r.items),
    enabled,
  });
}

export function useBlock() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, block }: { id: number; block: boolean }) => api<void>(`/members/${id}/block`, { method: block ? 'POST' : 'DELETE' }),
    onSuccess: (_r, { id }) => {
      void qc.invalidateQueries({ queryKey: hoodKeys.blocks });
      void qc.invalidateQueries({ queryKey: memberKeys.member(id) });
      void qc.invalidateQueries({ queryKey: ['posts'] });
      void qc.invalidateQueries({ queryKey: ['search'] });
    },
  });
}
