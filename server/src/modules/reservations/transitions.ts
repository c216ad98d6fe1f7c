// Status transitions through the one table (status.ts). Each is a conditional update (WHERE status =
// the status we checked), so two racing requests cannot both apply; the database's exclusion
// constraint decides double bookings. A transition logs itself and notifies the other party (both for SYSTEM).
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { conflict } from '../../http/errors.ts';
import type { NewNotification, NotificationRow } from '../notifications/service.ts';
import { datesTaken } from './booked.ts';
import { assertDatesFree } from './booked.ts';
import { seoulDate } from '../../lib/dates.ts';
import { reservationsRepository, type ReservationRow } from './repository.ts';
import { checkTransition, STATUS_TABLE, type Actor, type Status } from './status.ts';
import { subjectOf } from './view.ts';

const LOST_RACE = new Error('reservation status changed concurrently');

export interface TransitionInput {
  reason?: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
}

export const statusChanged = () => conflict('STATUS_CHANGED', '예약 상태가 방금 바뀌었습니다. 새로고침 후 다시 시도해 주세요');

/** The notice a status change sends (to the other party; to both when the system moved it). */
export function statusNotices(
  r: { id: number; borrower_id: number; lender_id: number; post_title: string; start_date: string; end_date: string },
  to: Status,
  actor: Actor,
  reason: string | null,
): NewNotification[] {
  const recipients = actor === 'BORROWER' ? [r.lender_id] : actor === 'LENDER' ? [r.borrower_id] : [r.borrower_id, r.lender_id];
  return recipients.map((memberId) => ({
    memberId,
    type: 'RESERVATION_STATUS',
    title: `예약이 '${STATUS_TABLE[to].label}' 상태가 되었습니다`,
    body: `${r.post_title} (${r.start_date} ~ ${r.end_date})${reason ? ` — 사유: ${reason}` : ''}`,
    targetType: 'RESERVATION',
    targetId: r.id,
  }));
}

export function transitions(deps: Deps) {
  const { db } = deps;

  /** One checked transition inside `tx`; the notices to publish after commit, or null when the status had changed. */
  async function apply(tx: Queryable, row: ReservationRow, to: Status, actor: Actor, actorId: number | null, given: TransitionInput, now: Date) {
    const carrier = given.carrier?.trim() || null;
    const trackingNumber = given.trackingNumber?.trim() || null;
    const reason = given.reason?.trim() || null;
    const repo = reservationsRepository(tx);
    const leg = to === 'SHIPPING' ? 'receive' : to === 'RETURNING' ? 'return' : null;
    const moved = await repo.setStatus(row.id, row.status, to, now, leg ? { leg, carrier, trackingNumber } : undefined, !!STATUS_TABLE[to].handover);
    if (!moved) return null;
    await repo.log({ reservationId: row.id, from: row.status, to, actor, actorId, reason, carrier, trackingNumber, at: now });
    return deps.notifications.insertMany(tx, statusNotices(row, to, actor, reason));
  }

  /** Runs a transition in its own transaction (after `before`); maps the double-booking constraint to DATES_TAKEN. */
  async function inTx(
    row: ReservationRow,
    to: Status,
    actor: Actor,
    actorId: number | null,
    given: TransitionInput,
    now: Date,
    before?: (tx: Queryable) => Promise<void>,
  ): Promise<boolean> {
    let notes: NotificationRow[];
    try {
      notes = await db.transaction(async (tx) => {
        await before?.(tx);
        const applied = await apply(tx, row, to, actor, actorId, given, now);
        if (!applied) throw LOST_RACE; // roll back whatever `before` wrote
        return applied;
      });
    } catch (err) {
      if (err === LOST_RACE) return false;
      throw await asDatesTaken(err, row);
    }
    await deps.notifications.publish(notes);
    return true;
  }

  /** The double-booking constraint's refusal as 409 DATES_TAKEN (with the ranges now held); any other error as it is. */
  async function asDatesTaken(err: unknown, row: Pick<ReservationRow, 'id' | 'post_id' | 'start_date' | 'end_date'>) {
    if (err instanceof Error && 'code' in err && err.code === '23P01') {
      return datesTaken(await reservationsRepository(db).bookedRanges(row.post_id, { from: row.start_date, to: row.end_date, exceptReservationId: row.id }));
    }
    return err;
  }

  return {
    apply,
    inTx,
    asDatesTaken,

    /** Extra rules of approval: the listing is still public, the start date has not passed, no blocked day. */
    async approvalChecks(tx: Queryable, row: ReservationRow, now: Date) {
      if (!(await reservationsRepository(tx).publicPost(row.post_id))) {
        throw conflict('POST_UNAVAILABLE', '게시글이 삭제되었거나 정지되어 승인할 수 없습니다');
      }
      if (row.start_date < seoulDate(now)) throw conflict('REQUEST_OUTDATED', '시작일이 지난 요청은 승인할 수 없습니다');
      await assertDatesFree(tx, row.post_id, row.start_date, row.end_date, row.id);
    },

    /**
     * A transition made by the system (payment confirmation, single moves): only from `expected`,
     * checked against the table with actor SYSTEM. False when the reservation is no longer in `expected`.
     */
    async system(id: number, expected: Status, to: Status, now: Date, reason?: string, before?: (tx: Queryable) => Promise<void>) {
      const row = await reservationsRepository(db).byId(id);
      if (!row || row.status !== expected) return false;
      const refusal = checkTransition(subjectOf(row), to, 'SYSTEM', { reason }, seoulDate(now));
      if (refusal) throw new Error(`system transition ${expected} → ${to} refused: ${refusal.code}`);
      return inTx(row, to, 'SYSTEM', null, { reason }, now, before);
    },
  };
}
