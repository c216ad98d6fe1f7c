// Exact places stay private: the return address (any address line of a listing) is shown only to
// the owner and to the borrower of one of its reservations from approval on; everyone else sees the 동.
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { STATUSES, statusListSql, type Status } from '../reservations/status.ts';

/** From approval on: every status but the request itself and the refusals before a rental. */
export const PLACE_SHARED_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => !['PENDING_APPROVAL', 'REJECTED', 'CANCELLED', 'EXPIRED'].includes(s),
);

export async function mayReadExactPlace(q: Queryable, post: { id: number; author_id: number }, viewer: AuthMember | null): Promise<boolean> {
  if (!viewer) return false;
  if (viewer.id === post.author_id) return true;
  return !!(await q.one(
    `SELECT 1 FROM reservations WHERE post_id = $1 AND borrower_id = $2 AND status IN ${statusListSql(PLACE_SHARED_STATUSES)} LIMIT 1`,
    [post.id, viewer.id],
  ));
}
