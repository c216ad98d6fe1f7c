// Every SQL statement of the payments domain (issue 8): confirmed payments and the provider's
// captures (money taken at Toss that must never be lost, issue 9 point 7).
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export type CaptureStatus = 'CAPTURED' | 'APPLIED' | 'CANCEL_PENDING' | 'CANCELLED';

export interface CaptureRow {
  id: number;
  reservation_id: number;
  payment_key: string;
  order_id: string;
  amount: number;
  method: string | null;
  approved_at: Date;
  raw: unknown;
  confirmed_by: number | null;
  status: CaptureStatus;
  cancel_attempts: number;
  /** the part a refund gives back (null: all of it) */
  cancel_amount: number | null;
}

export interface PaymentRow {
  reservation_id: number;
  provider: 'direct' | 'toss';
  payment_key: string | null;
  amount: number;
}

/** What a confirmed payment records (a capture's columns, or the direct provider's). */
export interface NewPayment {
  reservation_id: number;
  order_id: string;
  payment_key: string | null;
  amount: number;
  method: string | null;
  approved_at: Date;
  raw: unknown;
  confirmed_by: number | null;
}

export interface PayoutAccountRow {
  bank: string;
  account_number: string;
  holder: string;
  updated_at: Date;
}

const json = (raw: unknown) => (raw === null || raw === undefined ? null : JSON.stringify(raw));

export function paymentsRepository(db: Queryable) {
  return {
    payoutAccountOf: (memberId: number) =>
      db.one<PayoutAccountRow>(sql`SELECT bank, account_number, holder, updated_at FROM payout_accounts WHERE member_id = ${memberId}`),

    savePayoutAccount: (memberId: number, a: { bank: string; accountNumber: string; holder: string }, now: Date) =>
      db.one<PayoutAccountRow>(sql`
        INSERT INTO payout_accounts (member_id, bank, account_number, holder, updated_at)
        VALUES (${memberId}, ${a.bank}, ${a.accountNumber}, ${a.holder}, ${now})
        ON CONFLICT (member_id) DO UPDATE SET bank = excluded.bank, account_number = excluded.account_number,
          holder = excluded.holder, updated_at = excluded.updated_at
        RETURNING bank, account_number, holder, updated_at`),

    paymentOf: (reservationId: number) =>
      db.one<PaymentRow>(sql`SELECT reservation_id, provider, payment_key, amount FROM payments WHERE reservation_id = ${reservationId}`),

    insertPayment: (p: NewPayment, provider: string, now: Date) =>
      db.query(sql`
        INSERT INTO payments (reservation_id, provider, order_id, payment_key, amount, method, confirmed_by, approved_at, raw, created_at)
        VALUES (${p.reservation_id}, ${provider}, ${p.order_id}, ${p.payment_key}, ${p.amount}, ${p.method}, ${p.confirmed_by},
          ${p.approved_at}, ${json(p.raw)}, ${now})
        ON CONFLICT DO NOTHING`),

    /** Written on its own, committed before the status change is attempted. */
    insertCapture: (p: NewPayment & { payment_key: string }, provider: string, now: Date) =>
      db.query(sql`
        INSERT INTO payment_captures (reservation_id, provider, payment_key, order_id, amount, method, approved_at, raw, confirmed_by, created_at, updated_at)
        VALUES (${p.reservation_id}, ${provider}, ${p.payment_key}, ${p.order_id}, ${p.amount}, ${p.method}, ${p.approved_at},
          ${json(p.raw)}, ${p.confirmed_by}, ${now}, ${now})
        ON CONFLICT (payment_key) DO NOTHING`),

    captureByKey: (paymentKey: string) => db.one<CaptureRow>(sql`SELECT * FROM payment_captures WHERE payment_key = ${paymentKey}`),

    /** The capture that paid a reservation (APPLIED), if the money went through the provider. */
    appliedCaptureOf: (reservationId: number) =>
      db.one<CaptureRow>(sql`SELECT * FROM payment_captures WHERE reservation_id = ${reservationId} AND status = 'APPLIED' ORDER BY id LIMIT 1`),

    /** reservations in `statuses` paid through the provider whose money was never given back */
    appliedOfRefundable: async (statuses: readonly string[], limit: number) =>
      (await db.query<{ reservation_id: number }>(sql`
        SELECT c.reservation_id FROM payment_captures c JOIN reservations r ON r.id = c.reservation_id
        WHERE c.status = 'APPLIED' AND r.status = ANY(${[...statuses]}::text[]) ORDER BY c.id LIMIT ${limit}`)).map((r) => r.reservation_id),

    markApplied: (paymentKey: string, now: Date, onlyFromCaptured = false) =>
      db.query(sql`
        UPDATE payment_captures SET status = 'APPLIED', updated_at = ${now}
        WHERE payment_key = ${paymentKey} ${onlyFromCaptured ? sql`AND status = 'CAPTURED'` : sql.empty()}`),

    /**
     * CAPTURED (or, for a refund of a used payment, APPLIED) → CANCEL_PENDING, with the part to give
     * back (null: all); one caller wins.
     */
    markCancelPending: async (paymentKey: string, from: 'CAPTURED' | 'APPLIED', reason: string, now: Date, amount: number | null = null) =>
      !!(await db.one(sql`
        UPDATE payment_captures SET status = 'CANCEL_PENDING', cancel_reason = ${reason}, cancel_amount = ${amount},
          next_attempt_at = ${now}, updated_at = ${now}
        WHERE payment_key = ${paymentKey} AND status = ${from} RETURNING id`)),

    /** Claims a due cancel attempt so concurrent callers (request and job) do not both call the provider. */
    claimCancelAttempt: (paymentKey: string, now: Date) =>
      db.one<CaptureRow & { cancel_reason: string | null }>(sql`
        UPDATE payment_captures SET cancel_attempts = cancel_attempts + 1, next_attempt_at = ${now}::timestamptz + interval '10 minutes',
          updated_at = ${now}
        WHERE payment_key = ${paymentKey} AND status = 'CANCEL_PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= ${now})
        RETURNING *`),

    statusOf: async (paymentKey: string) =>
      (await db.one<{ status: CaptureStatus }>(sql`SELECT status FROM payment_captures WHERE payment_key = ${paymentKey}`))?.status,

    cancelFailed: (paymentKey: string, error: string, retryAt: Date, now: Date) =>
      db.query(sql`
        UPDATE payment_captures SET last_error = ${error}, next_attempt_at = ${retryAt}, updated_at = ${now}
        WHERE payment_key = ${paymentKey} AND status = 'CANCEL_PENDING'`),

    markCancelled: (paymentKey: string, now: Date) =>
      db.query(sql`
        UPDATE payment_captures SET status = 'CANCELLED', last_error = NULL, next_attempt_at = NULL, updated_at = ${now}
        WHERE payment_key = ${paymentKey}`),

    staleCaptures: (capturedBefore: Date, limit: number) =>
      db.query<CaptureRow>(sql`
        SELECT * FROM payment_captures WHERE status = 'CAPTURED' AND updated_at <= ${capturedBefore} ORDER BY id LIMIT ${limit}`),

    dueCancels: async (now: Date, limit: number) =>
      (await db.query<{ payment_key: string }>(sql`
        SELECT payment_key FROM payment_captures WHERE status = 'CANCEL_PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= ${now})
        ORDER BY id LIMIT ${limit}`)).map((r) => r.payment_key),
  };
}
