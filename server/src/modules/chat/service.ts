// Chat rules (SPEC §7): rooms per (listing, borrower), messages stored with a per-room sequence and an
// idempotency key BEFORE they are published, read pointers, and coalesced chat notifications.
import type { Deps } from '../../deps.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import { chatRepository, type MessageRow, type RoomCursor, type RoomRow } from './repository.ts';
import { assertNotBlocked } from '../blocks/service.ts';
import { userChannel, type NotificationRow } from '../notifications/service.ts';
import { MAX_MESSAGE_LENGTH, type ChatMessage, type ChatRoom } from './schemas.ts';
import { iso } from '../../http/wire.ts';

import { chatRateLimited, chatSendLimiter } from './send-limit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';

/** bus channel of one room's messages; every instance relays it to its local /topic/chat/{id} subscribers */
export const roomChannel = (roomId: number) => `room:${roomId}`;

/** bus events of chat (payload shapes are part of the realtime contract, see gateway.ts) */
export type ChatEvent =
  | { kind: 'chat-message'; message: ChatMessage }
  | { kind: 'chat-read'; roomId: number; memberId: number; lastReadSeq: number; unreadCount: number };

/** notification types written here; one unread notice of these per room at a time, cleared by reading it */
export const CHAT_NOTIFICATION_TYPES = ['CHAT_ROOM', 'CHAT_MESSAGE'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    senderId: row.senderId,
    clientId: row.clientId,
    content: row.content,
    createdAt: iso(row.createdAt),
  };
}

function toRoom(row: RoomRow): ChatRoom {
  return {
    id: row.id,
    post: { id: row.post_id, title: row.post_title, thumbnailUrl: mediaUrl(row.thumb) },
    lenderId: row.lender_id,
    borrowerId: row.borrower_id,
    other: { id: row.other_id, nickname: row.other_nickname, avatarUrl: mediaUrl(row.other_avatar) },
    lastSeq: row.last_seq,
    lastReadSeq: row.last_read_seq,
    otherLastReadSeq: row.other_read_seq,
    unreadCount: row.unread,
    lastMessage: row.lm_id
      ? toMessage({ id: row.lm_id, roomId: row.id, seq: row.last_seq, senderId: row.lm_sender, clientId: row.lm_client, content: row.lm_content, createdAt: row.lm_at })
      : null,
    lastMessageAt: row.last_message_at ? iso(row.last_message_at) : null,
    createdAt: iso(row.created_at),
  };
}

class DuplicateSend extends Error {}

