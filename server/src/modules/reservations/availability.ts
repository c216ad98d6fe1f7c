// Which calendar days (Asia/Seoul) a listing cannot be rented. Each source is one SQL fragment
// yielding a `day` column; the reservations module adds its booked ranges as another source.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { holding } from './booked.ts';

/** Sources of unavailable days for a post within [from, to] (either bound may be open). */
function unavailableSources(postId: number, from: string | null, to: string | null): Sql[] {
  const blocked = sql`SELECT day FROM post_blocked_dates
    WHERE post_id = ${postId} AND (${from}::date IS NULL OR day >= ${from}::date) AND (${to}::date IS NULL OR day <= ${to}::date)`;
  // days held by reservations (HOLDING_STATUSES: approved through the rental), clipped to the window
  const booked = sql`SELECT generate_series(
      greatest(start_date, coalesce(${from}::date, start_date)), least(end_date, coalesce(${to}::date, end_date)), interval '1 day'
    )::date AS day
    FROM reservations
    WHERE post_id = ${postId} AND status IN ${holding()}
      AND (${from}::date IS NULL OR end_date >= ${from}::date) AND (${to}::date IS NULL OR start_date <= ${to}::date)`;
  return [blocked, booked];
}

/** Sorted, distinct 'YYYY-MM-DD' days on which the post cannot be rented. */
export async function unavailableDates(q: Queryable, postId: number, from?: string, to?: string): Promise<string[]> {
  const union = sql.join(unavailableSources(postId, from ?? null, to ?? null), ' UNION ');
  const rows = await q.query<{ day: string }>(sql`SELECT DISTINCT day::text AS day FROM (${union}) u ORDER BY day`);
  return rows.map((r) => r.day);
}
