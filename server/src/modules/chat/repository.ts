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
  kind: 'TEXT' | 'PHOTO' | 'APPOINTMENT';
  content: string;
  photoPath: string | null;
  photoWidth: number | null;
  photoHeight: number | null;
  createdAt: Date | string;
  /** the 약속 of an APPOINTMENT message, in its current state (null columns otherwise) */
  apptId: number | null;
  apptProposerId: number;
  apptMeetAt: Date | string;
  apptPlace: string;
  apptHoodCode: string | null;
  apptHoodName: string | null;
  apptStatus: 'PROPOSED' | 'ACCEPTED';
  apptAcceptedAt: Date | string | null;
}

export interface NewMessage {
  roomId: number;
  seq: number;
  senderId: number;
  clientId: string;
  kind: MessageRow['kind'];
  content: string;
  photo?: { path: string; width: number; height: number };
  appointmentId?: number;
}

export interface AppointmentRow {
  id: number;
  room_id: number;
  proposer_id: number;
  meet_at: Date | string;
  place: string;
  status: 'PROPOSED' | 'ACCEPTED';
}

/** an accepted 약속 whose reminder is due, with whom to remind */
export interface DueAppointmentRow {
  id: number;
  room_id: number;
  meet_at: Date | string;
  place: string;
  hood_name: string | null;
  member_ids: number[];
  post_title: string;
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
  /** the newest message's id (the service loads those messages in one batch) */
  lm_id: number | null;
  /** the list's sort key in microseconds (the cursor) */
  sort_us: number;
}

export interface RoomCursor {
  sortUs: number;
  id: number;
}

const MESSAGE_SELECT = sql.raw(`SELECT m.id, m.room_id AS "roomId", m.seq, m.sender_id AS "senderId", m.client_id::text AS "clientId",
  m.kind, m.content, m.photo_path AS "photoPath", m.photo_width AS "photoWidth", m.photo_height AS "photoHeight", m.created_at AS "createdAt",
  a.id AS "apptId", a.proposer_id AS "apptProposerId", a.meet_at AS "apptMeetAt", a.place AS "apptPlace",
  a.neighbourhood_code AS "apptHoodCode", n.name AS "apptHoodName", a.status AS "apptStatus", a.accepted_at AS "apptAcceptedAt"
  FROM chat_messages m
  LEFT JOIN chat_appointments a ON a.id = m.appointment_id
  LEFT JOIN neighbourhoods n ON n.code = a.neighbourhood_code`);

