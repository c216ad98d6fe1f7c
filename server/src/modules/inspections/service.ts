// Condition records and itemised claims (issue 12 point 4). Rules:
// - A party records the item's state once per stage: PICKUP while the item is handed over (수령 대기 …
//   대여 중), RETURN while it comes back (반납 대기 … 반납 완료); 1–10 photos (the listing upload checks)
//   and an answer to every item of the category's checklist.
// - The lender claims deductions from the deposit item by item (at most the deposit in total) once the item
//   is back or lost; the borrower accepts or disputes every item; a dispute goes to the admin queue, where
//   an admin upholds or rejects each disputed item.
// - The deposit refund is the deposit minus the accepted deductions (refundAmount(s), used by reservations).
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { iso } from '../../http/wire.ts';
import { storeAll } from '../images/multipart.ts';
import { removeFiles } from '../images/service.ts';
import type { NewNotification } from '../notifications/service.ts';
import { checklistFor } from './checklists.ts';
import { inspectionsRepository, type ChecklistEntry, type ClaimItemRow, type ClaimRow, type ReservationFacts, type Stage } from './repository.ts';
import type { Claim, ConditionView, RecordData } from './schemas.ts';

/** storage folder of condition photos: private, /media refuses it (images/service.ts PRIVATE_MEDIA_FOLDERS) */
export const INSPECTION_PHOTO_FOLDER = 'inspections';

/** the statuses in which each stage may be recorded */
export const RECORD_WINDOWS: Record<Stage, readonly string[]> = {
  PICKUP: ['PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL', 'RENTING'],
  RETURN: ['PENDING_RETURN', 'RETURNING', 'INSPECTING_RETURN', 'RETURN_COMPLETED'],
};
/** the statuses in which the lender may claim deductions */
export const CLAIM_WINDOW: readonly string[] = ['INSPECTING_RETURN', 'RETURN_COMPLETED', 'LOST_OR_UNRETURNED', 'CLAIMING'];

const STAGE_LABEL: Record<Stage, string> = { PICKUP: '인수', RETURN: '반납' };

export const conditionPhotoUrl = (reservationId: number, photoId: number) => `/api/v1/reservations/${reservationId}/condition/photos/${photoId}`;

/** the deposit to give back: the deposit minus the accepted deductions (never below zero) */
const depositBack = (depositTotal: number, deductions: number) => Math.max(0, depositTotal - deductions);

/** the deposit to give back of the reservation */
export async function refundAmount(q: Queryable, reservationId: number): Promise<number> {
  const facts = await inspectionsRepository(q).facts(reservationId);
  if (!facts) throw notFound('예약');
  return (await refundAmounts(q, [{ id: reservationId, depositTotal: Number(facts.deposit_total) }])).get(reservationId)!;
}

/** the deposit to give back of each reservation (its deposit total known), in one query for a whole list */
export async function refundAmounts(q: Queryable, reservations: { id: number; depositTotal: number }[]): Promise<Map<number, number>> {
  const deductions = await inspectionsRepository(q).acceptedDeductions(reservations.map((r) => r.id));
  return new Map(reservations.map((r) => [r.id, depositBack(r.depositTotal, deductions.get(r.id) ?? 0)]));
}

function toClaim(claim: ClaimRow, items: ClaimItemRow[]): Claim {
  return {
    id: claim.id,
    reservationId: claim.reservation_id,
    status: claim.status,
    items: items.filter((i) => i.claim_id === claim.id).map((i) => ({ id: i.id, description: i.description, amount: Number(i.amount), decision: i.decision })),
    createdAt: iso(claim.created_at),
  };
}