export function chatService(deps: Deps) {
  const { db, bus, notifications } = deps;
  const repo = chatRepository(db);

  async function publishMessage(message: ChatMessage, memberIds: number[]) {
    const event: ChatEvent = { kind: 'chat-message', message };
    // issued together (node-redis pipelines them); each channel still sees this instance's messages in order
    await Promise.all([roomChannel(message.roomId), ...memberIds.map(userChannel)].map((ch) => bus.publish(ch, event)));
  }

  async function roomView(memberId: number, roomId: number): Promise<ChatRoom> {
    const row = await repo.roomFor(memberId, roomId);
    if (!row) throw notFound('채팅방');
    return toRoom(row);
  }

  const service = {
    roomView,

    /** the room of (listing, me as borrower): created on first call, returned afterwards */
    async openRoom(memberId: number, postId: number): Promise<{ room: ChatRoom; created: boolean }> {
      const post = await repo.publicPost(postId);
      if (!post) throw notFound('게시글');
      if (post.author_id === memberId) throw badRequest('CHAT_OWN_POST', '내 게시글에는 채팅을 시작할 수 없습니다');
      await assertNotBlocked(db, memberId, post.author_id, '대화');
      const { roomId, created, rows } = await db.transaction(async (tx) => {
        const txRepo = chatRepository(tx);
        const insertedId = await txRepo.insertRoom(post.id, post.author_id, memberId);
        if (insertedId === undefined) {
          return { roomId: (await txRepo.roomIdOf(post.id, memberId))!, created: false, rows: [] as NotificationRow[] };
        }
        await txRepo.addMembers(insertedId, [post.author_id, memberId]);
        const borrowerNickname = await txRepo.nicknameOf(memberId);
        const row = await notifications.insert(tx, {
          memberId: post.author_id,
          type: 'CHAT_ROOM',
          title: '새 채팅이 시작되었습니다',
          body: `${borrowerNickname}님이 '${post.title}' 에 대해 대화를 시작했습니다`,
          targetType: 'CHAT_ROOM',
          targetId: insertedId,
        });
        return { roomId: insertedId, created: true, rows: [row] };
      });
      await notifications.publish(rows);
      return { room: await roomView(memberId, roomId), created };
    },

    async listRooms(memberId: number, opts: { q?: string; cursor?: string; limit?: number }) {
      const limit = opts.limit ?? 20;
      let after: RoomCursor | undefined;
      if (opts.cursor) {
        const c = decodeCursor<{ t: number; id: number }>(opts.cursor, (c) => Number.isSafeInteger(c.t) && Number.isSafeInteger(c.id));
        after = { sortUs: c.t, id: c.id };
      }
      const rows = await repo.roomsOf(memberId, { q: opts.q?.trim() || undefined, after, limit });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(toRoom), nextCursor: rows.length > limit && last ? encodeCursor({ t: last.sort_us, id: last.id }) : null };
    },

    /** unread messages over all my rooms (the chat badge) */
    unreadTotal: (memberId: number): Promise<number> => repo.unreadTotal(memberId),

    /** the room's last sequence if `memberId` belongs to it, else null (a banned member has no session to ask with) */
    async membership(memberId: number, roomId: number): Promise<{ lastSeq: number } | null> {
      const row = await repo.membership(memberId, roomId);
      return row ? { lastSeq: row.last_seq } : null;
    },

    /** the room's newest sequence (0 for an unknown room) */
    lastSeq: (roomId: number) => repo.lastSeq(roomId),

    async messages(memberId: number, roomId: number, opts: { after?: number; before?: number; limit?: number }) {
      if (opts.after !== undefined && opts.before !== undefined) throw badRequest('INVALID_RANGE', 'after 와 before 는 함께 쓸 수 없습니다');
      if (!(await service.membership(memberId, roomId))) throw notFound('채팅방');
      return service.messagesOf(roomId, opts);
    },

    /** history by sequence, oldest first; without after/before: the newest page */
    async messagesOf(roomId: number, opts: { after?: number; before?: number; limit?: number }) {
      const limit = opts.limit ?? 50;
      const rows =
        opts.after !== undefined
          ? await repo.messagesAfter(roomId, opts.after, limit + 1)
          : await repo.messagesBefore(roomId, opts.before ?? Number.MAX_SAFE_INTEGER, limit + 1);
      const hasMore = rows.length > limit;
      const page = rows.slice(0, limit).map(toMessage);
      if (opts.after === undefined) page.reverse();
      return { items: page, hasMore };
    },

    /**
     * Stores a message once per (room, sender, clientId), then publishes it. The room row lock
     * serialises senders of one room on every instance, so sequences have no gaps and no duplicates.
     * One chat notification per unread burst: only when the recipient has no unread one for this room.
     */
    async send(memberId: number, roomId: number, input: { clientId: unknown; content: unknown }): Promise<{ message: ChatMessage; duplicate: boolean }> {
      const clientId = typeof input.clientId === 'string' ? input.clientId.toLowerCase() : '';
      if (!UUID.test(clientId)) throw badRequest('INVALID_CLIENT_ID', 'clientId 는 UUID 여야 합니다');
      const content = typeof input.content === 'string' ? input.content : '';
      if (!content.trim()) throw badRequest('EMPTY_MESSAGE', '메시지 내용을 입력해 주세요');
      if (content.length > MAX_MESSAGE_LENGTH) throw badRequest('MESSAGE_TOO_LONG', `메시지는 ${MAX_MESSAGE_LENGTH}자까지 보낼 수 있습니다`);
      const wait = await chatSendLimiter(deps)?.take(memberId);
      if (wait) throw chatRateLimited(wait);

      let result: { message: ChatMessage; duplicate: boolean; members: number[]; rows: NotificationRow[] };
      try {
        result = await db.transaction(async (tx) => {
          const txRepo = chatRepository(tx);
          // takes the room row lock: sequences are handed out one sender at a time, in commit order
          const room = await txRepo.nextSeq(roomId, memberId);
          if (!room) throw notFound('채팅방');
          const inserted = await txRepo.insertMessage({ roomId, seq: room.last_seq, senderId: memberId, clientId, content });
          // a retry of a stored message (or a concurrent retry that won): roll back, so the sequence keeps no gap
          if (!inserted) throw new DuplicateSend();
          // one notification per unread burst: none while the recipient has an unread chat notice for this room
          const notice = await notifications.insertUnlessUnread(
            tx,
            {
              memberId: memberId === room.lender_id ? room.borrower_id : room.lender_id,
              type: 'CHAT_MESSAGE',
              title: `${room.sender_nickname}님의 새 메시지`,
              body: content.length > 60 ? content.slice(0, 60) + '…' : content,
              targetType: 'CHAT_ROOM',
              targetId: roomId,
            },
            CHAT_NOTIFICATION_TYPES,
          );
          return { message: toMessage(inserted), duplicate: false, members: [room.lender_id, room.borrower_id], rows: notice ? [notice] : [] };
        });
      } catch (err) {
        if (!(err instanceof DuplicateSend)) throw err;
        const earlier = await repo.messageByClientId(roomId, memberId, clientId);
        result = { message: toMessage(earlier!), duplicate: true, members: [], rows: [] };
      }

      // a duplicate goes to the room channel again (no members, no notice): the first attempt may have died
      // between commit and publish; subscribers drop repeats by sequence
      await Promise.all([publishMessage(result.message, result.members), notifications.publish(result.rows)]);
      return { message: result.message, duplicate: result.duplicate };
    },

    /** moves my read pointer forward (never back, never past the last message); clears the room's chat notifications */
    async markRead(memberId: number, roomId: number, seq: number) {
      const { members, ...row } = await db.transaction(async (tx) => {
        const txRepo = chatRepository(tx);
        const updated = await txRepo.advanceRead(roomId, memberId, seq);
        if (!updated) throw notFound('채팅방');
        await txRepo.markNotificationsRead(memberId, roomId, CHAT_NOTIFICATION_TYPES);
        const unreadCount = await txRepo.unreadIn(roomId, memberId, updated.last_read_seq);
        return { lastReadSeq: updated.last_read_seq, unreadCount, members: [updated.lender_id, updated.borrower_id] };
      });
      const event: ChatEvent = { kind: 'chat-read', roomId, memberId, ...row };
      // both members hear it: my other tabs update badges, the other party can show "읽음"
      await Promise.all(members.map((id) => bus.publish(userChannel(id), event)));
      return { roomId, ...row };
    },

    /** of these members, the banned ones */
    bannedAmong: (memberIds: number[]) => repo.bannedAmong(memberIds),
  };
  return service;
}

export type ChatService = ReturnType<typeof chatService>;
