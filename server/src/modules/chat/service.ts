// Chat rules (SPEC §7): rooms per (listing, borrower), messages stored with a per-room sequence and an
// idempotency key BEFORE they are published, read pointers, and coalesced chat notifications.
import type { Deps } from '../../deps.ts';
import { sql } from '../../db/sql.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { assertNotBlocked } from '../blocks/service.ts';
import { userChannel, type NotificationRow } from '../notifications/service.ts';
import { MAX_MESSAGE_LENGTH, type ChatMessage, type ChatRoom } from './schemas.ts';
import { iso } from '../../http/wire.ts';

import { chatRateLimited, chatSendLimiter } from './send-limit.ts';

/** bus channel of one room's messages; every instance relays it to its local /topic/chat/{id} subscribers */
export const roomChannel = (roomId: number) => `room:${roomId}`;

/** bus events of chat (payload shapes are part of the realtime contract, see gateway.ts) */
export type ChatEvent =
  | { kind: 'chat-message'; message: ChatMessage }
  | { kind: 'chat-read'; roomId: number; memberId: number; lastReadSeq: number; unreadCount: number };

/** notification types written here; one unread notice of these per room at a time, cleared by reading it */
export const CHAT_NOTIFICATION_TYPES = ['CHAT_ROOM', 'CHAT_MESSAGE'] as const;

