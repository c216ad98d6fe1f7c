// Accounts: who is logged in, sign-up/login/logout, profiles.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, upload, isId } from './client.ts';
import type { Static } from 'typebox';
import type { PublicProfile } from '../../../server/src/modules/trust/schemas.ts';
import type { MyMember as MyMemberSchema, ProfilePatch } from '../../../server/src/modules/members/schemas.ts';

/** the logged-in member's own view: the server's schema (one contract, no hand copy) */
export type MyMember = Static<typeof MyMemberSchema>;

/** GET /members/{id}: the profile with trust, 동네 and my block (the server's schema) */
export type PublicMember = Static<typeof PublicProfile>;

export type { ProfilePatch };

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

/** "비밀번호를 잊으셨나요?": the answer is the same whether or not the address has an account. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api<{ message: string }>('/members/password-reset', { method: 'POST', body: { email } }),
  });
}

/** Sets a new password with the mailed link; every session ends, so the member logs in again. */
export function useResetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      api<void>('/members/password-reset/confirm', { method: 'POST', body }),
    onSuccess: () => {
      qc.setQueryData(memberKeys.me, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'catalog' });
    },
  });
}

export function useConfirmEmail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api<{ verified: boolean }>('/members/email-verification/confirm', { method: 'POST', body: { token } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: memberKeys.me }),
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: () => api<{ message: string }>('/members/me/email-verification', { method: 'POST' }),
  });
}
