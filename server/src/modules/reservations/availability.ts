// Which calendar days (Asia/Seoul) a listing cannot be rented: owner-blocked days and days held by
// reservations (the calendar of a listing; the query is in repository.ts).
import type { Queryable } from '../../db/client.ts';
import { reservationsRepository } from './repository.ts';

/** Sorted, distinct 'YYYY-MM-DD' days on which the post cannot be rented. */
export function unavailableDates(q: Queryable, postId: number, from?: string, to?: string): Promise<string[]> {
  return reservationsRepository(q).unavailableDates(postId, from ?? null, to ?? null);
}