export function inspectionsService(deps: Deps) {
  const { db, notifications } = deps;
  const repo = inspectionsRepository(db);

  /** the reservation, if `memberId` is one of its parties (else 404: a stranger learns nothing) */
  async function asParty(memberId: number, reservationId: number): Promise<ReservationFacts> {
    const facts = await repo.facts(reservationId);
    if (!facts || (facts.borrower_id !== memberId && facts.lender_id !== memberId)) throw notFound('예약');
    return facts;
  }

  const otherParty = (f: ReservationFacts, memberId: number) => (memberId === f.borrower_id ? f.lender_id : f.borrower_id);

  async function notifyAfter(rows: Promise<NewNotification[]> | NewNotification[]) {
    const list = await rows;
    if (list.length) await notifications.publish(await db.transaction((tx) => notifications.insertMany(tx, list)));
  }

  const service = {
    async view(memberId: number, reservationId: number): Promise<ConditionView> {
      const facts = await asParty(memberId, reservationId);
      const records = await repo.records(reservationId);
      const photos = await repo.photosOf(records.map((r) => r.id));
      const claim = await repo.claimOf(reservationId);
      const items = claim ? await repo.itemsOf([claim.id]) : [];
      const deductions = (await repo.acceptedDeductions([reservationId])).get(reservationId) ?? 0;
      const total = Number(facts.deposit_total);
      return {
        checklist: checklistFor(facts.top_category),
        records: records.map((r) => ({
          id: r.id,
          stage: r.stage,
          authorId: r.author_id,
          checklist: r.checklist,
          note: r.note,
          photos: photos.filter((p) => p.record_id === r.id).map((p) => ({ id: p.id, url: conditionPhotoUrl(reservationId, p.id), width: p.width, height: p.height })),
          createdAt: iso(r.created_at),
        })),
        claim: claim ? toClaim(claim, items) : null,
        can: {
          record: (['PICKUP', 'RETURN'] as const).filter((stage) => RECORD_WINDOWS[stage].includes(facts.status) && !records.some((r) => r.stage === stage)),
          claim: memberId === facts.lender_id && !claim && CLAIM_WINDOW.includes(facts.status),
          answer: memberId === facts.borrower_id && claim?.status === 'OPEN',
        },
        deposit: { total, deductions, refund: depositBack(total, deductions) },
      };
    },

    /** a condition record with its photos; the photos are stored first and removed again if the record is refused */
    async record(memberId: number, reservationId: number, data: RecordData, images: Buffer[]) {
      const facts = await asParty(memberId, reservationId);
      if (!RECORD_WINDOWS[data.stage].includes(facts.status)) {
        throw conflict('RECORD_NOT_NOW', `${STAGE_LABEL[data.stage]} 상태 기록은 지금 단계에서 남길 수 없습니다`);
      }
      const labels = checklistFor(facts.top_category);
      if (data.checklist.length !== labels.length) {
        throw badRequest('CHECKLIST_INCOMPLETE', `점검 항목 ${labels.length}개에 모두 답해 주세요`, { checklist: labels });
      }
      if (images.length < 1) throw badRequest('IMAGE_REQUIRED', '상태 사진을 1장 이상 올려 주세요');
      const checklist: ChecklistEntry[] = labels.map((label, i) => ({ label, ok: data.checklist[i].ok, note: data.checklist[i].note?.trim() ?? '' }));
      const stored = await storeAll(deps.storage, images, INSPECTION_PHOTO_FOLDER);
      try {
        await db.transaction(async (tx) => {
          const txRepo = inspectionsRepository(tx);
          const id = await txRepo.insertRecord({ reservationId, stage: data.stage, authorId: memberId, checklist, note: data.note?.trim() ?? '', at: deps.clock.now() });
          if (id === undefined) throw conflict('RECORD_EXISTS', `${STAGE_LABEL[data.stage]} 상태 기록이 이미 있습니다`);
          await txRepo.insertPhotos(id, stored);
        });
      } catch (err) {
        await removeFiles(deps.storage, stored.map((s) => s.path));
        throw err;
      }
      await notifyAfter([{
        memberId: otherParty(facts, memberId), type: 'CONDITION_RECORD', title: `${STAGE_LABEL[data.stage]} 상태 기록이 올라왔어요`,
        body: `'${facts.post_title}' 사진 ${stored.length}장과 점검 결과를 확인해 주세요`, targetType: 'RESERVATION', targetId: reservationId,
      }]);
      return service.view(memberId, reservationId);
    },

    async photoKey(memberId: number, reservationId: number, photoId: number): Promise<string> {
      const row = await repo.photoFor(memberId, reservationId, photoId);
      if (!row) throw notFound('사진');
      return row.path;
    },

    /** the lender's itemised claim against the deposit */
    async claim(memberId: number, reservationId: number, items: { description: string; amount: number }[]) {
      const facts = await asParty(memberId, reservationId);
      if (facts.lender_id !== memberId) throw forbidden('보증금 차감은 빌려준 사람만 청구할 수 있습니다');
      if (!CLAIM_WINDOW.includes(facts.status)) throw conflict('CLAIM_NOT_NOW', '반납 검수 이후(또는 분실/미반납)에만 청구할 수 있습니다');
      const cleaned = items.map((i) => ({ description: i.description.trim(), amount: i.amount }));
      if (cleaned.some((i) => !i.description)) throw badRequest('DESCRIPTION_REQUIRED', '청구 항목마다 내용을 적어 주세요');
      const sum = cleaned.reduce((s, i) => s + i.amount, 0);
      if (sum > Number(facts.deposit_total)) {
        throw badRequest('CLAIM_OVER_DEPOSIT', `청구 합계(${sum.toLocaleString('ko-KR')}원)가 보증금(${Number(facts.deposit_total).toLocaleString('ko-KR')}원)보다 많습니다`);
      }
      const id = await db.transaction((tx) => inspectionsRepository(tx).insertClaim(reservationId, cleaned, deps.clock.now()));
      if (id === undefined) throw conflict('CLAIM_EXISTS', '이 예약에는 이미 청구가 있습니다');
      await notifyAfter([{
        memberId: facts.borrower_id, type: 'CLAIM', title: '보증금 차감 청구가 도착했어요',
        body: `'${facts.post_title}' ${cleaned.length}개 항목, ${sum.toLocaleString('ko-KR')}원 — 항목마다 수락하거나 이의를 제기해 주세요`,
        targetType: 'RESERVATION', targetId: reservationId,
      }]);
      return service.view(memberId, reservationId);
    },

    /** the borrower accepts or disputes every item; any dispute sends the claim to the admin queue */
    async answer(memberId: number, reservationId: number, answers: { itemId: number; accept: boolean }[]) {
      const facts = await asParty(memberId, reservationId);
      if (facts.borrower_id !== memberId) throw forbidden('청구에는 빌린 사람만 답할 수 있습니다');
      const disputed = await db.transaction(async (tx) => {
        const txRepo = inspectionsRepository(tx);
        const found = await txRepo.claimOf(reservationId);
        if (!found) throw notFound('청구');
        const claim = (await txRepo.claimById(found.id))!; // row lock: one answer wins
        if (claim.status !== 'OPEN') throw conflict('CLAIM_ANSWERED', '이미 답한 청구입니다');
        const items = await txRepo.itemsOf([claim.id]);
        const byId = new Map(answers.map((a) => [a.itemId, a.accept]));
        if (byId.size !== answers.length || items.length !== answers.length || items.some((i) => !byId.has(i.id))) {
          throw badRequest('ANSWER_EVERY_ITEM', '청구 항목마다 한 번씩 수락 또는 이의 제기를 골라 주세요');
        }
        await txRepo.decideItems(claim.id, items.map((i) => ({ id: i.id, decision: byId.get(i.id) ? 'ACCEPTED' : 'DISPUTED' })));
        const anyDisputed = answers.some((a) => !a.accept);
        await txRepo.setClaimAnswered(claim.id, anyDisputed ? 'DISPUTED' : 'SETTLED', deps.clock.now());
        return anyDisputed;
      });
      await notifyAfter([{
        memberId: facts.lender_id, type: 'CLAIM', title: disputed ? '청구에 이의가 제기되었어요' : '청구가 수락되었어요',
        body: disputed ? `'${facts.post_title}' 관리자가 검토한 뒤 알려 드릴게요` : `'${facts.post_title}' 수락된 금액만큼 보증금에서 차감됩니다`,
        targetType: 'RESERVATION', targetId: reservationId,
      }]);
      return service.view(memberId, reservationId);
    },

    /** the admin queue: disputed claims */
    async disputed(limit = 50) {
      const claims = await repo.disputedClaims(limit);
      const items = await repo.itemsOf(claims.map((c) => c.id));
      return { items: claims.map((c) => toClaim(c, items)) };
    },

    /** an admin upholds (deducts) or rejects each disputed item; the claim is settled */
    async decide(adminId: number, claimId: number, upheld: number[]) {
      const { claim, facts } = await db.transaction(async (tx) => {
        const txRepo = inspectionsRepository(tx);
        const claim = await txRepo.claimById(claimId);
        if (!claim) throw notFound('청구');
        if (claim.status !== 'DISPUTED') throw conflict('CLAIM_NOT_DISPUTED', '이의 제기된 청구만 결정할 수 있습니다');
        const items = await txRepo.itemsOf([claim.id]);
        const disputedIds = new Set(items.filter((i) => i.decision === 'DISPUTED').map((i) => i.id));
        const unknown = upheld.find((id) => !disputedIds.has(id));
        if (unknown !== undefined) throw badRequest('NOT_A_DISPUTED_ITEM', `이의 제기된 항목이 아닙니다: ${unknown}`);
        const keep = new Set(upheld);
        await txRepo.decideItems(claim.id, [...disputedIds].map((id) => ({ id, decision: keep.has(id) ? 'ACCEPTED' : 'REJECTED' })));
        await txRepo.setClaimDecided(claim.id, adminId, deps.clock.now());
        return { claim, facts: (await txRepo.facts(claim.reservation_id))! };
      });
      await notifyAfter([facts.borrower_id, facts.lender_id].map((memberId) => ({
        memberId, type: 'CLAIM', title: '청구 이의에 대한 관리자 결정이 나왔어요', body: `'${facts.post_title}' 결과를 확인해 주세요`,
        targetType: 'RESERVATION', targetId: claim.reservation_id,
      })));
      const items = await repo.itemsOf([claim.id]);
      return toClaim((await repo.claimOf(claim.reservation_id))!, items);
    },
  };
  return service;
}