/** rooms as one member (`me`) sees them; callers add `WHERE me.member_id = …` */
const ROOM_SELECT = sql.raw(`
  SELECT r.id, r.post_id, p.title AS post_title, r.lender_id, r.borrower_id, r.last_seq, r.last_message_at, r.created_at,
    me.last_read_seq, other.last_read_seq AS other_read_seq,
    om.id AS other_id, om.nickname AS other_nickname, om.avatar_path AS other_avatar,
    (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
      ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS thumb,
    (SELECT count(*)::int FROM chat_messages um
      WHERE um.room_id = r.id AND um.seq > me.last_read_seq AND um.sender_id <> me.member_id) AS unread,
    lm.id AS lm_id,
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
      db.query<MessageRow>(sql`${MESSAGE_SELECT} WHERE m.room_id = ${roomId} AND m.seq > ${after} ORDER BY m.seq LIMIT ${limit}`),

    /** newest first */
    messagesBefore: (roomId: number, before: number, limit: number) =>
      db.query<MessageRow>(sql`${MESSAGE_SELECT} WHERE m.room_id = ${roomId} AND m.seq < ${before} ORDER BY m.seq DESC LIMIT ${limit}`),

    messagesByIds: (ids: number[]) =>
      ids.length ? db.query<MessageRow>(sql`${MESSAGE_SELECT} WHERE m.id = ANY(${ids}::bigint[])`) : Promise.resolve([]),

    messageByClientId: (roomId: number, senderId: number, clientId: string) =>
      db.one<MessageRow>(sql`${MESSAGE_SELECT} WHERE m.room_id = ${roomId} AND m.sender_id = ${senderId} AND m.client_id = ${clientId}`),

    /** a photo message of the room, when `memberId` belongs to the room */
    photoFor: (memberId: number, roomId: number, messageId: number) =>
      db.one<{ photo_path: string }>(
        sql`SELECT m.photo_path FROM chat_messages m JOIN chat_members cm ON cm.room_id = m.room_id AND cm.member_id = ${memberId}
            WHERE m.id = ${messageId} AND m.room_id = ${roomId} AND m.photo_path IS NOT NULL`,
      ),

    /** takes the room row lock and the next sequence; undefined when the room is not the sender's */
    nextSeq: (roomId: number, senderId: number) =>
      db.one<{ last_seq: number; lender_id: number; borrower_id: number; sender_nickname: string }>(
        sql`UPDATE chat_rooms SET last_seq = last_seq + 1, last_message_at = now()
            WHERE id = ${roomId} AND ${senderId} IN (lender_id, borrower_id)
            RETURNING last_seq, lender_id, borrower_id, (SELECT nickname FROM members WHERE id = ${senderId}) AS sender_nickname`,
      ),

    /** the new message's id; undefined when (room, sender, clientId) is already stored */
    insertMessage: async (m: NewMessage) =>
      (await db.one<{ id: number }>(
        sql`INSERT INTO chat_messages (room_id, seq, sender_id, client_id, kind, content, photo_path, photo_width, photo_height, appointment_id)
            VALUES (${m.roomId}, ${m.seq}, ${m.senderId}, ${m.clientId}, ${m.kind}, ${m.content},
              ${m.photo?.path ?? null}, ${m.photo?.width ?? null}, ${m.photo?.height ?? null}, ${m.appointmentId ?? null})
            ON CONFLICT (room_id, sender_id, client_id) DO NOTHING RETURNING id`,
      ))?.id,

    neighbourhoodExists: async (code: string) => !!(await db.one(sql`SELECT 1 FROM neighbourhoods WHERE code = ${code}`)),

    insertAppointment: async (a: { roomId: number; proposerId: number; meetAt: Date; place: string; neighbourhoodCode: string | null }) =>
      (await db.one<{ id: number }>(
        sql`INSERT INTO chat_appointments (room_id, proposer_id, meet_at, place, neighbourhood_code)
            VALUES (${a.roomId}, ${a.proposerId}, ${a.meetAt}, ${a.place}, ${a.neighbourhoodCode}) RETURNING id`,
      ))!.id,

    appointmentFor: (roomId: number, appointmentId: number) =>
      db.one<AppointmentRow>(
        sql`SELECT id, room_id, proposer_id, meet_at, place, status FROM chat_appointments WHERE id = ${appointmentId} AND room_id = ${roomId} FOR UPDATE`,
      ),

    acceptAppointment: (appointmentId: number, at: Date) =>
      db.query(sql`UPDATE chat_appointments SET status = 'ACCEPTED', accepted_at = ${at} WHERE id = ${appointmentId} AND status = 'PROPOSED'`),

    /** accepted 약속 meeting within (now, now + lead], not yet reminded */
    dueAppointments: (now: Date, leadMs: number, limit: number) =>
      db.query<DueAppointmentRow>(
        sql`SELECT a.id, a.room_id, a.meet_at, a.place, n.name AS hood_name, ARRAY[r.lender_id, r.borrower_id] AS member_ids, p.title AS post_title
            FROM chat_appointments a JOIN chat_rooms r ON r.id = a.room_id JOIN posts p ON p.id = r.post_id
            LEFT JOIN neighbourhoods n ON n.code = a.neighbourhood_code
            WHERE a.status = 'ACCEPTED' AND a.reminded_at IS NULL
              AND a.meet_at > ${now} AND a.meet_at <= ${new Date(now.getTime() + leadMs)}
            ORDER BY a.meet_at LIMIT ${limit}`,
      ),

    /** claims one reminder (true once, whoever asks first) */
    claimReminder: async (appointmentId: number, at: Date) =>
      (await db.query(sql`UPDATE chat_appointments SET reminded_at = ${at} WHERE id = ${appointmentId} AND reminded_at IS NULL RETURNING id`)).length === 1,

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
