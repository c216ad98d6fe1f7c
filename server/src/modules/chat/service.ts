// Chat rules (SPEC §7): rooms per (listing, borrower), messages stored with a per-room sequence and an
// idempotency key BEFORE they are published, read pointers, and coalesced chat notifications.
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { mediaUrl, removeFiles } from '../images/service.ts';
import { storeAll } from '../images/multipart.ts';
import { chatRepository, type ChatRepository, type MessageRow, type RoomCursor, type RoomRow } from './repository.ts';
import { chatWarning } from './warnings.ts';
import { assertNotBlocked } from '../blocks/service.ts';
import { userChannel, type NotificationRow } from '../notifications/service.ts';
import { MAX_MESSAGE_LENGTH, MAX_PLACE_LENGTH, type ChatMessage, type ChatRoom } from './schemas.ts';
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

/** storage folder of chat photos: private, /media refuses it (images/service.ts PRIVATE_MEDIA_FOLDERS) */
export const CHAT_PHOTO_FOLDER = 'chat';

/** where a room member fetches a photo message's image (never the public /media path) */
export const chatPhotoUrl = (roomId: number, messageId: number) => `/api/v1/chats/${roomId}/photos/${messageId}`;

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    roomId: row.roomId,
    seq: row.seq,
    senderId: row.senderId,
    clientId: row.clientId,
    kind: row.kind,
    content: row.content,
    photo: row.photoPath ? { url: chatPhotoUrl(row.roomId, row.id), width: row.photoWidth ?? 0, height: row.photoHeight ?? 0 } : null,
    appointment:
      row.apptId === null
        ? null
        : {
            id: row.apptId,
            proposerId: row.apptProposerId,
            meetAt: iso(row.apptMeetAt),
            place: row.apptPlace,
            neighbourhood: row.apptHoodCode ? { code: row.apptHoodCode, name: row.apptHoodName ?? '' } : null,
            status: row.apptStatus,
            acceptedAt: row.apptAcceptedAt ? iso(row.apptAcceptedAt) : null,
          },
    warning: row.kind === 'TEXT' ? chatWarning(row.content) : null,
    createdAt: iso(row.createdAt),
  };
}

function toRoom(row: RoomRow, lastMessages: Map<number, ChatMessage>): ChatRoom {
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
    lastMessage: (row.lm_id !== null && lastMessages.get(row.lm_id)) || null,
    lastMessageAt: row.last_message_at ? iso(row.last_message_at) : null,
    createdAt: iso(row.created_at),
  };
}

/** how far ahead a 약속 may be set, and how long before it both sides are reminded */
export const APPOINTMENT_RULES = { maxAheadMs: 60 * 24 * 3_600_000, reminderLeadMs: 3_600_000 };

/** a message about to be stored: its text (the summary for photos and 약속) and what it carries */
interface Draft {
  kind: MessageRow['kind'];
  content: string;
  photo?: { path: string; width: number; height: number };
  /** runs inside the sending transaction, after the room lock (membership checked): returns the 약속 id */
  appointment?: (tx: ChatRepository, room: { lender_id: number; borrower_id: number }) => Promise<number>;
}

const seoulTime = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit' });
/** 12월 5일 (토) 오후 3:00 */
export const formatMeetAt = (at: Date) => seoulTime.format(at);

class DuplicateSend extends Error {}

