// Reservations: requests (approved at once on an instant-booking listing), edits, views and lists, and
// the parties' status changes. The rules of a request are in request.ts, prices in pricing.ts, what a
// cancel gives back in cancellation.ts, how much goes back at all in money-back.ts, transitions in
// transitions.ts, the mapping to responses in view.ts and every SQL statement in repository.ts.
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import type { AuthMember } from '../../http/auth.ts';
import { AppError, conflict, forbidden, notFound } from '../../http/errors.ts';
import { CANCELLED_RESERVATION_REASON, DEPOSIT_RETURN_REASON, refunds } from '../payments/refunds.ts';
import { moneyBack, moneyBackOf, PROVIDER_REFUND_STATUSES, type MoneyBack } from './money-back.ts';
import { reservationsRepository, type ReservationOptionRow, type ReservationRow } from './repository.ts';
import { validateRequest } from './request.ts';
import type { CreateReservationBody, EditReservationBody, StatusChangeBody } from './schemas.ts';
import { checkTransition, STATUSES, type Status } from './status.ts';
import { statusChanged, transitions } from './transitions.ts';
import { extensionView } from './extensions.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { decodeIdCursor, nextIdCursor } from '../../lib/cursor.ts';
import { seoulDate } from '../../lib/dates.ts';
import { cancelRefundOf, logView, reservationView, roleOf, subjectOf, type ViewerRole } from './view.ts';
import { trustOf, trustOfMany } from '../trust/score.ts';

export { MAX_DAYS_AHEAD, MAX_RENTAL_DAYS } from './request.ts';
export { roleOf, subjectOf, type ViewerRole } from './view.ts';
export type { ReservationRow } from './repository.ts';

