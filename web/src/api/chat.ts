// Chat (SPEC §7): rooms per (listing, borrower), the room list with unread counts, message history by
// sequence, the REST send fallback and the read pointer. Live updates arrive through src/realtime.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isId } from './client.ts';
import { cursorPaging, type CursorPage } from './paging.ts';

export const MAX_MESSAGE_LENGTH = 1000;

// the server's response shapes (one contract): a message is text, a photo or a 약속 card
export type { Appointment, ChatMessage, ChatRoom } from '../../../server/src/modules/chat/schemas.ts';
import type { ChatMessage, ChatRoom, MessagePage as MessagePageSchema } from '../../../server/src/modules/chat/schemas.ts';
import type { Static } from 'typebox';

export type RoomPage = CursorPage<ChatRoom>;

export type MessagePage = Static<typeof MessagePageSchema>;

/** events on /user/queue/chat */
export type ChatEvent =
  | { kind: 'chat-message'; message: ChatMessage }
  | { kind: 'chat-read'; roomId: number; memberId: number; lastReadSeq: number; unreadCount: number };

export const chatKeys = {
  all: ['chats'] as const,
  lists: ['chats', 'list'] as const,
  list: (q: string) => ['chats', 'list', q] as const,
  room: (id: number) => ['chats', 'room', id] as const,
  unread: ['chats', 'unread'] as const,
};

export function useChatRooms(q: string) {
  return useInfiniteQuery({
    queryKey: chatKeys.list(q),
    queryFn: ({ pageParam, signal }) => api<RoomPage>('/chats', { query: { q, cursor: pageParam, limit: 20 }, signal }),
    ...cursorPaging,
  });
}

export function useChatRoom(id: number) {
  return useQuery({
    queryKey: chatKeys.room(id),
    queryFn: ({ signal }) => api<ChatRoom>(`/chats/${id}`, { signal }),
    enabled: isId(id),
  });
}

/** unread messages over all my rooms (the 채팅 tab badge) */
export function useChatUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: chatKeys.unread,
    queryFn: ({ signal }) => api<{ count: number }>('/chats/unread-count', { signal }),
    select: (r) => r.count,
    enabled,
  });
}

/** the room for a listing (created on first use), from the listing page */
export function useOpenChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (postId: number) => api<ChatRoom>('/chats', { method: 'POST', body: { postId } }),
    onSuccess: (room) => {
      qc.setQueryData(chatKeys.room(room.id), room);
      void qc.invalidateQueries({ queryKey: chatKeys.lists });
    },
  });
}

export const fetchMessages = (roomId: number, query: { after?: number; before?: number; limit?: number }, signal?: AbortSignal) =>
  api<MessagePage>(`/chats/${roomId}/messages`, { query, signal });

/** REST send (used when the live connection is down); the same clientId is stored once */
export const postMessage = (roomId: number, body: { clientId: string; content: string }) =>
  api<ChatMessage>(`/chats/${roomId}/messages`, { method: 'POST', body });

export const markRoomRead = (roomId: number, seq: number) =>
  api<{ roomId: number; lastReadSeq: number; unreadCount: number }>(`/chats/${roomId}/read`, { method: 'PATCH', body: { seq } });

/** a photo message (multipart, the same checks as listing photos); the same clientId is stored once */
export function postPhoto(roomId: number, clientId: string, image: File) {
  const form = new FormData();
  form.append('clientId', clientId);
  form.append('image', image);
  return api<ChatMessage>(`/chats/${roomId}/photos`, { method: 'POST', body: form });
}

export const proposeAppointment = (roomId: number, body: { clientId: string; meetAt: string; place: string; neighbourhoodCode?: string }) =>
  api<ChatMessage>(`/chats/${roomId}/appointments`, { method: 'POST', body });

export const acceptAppointment = (roomId: number, appointmentId: number, clientId: string) =>
  api<ChatMessage>(`/chats/${roomId}/appointments/${appointmentId}/accept`, { method: 'POST', body: { clientId } });
