// Dates a listing cannot be booked for: ranges held by reservations (HOLDING_STATUSES) and the
// owner's blocked days. The database's exclusion constraint is the final word on holds; these
// checks give early, friendly answers. The queries live in repository.ts.
import type { Queryable } from '../../db/client.ts';
import { conflict } from '../../http/errors.ts';
import { reservationsRepository, type DateRange } from './repository.ts';

export { availableBetween, type DateRange } from './repository.ts';

/** Refuses dates the owner blocked (409 DATES_BLOCKED) or another reservation holds (409 DATES_TAKEN). */
export async function assertDatesFree(
  q: Queryable,
  postId: number,
  startDate: string,
  endDate: string,
  exceptReservationId?: number,
) {
  const repo = reservationsRepository(q);
  const blocked = await repo.blockedDaysIn(postId, startDate, endDate);
  if (blocked.length) {
    throw conflict('DATES_BLOCKED', `빌려주는 사람이 막아 둔 날짜가 포함되어 있습니다 (${blocked.join(', ')})`, { dates: blocked });
  }
  const taken = await repo.bookedRanges(postId, { from: startDate, to: endDate, exceptReservationId });
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
