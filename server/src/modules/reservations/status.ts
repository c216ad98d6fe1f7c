// The rental lifecycle (SPEC §5) as ONE table: who may set each status, what may follow it and which
// fields a transition needs. The service, allowedActions, the jobs and the tests all read this table.

import { josa } from 'es-hangul';
import { addDays, koreanDay } from '../../lib/dates.ts';

export const STATUSES = [
  'PENDING_APPROVAL', 'PENDING_PAYMENT', 'PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL', 'RENTING',
  'PENDING_RETURN', 'RETURNING', 'INSPECTING_RETURN', 'RETURN_COMPLETED', 'PENDING_REFUND', 'REFUND_COMPLETED',
  'LOST_OR_UNRETURNED', 'CLAIMING', 'CLAIM_COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED',
] as const;
export type Status = (typeof STATUSES)[number];

/** the parties of a reservation; SYSTEM = jobs and the payment confirmation */
export type Actor = 'BORROWER' | 'LENDER' | 'SYSTEM';
export type RequiredField = 'reason' | 'shipment';

export interface StatusRule {
  /** who may move a reservation INTO this status */
  setBy: readonly Actor[];
  /** statuses that may follow this one (empty = terminal) */
  next: readonly Status[];
  /** fields a transition into this status needs */
  requires: readonly RequiredField[];
  /** extra fields needed only when coming from a given status */
  requiresFrom?: Partial<Record<Status, readonly RequiredField[]>>;
  /** only for reservations whose receive (or return) leg is DELIVERY: shipping a direct pickup makes no sense */
  delivery?: 'receive' | 'return';
  /**
   * Date guard (issue 12): HANDOVER = not before the day before the start date (Seoul); AFTER_HANDOVER =
   * not before the item was handed over (`picked_up_at`, set by a status with `handover`).
   */
  notBefore?: 'HANDOVER_DAY' | 'AFTER_HANDOVER';
  /** entering this status means the borrower has the item: the first one records `picked_up_at` */
  handover?: true;
  /** Korean label for the UI and notifications */
  label: string;
}

export interface TransitionSubject {
  status: Status;
  receiveMethod: 'DIRECT' | 'DELIVERY';
  returnMethod: 'DIRECT' | 'DELIVERY';
  startDate: string;
  /** the Seoul day the item was handed over, null before */
  handedOverOn: string | null;
}

const EITHER: Actor[] = ['BORROWER', 'LENDER'];

