// Every SQL statement of the reservations domain (issue 8): typed rows in, typed rows out. Rules live
// in the services; this file only knows tables. Build it over a transaction handle to run inside one.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import type { CancellationPolicy } from './cancellation.ts';
import type { PriceColumns } from './pricing.ts';
import { HOLDING_STATUSES, statusListSql, type Actor, type Status } from './status.ts';

type Method = 'DIRECT' | 'DELIVERY';

export interface ReservationRow {
  id: number;
  post_id: number;
  borrower_id: number;
  lender_id: number;
  status: Status;
  start_date: string;
  end_date: string;
  receive_method: Method;
  return_method: Method;
  address: string | null;
  days: number;
  daily_fee: number;
  options_daily_fee: number;
  rental_fee: number;
  deposit: number;
  options_deposit: number;
  total_amount: number;
  weekly_fee: number | null;
  monthly_fee: number | null;
  months: number;
  weeks: number;
  /** the listing's policy when it was requested */
  cancellation_policy: CancellationPolicy;
  /** what a paid cancel gives back (decided at the cancel); null otherwise */
  cancel_refund: number | null;
  receive_carrier: string | null;
  receive_tracking_no: string | null;
  return_carrier: string | null;
  return_tracking_no: string | null;
  status_changed_at: Date;
  /** the item was handed over (first INSPECTING_RENTAL or RENTING) */
  picked_up_at: Date | null;
  created_at: Date;
  updated_at: Date;
  post_title: string;
  post_image: string | null;
  borrower_nickname: string;
  lender_nickname: string;
  paid: boolean;
  review_id: number | null;
  /** the borrower said "송금했어요" (direct payment) */
  transfer_sent_at: Date | null;
  /** the lender's payout account (payments/repository.ts); the view shows it only to the borrower once approved */
  payout_bank: string | null;
  payout_account_number: string | null;
  payout_holder: string | null;
  chat_room_id: number | null;
}

export interface ReservationOptionRow {
  reservation_id: number;
  option_id: number;
  name: string;
  fee: number;
  deposit: number;
}

export interface StatusLogRow {
  id: number;
  from_status: Status | null;
  to_status: Status;
  actor_role: Actor;
  actor_id: number | null;
  nickname: string | null;
  reason: string | null;
  carrier: string | null;
  tracking_number: string | null;
  event: LogEvent | null;
  created_at: Date;
}

/** history entries that are not status changes (from = to) */
export type LogEvent = 'TRANSFER_SENT' | 'EXTENSION_REQUESTED' | 'EXTENSION_APPROVED' | 'EXTENSION_REJECTED' | 'EXTENSION_WITHDRAWN';

export type ExtensionStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

/** A request to move a running rental's end date later (extensions.ts). */
export interface ExtensionRow {
  id: number;
  reservation_id: number;
  status: ExtensionStatus;
  from_end_date: string;
  to_end_date: string;
  extra_fee: number;
  reason: string | null;
  decided_at: Date | null;
  created_at: Date;
  /** Σ extra fees of the reservation's approved extensions */
  approved_fee: number;
}

/** The listing as a request needs it (its prices named as pricing.ts's PricedListing, so it prices as it is). */
export interface RequestPostRow {
  id: number;
  author_id: number;
  fee: number;
  deposit: number;
  weeklyFee: number | null;
  monthlyFee: number | null;
  instant_booking: boolean;
  cancellation_policy: CancellationPolicy;
  receive_method: 'ANY' | Method;
  return_method: 'ANY' | Method;
  title: string;
  /** the owner paused it (숨김): no new requests, running ones carry on */
  paused: boolean;
}

export interface PostOptionRow {
  id: number;
  name: string;
  fee: number;
  deposit: number;
}

export interface DateRange {
  startDate: string;
  endDate: string;
}

export interface RequestColumns {
  startDate: string;
  endDate: string;
  receiveMethod: Method;
  returnMethod: Method;
  address: string | null;
  price: PriceColumns;
  cancellationPolicy: CancellationPolicy;
}

export interface LogEntry {
  reservationId: number;
  from: Status | null;
  to: Status;
  actor: Actor;
  actorId: number | null;
  reason?: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
  event?: LogEvent | null;
  at: Date;
}

/** A reservation moved by a set-based system transition, with what its notices need. */
export interface MovedRow {
  id: number;
  borrower_id: number;
  lender_id: number;
  start_date: string;
  end_date: string;
  post_title: string;
}

