// Rental extensions (issue 12 point 3): the borrower of a running rental asks to move its end date later;
// the lender approves or rejects. Approval moves end_date under the same exclusion constraint as every
// booking (reservations_no_double_booking), so a booking that took the days meanwhile makes it a 409 and
// changes nothing. The extra fee is priceOf(start..new end) − priceOf(start..old end) with the listing's
// prices (pricing.ts), fixed when asked; it is shown to both parties and settled between them.
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { type AppError, badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { iso } from '../../http/wire.ts';
import { addDays, isValidDate, koreanDay, rentalDays, seoulDate } from '../../lib/dates.ts';
import { won } from '../../lib/money.ts';
import type { NewNotification } from '../notifications/service.ts';
import { assertDatesFree, datesTaken } from './booked.ts';
import { priceOf } from './pricing.ts';
import { reservationsRepository, type ExtensionRow, type LogEvent, type ReservationRow } from './repository.ts';
import { rentalLength } from './request.ts';
import type { ReservationsService } from './service.ts';
import { statusChanged } from './transitions.ts';
import type { ViewerRole } from './view.ts';

const isPgError = (err: unknown, code: string) => err instanceof Error && 'code' in err && err.code === code;

/**
 * Why `role` may not ask for an extension of `row` on `today` (null = may). One rule for the request
 * and the view's `canRequest`: the borrower, while RENTING, not once overdue, one pending request at a time.
 */
export function extensionRefusal(row: ReservationRow, role: ViewerRole, today: string, latest: ExtensionRow | undefined): AppError | null {
  if (role !== 'BORROWER') return forbidden('빌리는 사람만 대여 연장을 요청할 수 있습니다', 'NOT_YOUR_ACTION');
  if (row.status !== 'RENTING') return conflict('NOT_RENTING', '대여 중인 예약만 연장할 수 있습니다');
  if (today > row.end_date) {
    return conflict('OVERDUE', `반납일(${koreanDay(row.end_date)})이 지나 연장을 요청할 수 없습니다. 먼저 반납해 주세요`);
  }
  if (latest?.status === 'PENDING') return conflict('EXTENSION_PENDING', '이미 답을 기다리는 연장 요청이 있습니다');
  return null;
}

/** Only the lender answers, and only a pending request (approval also needs the rental running). */
function assertDecidable(role: ViewerRole, latest: ExtensionRow | undefined): ExtensionRow {
  if (role !== 'LENDER') throw forbidden('빌려주는 사람만 연장 요청에 답할 수 있습니다', 'NOT_YOUR_ACTION');
  if (latest?.status !== 'PENDING') throw notFound('답을 기다리는 연장 요청');
  return latest;
}

export function reservationExtensions(deps: Deps, reservations: ReservationsService) {
  const { db } = deps;
  const repo = reservationsRepository(db);

  /** The checked request for `endDate` and its extra fee; throws the first rule it breaks. */
  async function prepare(q: Queryable, row: ReservationRow, role: ViewerRole, endDate: string, today: string) {
    const txRepo = reservationsRepository(q);
    const refusal = extensionRefusal(row, role, today, await txRepo.latestExtension(row.id));
    if (refusal) throw refusal;
    if (!isValidDate(endDate)) throw badRequest('INVALID_DATE', '존재하지 않는 날짜입니다');
    if (endDate <= row.end_date) {
      throw badRequest('INVALID_RANGE', `새 반납일은 지금 반납일(${koreanDay(row.end_date)})보다 뒤여야 합니다`);
    }
    const days = rentalLength(row.start_date, endDate);
    const listing = await txRepo.publicPost(row.post_id);
    if (!listing) throw conflict('POST_UNAVAILABLE', '게시글이 삭제되었거나 정지되어 연장할 수 없습니다');
    await assertDatesFree(q, row.post_id, addDays(row.end_date, 1), endDate, row.id);
    const options = await txRepo.optionsOf([row.id]);
    const extraFee = priceOf(listing, options, days).rentalFee - priceOf(listing, options, rentalDays(row.start_date, row.end_date)).rentalFee;
    return { endDate, days, extraFee };
  }

  /** One decision (or the request itself): history entry and the other party's notice, in `tx`. */
  async function record(tx: Queryable, row: ReservationRow, event: LogEvent, actorId: number, reason: string | null, notice: NewNotification, now: Date) {
    const actor = event === 'EXTENSION_REQUESTED' || event === 'EXTENSION_WITHDRAWN' ? 'BORROWER' : 'LENDER';
    await reservationsRepository(tx).log({ reservationId: row.id, from: row.status, to: row.status, actor, actorId, reason, event, at: now });
    return deps.notifications.insertMany(tx, [notice]);
  }

  const change = (ext: Pick<ExtensionRow, 'from_end_date' | 'to_end_date' | 'extra_fee'>) =>
    `반납일 ${koreanDay(ext.from_end_date)} → ${koreanDay(ext.to_end_date)}, 추가 요금 ${won(ext.extra_fee)}`;
  const notice = (row: ReservationRow, memberId: number, title: string, body: string): NewNotification => ({
    memberId, type: 'RESERVATION_EXTENSION', title, body: `${row.post_title} — ${body}`, targetType: 'RESERVATION', targetId: row.id,
  });

  /** Runs `work` in a transaction and publishes its notices; a lost race on the dates is DATES_TAKEN. */
  async function inTx(row: ReservationRow, days: { from: string; to: string } | null, work: (tx: Queryable) => Promise<Awaited<ReturnType<typeof record>>>) {
    try {
      await deps.notifications.publish(await db.transaction(work));
    } catch (err) {
      if (days && isPgError(err, '23P01')) {
        throw datesTaken(await repo.bookedRanges(row.post_id, { ...days, exceptReservationId: row.id }));
      }
      if (isPgError(err, '23505')) throw conflict('EXTENSION_PENDING', '이미 답을 기다리는 연장 요청이 있습니다');
      throw err;
    }
  }

  return {
    /** The price of extending to `endDate`, with every rule of a request checked (nothing is stored). */
    async quote(member: AuthMember, id: number, endDate: string) {
      const { row, role } = await reservations.loadFor(member, id);
      return prepare(db, row, role, endDate, seoulDate(deps.clock.now()));
    },

    async request(member: AuthMember, id: number, endDate: string) {
      const { row, role } = await reservations.loadFor(member, id);
      const now = deps.clock.now();
      await inTx(row, null, async (tx) => {
        const asked = await prepare(tx, row, role, endDate, seoulDate(now));
        const ext = { from_end_date: row.end_date, to_end_date: asked.endDate, extra_fee: asked.extraFee };
        await reservationsRepository(tx).insertExtension({ reservationId: id, fromEndDate: row.end_date, toEndDate: endDate, extraFee: asked.extraFee, now });
        return record(tx, row, 'EXTENSION_REQUESTED', member.id, change(ext), notice(row, row.lender_id, '대여 연장 요청이 도착했습니다',
          `${member.nickname}님이 반납일을 ${josa(koreanDay(endDate), '으로/로')} 늦추고 싶어 합니다 (추가 요금 ${won(asked.extraFee)})`), now);
      });
      return reservations.detail(member, id);
    },

    /** The lender's yes: the end date moves under the exclusion constraint; blocked or taken days are a 409. */
    async approve(member: AuthMember, id: number) {
      const { row, role } = await reservations.loadFor(member, id);
      const ext = assertDecidable(role, await repo.latestExtension(id));
      if (row.status !== 'RENTING') throw conflict('NOT_RENTING', '대여 중이 아니어서 연장할 수 없습니다. 요청을 거절해 주세요');
      const now = deps.clock.now();
      if (ext.to_end_date < seoulDate(now)) throw conflict('EXTENSION_OUTDATED', '요청한 반납일이 이미 지났습니다. 요청을 거절해 주세요');
      const days = { from: addDays(ext.from_end_date, 1), to: ext.to_end_date };
      await inTx(row, days, async (tx) => {
        const txRepo = reservationsRepository(tx);
        await assertDatesFree(tx, row.post_id, days.from, days.to, id);
        if (!(await txRepo.extendEndDate(id, ext.from_end_date, ext.to_end_date, now))) throw statusChanged();
        if (!(await txRepo.decideExtension(ext.id, 'APPROVED', null, now))) throw statusChanged();
        return record(tx, row, 'EXTENSION_APPROVED', member.id, change(ext), notice(row, row.borrower_id, '대여 연장이 승인되었습니다',
          `반납일이 ${josa(koreanDay(ext.to_end_date), '으로/로')} 바뀌었습니다 (추가 요금 ${won(ext.extra_fee)})`), now);
      });
      return reservations.detail(member, id);
    },

    async reject(member: AuthMember, id: number, reason: string | undefined) {
      const { row, role } = await reservations.loadFor(member, id);
      const ext = assertDecidable(role, await repo.latestExtension(id));
      const why = reason?.trim() || null;
      const now = deps.clock.now();
      await inTx(row, null, async (tx) => {
        if (!(await reservationsRepository(tx).decideExtension(ext.id, 'REJECTED', why, now))) throw statusChanged();
        return record(tx, row, 'EXTENSION_REJECTED', member.id, why, notice(row, row.borrower_id, '대여 연장 요청이 거절되었습니다',
          `반납일은 그대로 ${koreanDay(ext.from_end_date)}입니다${why ? ` (사유: ${why})` : ''}`), now);
      });
      return reservations.detail(member, id);
    },

    /** The borrower takes back a request the lender has not answered. */
    async withdraw(member: AuthMember, id: number) {
      const { row, role } = await reservations.loadFor(member, id);
      if (role !== 'BORROWER') throw forbidden('연장을 요청한 사람만 취소할 수 있습니다', 'NOT_YOUR_ACTION');
      const ext = await repo.latestExtension(id);
      if (ext?.status !== 'PENDING') throw notFound('답을 기다리는 연장 요청');
      const now = deps.clock.now();
      await inTx(row, null, async (tx) => {
        if (!(await reservationsRepository(tx).decideExtension(ext.id, 'WITHDRAWN', null, now))) throw statusChanged();
        return record(tx, row, 'EXTENSION_WITHDRAWN', member.id, null, notice(row, row.lender_id, '대여 연장 요청이 취소되었습니다',
          `${member.nickname}님이 ${koreanDay(ext.to_end_date)}까지의 연장 요청을 거두었습니다`), now);
      });
      return reservations.detail(member, id);
    },
  };
}

/** The extension part of GET /reservations/{id}, for the two parties only (null for an admin). */
export function extensionView(row: ReservationRow, latest: ExtensionRow | undefined, role: ViewerRole, today: string) {
  if (role === 'ADMIN') return null;
  const pending = latest?.status === 'PENDING';
  return {
    current: latest ? {
      id: latest.id,
      status: latest.status,
      fromEndDate: latest.from_end_date,
      toEndDate: latest.to_end_date,
      extraFee: latest.extra_fee,
      reason: latest.reason,
      requestedAt: iso(latest.created_at),
      decidedAt: latest.decided_at ? iso(latest.decided_at) : null,
    } : null,
    approvedFee: latest?.approved_fee ?? 0,
    canRequest: !extensionRefusal(row, role, today, latest),
    canDecide: role === 'LENDER' && pending,
    canWithdraw: role === 'BORROWER' && pending,
  };
}