// SPEC §5. Rows whose "set by" is "—" there (the terminal ones) are decided here:
// REJECTED by the lender, CANCELLED by either party, EXPIRED by the system, REFUND_COMPLETED and
// CLAIM_COMPLETED by the lender (or the system's auto-completion of stale states, see jobs.ts).
// The system may also set PENDING_REFUND (auto-completion), LOST_OR_UNRETURNED (overdue) and
// PENDING_PAYMENT (instant booking).
export const STATUS_TABLE: Record<Status, StatusRule> = {
  PENDING_APPROVAL: { label: '승인 대기', setBy: ['SYSTEM'], next: ['PENDING_PAYMENT', 'REJECTED', 'CANCELLED', 'EXPIRED'], requires: [] },
  // SYSTEM: a request on an instant-booking listing is approved at once (service.ts create)
  PENDING_PAYMENT: { label: '결제 대기', setBy: ['LENDER', 'SYSTEM'], next: ['PENDING_PICKUP', 'CANCELLED', 'EXPIRED'], requires: [] },
  PENDING_PICKUP: { label: '수령 대기', setBy: ['SYSTEM'], next: ['SHIPPING', 'INSPECTING_RENTAL', 'CANCELLED'], requires: [] },
  SHIPPING: {
    label: '배송 중', setBy: ['LENDER'], next: ['INSPECTING_RENTAL'], requires: ['shipment'], delivery: 'receive', notBefore: 'HANDOVER_DAY',
  },
  INSPECTING_RENTAL: {
    label: '대여 검수', setBy: EITHER, next: ['RENTING', 'PENDING_RETURN', 'CANCELLED'], requires: [], notBefore: 'HANDOVER_DAY', handover: true,
  },
  RENTING: {
    label: '대여 중', setBy: ['BORROWER'], next: ['PENDING_RETURN', 'LOST_OR_UNRETURNED'], requires: [], notBefore: 'HANDOVER_DAY', handover: true,
  },
  PENDING_RETURN: {
    label: '반납 대기', setBy: EITHER, next: ['RETURNING', 'INSPECTING_RETURN'], requires: [], notBefore: 'AFTER_HANDOVER',
    requiresFrom: { INSPECTING_RENTAL: ['reason'] }, // failed inspection: say why
  },
  RETURNING: {
    label: '반납 배송 중', setBy: ['BORROWER'], next: ['INSPECTING_RETURN'], requires: ['shipment'], delivery: 'return', notBefore: 'AFTER_HANDOVER',
  },
  INSPECTING_RETURN: { label: '반납 검수', setBy: ['LENDER'], next: ['RETURN_COMPLETED', 'CLAIMING'], requires: [], notBefore: 'AFTER_HANDOVER' },
  RETURN_COMPLETED: { label: '반납 완료', setBy: EITHER, next: ['PENDING_REFUND'], requires: [], notBefore: 'AFTER_HANDOVER' },
  PENDING_REFUND: { label: '환급 대기', setBy: ['LENDER', 'SYSTEM'], next: ['REFUND_COMPLETED'], requires: [] },
  REFUND_COMPLETED: { label: '환급 완료', setBy: ['LENDER', 'SYSTEM'], next: [], requires: [] },
  LOST_OR_UNRETURNED: { label: '분실/미반납', setBy: ['BORROWER', 'LENDER', 'SYSTEM'], next: ['CLAIMING'], requires: [] },
  CLAIMING: { label: '청구 진행', setBy: ['LENDER'], next: ['CLAIM_COMPLETED'], requires: ['reason'] },
  CLAIM_COMPLETED: { label: '청구 완료', setBy: ['LENDER', 'SYSTEM'], next: [], requires: [] },
  REJECTED: { label: '거절', setBy: ['LENDER'], next: [], requires: ['reason'] },
  CANCELLED: { label: '취소', setBy: EITHER, next: [], requires: ['reason'] },
  EXPIRED: { label: '만료', setBy: ['SYSTEM'], next: [], requires: [] },
};

/**
 * Statuses that hold the dates (the exclusion constraint in 040_reservations.sql lists the same set):
 * from approval (PENDING_PAYMENT) through the rental until the item is back for inspection.
 * Requests (PENDING_APPROVAL) hold nothing, so many may overlap; the lender approves one of them.
 * Released: RETURN_COMPLETED onwards, LOST_OR_UNRETURNED/claims (the rental is over, its days have
 * passed; a lender who cannot lend any more blocks dates) and the terminal refusals.
 */
export const HOLDING_STATUSES: readonly Status[] = [
  'PENDING_PAYMENT', 'PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL', 'RENTING', 'PENDING_RETURN', 'RETURNING',
  'INSPECTING_RETURN',
];

/**
 * A borrower may review once the rental has ended with the item back or claimed (SPEC §6
 * "RETURN_COMPLETED onwards") on both branches: the claim states count too, since a borrower facing
 * a claim is exactly the one whose experience others should read. LOST_OR_UNRETURNED is still open;
 * rejected/cancelled/expired never are.
 */
export const REVIEWABLE_STATUSES: readonly Status[] = [
  'RETURN_COMPLETED', 'PENDING_REFUND', 'REFUND_COMPLETED', 'CLAIMING', 'CLAIM_COMPLETED',
];
export const isReviewable = (status: string) => (REVIEWABLE_STATUSES as readonly string[]).includes(status);

/** A status list as an SQL list literal, e.g. `('RENTING', 'RETURNING')`; the names are our constants, never input. */
export const statusListSql = (statuses: readonly Status[]) => `(${statuses.map((s) => `'${s}'`).join(', ')})`;

/** SQL condition over a reservations alias: the reservation may be reviewed by its borrower. */
export const reviewableCondition = (alias = 'r') => `(${alias}.status IN ${statusListSql(REVIEWABLE_STATUSES)})`;

/** Fields a transition from → to needs. */
export function requiredFields(from: Status, to: Status): RequiredField[] {
  const rule = STATUS_TABLE[to];
  return [...rule.requires, ...(rule.requiresFrom?.[from] ?? [])];
}

export type TransitionRefusal = { status: 409 | 403 | 400; code: string; detail: string };

