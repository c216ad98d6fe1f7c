// All SQL of 차단 (member_blocks): the rows, and the SQL pieces other domains' queries embed to hide
// the listings of blocked members in either direction.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';

export interface BlockedMemberRow {
  id: number;
  nickname: string;
  avatar_path: string | null;
  created_at: Date;
}

export function blocksRepository(db: Queryable) {
  return {
    /** A block in either direction between a and b. */
    existsBetween: async (a: number, b: number) =>
      !!(await db.one(sql`SELECT 1 FROM member_blocks
        WHERE (blocker_id = ${a} AND blocked_id = ${b}) OR (blocker_id = ${b} AND blocked_id = ${a})`)),
    /** Whether `blocker` blocked `blocked` (one direction: what the blocker may know). */
    exists: async (blocker: number, blocked: number) =>
      !!(await db.one(sql`SELECT 1 FROM member_blocks WHERE blocker_id = ${blocker} AND blocked_id = ${blocked}`)),
    memberExists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM members WHERE id = ${id}`)),
    insert: (blocker: number, blocked: number) =>
      db.query(sql`INSERT INTO member_blocks (blocker_id, blocked_id) VALUES (${blocker}, ${blocked}) ON CONFLICT DO NOTHING`),
    delete: (blocker: number, blocked: number) =>
      db.query(sql`DELETE FROM member_blocks WHERE blocker_id = ${blocker} AND blocked_id = ${blocked}`),
    /** The members `blocker` blocked, latest first. */
    blockedBy: (blocker: number) =>
      db.query<BlockedMemberRow>(sql`SELECT m.id, m.nickname, m.avatar_path, b.created_at
        FROM member_blocks b JOIN members m ON m.id = b.blocked_id
        WHERE b.blocker_id = ${blocker} ORDER BY b.created_at DESC, m.id DESC LIMIT 500`),
  };
}

/** Condition: no block either way between the viewer and the member `memberExpr` (trusted SQL). */
export function notBlocked(viewerId: number | null | undefined, memberExpr: string): Sql {
  if (!viewerId) return sql`true`;
  const m = sql.raw(memberExpr);
  return sql`NOT EXISTS (SELECT 1 FROM member_blocks b_f
    WHERE (b_f.blocker_id = ${viewerId}::bigint AND b_f.blocked_id = ${m})
       OR (b_f.blocker_id = ${m} AND b_f.blocked_id = ${viewerId}::bigint))`;
}

/** Listings whose owner has no block with the viewer (alias: the posts alias). */
export const visibleToViewer = (viewerId: number | null | undefined, alias = 'p'): Sql => notBlocked(viewerId, `${alias}.author_id`);
