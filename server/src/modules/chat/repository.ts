// Every SQL statement of chat (rooms, members' read pointers, messages). Build it over the database or,
// inside a transaction, over the transaction handle: chatRepository(tx).
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { publicPostCondition } from '../posts/visibility.ts';

export interface MessageRow {
  id: number;
  roomId: number;
  seq: number;
  senderId: number;
  clientId: string;
  content: string;
  createdAt: Date | string;
}

/** a room as one member (`me`) sees it */
export interface RoomRow {
  id: number;
  post_id: number;
  post_title: string;
  lender_id: number;
  borrower_id: number;
  last_seq: number;
  last_message_at: Date | string | null;
  created_at: Date | string;
  last_read_seq: number;
  other_read_seq: number;
  other_id: number;
  other_nickname: string;
  other_avatar: string | null;
  thumb: string | null;
  unread: number;
  lm_id: number | null;
  lm_sender: number;
  lm_client: string;
  lm_content: string;
  lm_at: Date | string;
  /** the list's sort key in microseconds (the cursor) */
  sort_us: number;
}

export interface RoomCursor {
  sortUs: number;
  id: number;
}

const MESSAGE_COLUMNS = sql.raw(`m.id, m.room_id AS "roomId", m.seq, m.sender_id AS "senderId", m.client_id::text AS "clientId",
  m.content, m.created_at AS "createdAt"`);