/** true when `to` may follow the subject's status at all (ignoring who asks). */
export function isLegalNext(subject: TransitionSubject, to: Status): boolean {
  if (!STATUS_TABLE[subject.status].next.includes(to)) return false;
  const leg = STATUS_TABLE[to].delivery;
  if (leg === 'receive' && subject.receiveMethod !== 'DELIVERY') return false;
  if (leg === 'return' && subject.returnMethod !== 'DELIVERY') return false;
  return true;
}

/** The first day the hand-over steps may happen: the day before the start date (Seoul). */
export const handoverFrom = (startDate: string) => addDays(startDate, -1);

/** The date guard of `to` on `today` (Seoul), or null when the day allows it. */
export function checkDates(subject: TransitionSubject, to: Status, today: string): TransitionRefusal | null {
  const guard = STATUS_TABLE[to].notBefore;
  if (guard === 'HANDOVER_DAY' && today < handoverFrom(subject.startDate)) {
    const from = handoverFrom(subject.startDate);
    return {
      status: 409, code: 'TOO_EARLY_FOR_HANDOVER',
      detail: `'${STATUS_TABLE[to].label}'${josa.pick(STATUS_TABLE[to].label, '은/는')} 대여 시작일 하루 전(${koreanDay(from)})부터 할 수 있습니다`,
    };
  }
  if (guard === 'AFTER_HANDOVER' && (!subject.handedOverOn || today < subject.handedOverOn)) {
    return { status: 409, code: 'NOT_HANDED_OVER', detail: '물건을 건네받기 전에는 반납 단계로 바꿀 수 없습니다' };
  }
  return null;
}

/**
 * Checks one transition against the table. Order: illegal transition (409) before wrong actor (403)
 * before the date guard (409) before missing fields (400). Returns null when allowed.
 */
export function checkTransition(
  subject: TransitionSubject,
  to: Status,
  actor: Actor,
  given: { reason?: string | null; carrier?: string | null; trackingNumber?: string | null },
  today: string,
): TransitionRefusal | null {
  const from = subject.status;
  if (STATUS_TABLE[from].next.includes(to) && !isLegalNext(subject, to)) {
    return { status: 409, code: 'NOT_A_DELIVERY', detail: '택배 거래가 아닌 예약에는 배송 상태를 쓸 수 없습니다' };
  }
  if (!STATUS_TABLE[from].next.includes(to)) {
    return {
      status: 409, code: 'ILLEGAL_TRANSITION',
      detail: `'${STATUS_TABLE[from].label}' 상태에서 '${STATUS_TABLE[to].label}'${josa.pick(STATUS_TABLE[to].label, '으로/로')} 바꿀 수 없습니다`,
    };
  }
  if (!STATUS_TABLE[to].setBy.includes(actor)) {
    return { status: 403, code: 'NOT_YOUR_ACTION', detail: `'${STATUS_TABLE[to].label}' 상태는 ${whoLabel(to)}만 지정할 수 있습니다` };
  }
  const early = checkDates(subject, to, today);
  if (early) return early;
  for (const field of requiredFields(from, to)) {
    if (field === 'reason' && !given.reason?.trim()) {
      return { status: 400, code: 'REASON_REQUIRED', detail: `'${STATUS_TABLE[to].label}'${josa.pick(STATUS_TABLE[to].label, '으로/로')} 바꾸려면 사유를 입력해야 합니다` };
    }
    if (field === 'shipment' && (!given.carrier?.trim() || !given.trackingNumber?.trim())) {
      return { status: 400, code: 'SHIPMENT_REQUIRED', detail: '택배사와 운송장 번호를 입력해야 합니다' };
    }
  }
  return null;
}

function whoLabel(to: Status): string {
  const names: Record<Actor, string> = { BORROWER: '빌리는 사람', LENDER: '빌려주는 사람', SYSTEM: '시스템' };
  return STATUS_TABLE[to].setBy.map((a) => names[a]).join('/');
}

/** The statuses `actor` may set on `today` (for the UI's buttons): a step its date guard refuses is left out. */
export function allowedActions(subject: TransitionSubject, actor: Actor | null, today: string): Status[] {
  if (!actor) return [];
  return STATUS_TABLE[subject.status].next.filter(
    (to) => isLegalNext(subject, to) && STATUS_TABLE[to].setBy.includes(actor) && !checkDates(subject, to, today),
  );
}
