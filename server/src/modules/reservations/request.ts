// The rules of a reservation request (create and edit): dates, listing, methods, address, options,
// free dates; and the price they come to.
import type { Clock } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { assertNotBlocked } from '../blocks/service.ts';
import { assertDatesFree } from './booked.ts';
import { addDays, isValidDate, rentalDays, seoulDate } from '../../lib/dates.ts';
import { priceOf } from './pricing.ts';
import { reservationsRepository } from './repository.ts';
import type { EditReservationBody } from './schemas.ts';

/** longest rental and how far ahead one may book */
export const MAX_RENTAL_DAYS = 90;
export const MAX_DAYS_AHEAD = 365;

/** Days of start..end, refused (400) beyond the longest rental: one rule for requests, edits and extensions. */
export function rentalLength(startDate: string, endDate: string): number {
  const days = rentalDays(startDate, endDate);
  if (days > MAX_RENTAL_DAYS) throw badRequest('RENTAL_TOO_LONG', `한 번에 최대 ${MAX_RENTAL_DAYS}일까지 빌릴 수 있습니다`);
  return days;
}

const methodAllows = (listing: string, chosen: string) => listing === 'ANY' || listing === chosen;

export async function validateRequest(
  q: Queryable,
  clock: Clock,
  member: AuthMember,
  postId: number,
  input: EditReservationBody,
  exceptReservationId?: number,
) {
  const { startDate, endDate } = input;
  if (!isValidDate(startDate) || !isValidDate(endDate)) throw badRequest('INVALID_DATE', '존재하지 않는 날짜입니다');
  if (startDate > endDate) throw badRequest('INVALID_RANGE', '시작일은 종료일보다 늦을 수 없습니다');
  const today = seoulDate(clock.now());
  if (startDate < today) throw badRequest('DATE_IN_PAST', `지난 날짜는 예약할 수 없습니다 (오늘: ${today})`);
  if (startDate > addDays(today, MAX_DAYS_AHEAD)) {
    throw badRequest('TOO_FAR_AHEAD', `${MAX_DAYS_AHEAD}일 이후의 날짜는 아직 예약할 수 없습니다`);
  }
  const days = rentalLength(startDate, endDate);

  const repo = reservationsRepository(q);
  const post = await repo.publicPost(postId);
  if (!post) throw notFound('게시글');
  if (post.paused && exceptReservationId === undefined) throw conflict('POST_PAUSED', '작성자가 숨긴 게시글이라 지금은 예약을 받지 않아요');
  if (post.author_id === member.id) throw forbidden('내 물건은 예약할 수 없습니다', 'OWN_POST');
  await assertNotBlocked(q, member.id, post.author_id, '예약 요청');
  if (!methodAllows(post.receive_method, input.receiveMethod)) {
    throw badRequest('RECEIVE_METHOD_NOT_ALLOWED', '이 물건은 선택한 방법으로 받을 수 없습니다');
  }
  if (!methodAllows(post.return_method, input.returnMethod)) {
    throw badRequest('RETURN_METHOD_NOT_ALLOWED', '이 물건은 선택한 방법으로 반납할 수 없습니다');
  }
  const address = input.address?.trim() || null;
  if (input.receiveMethod === 'DELIVERY' && !address) throw badRequest('ADDRESS_REQUIRED', '택배로 받으려면 주소를 입력해야 합니다');
  if (input.receiveMethod === 'DIRECT' && input.address != null) {
    throw badRequest('ADDRESS_NOT_ALLOWED', '직접 받는 예약에는 주소를 입력하지 않습니다');
  }

  const optionIds = input.optionIds ?? [];
  const options = await repo.postOptions(post.id, optionIds);
  if (options.length !== optionIds.length) throw badRequest('UNKNOWN_OPTION', '이 물건에 없는 옵션이 포함되어 있습니다');

  await assertDatesFree(q, post.id, startDate, endDate, exceptReservationId);
  return { post, options, price: priceOf(post, options, days), address };
}
