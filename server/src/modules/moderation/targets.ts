// What can be reported or banned, who owns it, and whether the public can see it.
import type { Queryable } from '../../db/client.ts';
import { publicPostCondition } from '../posts/visibility.ts';

export const TARGET_TYPES = ['POST', 'MEMBER', 'REVIEW'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export interface TargetInfo {
  type: TargetType;
  id: number;
  /** the member a ban of this target concerns (listing author, the member, review author) */
  ownerId: number;
  /** listing title, member nickname or the start of the review comment */
  label: string;
  banned: boolean;
  /** what a non-admin may see: a public listing, any member, an unbanned review */
  visible: boolean;
  /** members only: admins are never banned */
  isAdmin: boolean;
}

const LOOKUP: Record<TargetType, string> = {
  POST: `SELECT p.author_id AS "ownerId", p.title AS label, p.banned_at IS NOT NULL AS banned,
           ${publicPostCondition('p')} AS visible, false AS "isAdmin"
         FROM posts p WHERE p.id = $1 AND p.deleted_at IS NULL`,
  MEMBER: `SELECT m.id AS "ownerId", m.nickname AS label, m.banned_at IS NOT NULL AS banned,
             true AS visible, m.role = 'ADMIN' AS "isAdmin"
           FROM members m WHERE m.id = $1`,
  REVIEW: `SELECT r.author_id AS "ownerId", left(r.comment, 60) AS label, r.banned_at IS NOT NULL AS banned,
             r.banned_at IS NULL AS visible, false AS "isAdmin"
           FROM reviews r WHERE r.id = $1`,
};

export async function findTarget(q: Queryable, type: TargetType, id: number): Promise<TargetInfo | null> {
  const row = await q.one<Omit<TargetInfo, 'type' | 'id'>>(LOOKUP[type], [id]);
  return row ? { type, id, ...row } : null;
}

/** Korean noun for messages, e.g. "게시글" */
export const TARGET_NAMES: Record<TargetType, string> = { POST: '게시글', MEMBER: '회원', REVIEW: '리뷰' };