export function chatService(deps: Deps) {
  const { db, bus, notifications } = deps;
  const repo = chatRepository(db);

  async function publishMessage(message: ChatMessage, memberIds: number[]) {
    const event: ChatEvent = { kind: 'chat-message', message };
    // issued together (node-redis pipelines them); each channel still sees this instance's messages in order
    await Promise.all([roomChannel(message.roomId), ...memberIds.map(userChannel)].map((ch) => bus.publish(ch, event)));
  }

  /** the rooms' newest messages, loaded in one query */
  async function lastMessagesOf(rows: RoomRow[]): Promise<Map<number, ChatMessage>> {
    const found = await repo.messagesByIds(rows.flatMap((r) => (r.lm_id === null ? [] : [r.lm_id])));
    return new Map(found.map((m) => [m.id, toMessage(m)]));
  }

  async function roomView(memberId: number, roomId: number): Promise<ChatRoom> {
    const row = await repo.roomFor(memberId, roomId);
    if (!row) throw notFound('채팅방');
    return toRoom(row, await lastMessagesOf([row]));
  }

  function checkedClientId(value: unknown): string {
    const clientId = typeof value === 'string' ? value.toLowerCase() : '';
    if (!UUID.test(clientId)) throw badRequest('INVALID_CLIENT_ID', 'clientId 는 UUID 여야 합니다');
    return clientId;
  }

  async function takeSendToken(memberId: number) {
    const wait = await chatSendLimiter(deps)?.take(memberId);
    if (wait) throw chatRateLimited(wait);
  }

  /**
   * Stores a message once per (room, sender, clientId), then publishes it. The room row lock
   * serialises senders of one room on every instance, so sequences have no gaps and no duplicates.
   * One chat notification per unread burst: only when the recipient has no unread one for this room.
   */
  async function post(memberId: number, roomId: number, clientId: string, draft: Draft): Promise<{ message: ChatMessage; duplicate: boolean }> {
    let result: { message: ChatMessage; duplicate: boolean; members: number[]; rows: NotificationRow[] };
    try {
      result = await db.transaction(async (tx) => {
        const txRepo = chatRepository(tx);
        // takes the room row lock: sequences are handed out one sender at a time, in commit order
        const room = await txRepo.nextSeq(roomId, memberId);
        if (!room) throw notFound('채팅방');
        // a retry answers with the stored message before any effect (an accepted 약속 stays accepted once)
        if (await txRepo.messageByClientId(roomId, memberId, clientId)) throw new DuplicateSend();
        const appointmentId = draft.appointment ? await draft.appointment(txRepo, room) : undefined;
        const id = await txRepo.insertMessage({
          roomId, seq: room.last_seq, senderId: memberId, clientId, kind: draft.kind, content: draft.content, photo: draft.photo, appointmentId,
        });
        // a retry of a stored message (or a concurrent retry that won): roll back, so the sequence keeps no gap
        if (id === undefined) throw new DuplicateSend();
        const [inserted] = await txRepo.messagesByIds([id]);
        // one notification per unread burst: none while the recipient has an unread chat notice for this room
        const notice = await notifications.insertUnlessUnread(
          tx,
          {
            memberId: memberId === room.lender_id ? room.borrower_id : room.lender_id,
            type: 'CHAT_MESSAGE',
            title: `${room.sender_nickname}님의 새 메시지`,
            body: draft.content.length > 60 ? `${draft.content.slice(0, 60)}…` : draft.content,
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
      const lastMessages = await lastMessagesOf(page);
      return { items: page.map((r) => toRoom(r, lastMessages)), nextCursor: rows.length > limit && last ? encodeCursor({ t: last.sort_us, id: last.id }) : null };
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

    /** a text message */
    async send(memberId: number, roomId: number, input: { clientId: unknown; content: unknown }): Promise<{ message: ChatMessage; duplicate: boolean }> {
      const clientId = checkedClientId(input.clientId);
      const content = typeof input.content === 'string' ? input.content : '';
      if (!content.trim()) throw badRequest('EMPTY_MESSAGE', '메시지 내용을 입력해 주세요');
      if (content.length > MAX_MESSAGE_LENGTH) throw badRequest('MESSAGE_TOO_LONG', `메시지는 ${MAX_MESSAGE_LENGTH}자까지 보낼 수 있습니다`);
      await takeSendToken(memberId);
      return post(memberId, roomId, clientId, { kind: 'TEXT', content });
    },

    /**
     * A photo message: the image goes through the listing upload checks (content-sniffed, EXIF stripped,
     * size-limited by the multipart parser) and is stored under chat/, which /media never serves.
     */
    async sendPhoto(memberId: number, roomId: number, input: { clientId: unknown; image: Buffer }) {
      const clientId = checkedClientId(input.clientId);
      // members only, before anything is written
      if (!(await service.membership(memberId, roomId))) throw notFound('채팅방');
      await takeSendToken(memberId);
      const [stored] = await storeAll(deps.storage, [input.image], CHAT_PHOTO_FOLDER);
      try {
        const result = await post(memberId, roomId, clientId, {
          kind: 'PHOTO', content: '사진을 보냈어요', photo: { path: stored.path, width: stored.width, height: stored.height },
        });
        // a retried upload keeps the first photo
        if (result.duplicate) await removeFiles(deps.storage, [stored.path]);
        return result;
      } catch (err) {
        await removeFiles(deps.storage, [stored.path]);
        throw err;
      }
    },

    /** the storage key of a photo message, for a member of its room; 404 otherwise */
    async photoKey(memberId: number, roomId: number, messageId: number): Promise<string> {
      const row = await repo.photoFor(memberId, roomId, messageId);
      if (!row) throw notFound('사진');
      return row.photo_path;
    },

    /** proposes a 약속: a card the other side accepts */
    async proposeAppointment(memberId: number, roomId: number, input: { clientId: unknown; meetAt: unknown; place: unknown; neighbourhoodCode?: unknown }) {
      const clientId = checkedClientId(input.clientId);
      const meetAt = typeof input.meetAt === 'string' ? new Date(input.meetAt) : new Date(NaN);
      if (Number.isNaN(meetAt.getTime())) throw badRequest('INVALID_MEET_AT', '약속 시간 형식이 올바르지 않습니다');
      const now = deps.clock.now().getTime();
      if (meetAt.getTime() <= now) throw badRequest('MEET_AT_PAST', '약속 시간은 지금 이후여야 합니다');
      if (meetAt.getTime() > now + APPOINTMENT_RULES.maxAheadMs) throw badRequest('MEET_AT_TOO_FAR', '약속은 60일 안으로 잡아 주세요');
      const place = typeof input.place === 'string' ? input.place.trim() : '';
      if (!place) throw badRequest('PLACE_REQUIRED', '만날 장소를 입력해 주세요');
      if (place.length > MAX_PLACE_LENGTH) throw badRequest('PLACE_TOO_LONG', `장소는 ${MAX_PLACE_LENGTH}자까지 쓸 수 있습니다`);
      const code = input.neighbourhoodCode;
      if (code !== undefined && (typeof code !== 'string' || !/^[0-9]{10}$/.test(code) || !(await repo.neighbourhoodExists(code)))) {
        throw badRequest('UNKNOWN_NEIGHBOURHOOD', '동네 목록에 없는 동입니다');
      }
      await takeSendToken(memberId);
      return post(memberId, roomId, clientId, {
        kind: 'APPOINTMENT',
        content: `약속 제안: ${formatMeetAt(meetAt)}, ${place}`,
        appointment: (tx) => tx.insertAppointment({ roomId, proposerId: memberId, meetAt, place, neighbourhoodCode: (code as string | undefined) ?? null }),
      });
    },

    /** the other side accepts a proposed 약속; the acceptance is a message of its own carrying the card */
    async acceptAppointment(memberId: number, roomId: number, appointmentId: number, input: { clientId: unknown }) {
      const clientId = checkedClientId(input.clientId);
      await takeSendToken(memberId);
      return post(memberId, roomId, clientId, {
        kind: 'APPOINTMENT',
        content: '약속을 수락했어요',
        appointment: async (tx) => {
          const appointment = await tx.appointmentFor(roomId, appointmentId);
          if (!appointment) throw notFound('약속');
          if (appointment.proposer_id === memberId) throw forbidden('내가 제안한 약속은 상대방이 수락해야 합니다', 'OWN_APPOINTMENT');
          if (appointment.status !== 'PROPOSED') throw conflict('APPOINTMENT_ALREADY_ACCEPTED', '이미 수락한 약속입니다');
          if (new Date(appointment.meet_at).getTime() <= deps.clock.now().getTime()) throw badRequest('MEET_AT_PAST', '이미 지난 약속입니다');
          await tx.acceptAppointment(appointment.id, deps.clock.now());
          return appointment.id;
        },
      });
    },

    /** reminds both sides of every accepted 약속 starting within the hour (the chat-appointment-reminders job) */
    async remindAppointments(now: Date): Promise<number> {
      let reminded = 0;
      for (const a of await repo.dueAppointments(now, APPOINTMENT_RULES.reminderLeadMs, 500)) {
        const rows = await db.transaction(async (tx) => {
          if (!(await chatRepository(tx).claimReminder(a.id, now))) return [];
          const where = a.hood_name ? `${a.place} (${a.hood_name})` : a.place;
          return notifications.insertMany(
            tx,
            a.member_ids.map((id) => ({
              memberId: Number(id),
              type: 'CHAT_APPOINTMENT',
              title: '1시간 뒤 약속이 있어요',
              body: `'${a.post_title}' ${formatMeetAt(new Date(a.meet_at))}, ${where}`,
              targetType: 'CHAT_ROOM',
              targetId: a.room_id,
            })),
          );
        });
        if (rows.length) reminded++;
        await notifications.publish(rows);
      }
      return reminded;
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