/** A reservation whose one-time notice was just claimed. */
export interface NoticeRow {
  id: number;
  borrower_id: number;
  lender_id: number;
  title: string;
  end_date: string;
}

/** HOLDING_STATUSES as an SQL list, for `status IN ${holding()}` (our constants, never input) */
const holding = () => sql.raw(statusListSql(HOLDING_STATUSES));

const SELECT_RESERVATION = sql.raw(`
  SELECT r.*, p.title AS post_title,
    (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
      ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS post_image,
    b.nickname AS borrower_nickname, l.nickname AS lender_nickname,
    EXISTS (SELECT 1 FROM payments pay WHERE pay.reservation_id = r.id) AS paid,
    (SELECT rv.id FROM reviews rv WHERE rv.reservation_id = r.id) AS review_id,
    pa.bank AS payout_bank, pa.account_number AS payout_account_number, pa.holder AS payout_holder,
    (SELECT c.id FROM chat_rooms c WHERE c.post_id = r.post_id AND c.borrower_id = r.borrower_id ORDER BY c.id LIMIT 1) AS chat_room_id
  FROM reservations r
  JOIN posts p ON p.id = r.post_id
  JOIN members b ON b.id = r.borrower_id
  JOIN members l ON l.id = r.lender_id
  LEFT JOIN payout_accounts pa ON pa.member_id = r.lender_id`);

/** Whose reservations a list shows: the borrower's (sent) or the lender's (received, optionally one listing). */
export interface ListScope {
  side: 'sent' | 'received';
  memberId: number;
  postId?: number;
}

function scopeConditions(scope: ListScope): Sql[] {
  const where = [scope.side === 'sent' ? sql`r.borrower_id = ${scope.memberId}` : sql`r.lender_id = ${scope.memberId}`];
  if (scope.postId) where.push(sql`r.post_id = ${scope.postId}`);
  return where;
}

/** Conditions of a system sweep; a reservation is due when it meets ANY of those given. */
export interface DueWhen {
  createdBefore?: Date;
  changedBefore?: Date;
  /** start date (Seoul) before this day */
  startBefore?: string;
  /** end date (Seoul) before this day */
  endBefore?: string;
}

function dueCondition(due: DueWhen): Sql {
  const any: Sql[] = [];
  if (due.createdBefore) any.push(sql`created_at <= ${due.createdBefore}`);
  if (due.changedBefore) any.push(sql`status_changed_at <= ${due.changedBefore}`);
  if (due.startBefore) any.push(sql`start_date < ${due.startBefore}::date`);
  if (due.endBefore) any.push(sql`end_date < ${due.endBefore}::date`);
  if (!any.length) throw new Error('a sweep needs at least one condition');
  return sql`(${sql.join(any, ' OR ')})`;
}