export function reservationsService(deps: Deps) {
  const { db, config } = deps;
  const repo = reservationsRepository(db);
  const moves = transitions(deps);
  const money = refunds(deps);

  /** back: what money-back.ts says goes back, when the caller read it for a whole list at once */
  const toView = async (row: ReservationRow, options: ReservationOptionRow[], role: ViewerRole, back?: MoneyBack | null) =>
    reservationView(config.payments, row, options, role, { today: seoulDate(deps.clock.now()), moneyBack: back === undefined ? await moneyBack(db, row) : back });

  async function optionsOf(ids: number[]): Promise<Map<number, ReservationOptionRow[]>> {
    const map = new Map<number, ReservationOptionRow[]>();
    for (const o of await repo.optionsOf(ids)) map.set(o.reservation_id, [...(map.get(o.reservation_id) ?? []), o]);
    return map;
  }

  async function load(q: Queryable, id: number): Promise<ReservationRow> {
    const row = await reservationsRepository(q).byId(id);
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

  async function viewOf(row: ReservationRow, role: ViewerRole) {
    // The lender decides on a request knowing the borrower's trust (issue 10); the borrower needs none.
    const borrowerTrust = role === 'BORROWER' ? null : await trustOf(db, row.borrower_id, deps.clock.now());
    return { ...(await toView(row, (await optionsOf([row.id])).get(row.id) ?? [], role)), borrowerTrust };
  }

  async function view(member: AuthMember, id: number) {
    const { row, role } = await loadFor(member, id);
    return viewOf(row, role);
  }

  /**
   * Gives back at the payment provider what money-back.ts says goes back, once the reservation is in a
   * status where the money leaves (a paid cancel, the deposit's return); nothing for direct payment.
   */
  async function refundAtProvider(id: number, now: Date) {
    const row = await load(db, id);
    if (!row.paid || !PROVIDER_REFUND_STATUSES.includes(row.status)) return null;
    const back = await moneyBack(db, row);
    if (!back) return null;
    return money.refundReservation(id, back.amount, back.kind === 'CANCEL' ? CANCELLED_RESERVATION_REASON : DEPOSIT_RETURN_REASON, now);
  }

  return {
    toView,
    load,
    refundAtProvider,
    loadFor,
    view,

    async create(member: AuthMember, input: CreateReservationBody) {
      const now = deps.clock.now();
      const { id, notes } = await db.transaction(async (tx): Promise<{ id: number; notes: NotificationRow[] }> => {
        const v = await validateRequest(tx, deps.clock, member, input.postId, input);
        const txRepo = reservationsRepository(tx);
        const id = await txRepo.insert({
          postId: v.post.id, borrowerId: member.id, lenderId: v.post.author_id, startDate: input.startDate, endDate: input.endDate,
          receiveMethod: input.receiveMethod, returnMethod: input.returnMethod, address: v.address, price: v.price,
          cancellationPolicy: v.post.cancellation_policy, now,
        });
        await txRepo.replaceOptions(id, v.options);
        await txRepo.log({ reservationId: id, from: null, to: 'PENDING_APPROVAL', actor: 'BORROWER', actorId: member.id, at: now });
        if (v.post.instant_booking) {
          // 바로 예약: the approval transition itself, with its checks, in this transaction; it notifies both
          const row = (await txRepo.byId(id))!;
          await moves.approvalChecks(tx, row, now);
          const notes = await moves.apply(tx, row, 'PENDING_PAYMENT', 'SYSTEM', null, { reason: `${member.nickname}님의 바로 예약 (자동 승인)` }, now);
          if (!notes) throw statusChanged();
          return { id, notes };
        }
        const note = await deps.notifications.insert(tx, {
          memberId: v.post.author_id,
          type: 'RESERVATION_REQUEST',
          title: '새 예약 요청이 도착했습니다',
          body: `${member.nickname}님이 ${josa(v.post.title, '을/를')} ${input.startDate} ~ ${input.endDate}에 빌리고 싶어 합니다`,
          targetType: 'RESERVATION',
          targetId: id,
        });
        return { id, notes: [note] };
      }).catch(async (err) => {
        // an approval racing this instant booking took the dates first
        throw await moves.asDatesTaken(err, { id: 0, post_id: input.postId, start_date: input.startDate, end_date: input.endDate });
      });
      await deps.notifications.publish(notes);
      return view(member, id);
    },

    /** The borrower edits a request while it waits for approval. */
    async edit(member: AuthMember, id: number, input: EditReservationBody) {
      const now = deps.clock.now();
      const notes = await db.transaction(async (tx) => {
        const row = await load(tx, id);
        if (roleOf(row, member) !== 'BORROWER') throw forbidden('예약을 요청한 사람만 수정할 수 있습니다');
        if (row.status !== 'PENDING_APPROVAL') throw conflict('NOT_EDITABLE', '승인 대기 중인 예약만 수정할 수 있습니다');
        const v = await validateRequest(tx, deps.clock, member, row.post_id, input, row.id);
        const txRepo = reservationsRepository(tx);
        const updated = await txRepo.updateRequest(id, {
          startDate: input.startDate, endDate: input.endDate, receiveMethod: input.receiveMethod, returnMethod: input.returnMethod,
          address: v.address, price: v.price, cancellationPolicy: v.post.cancellation_policy, now,
        });
        if (!updated) throw statusChanged();
        await txRepo.replaceOptions(id, v.options);
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

    /** GET /reservations/{id}: the view, the history and (for the parties) the extension state. */
    async detail(member: AuthMember, id: number) {
      const { row, role } = await loadFor(member, id);
      return {
        ...(await viewOf(row, role)),
        extension: extensionView(row, await repo.latestExtension(id), role, seoulDate(deps.clock.now())),
        log: (await repo.statusLog(id)).map(logView),
      };
    },

    async list(
      member: AuthMember,
      side: 'sent' | 'received',
      filter: { status?: Status; postId?: number; cursor?: string; limit?: number },
    ) {
      const limit = filter.limit ?? 20;
      const scope = { side, memberId: member.id, postId: side === 'received' ? filter.postId : undefined };
      if (scope.postId) {
        const post = await repo.postAuthor(scope.postId);
        if (!post) throw notFound('게시글');
        if (post.author_id !== member.id) throw forbidden('내 게시글의 예약만 볼 수 있습니다');
      }
      const rows = await repo.page(scope, { status: filter.status, beforeId: decodeIdCursor(filter.cursor) ?? undefined, limit });
      const page = rows.slice(0, limit);
      const options = await optionsOf(page.map((r) => r.id));
      const counts: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      for (const c of await repo.countsByStatus(scope)) counts[c.status] = c.n;
      const trusts = side === 'sent' ? null : await trustOfMany(db, page.map((r) => r.borrower_id), deps.clock.now());
      const backs = await moneyBackOf(db, page);
      return {
        items: await Promise.all(page.map(async (r) => ({
          ...(await toView(r, options.get(r.id) ?? [], side === 'sent' ? 'BORROWER' : 'LENDER', backs.get(r.id) ?? null)),
          borrowerTrust: trusts?.get(r.borrower_id) ?? null,
        }))),
        nextCursor: nextIdCursor(rows, limit),
        counts,
      };
    },

    /** PATCH /reservations/:id/status — a party moves the reservation along the table. */
    async changeStatus(member: AuthMember, id: number, body: StatusChangeBody) {
      const { row, role } = await loadFor(member, id);
      if (role === 'ADMIN') throw forbidden('관리자는 예약 상태를 바꿀 수 없습니다', 'NOT_YOUR_ACTION');
      const now = deps.clock.now();
      const refusal = checkTransition(subjectOf(row), body.status, role, body, seoulDate(now));
      if (refusal) throw new AppError(refusal.status, refusal.code, refusal.detail);
      const before = body.status === 'PENDING_PAYMENT'
        ? (tx: Queryable) => moves.approvalChecks(tx, row, now)
        : body.status === 'CANCELLED' && row.paid
          ? (tx: Queryable) => decideCancelRefund(tx, row, role, now)
          : undefined;
      const applied = await moves.inTx(row, body.status, role, member.id, body, now, before);
      if (!applied) throw statusChanged();
      // paid through the provider: a cancel or the deposit's return goes back through its cancel API at
      // once (a failure stays pending and the payments reconcile job retries it)
      if (row.paid && PROVIDER_REFUND_STATUSES.includes(body.status)) await refundAtProvider(id, now);
      return view(member, id);
    },

    /** Reservations whose money should have left at the provider but did not (for the reconcile job). */
    unrefunded: (limit: number) => money.appliedOfRefundable(PROVIDER_REFUND_STATUSES, limit),

    /** A transition made by the system (see transitions.ts). */
    systemTransition: moves.system,
  };
}

/** A paid cancel: the policy's refund (cancellation.ts), fixed in the cancel's transaction. */
async function decideCancelRefund(tx: Queryable, row: ReservationRow, role: 'BORROWER' | 'LENDER', now: Date): Promise<void> {
  await reservationsRepository(tx).setCancelRefund(row.id, cancelRefundOf(row, role, seoulDate(now)).amount);
}

export type ReservationsService = ReturnType<typeof reservationsService>;