const MESSAGE_COLUMNS = `m.id, m.room_id AS "roomId", m.seq, m.sender_id AS "senderId", m.client_id::text AS "clientId",
  m.content, m.created_at AS "createdAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


function toMessage(row: any): ChatMessage {
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

/** rooms as one member (`me`) sees them; callers add `WHERE me.member_id = …` */
const ROOM_SELECT = `
  SELECT r.id, r.post_id, p.title AS post_title, r.lender_id, r.borrower_id, r.last_seq, r.last_message_at, r.created_at,
    me.last_read_seq, other.last_read_seq AS other_read_seq,
    om.id AS other_id, om.nickname AS other_nickname, om.avatar_path AS other_avatar,
    (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
      ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS thumb,
    (SELECT count(*)::int FROM chat_messages um
      WHERE um.room_id = r.id AND um.seq > me.last_read_seq AND um.sender_id <> me.member_id) AS unread,
    lm.id AS lm_id, lm.sender_id AS lm_sender, lm.client_id::text AS lm_client, lm.content AS lm_content, lm.created_at AS lm_at,
    (extract(epoch FROM coalesce(r.last_message_at, r.created_at)) * 1000000)::bigint AS sort_us
  FROM chat_members me
  JOIN chat_rooms r ON r.id = me.room_id
  JOIN chat_members other ON other.room_id = r.id AND other.member_id <> me.member_id
  JOIN members om ON om.id = other.member_id
  JOIN posts p ON p.id = r.post_id
  LEFT JOIN chat_messages lm ON lm.room_id = r.id AND lm.seq = r.last_seq`;

function toRoom(row: any): ChatRoom {
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

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export function chatService(deps: Deps) {
  const { db, bus, notifications } = deps;

  async function publishMessage(message: ChatMessage, memberIds: number[]) {
    const event: ChatEvent = { kind: 'chat-message', message };
    // issued together (node-redis pipelines them); each channel still sees this instance's messages in order
    await Promise.all([roomChannel(message.roomId), ...memberIds.map(userChannel)].map((ch) => bus.publish(ch, event)));
  }

  async function roomView(memberId: number, roomId: number): Promise<ChatRoom> {
    const row = await db.one(`${ROOM_SELECT} WHERE me.member_id = $1 AND r.id = $2`, [memberId, roomId]);
    if (!row) throw notFound('채팅방');
    return toRoom(row);
  }

  const service = {
    roomView,

    /** the room of (listing, me as borrower): created on first call, returned afterwards */
    async openRoom(memberId: number, postId: number): Promise<{ room: ChatRoom; created: boolean }> {
      const post = await db.one<{ id: number; author_id: number; title: string }>(
        `SELECT p.id, p.author_id, p.title FROM posts p WHERE p.id = $1 AND ${publicPostCondition('p')}`,
        [postId],
      );
      if (!post) throw notFound('게시글');
      if (post.author_id === memberId) throw badRequest('CHAT_OWN_POST', '내 게시글에는 채팅을 시작할 수 없습니다');
      await assertNotBlocked(db, memberId, post.author_id, '대화');
      const { roomId, created, rows } = await db.transaction(async (tx) => {
        const inserted = await tx.one<{ id: number }>(
          `INSERT INTO chat_rooms (post_id, lender_id, borrower_id) VALUES ($1, $2, $3)
           ON CONFLICT (post_id, borrower_id) DO NOTHING RETURNING id`,
          [post.id, post.author_id, memberId],
        );
        if (!inserted) {
          const existing = await tx.one<{ id: number }>('SELECT id FROM chat_rooms WHERE post_id = $1 AND borrower_id = $2', [post.id, memberId]);
          return { roomId: existing!.id, created: false, rows: [] as NotificationRow[] };
        }
        await tx.query('INSERT INTO chat_members (room_id, member_id) VALUES ($1, $2), ($1, $3)', [inserted.id, post.author_id, memberId]);
        const borrower = await tx.one<{ nickname: string }>('SELECT nickname FROM members WHERE id = $1', [memberId]);
        const row = await notifications.insert(tx, {
          memberId: post.author_id,
          type: 'CHAT_ROOM',
          title: '새 채팅이 시작되었습니다',
          body: `${borrower!.nickname}님이 '${post.title}' 에 대해 대화를 시작했습니다`,
          targetType: 'CHAT_ROOM',
          targetId: inserted.id,
        });
        return { roomId: inserted.id, created: true, rows: [row] };
      });
      await notifications.publish(rows);
      return { room: await roomView(memberId, roomId), created };
    },

    async listRooms(memberId: number, opts: { q?: string; cursor?: string; limit?: number }) {
      const limit = opts.limit ?? 20;
      let where = sql``;
      const q = opts.q?.trim();
      if (q) {
        const pattern = likePattern(q);
        where = sql`${where} AND (p.title ILIKE ${pattern} OR om.nickname ILIKE ${pattern}
          OR EXISTS (SELECT 1 FROM chat_messages sm WHERE sm.room_id = r.id AND sm.content ILIKE ${pattern}))`;
      }
      if (opts.cursor) {
        const m = /^(\d{1,17})_(\d{1,16})$/.exec(opts.cursor);
        if (!m) throw badRequest('INVALID_CURSOR', '커서 형식이 올바르지 않습니다');
        where = sql`${where} AND ((extract(epoch FROM coalesce(r.last_message_at, r.created_at)) * 1000000)::bigint, r.id) < (${Number(m[1])}::bigint, ${Number(m[2])}::bigint)`;
      }
      const query = sql`${sql.raw(ROOM_SELECT)} WHERE me.member_id = ${memberId}::bigint ${where}
        ORDER BY coalesce(r.last_message_at, r.created_at) DESC, r.id DESC LIMIT ${limit + 1}`;
      const rows = await db.query(query);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(toRoom), nextCursor: rows.length > limit && last ? `${last.sort_us}_${last.id}` : null };
    },

    /** unread messages over all my rooms (the chat badge) */
    async unreadTotal(memberId: number): Promise<number> {
      const row = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM chat_members me JOIN chat_messages m ON m.room_id = me.room_id
         WHERE me.member_id = $1 AND m.seq > me.last_read_seq AND m.sender_id <> $1`,
        [memberId],
      );
      return row!.n;
    },

    /** the room's last sequence if `memberId` belongs to it, else null (a banned member has no session to ask with) */
    async membership(memberId: number, roomId: number): Promise<{ lastSeq: number } | null> {
      const row = await db.one<{ last_seq: number }>(
        `SELECT r.last_seq FROM chat_members cm JOIN chat_rooms r ON r.id = cm.room_id
         WHERE cm.room_id = $1 AND cm.member_id = $2`,
        [roomId, memberId],
      );
      return row ? { lastSeq: row.last_seq } : null;
    },

    async messages(memberId: number, roomId: number, opts: { after?: number; before?: number; limit?: number }) {
      if (opts.after !== undefined && opts.before !== undefined) throw badRequest('INVALID_RANGE', 'after 와 before 는 함께 쓸 수 없습니다');
      if (!(await service.membership(memberId, roomId))) throw notFound('채팅방');
      return service.messagesOf(roomId, opts);
    },

    /** history by sequence, oldest first; without after/before: the newest page */
    async messagesOf(roomId: number, opts: { after?: number; before?: number; limit?: number }) {
      const limit = opts.limit ?? 50;
      let rows: any[];
      if (opts.after !== undefined) {
        rows = await db.query(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`, [roomId, opts.after, limit + 1]);
      } else {
        const before = opts.before ?? Number.MAX_SAFE_INTEGER;
        rows = await db.query(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`, [roomId, before, limit + 1]);
      }
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
          // takes the room row lock: sequences are handed out one sender at a time, in commit order
          const room = await tx.one<{ last_seq: number; lender_id: number; borrower_id: number; sender_nickname: string }>(
            `UPDATE chat_rooms SET last_seq = last_seq + 1, last_message_at = now()
             WHERE id = $1 AND $2 IN (lender_id, borrower_id)
             RETURNING last_seq, lender_id, borrower_id, (SELECT nickname FROM members WHERE id = $2) AS sender_nickname`,
            [roomId, memberId],
          );
          if (!room) throw notFound('채팅방');
          const inserted = await tx.one(
            `INSERT INTO chat_messages AS m (room_id, seq, sender_id, client_id, content) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (room_id, sender_id, client_id) DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
            [roomId, room.last_seq, memberId, clientId, content],
          );
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
        const earlier = await db.one(
          `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room_id = $1 AND m.sender_id = $2 AND m.client_id = $3`,
          [roomId, memberId, clientId],
        );
        result = { message: toMessage(earlier), duplicate: true, members: [], rows: [] };
      }

      // a duplicate goes to the room channel again (no members, no notice): the first attempt may have died
      // between commit and publish; subscribers drop repeats by sequence
      await Promise.all([publishMessage(result.message, result.members), notifications.publish(result.rows)]);
      return { message: result.message, duplicate: result.duplicate };
    },

    /** moves my read pointer forward (never back, never past the last message); clears the room's chat notifications */
    async markRead(memberId: number, roomId: number, seq: number) {
      const { members, ...row } = await db.transaction(async (tx) => {
        const updated = await tx.one<{ last_read_seq: number; lender_id: number; borrower_id: number }>(
          `UPDATE chat_members cm SET last_read_seq = GREATEST(cm.last_read_seq, LEAST($3::bigint, r.last_seq))
           FROM chat_rooms r WHERE r.id = cm.room_id AND cm.room_id = $1 AND cm.member_id = $2
           RETURNING cm.last_read_seq, r.lender_id, r.borrower_id`,
          [roomId, memberId, seq],
        );
        if (!updated) throw notFound('채팅방');
        await tx.query(
          `UPDATE notifications SET read_at = now() WHERE member_id = $1 AND target_type = 'CHAT_ROOM' AND target_id = $2
             AND type = ANY($3::text[]) AND read_at IS NULL`,
          [memberId, roomId, [...CHAT_NOTIFICATION_TYPES]],
        );
        const unread = await tx.one<{ n: number }>(
          'SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1 AND seq > $2 AND sender_id <> $3',
          [roomId, updated.last_read_seq, memberId],
        );
        return { lastReadSeq: updated.last_read_seq, unreadCount: unread!.n, members: [updated.lender_id, updated.borrower_id] };
      });
      const event: ChatEvent = { kind: 'chat-read', roomId, memberId, ...row };
      // both members hear it: my other tabs update badges, the other party can show "읽음"
      await Promise.all(members.map((id) => bus.publish(userChannel(id), event)));
      return { roomId, ...row };
    },
  };
  return service;
}

export type ChatService = ReturnType<typeof chatService>;