export function reservationsRepository(db: Queryable) {
  return {
    byId: (id: number) => db.one<ReservationRow>(sql`${SELECT_RESERVATION} WHERE r.id = ${id}`),

    /** Newest first, ids below `beforeId`, one more than `limit` (so the caller knows a next page exists). */
    page: (scope: ListScope, filter: { status?: Status; beforeId?: number; limit: number }) => {
      const where = scopeConditions(scope);
      if (filter.status) where.push(sql`r.status = ${filter.status}`);
      if (filter.beforeId) where.push(sql`r.id < ${filter.beforeId}`);
      return db.query<ReservationRow>(sql`
        ${SELECT_RESERVATION} WHERE ${sql.join(where, ' AND ')} ORDER BY r.id DESC LIMIT ${filter.limit + 1}`);
    },

    countsByStatus: (scope: ListScope) =>
      db.query<{ status: Status; n: number }>(sql`
        SELECT r.status, count(*)::int AS n FROM reservations r WHERE ${sql.join(scopeConditions(scope), ' AND ')} GROUP BY r.status`),

    optionsOf: (ids: number[]) =>
      ids.length
        ? db.query<ReservationOptionRow>(sql`
            SELECT * FROM reservation_options WHERE reservation_id = ANY(${ids}::bigint[]) ORDER BY reservation_id, option_id`)
        : Promise.resolve([]),

    statusLog: (id: number) =>
      db.query<StatusLogRow>(sql`
        SELECT l.*, m.nickname FROM reservation_status_log l LEFT JOIN members m ON m.id = l.actor_id
        WHERE l.reservation_id = ${id} ORDER BY l.id`),

    postAuthor: (postId: number) => db.one<{ author_id: number }>(sql`SELECT author_id FROM posts WHERE id = ${postId}`),

    /** The listing when the public may see it (and so book it). */
    publicPost: (postId: number) =>
      db.one<RequestPostRow>(sql`
        SELECT p.id, p.author_id, p.fee, p.deposit, p.weekly_fee AS "weeklyFee", p.monthly_fee AS "monthlyFee", p.instant_booking,
          p.cancellation_policy, p.receive_method, p.return_method, p.title, p.paused_at IS NOT NULL AS paused
        FROM posts p WHERE p.id = ${postId} AND ${sql.raw(publicPostCondition('p'))}`),

    postOptions: (postId: number, optionIds: number[]) =>
      optionIds.length
        ? db.query<PostOptionRow>(sql`
            SELECT id, name, fee, deposit FROM post_options
            WHERE post_id = ${postId} AND id = ANY(${optionIds}::bigint[]) AND deleted_at IS NULL ORDER BY id`)
        : Promise.resolve([]),

    async insert(r: RequestColumns & { postId: number; borrowerId: number; lenderId: number; now: Date }): Promise<number> {
      const row = await db.one<{ id: number }>(sql`
        INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
          address, days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount,
          weekly_fee, monthly_fee, months, weeks, cancellation_policy, status_changed_at, created_at, updated_at)
        VALUES (${r.postId}, ${r.borrowerId}, ${r.lenderId}, 'PENDING_APPROVAL', ${r.startDate}, ${r.endDate},
          ${r.receiveMethod}, ${r.returnMethod}, ${r.address}, ${r.price.days}, ${r.price.dailyFee},
          ${r.price.optionsDailyFee}, ${r.price.rentalFee}, ${r.price.deposit}, ${r.price.optionsDeposit}, ${r.price.total},
          ${r.price.weeklyFee}, ${r.price.monthlyFee}, ${r.price.months}, ${r.price.weeks}, ${r.cancellationPolicy},
          ${r.now}, ${r.now}, ${r.now})
        RETURNING id`);
      return row!.id;
    },

    /** Rewrites a request still waiting for approval; false when it no longer waits. */
    async updateRequest(id: number, r: RequestColumns & { now: Date }): Promise<boolean> {
      const updated = await db.one(sql`
        UPDATE reservations SET start_date = ${r.startDate}, end_date = ${r.endDate},
          receive_method = ${r.receiveMethod}, return_method = ${r.returnMethod}, address = ${r.address},
          days = ${r.price.days}, daily_fee = ${r.price.dailyFee}, options_daily_fee = ${r.price.optionsDailyFee},
          rental_fee = ${r.price.rentalFee}, deposit = ${r.price.deposit}, options_deposit = ${r.price.optionsDeposit},
          total_amount = ${r.price.total}, weekly_fee = ${r.price.weeklyFee}, monthly_fee = ${r.price.monthlyFee},
          months = ${r.price.months}, weeks = ${r.price.weeks}, cancellation_policy = ${r.cancellationPolicy}, updated_at = ${r.now}
        WHERE id = ${id} AND status = 'PENDING_APPROVAL' RETURNING id`);
      return !!updated;
    },

    async replaceOptions(reservationId: number, options: PostOptionRow[]) {
      await db.query(sql`DELETE FROM reservation_options WHERE reservation_id = ${reservationId}`);
      if (!options.length) return;
      const rows = options.map((o) => sql`(${reservationId}, ${o.id}, ${o.name}, ${o.fee}, ${o.deposit})`);
      await db.query(sql`INSERT INTO reservation_options (reservation_id, option_id, name, fee, deposit) VALUES ${sql.join(rows, ', ')}`);
    },

    /**
     * Conditional status change (only from `from`), with the shipment of a shipping leg and, for a
     * hand-over, the first `picked_up_at`; false when the status had already changed.
     */
    async setStatus(
      id: number,
      from: Status,
      to: Status,
      now: Date,
      shipment?: { leg: 'receive' | 'return'; carrier: string | null; trackingNumber: string | null },
      handover = false,
    ): Promise<boolean> {
      const sets = [sql`status = ${to}`, sql`status_changed_at = ${now}`, sql`updated_at = ${now}`];
      if (handover) sets.push(sql`picked_up_at = coalesce(picked_up_at, ${now})`);
      if (shipment?.leg === 'receive') sets.push(sql`receive_carrier = ${shipment.carrier}`, sql`receive_tracking_no = ${shipment.trackingNumber}`);
      if (shipment?.leg === 'return') sets.push(sql`return_carrier = ${shipment.carrier}`, sql`return_tracking_no = ${shipment.trackingNumber}`);
      const updated = await db.one(sql`
        UPDATE reservations SET ${sql.join(sets, ', ')} WHERE id = ${id} AND status = ${from} RETURNING id`);
      return !!updated;
    },

    log: (e: LogEntry) =>
      db.query(sql`
        INSERT INTO reservation_status_log (reservation_id, from_status, to_status, actor_role, actor_id, reason, carrier, tracking_number,
          event, created_at)
        VALUES (${e.reservationId}, ${e.from}, ${e.to}, ${e.actor}, ${e.actorId}, ${e.reason ?? null}, ${e.carrier ?? null},
          ${e.trackingNumber ?? null}, ${e.event ?? null}, ${e.at})`),

    /** What a paid cancel gives back, decided in the cancel's transaction. */
    setCancelRefund: (id: number, amount: number) => db.query(sql`UPDATE reservations SET cancel_refund = ${amount} WHERE id = ${id}`),

    /** The borrower's "송금했어요", once, while the reservation waits for payment; false otherwise. */
    markTransferSent: async (id: number, now: Date) =>
      !!(await db.one(sql`
        UPDATE reservations SET transfer_sent_at = ${now}, updated_at = ${now}
        WHERE id = ${id} AND status = 'PENDING_PAYMENT' AND transfer_sent_at IS NULL RETURNING id`)),

    /**
     * One statement for a whole sweep: moves up to `limit` reservations in `from` that are due to `to`
     * as SYSTEM and logs each move. Rows another instance holds are skipped (it moves them).
     */
    moveDue: (from: Status, to: Status, due: DueWhen, reason: string, now: Date, limit: number) =>
      db.query<MovedRow>(sql`
        WITH due AS (
          SELECT id FROM reservations WHERE status = ${from} AND ${dueCondition(due)} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), moved AS (
          UPDATE reservations r SET status = ${to}, status_changed_at = ${now}, updated_at = ${now}
          FROM due WHERE r.id = due.id AND r.status = ${from}
          RETURNING r.id, r.post_id, r.borrower_id, r.lender_id, r.start_date, r.end_date
        ), logged AS (
          INSERT INTO reservation_status_log (reservation_id, from_status, to_status, actor_role, reason, created_at)
          SELECT id, ${from}::text, ${to}::text, 'SYSTEM', ${reason}::text, ${now}::timestamptz FROM moved
        )
        SELECT m.id, m.borrower_id, m.lender_id, m.start_date, m.end_date, p.title AS post_title
        FROM moved m JOIN posts p ON p.id = m.post_id ORDER BY m.id`),

    /**
     * Claims a one-time notice column of RENTING reservations ending in [endFrom, endTo] (either open)
     * in one statement; returns the claimed rows with the listing's title.
     */
    claimRentingNotice: (
      column: 'return_reminded_at' | 'overdue_notified_at',
      end: { from?: string; to: string },
      now: Date,
      limit: number,
    ) => {
      const col = sql.raw(column);
      return db.query<NoticeRow>(sql`
        UPDATE reservations r SET ${col} = ${now}
        FROM posts p
        WHERE p.id = r.post_id
          AND r.id IN (
            SELECT id FROM reservations WHERE ${col} IS NULL AND status = 'RENTING'
              AND end_date >= coalesce(${end.from ?? null}::date, '-infinity') AND end_date <= ${end.to}::date
            ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          AND r.${col} IS NULL
        RETURNING r.id, r.borrower_id, r.lender_id, p.title, r.end_date`);
    },

    // ---- extensions ----

    /** The reservation's latest extension request (pending or decided), with the sum of approved fees. */
    latestExtension: (reservationId: number) =>
      db.one<ExtensionRow>(sql`
        SELECT e.*, (SELECT coalesce(sum(a.extra_fee), 0)::bigint FROM reservation_extensions a
                     WHERE a.reservation_id = e.reservation_id AND a.status = 'APPROVED') AS approved_fee
        FROM reservation_extensions e WHERE e.reservation_id = ${reservationId} ORDER BY e.id DESC LIMIT 1`),

    /** Fails with a unique violation (23505) when the reservation already has a pending request. */
    insertExtension: (e: { reservationId: number; fromEndDate: string; toEndDate: string; extraFee: number; now: Date }) =>
      db.query(sql`
        INSERT INTO reservation_extensions (reservation_id, from_end_date, to_end_date, extra_fee, created_at)
        VALUES (${e.reservationId}, ${e.fromEndDate}, ${e.toEndDate}, ${e.extraFee}, ${e.now})`),

    /** Closes request `id` if still pending; false when it was decided meanwhile. */
    decideExtension: async (id: number, status: Exclude<ExtensionStatus, 'PENDING'>, reason: string | null, now: Date) =>
      !!(await db.one(sql`
        UPDATE reservation_extensions SET status = ${status}, reason = ${reason}, decided_at = ${now}
        WHERE id = ${id} AND status = 'PENDING' RETURNING id`)),

    /**
     * Moves a RENTING reservation's end date from `fromEnd` to `toEnd` (false when either changed meanwhile).
     * The exclusion constraint refuses days another holding reservation has (23P01). The return reminder and
     * the overdue notice are re-armed for the new end date.
     */
    extendEndDate: async (id: number, fromEnd: string, toEnd: string, now: Date) =>
      !!(await db.one(sql`
        UPDATE reservations SET end_date = ${toEnd}, updated_at = ${now}, return_reminded_at = NULL, overdue_notified_at = NULL
        WHERE id = ${id} AND status = 'RENTING' AND end_date = ${fromEnd}::date RETURNING id`)),

    // ---- dates a listing cannot be booked for ----

    /** Ranges of `postId` held by reservations, overlapping [from, to] when given (both inclusive). */
    bookedRanges: (postId: number, window: { from?: string; to?: string; exceptReservationId?: number } = {}) =>
      db.query<DateRange>(sql`
        SELECT start_date AS "startDate", end_date AS "endDate" FROM reservations
        WHERE post_id = ${postId} AND status IN ${holding()}
          AND id <> ${window.exceptReservationId ?? 0}
          AND end_date >= ${window.from ?? '-infinity'}::date AND start_date <= ${window.to ?? 'infinity'}::date
        ORDER BY start_date`),

    /** Owner-blocked days of `postId` within [start, end], first few. */
    blockedDaysIn: async (postId: number, startDate: string, endDate: string, limit = 5) =>
      (await db.query<{ day: string }>(sql`
        SELECT day::text AS day FROM post_blocked_dates WHERE post_id = ${postId} AND day BETWEEN ${startDate}::date AND ${endDate}::date
        ORDER BY day LIMIT ${limit}`)).map((b) => b.day),

    /** Sorted, distinct days of [from, to] (either bound open) on which the post cannot be rented. */
    unavailableDates: async (postId: number, from: string | null, to: string | null) => {
      const blocked = sql`SELECT day FROM post_blocked_dates
        WHERE post_id = ${postId} AND (${from}::date IS NULL OR day >= ${from}::date) AND (${to}::date IS NULL OR day <= ${to}::date)`;
      // days held by reservations, clipped to the window
      const booked = sql`SELECT generate_series(
          greatest(start_date, coalesce(${from}::date, start_date)), least(end_date, coalesce(${to}::date, end_date)), interval '1 day'
        )::date AS day
        FROM reservations
        WHERE post_id = ${postId} AND status IN ${holding()}
          AND (${from}::date IS NULL OR end_date >= ${from}::date) AND (${to}::date IS NULL OR start_date <= ${to}::date)`;
      const rows = await db.query<{ day: string }>(sql`SELECT DISTINCT day::text AS day FROM (${blocked} UNION ${booked}) u ORDER BY day`);
      return rows.map((r) => r.day);
    },
  };
}

export type ReservationsRepository = ReturnType<typeof reservationsRepository>;

/**
 * SQL condition for the search filter "available from–to" over a posts alias: no holding
 * reservation overlaps and no owner-blocked day falls inside. `from`/`to` are 'YYYY-MM-DD'.
 */
export function availableBetween(alias: string, from: string, to: string): Sql {
  const p = sql.raw(alias);
  // NOT IN, not NOT EXISTS: the listings taken in the range are found once per query (a hashed
  // subplan over the active reservations and the blocked days of those dates), where NOT EXISTS probed
  // both tables for every listing a search's walk or candidate scan visited
  return sql`(${p}.id NOT IN (
      SELECT avail_r.post_id FROM reservations avail_r WHERE avail_r.status IN ${holding()}
        AND daterange(avail_r.start_date, avail_r.end_date, '[]') && daterange(${from}::date, ${to}::date, '[]'))
    AND ${p}.id NOT IN (
      SELECT avail_b.post_id FROM post_blocked_dates avail_b WHERE avail_b.day BETWEEN ${from}::date AND ${to}::date))`;
}