/** rooms as one member (`me`) sees them; callers add `WHERE me.member_id = …` */
const ROOM_SELECT = sql.raw(`
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
  LEFT JOIN chat_messages lm ON lm.room_id = r.id AND lm.seq = r.last_seq`);

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export function chatRepository(db: Queryable) {
  return {
    /** a listing one may open a chat about (public, not deleted or banned) */
    publicPost: (postId: number) =>
      db.one<{ id: number; author_id: number; title: string }>(
        sql`SELECT p.id, p.author_id, p.title FROM posts p WHERE p.id = ${postId} AND ${sql.raw(publicPostCondition('p'))}`,
      ),

    /** the new room's id, or undefined when (post, borrower) already has one */
    insertRoom: async (postId: number, lenderId: number, borrowerId: number) =>
      (await db.one<{ id: number }>(
        sql`INSERT INTO chat_rooms (post_id, lender_id, borrower_id) VALUES (${postId}, ${lenderId}, ${borrowerId})
            ON CONFLICT (post_id, borrower_id) DO NOTHING RETURNING id`,
      ))?.id,

    roomIdOf: async (postId: number, borrowerId: number) =>
      (await db.one<{ id: number }>(sql`SELECT id FROM chat_rooms WHERE post_id = ${postId} AND borrower_id = ${borrowerId}`))?.id,

    addMembers: (roomId: number, memberIds: number[]) =>
      db.query(sql`INSERT INTO chat_members (room_id, member_id) SELECT ${roomId}::bigint, unnest(${memberIds}::bigint[])`),

    nicknameOf: async (memberId: number) =>
      (await db.one<{ nickname: string }>(sql`SELECT nickname FROM members WHERE id = ${memberId}`))?.nickname ?? '',

    roomFor: (memberId: number, roomId: number) =>
      db.one<RoomRow>(sql`${ROOM_SELECT} WHERE me.member_id = ${memberId}::bigint AND r.id = ${roomId}::bigint`),

    /** one page (limit + 1 rows, to tell whether more follow) of my rooms, newest conversation first */
    roomsOf(memberId: number, opts: { q?: string; after?: RoomCursor; limit: number }) {
      const filters = [];
      if (opts.q) {
        const pattern = likePattern(opts.q);
        filters.push(sql`(p.title ILIKE ${pattern} OR om.nickname ILIKE ${pattern}
          OR EXISTS (SELECT 1 FROM chat_messages sm WHERE sm.room_id = r.id AND sm.content ILIKE ${pattern}))`);
      }
      if (opts.after) {
        filters.push(sql`((extract(epoch FROM coalesce(r.last_message_at, r.created_at)) * 1000000)::bigint, r.id)
          < (${opts.after.sortUs}::bigint, ${opts.after.id}::bigint)`);
      }
      const where = filters.length ? sql` AND ${sql.join(filters, ' AND ')}` : sql.empty();
      return db.query<RoomRow>(sql`${ROOM_SELECT} WHERE me.member_id = ${memberId}::bigint ${where}
        ORDER BY coalesce(r.last_message_at, r.created_at) DESC, r.id DESC LIMIT ${opts.limit + 1}`);
    },

    unreadTotal: async (memberId: number) =>
      (await db.one<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM chat_members me JOIN chat_messages m ON m.room_id = me.room_id
            WHERE me.member_id = ${memberId} AND m.seq > me.last_read_seq AND m.sender_id <> ${memberId}`,
      ))!.n,

    /** the room's newest sequence when `memberId` belongs to it */
    membership: (memberId: number, roomId: number) =>
      db.one<{ last_seq: number }>(
        sql`SELECT r.last_seq FROM chat_members cm JOIN chat_rooms r ON r.id = cm.room_id
            WHERE cm.room_id = ${roomId} AND cm.member_id = ${memberId}`,
      ),

    lastSeq: async (roomId: number) =>
      (await db.one<{ last_seq: number }>(sql`SELECT last_seq FROM chat_rooms WHERE id = ${roomId}`))?.last_seq ?? 0,

    messagesAfter: (roomId: number, after: number, limit: number) =>
      db.query<MessageRow>(sql`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room_id = ${roomId} AND m.seq > ${after} ORDER BY m.seq LIMIT ${limit}`),

    /** newest first */
    messagesBefore: (roomId: number, before: number, limit: number) =>
      db.query<MessageRow>(sql`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE m.room_id = ${roomId} AND m.seq < ${before} ORDER BY m.seq DESC LIMIT ${limit}`),

    messageByClientId: (roomId: number, senderId: number, clientId: string) =>
      db.one<MessageRow>(sql`SELECT ${MESSAGE_COLUMNS} FROM chat_messages m
        WHERE m.room_id = ${roomId} AND m.sender_id = ${senderId} AND m.client_id = ${clientId}`),

    /** takes the room row lock and the next sequence; undefined when the room is not the sender's */
    nextSeq: (roomId: number, senderId: number) =>
      db.one<{ last_seq: number; lender_id: number; borrower_id: number; sender_nickname: string }>(
        sql`UPDATE chat_rooms SET last_seq = last_seq + 1, last_message_at = now()
            WHERE id = ${roomId} AND ${senderId} IN (lender_id, borrower_id)
            RETURNING last_seq, lender_id, borrower_id, (SELECT nickname FROM members WHERE id = ${senderId}) AS sender_nickname`,
      ),

    /** undefined when (room, sender, clientId) is already stored */
    insertMessage: (m: { roomId: number; seq: number; senderId: number; clientId: string; content: string }) =>
      db.one<MessageRow>(
        sql`INSERT INTO chat_messages AS m (room_id, seq, sender_id, client_id, content)
            VALUES (${m.roomId}, ${m.seq}, ${m.senderId}, ${m.clientId}, ${m.content})
            ON CONFLICT (room_id, sender_id, client_id) DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
      ),

    /** moves the read pointer forward, never past the last message; undefined when not a member */
    advanceRead: (roomId: number, memberId: number, seq: number) =>
      db.one<{ last_read_seq: number; lender_id: number; borrower_id: number }>(
        sql`UPDATE chat_members cm SET last_read_seq = GREATEST(cm.last_read_seq, LEAST(${seq}::bigint, r.last_seq))
            FROM chat_rooms r WHERE r.id = cm.room_id AND cm.room_id = ${roomId} AND cm.member_id = ${memberId}
            RETURNING cm.last_read_seq, r.lender_id, r.borrower_id`,
      ),

    markNotificationsRead: (memberId: number, roomId: number, types: readonly string[]) =>
      db.query(sql`UPDATE notifications SET read_at = now() WHERE member_id = ${memberId} AND target_type = 'CHAT_ROOM'
        AND target_id = ${roomId} AND type = ANY(${[...types]}::text[]) AND read_at IS NULL`),

    unreadIn: async (roomId: number, memberId: number, afterSeq: number) =>
      (await db.one<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM chat_messages WHERE room_id = ${roomId} AND seq > ${afterSeq} AND sender_id <> ${memberId}`,
      ))!.n,

    /** of these members, the banned ones (the realtime sweep closes their sockets) */
    bannedAmong: async (memberIds: number[]) =>
      memberIds.length
        ? (await db.query<{ id: number }>(sql`SELECT id FROM members WHERE id = ANY(${memberIds}::bigint[]) AND banned_at IS NOT NULL`)).map((r) => Number(r.id))
        : [],
  };
}

export type ChatRepository = ReturnType<typeof chatRepository>;
