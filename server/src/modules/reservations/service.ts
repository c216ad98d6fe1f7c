// Reservations: requests, edits, lists, and every status transition through the one table (status.ts).
// Transitions are conditional updates (WHERE status = the status we checked), so two racing requests
// cannot both apply; the database's exclusion constraint decides double bookings.
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import type { AuthMember } from '../../http/auth.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { mediaUrl } from '../images/service.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { assertNotBlocked } from '../blocks/service.ts';
import { orderIdOf, payerOf } from '../payments/provider.ts';
import { assertDatesFree, bookedRanges, datesTaken } from './booked.ts';
import { addDays, isValidDate, rentalDays, seoulDate } from '../../lib/dates.ts';
import type { CreateReservationBody, EditReservationBody, StatusChangeBody } from './schemas.ts';
import {
  allowedActions, checkTransition, isReviewable, STATUS_TABLE, STATUSES, type Actor, type Status,
} from './status.ts';
import { iso } from '../../http/wire.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';

/** longest rental and how far ahead one may book */
export const MAX_RENTAL_DAYS = 90;
export const MAX_DAYS_AHEAD = 365;

export interface ReservationRow {
  id: number;
  post_id: number;
  borrower_id: number;
  lender_id: number;
  status: Status;
  start_date: string;
  end_date: string;
  receive_method: 'DIRECT' | 'DELIVERY';
  return_method: 'DIRECT' | 'DELIVERY';
  address: string | null;
  days: number;
  daily_fee: number;
  options_daily_fee: number;
  rental_fee: number;
  deposit: number;
  options_deposit: number;
  total_amount: number;
  receive_carrier: string | null;
  receive_tracking_no: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  status_changed_at: Date;
  created_at: Date;
  updated_at: Date;
  post_title: string;
  post_image: string | null;
  borrower_nickname: string;
  lender_nickname: string;
  paid: boolean;
  review_id: number | null;
}

interface OptionRow {
  reservation_id: number;
  option_id: number;
  name: string;
  fee: number;
  deposit: number;
}

const SELECT_RESERVATION = `
  SELECT r.*, p.title AS post_title,
    (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
      ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS post_image,
    b.nickname AS borrower_nickname, l.nickname AS lender_nickname,
    EXISTS (SELECT 1 FROM payments pay WHERE pay.reservation_id = r.id) AS paid,
    (SELECT rv.id FROM reviews rv WHERE rv.reservation_id = r.id) AS review_id
  FROM reservations r
  JOIN posts p ON p.id = r.post_id
  JOIN members b ON b.id = r.borrower_id
  JOIN members l ON l.id = r.lender_id`;

export type ViewerRole = 'BORROWER' | 'LENDER' | 'ADMIN';

/** The caller's part in a reservation, or null when it is none of their business. */
export function roleOf(row: Pick<ReservationRow, 'borrower_id' | 'lender_id'>, member: AuthMember): ViewerRole | null {
  if (row.borrower_id === member.id) return 'BORROWER';
  if (row.lender_id === member.id) return 'LENDER';
  if (member.role === 'ADMIN') return 'ADMIN';
  return null;
}

const LOST_RACE = new Error('reservation status changed concurrently');
const methodAllows = (listing: string, chosen: string) => listing === 'ANY' || listing === chosen;

