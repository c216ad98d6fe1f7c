// 차단 as SQL pieces: a block in either direction hides the two members' listings from each other.
import { sql, type Sql } from '../../db/sql.ts';

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
