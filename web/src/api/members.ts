// Accounts: who is logged in, sign-up/login/logout, profiles.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, upload, isId } from './client.ts';
import type { Trust } from './neighbourhoods.ts';

export interface RegionRef {
  id: number;
  name: string;
}

export interface MyMember {
  id: number;
  email: string;
  nickname: string;
  role: 'USER' | 'ADMIN' | string;
  phone: string | null;
  address: string | null;
  avatarUrl: string | null;
  region: RegionRef | null;
  createdAt: string;
}

export interface PublicMember {
  id: number;
  nickname: string;
  avatarUrl: string | null;
  region: RegionRef | null;
  createdAt: string;
  banned: boolean;
  trust: Trust;
  neighbourhoods: { code: string; name: string; verified: boolean }[];
  /** I blocked this member (my own blocks only) */
  blockedByMe: boolean;
}

export interface ProfilePatch {
  nickname?: string;
  phone?: string | null;
  address?: string | null;
  regionId?: number | null;
}

export const memberKeys = {
  me: ['me'] as const,
  member: (id: number) => ['members', id] as const,
};

/** The logged-in member, or null for a guest (asked without a 401, which browsers log as an error). */
export function useMe() {
  return useQuery({
    queryKey: memberKeys.me,
    queryFn: async ({ signal }) => (await api<{ member: MyMember | null }>('/members/session', { signal })).member,
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<MyMember>('/members/login', { method: 'POST', body }),
    onSuccess: (me) => {
      qc.setQueryData(memberKeys.me, me);
      // lists carry per-viewer fields (favorited, mine)
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}

export function useSignUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; nickname: string }) =>
      api<MyMember>('/members', { method: 'POST', body }),
    onSuccess: (me) => qc.setQueryData(memberKeys.me, me),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/members/logout', { method: 'POST' }),
    onSettled: () => {
      qc.setQueryData(memberKeys.me, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'catalog' });
    },
  });
}

export const checkNickname = (nickname: string, signal?: AbortSignal) =>
  api<{ nickname: string; available: boolean }>('/members/check-nickname', { query: { nickname }, signal });

export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatch) => api<MyMember>('/members/me', { method: 'PATCH', body: patch }),
    onSuccess: (me) => {
      qc.setQueryData(memberKeys.me, me);
      void qc.invalidateQueries({ queryKey: memberKeys.member(me.id) });
    },
  });
}

/** Replaces the avatar (multipart field `image`). */
export function useUploadAvatar() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('image', file);
      return upload<MyMember>('/members/me/avatar', form, { method: 'PUT' });
    },
    onSuccess: (me) => {
      qc.setQueryData(memberKeys.me, me);
      void qc.invalidateQueries({ queryKey: memberKeys.member(me.id) });
    },
  });
}

export function useMember(id: number) {
  return useQuery({
    queryKey: memberKeys.member(id),
    queryFn: () => api<PublicMember>(`/members/${id}`),
    enabled: isId(id),
  });
}
