// Dates a listing cannot be booked for: ranges held by reservations (HOLDING_STATUSES) and the
// owner's blocked days. The database's exclusion constraint is the final word on holds; these
// queries give early, friendly answers and feed the calendar and the search filter.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { conflict } from '../../http/errors.ts';
import { HOLDING_STATUSES, statusListSql } from './status.ts';

/** HOLDING_STATUSES as an SQL list, for `status IN ${holding()}` */
export const holding = () => sql.raw(statusListSql(HOLDING_STATUSES));

export interface DateRange {
  startDate: string;
  endDate: string;
}

/** Ranges of `postId` held by reservations, overlapping [from, to] when given (both inclusive). */
export async function bookedRanges(
  q: Queryable,
  postId: number,
  window: { from?: string; to?: string; exceptReservationId?: number } = {},
): Promise<DateRange[]> {
  return q.query<DateRange>(sql`
    SELECT start_date AS "startDate", end_date AS "endDate" FROM reservations
    WHERE post_id = ${postId} AND status IN ${holding()}
      AND id <> ${window.exceptReservationId ?? 0}
      AND end_date >= ${window.from ?? '-infinity'}::date AND start_date <= ${window.to ?? 'infinity'}::date
    ORDER BY start_date`);
}

/**
 * SQL condition for the search filter "available from–to" over a posts alias: no holding
 * reservation overlaps and no owner-blocked day falls inside. `from`/`to` are 'YYYY-MM-DD'.
 */
export function availableBetween(alias: string, from: string, to: string): Sql {
  const p = sql.raw(alias);
  return sql`(NOT EXISTS (
      SELECT 1 FROM reservations avail_r WHERE avail_r.post_id = ${p}.id AND avail_r.status IN ${holding()}
        AND daterange(avail_r.start_date, avail_r.end_date, '[]') && daterange(${from}::date, ${to}::date, '[]'))
    AND NOT EXISTS (
      SELECT 1 FROM post_blocked_dates avail_b WHERE avail_b.post_id = ${p}.id
        AND avail_b.day BETWEEN ${from}::date AND ${to}::date))`;
}

/** Refuses dates the owner blocked (409 DATES_BLOCKED) or another reservation holds (409 DATES_TAKEN). */
export async function assertDatesFree(
  q: Queryable,
  postId: number,
  startDate: string,
  endDate: string,
  exceptReservationId?: number,
) {
  const blocked = await q.query<{ day: string }>(sql`
    SELECT day FROM post_blocked_dates WHERE post_id = ${postId} AND day BETWEEN ${startDate}::date AND ${endDate}::date
    ORDER BY day LIMIT 5`);
  if (blocked.length) {
    throw conflict('DATES_BLOCKED', `빌려주는 사람이 막아 둔 날짜가 포함되어 있습니다 (${blocked.map((b) => b.day).join(', ')})`, {
      dates: blocked.map((b) => b.day),
    });
  }
  const taken = await bookedRanges(q, postId, { from: startDate, to: endDate, exceptReservationId });
  if (taken.length) throw datesTaken(taken);
}

export const datesTaken = (ranges: DateRange[] = []) =>
  conflict(
    'DATES_TAKEN',
    ranges.length
      ? `이미 예약된 날짜와 겹칩니다 (${ranges.map((r) => `${r.startDate} ~ ${r.endDate}`).join(', ')}). 다른 날짜를 선택해 주세요`
      : '이미 예약된 날짜와 겹칩니다. 다른 날짜를 선택해 주세요',
    { taken: ranges },
  );
