// Exact places stay private: the return address (any address line of a listing) is shown only to
// the owner and to the borrower of one of its reservations from approval on; everyone else sees the 동.
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { STATUSES, type Status } from '../reservations/status.ts';
import { postsRepository } from './repository.ts';

/** From approval on: every status but the request itself and the refusals before a rental. */
export const PLACE_SHARED_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => !['PENDING_APPROVAL', 'REJECTED', 'CANCELLED', 'EXPIRED'].includes(s),
);

export async function mayReadExactPlace(q: Queryable, post: { id: number; author_id: number }, viewer: AuthMember | null): Promise<boolean> {
  if (!viewer) return false;
  if (viewer.id === post.author_id) return true;
  return postsRepository(q).hasReservationOf(post.id, viewer.id, PLACE_SHARED_STATUSES);
}