export function reservationsService(deps: Deps) {
  const { db, config } = deps;
  const payer = payerOf(config.payments);

  function toView(row: ReservationRow, options: OptionRow[], role: ViewerRole) {
    const actor: Actor | null = role === 'ADMIN' ? null : role;
    return {
      id: row.id,
      status: row.status,
      statusLabel: STATUS_TABLE[row.status].label,
      post: { id: row.post_id, title: row.post_title, imageUrl: mediaUrl(row.post_image) },
      borrower: { id: row.borrower_id, nickname: row.borrower_nickname },
      lender: { id: row.lender_id, nickname: row.lender_nickname },
      startDate: row.start_date,
      endDate: row.end_date,
      receiveMethod: row.receive_method,
      returnMethod: row.return_method,
      address: row.address,
      options: options.map((o) => ({ id: o.option_id, name: o.name, fee: o.fee, deposit: o.deposit })),
      price: {
        days: row.days,
        dailyFee: row.daily_fee,
        optionsDailyFee: row.options_daily_fee,
        rentalFee: row.rental_fee,
        deposit: row.deposit,
        optionsDeposit: row.options_deposit,
        total: row.total_amount,
      },
      receiveShipment: row.receive_carrier ? { carrier: row.receive_carrier, trackingNumber: row.receive_tracking_no ?? '' } : null,
      returnShipment: row.return_carrier ? { carrier: row.return_carrier, trackingNumber: row.return_tracking_no ?? '' } : null,
      myRole: role,
      allowedActions: allowedActions(subjectOf(row), actor),
      payment: {
        provider: config.payments.provider,
        payer,
        orderId: orderIdOf(row.id),
        amount: row.total_amount,
        paid: row.paid,
        canConfirm: row.status === 'PENDING_PAYMENT' && actor === payer,
      },
      reviewable: isReviewable(row.status),
      reviewId: row.review_id,
      statusChangedAt: iso(row.status_changed_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  async function optionsOf(q: Queryable, ids: number[]): Promise<Map<number, OptionRow[]>> {
    const map = new Map<number, OptionRow[]>();
    if (!ids.length) return map;
    const rows = await q.query<OptionRow>(sql`
      SELECT * FROM reservation_options WHERE reservation_id = ANY(${ids}::bigint[]) ORDER BY reservation_id, option_id`);
    for (const o of rows) map.set(o.reservation_id, [...(map.get(o.reservation_id) ?? []), o]);
    return map;
  }

  async function load(q: Queryable, id: number): Promise<ReservationRow> {
    const row = await q.one<ReservationRow>(`${SELECT_RESERVATION} WHERE r.id = $1`, [id]);
    if (!row) throw notFound('예약');
    return row;
  }

  /** Loads a reservation the caller may see, with their role. */
  async function loadFor(member: AuthMember, id: number): Promise<{ row: ReservationRow; role: ViewerRole }> {
    const row = await load(db, id);
    const role = roleOf(row, member);
    if (!role) throw forbidden('이 예약의 당사자만 볼 수 있습니다');
    return { row, role };
  }

  async function view(member: AuthMember, id: number) {
    const { row, role } = await loadFor(member, id);
    return toView(row, (await optionsOf(db, [id])).get(id) ?? [], role);
  }

  /** Every rule of a request (create and edit): dates, listing, methods, address, options, free dates. */
  async function validateRequest(
    q: Queryable,
    member: AuthMember,
    postId: number,
    input: EditReservationBody,
    exceptReservationId?: number,
  ) {
    const { startDate, endDate } = input;
    if (!isValidDate(startDate) || !isValidDate(endDate)) throw badRequest('INVALID_DATE', '존재하지 않는 날짜입니다');
    if (startDate > endDate) throw badRequest('INVALID_RANGE', '시작일은 종료일보다 늦을 수 없습니다');
    const today = seoulDate(deps.clock.now());
    if (startDate < today) throw badRequest('DATE_IN_PAST', `지난 날짜는 예약할 수 없습니다 (오늘: ${today})`);
    if (startDate > addDays(today, MAX_DAYS_AHEAD)) {
      throw badRequest('TOO_FAR_AHEAD', `${MAX_DAYS_AHEAD}일 이후의 날짜는 아직 예약할 수 없습니다`);
    }
    const days = rentalDays(startDate, endDate);
    if (days > MAX_RENTAL_DAYS) throw badRequest('RENTAL_TOO_LONG', `한 번에 최대 ${MAX_RENTAL_DAYS}일까지 빌릴 수 있습니다`);

    const post = await q.one<{ id: number; author_id: number; fee: number; deposit: number; receive_method: string; return_method: string; title: string }>(
      `SELECT p.id, p.author_id, p.fee, p.deposit, p.receive_method, p.return_method, p.title
       FROM posts p WHERE p.id = $1 AND ${publicPostCondition('p')}`,
      [postId],
    );
    if (!post) throw notFound('게시글');
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
    const options = optionIds.length
      ? await q.query<{ id: number; name: string; fee: number; deposit: number }>(sql`
          SELECT id, name, fee, deposit FROM post_options
          WHERE post_id = ${post.id} AND id = ANY(${optionIds}::bigint[]) AND deleted_at IS NULL ORDER BY id`)
      : [];
    if (options.length !== optionIds.length) throw badRequest('UNKNOWN_OPTION', '이 물건에 없는 옵션이 포함되어 있습니다');

    await assertDatesFree(q, post.id, startDate, endDate, exceptReservationId);

    const optionsDailyFee = options.reduce((s, o) => s + o.fee, 0);
    const optionsDeposit = options.reduce((s, o) => s + o.deposit, 0);
    const rentalFee = (post.fee + optionsDailyFee) * days;
    const price = {
      days, dailyFee: post.fee, optionsDailyFee, rentalFee, deposit: post.deposit, optionsDeposit,
      total: rentalFee + post.deposit + optionsDeposit,
    };
    return { post, options, price, address };
  }

  async function writeOptions(q: Queryable, reservationId: number, options: { id: number; name: string; fee: number; deposit: number }[]) {
    await q.query(sql`DELETE FROM reservation_options WHERE reservation_id = ${reservationId}`);
    for (const o of options) {
      await q.query(sql`INSERT INTO reservation_options (reservation_id, option_id, name, fee, deposit)
        VALUES (${reservationId}, ${o.id}, ${o.name}, ${o.fee}, ${o.deposit})`);
    }
  }

  /**
   * Applies one checked transition inside `tx`: conditional update, log, notification of the other
   * party (both for SYSTEM). Returns the notifications to publish after commit, or null when the
   * status had already changed (a concurrent request or job won).
   */
  async function applyTransition(
    tx: Queryable,
    row: ReservationRow,
    to: Status,
    actor: Actor,
    actorId: number | null,
    given: { reason?: string | null; carrier?: string | null; trackingNumber?: string | null },
    now: Date,
  ): Promise<NotificationRow[] | null> {
    const carrier = given.carrier?.trim() || null;
    const tracking = given.trackingNumber?.trim() || null;
    const reason = given.reason?.trim() || null;
    const sets = [sql`status = ${to}`, sql`status_changed_at = ${now}`, sql`updated_at = ${now}`];
    if (to === 'SHIPPING') sets.push(sql`receive_carrier = ${carrier}`, sql`receive_tracking_no = ${tracking}`);
    if (to === 'RETURNING') sets.push(sql`return_carrier = ${carrier}`, sql`return_tracking_no = ${tracking}`);
    const updated = await tx.one(sql`
      UPDATE reservations SET ${sql.join(sets, ', ')} WHERE id = ${row.id} AND status = ${row.status} RETURNING id`);
    if (!updated) return null;
    await tx.query(sql`
      INSERT INTO reservation_status_log (reservation_id, from_status, to_status, actor_role, actor_id, reason, carrier, tracking_number, created_at)
      VALUES (${row.id}, ${row.status}, ${to}, ${actor}, ${actorId}, ${reason}, ${carrier}, ${tracking}, ${now})`);
    const recipients =
      actor === 'BORROWER' ? [row.lender_id] : actor === 'LENDER' ? [row.borrower_id] : [row.borrower_id, row.lender_id];
    const notes: NotificationRow[] = [];
    for (const memberId of recipients) {
      notes.push(
        await deps.notifications.insert(tx, {
          memberId,
          type: 'RESERVATION_STATUS',
          title: `예약이 '${STATUS_TABLE[to].label}' 상태가 되었습니다`,
          body: `${row.post_title} (${row.start_date} ~ ${row.end_date})${reason ? ` — 사유: ${reason}` : ''}`,
          targetType: 'RESERVATION',
          targetId: row.id,
        }),
      );
    }
    return notes;
  }

  const statusChanged = () => conflict('STATUS_CHANGED', '예약 상태가 방금 바뀌었습니다. 새로고침 후 다시 시도해 주세요');

  /** Runs a transition in its own transaction; maps the double-booking constraint to DATES_TAKEN. */
  async function transitionInTx(
    row: ReservationRow,
    to: Status,
    actor: Actor,
    actorId: number | null,
    given: StatusChangeBody | { reason?: string },
    now: Date,
    before?: (tx: Queryable) => Promise<void>,
  ): Promise<boolean> {
    let notes: NotificationRow[] | null;
    try {
      notes = await db.transaction(async (tx) => {
        await before?.(tx);
        const applied = await applyTransition(tx, row, to, actor, actorId, given, now);
        if (!applied) throw LOST_RACE; // roll back whatever `before` wrote
        return applied;
      });
    } catch (err) {
      if (err === LOST_RACE) return false;
      if ((err as { code?: string }).code === '23P01') {
        throw datesTaken(await bookedRanges(db, row.post_id, { from: row.start_date, to: row.end_date, exceptReservationId: row.id }));
      }
      throw err;
    }
    await deps.notifications.publish(notes);
    return true;
  }

  /** Extra rules of approval: the listing is still public, the start date has not passed, no blocked day. */
  async function approvalChecks(tx: Queryable, row: ReservationRow, now: Date) {
    const post = await tx.one(`SELECT 1 FROM posts p WHERE p.id = $1 AND ${publicPostCondition('p')}`, [row.post_id]);
    if (!post) throw conflict('POST_UNAVAILABLE', '게시글이 삭제되었거나 정지되어 승인할 수 없습니다');
    if (row.start_date < seoulDate(now)) throw conflict('REQUEST_OUTDATED', '시작일이 지난 요청은 승인할 수 없습니다');
    await assertDatesFree(tx, row.post_id, row.start_date, row.end_date, row.id);
  }

  return {
    toView,
    load,
    view,

    async create(member: AuthMember, input: CreateReservationBody) {
      const now = deps.clock.now();
      const { id, notes } = await db.transaction(async (tx) => {
        const v = await validateRequest(tx, member, input.postId, input);
        const created = await tx.one<{ id: number }>(sql`
          INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
            address, days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount,
            status_changed_at, created_at, updated_at)
          VALUES (${v.post.id}, ${member.id}, ${v.post.author_id}, 'PENDING_APPROVAL', ${input.startDate}, ${input.endDate},
            ${input.receiveMethod}, ${input.returnMethod}, ${v.address}, ${v.price.days}, ${v.price.dailyFee},
            ${v.price.optionsDailyFee}, ${v.price.rentalFee}, ${v.price.deposit}, ${v.price.optionsDeposit}, ${v.price.total},
            ${now}, ${now}, ${now})
          RETURNING id`);
        await writeOptions(tx, created!.id, v.options);
        await tx.query(sql`INSERT INTO reservation_status_log (reservation_id, from_status, to_status, actor_role, actor_id, created_at)
          VALUES (${created!.id}, NULL, 'PENDING_APPROVAL', 'BORROWER', ${member.id}, ${now})`);
        const note = await deps.notifications.insert(tx, {
          memberId: v.post.author_id,
          type: 'RESERVATION_REQUEST',
          title: '새 예약 요청이 도착했습니다',
          body: `${member.nickname}님이 ${josa(v.post.title, '을/를')} ${input.startDate} ~ ${input.endDate}에 빌리고 싶어 합니다`,
          targetType: 'RESERVATION',
          targetId: created!.id,
        });
        return { id: created!.id, notes: [note] };
      });
      await deps.notifications.publish(notes);
      return view(member, id);
    },

    /** The borrower edits a request while it waits for approval. */
    async edit(member: AuthMember, id: number, input: EditReservationBody) {
      const now = deps.clock.now();
      const notes = await db.transaction(async (tx) => {
        const row = await load(tx, id);
        const role = roleOf(row, member);
        if (role !== 'BORROWER') throw forbidden('예약을 요청한 사람만 수정할 수 있습니다');
        if (row.status !== 'PENDING_APPROVAL') throw conflict('NOT_EDITABLE', '승인 대기 중인 예약만 수정할 수 있습니다');
        const v = await validateRequest(tx, member, row.post_id, input, row.id);
        const updated = await tx.one(sql`
          UPDATE reservations SET start_date = ${input.startDate}, end_date = ${input.endDate},
            receive_method = ${input.receiveMethod}, return_method = ${input.returnMethod}, address = ${v.address},
            days = ${v.price.days}, daily_fee = ${v.price.dailyFee}, options_daily_fee = ${v.price.optionsDailyFee},
            rental_fee = ${v.price.rentalFee}, deposit = ${v.price.deposit}, options_deposit = ${v.price.optionsDeposit},
            total_amount = ${v.price.total}, updated_at = ${now}
          WHERE id = ${id} AND status = 'PENDING_APPROVAL' RETURNING id`);
        if (!updated) throw statusChanged();
        await writeOptions(tx, id, v.options);
        return [
          await deps.notifications.insert(tx, {
            memberId: row.lender_id,
            type: 'RESERVATION_UPDATED',
            title: '예약 요청이 수정되었습니다',
            body: `${row.post_title} (${input.startDate} ~ ${input.endDate})`,
            targetType: 'RESERVATION',
            targetId: id,
          }),
        ];
      });
      await deps.notifications.publish(notes);
      return view(member, id);
    },

    async detail(member: AuthMember, id: number) {
      const base = await view(member, id);
      const log = await db.query<{
        id: number; from_status: Status | null; to_status: Status; actor_role: Actor; actor_id: number | null;
        nickname: string | null; reason: string | null; carrier: string | null; tracking_number: string | null; created_at: Date;
      }>(sql`
        SELECT l.*, m.nickname FROM reservation_status_log l LEFT JOIN members m ON m.id = l.actor_id
        WHERE l.reservation_id = ${id} ORDER BY l.id`);
      return {
        ...base,
        log: log.map((l) => ({
          id: l.id,
          from: l.from_status,
          to: l.to_status,
          actorRole: l.actor_role,
          actor: l.actor_id ? { id: l.actor_id, nickname: l.nickname ?? '' } : null,
          reason: l.reason,
          carrier: l.carrier,
          trackingNumber: l.tracking_number,
          at: iso(l.created_at),
        })),
      };
    },

    async list(
      member: AuthMember,
      side: 'sent' | 'received',
      filter: { status?: Status; postId?: number; cursor?: string; limit?: number },
    ) {
      const limit = filter.limit ?? 20;
      const base = [side === 'sent' ? sql`r.borrower_id = ${member.id}` : sql`r.lender_id = ${member.id}`];
      if (side === 'received' && filter.postId) {
        const post = await db.one<{ author_id: number }>('SELECT author_id FROM posts WHERE id = $1', [filter.postId]);
        if (!post) throw notFound('게시글');
        if (post.author_id !== member.id) throw forbidden('내 게시글의 예약만 볼 수 있습니다');
        base.push(sql`r.post_id = ${filter.postId}`);
      }
      const where = [...base];
      if (filter.status) where.push(sql`r.status = ${filter.status}`);
      const after = decodeIdCursor(filter.cursor);
      if (after) where.push(sql`r.id < ${after}`);
      const rows = await db.query<ReservationRow>(sql`
        ${sql.raw(SELECT_RESERVATION)} WHERE ${sql.join(where, ' AND ')} ORDER BY r.id DESC LIMIT ${limit + 1}`);
      const page = rows.slice(0, limit);
      const options = await optionsOf(db, page.map((r) => r.id));
      const countRows = await db.query<{ status: Status; n: number }>(sql`
        SELECT r.status, count(*)::int AS n FROM reservations r WHERE ${sql.join(base, ' AND ')} GROUP BY r.status`);
      const counts: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      for (const c of countRows) counts[c.status] = c.n;
      return {
        items: page.map((r) => toView(r, options.get(r.id) ?? [], side === 'sent' ? 'BORROWER' : 'LENDER')),
        nextCursor: nextIdCursor(rows, limit),
        counts,
      };
    },

    /** PATCH /reservations/:id/status — a party moves the reservation along the table. */
    async changeStatus(member: AuthMember, id: number, body: StatusChangeBody) {
      const { row, role } = await loadFor(member, id);
      if (role === 'ADMIN') throw forbidden('관리자는 예약 상태를 바꿀 수 없습니다', 'NOT_YOUR_ACTION');
      const refusal = checkTransition(subjectOf(row), body.status, role, body);
      if (refusal) throw new AppError(refusal.status, refusal.code, refusal.detail);
      const now = deps.clock.now();
      const applied = await transitionInTx(row, body.status, role, member.id, body, now,
        body.status === 'PENDING_PAYMENT' ? (tx) => approvalChecks(tx, row, now) : undefined);
      if (!applied) throw statusChanged();
      return view(member, id);
    },

    /**
     * A transition made by the system (jobs, payment confirmation): only from `expected`, checked
     * against the table with actor SYSTEM. Returns false when the reservation is no longer in `expected`.
     */
    async systemTransition(id: number, expected: Status, to: Status, now: Date, reason?: string, before?: (tx: Queryable) => Promise<void>) {
      const row = await load(db, id);
      if (row.status !== expected) return false;
      const refusal = checkTransition(subjectOf(row), to, 'SYSTEM', { reason });
      if (refusal) throw new Error(`system transition ${expected} → ${to} refused: ${refusal.code}`);
      return transitionInTx(row, to, 'SYSTEM', null, { reason }, now, before);
    },
  };
}

export const subjectOf = (row: Pick<ReservationRow, 'status' | 'receive_method' | 'return_method'>) => ({
  status: row.status,
  receiveMethod: row.receive_method,
  returnMethod: row.return_method,
});

export type ReservationsService = ReturnType<typeof reservationsService>;
