// Every SQL statement of condition records and claims. Build it over the database or a transaction handle.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export type Stage = 'PICKUP' | 'RETURN';
export type ClaimStatus = 'OPEN' | 'SETTLED' | 'DISPUTED';
export type ItemDecision = 'PENDING' | 'ACCEPTED' | 'DISPUTED' | 'REJECTED';

export interface ChecklistEntry {
  label: string;
  ok: boolean;
  note: string;
}

/** a reservation as the condition rules need it (reads the reservations domain's tables) */
export interface ReservationFacts {
  id: number;
  borrower_id: number;
  lender_id: number;
  status: string;
  /** listing deposit + option deposits */
  deposit_total: number;
  post_title: string;
  top_category: string | null;
}

export interface RecordRow {
  id: number;
  stage: Stage;
  author_id: number;
  checklist: ChecklistEntry[];
  note: string;
  created_at: Date | string;
}

export interface PhotoRow {
  id: number;
  record_id: number;
  width: number;
  height: number;
}

export interface ClaimRow {
  id: number;
  reservation_id: number;
  status: ClaimStatus;
  created_at: Date | string;
  answered_at: Date | string | null;
  decided_at: Date | string | null;
}

export interface ClaimItemRow {
  id: number;
  claim_id: number;
  description: string;
  amount: number;
  decision: ItemDecision;
}

export function inspectionsRepository(db: Queryable) {
  return {
    facts: (reservationId: number, opts: { lock?: boolean } = {}) =>
      db.one<ReservationFacts>(sql`
        SELECT r.id, r.borrower_id, r.lender_id, r.status, (r.deposit + r.options_deposit)::bigint AS deposit_total,
          p.title AS post_title, coalesce(top.name, c.name) AS top_category
        FROM reservations r JOIN posts p ON p.id = r.post_id
        JOIN categories c ON c.id = p.category_id LEFT JOIN categories top ON top.id = c.parent_id
        WHERE r.id = ${reservationId} ${opts.lock ? sql`FOR UPDATE OF r` : sql.empty()}`),

    records: (reservationId: number) =>
      db.query<RecordRow>(sql`SELECT id, stage, author_id, checklist, note, created_at FROM condition_records
        WHERE reservation_id = ${reservationId} ORDER BY stage DESC`),

    photosOf: (recordIds: number[]) =>
      recordIds.length
        ? db.query<PhotoRow>(sql`SELECT id, record_id, width, height FROM condition_photos WHERE record_id = ANY(${recordIds}::bigint[]) ORDER BY sort_order`)
        : Promise.resolve([]),

    /** the new record's id; undefined when this stage is already recorded */
    insertRecord: async (r: { reservationId: number; stage: Stage; authorId: number; checklist: ChecklistEntry[]; note: string; at: Date }) =>
      (await db.one<{ id: number }>(sql`
        INSERT INTO condition_records (reservation_id, stage, author_id, checklist, note, created_at)
        VALUES (${r.reservationId}, ${r.stage}, ${r.authorId}, ${JSON.stringify(r.checklist)}::jsonb, ${r.note}, ${r.at})
        ON CONFLICT (reservation_id, stage) DO NOTHING RETURNING id`))?.id,

    insertPhotos: (recordId: number, photos: { path: string; width: number; height: number }[]) =>
      db.query(sql`INSERT INTO condition_photos (record_id, path, width, height, sort_order)
        SELECT ${recordId}::bigint, p, w, h, o - 1 FROM unnest(${photos.map((p) => p.path)}::text[], ${photos.map((p) => p.width)}::int[],
          ${photos.map((p) => p.height)}::int[]) WITH ORDINALITY AS t(p, w, h, o)`),

    /** a photo's storage key when `memberId` is a party of its reservation */
    photoFor: (memberId: number, reservationId: number, photoId: number) =>
      db.one<{ path: string }>(sql`
        SELECT ph.path FROM condition_photos ph JOIN condition_records cr ON cr.id = ph.record_id
        JOIN reservations r ON r.id = cr.reservation_id
        WHERE ph.id = ${photoId} AND r.id = ${reservationId} AND ${memberId} IN (r.borrower_id, r.lender_id)`),

    claimOf: (reservationId: number) =>
      db.one<ClaimRow>(sql`SELECT id, reservation_id, status, created_at, answered_at, decided_at FROM damage_claims WHERE reservation_id = ${reservationId}`),

    claimById: (claimId: number) =>
      db.one<ClaimRow>(sql`SELECT id, reservation_id, status, created_at, answered_at, decided_at FROM damage_claims WHERE id = ${claimId} FOR UPDATE`),

    itemsOf: (claimIds: number[]) =>
      claimIds.length
        ? db.query<ClaimItemRow>(sql`SELECT id, claim_id, description, amount, decision FROM claim_items WHERE claim_id = ANY(${claimIds}::bigint[]) ORDER BY sort_order`)
        : Promise.resolve([]),

    /** the new claim's id; undefined when the reservation already has one */
    insertClaim: async (reservationId: number, items: { description: string; amount: number }[], at: Date) => {
      const claim = await db.one<{ id: number }>(sql`INSERT INTO damage_claims (reservation_id, created_at) VALUES (${reservationId}, ${at})
        ON CONFLICT (reservation_id) DO NOTHING RETURNING id`);
      if (!claim) return undefined;
      await db.query(sql`INSERT INTO claim_items (claim_id, description, amount, sort_order)
        SELECT ${claim.id}::bigint, d, a, o - 1 FROM unnest(${items.map((i) => i.description)}::text[], ${items.map((i) => i.amount)}::bigint[])
        WITH ORDINALITY AS t(d, a, o)`);
      return claim.id;
    },

    decideItems: (claimId: number, decisions: { id: number; decision: ItemDecision }[]) =>
      db.query(sql`UPDATE claim_items ci SET decision = d.decision
        FROM unnest(${decisions.map((d) => d.id)}::bigint[], ${decisions.map((d) => d.decision)}::text[]) AS d(id, decision)
        WHERE ci.id = d.id AND ci.claim_id = ${claimId}`),

    setClaimAnswered: (claimId: number, status: ClaimStatus, at: Date) =>
      db.query(sql`UPDATE damage_claims SET status = ${status}, answered_at = ${at} WHERE id = ${claimId}`),

    setClaimDecided: (claimId: number, adminId: number, at: Date) =>
      db.query(sql`UPDATE damage_claims SET status = 'SETTLED', decided_at = ${at}, decided_by = ${adminId} WHERE id = ${claimId}`),

    /** the admin queue: disputed claims, newest first */
    disputedClaims: (limit: number) =>
      db.query<ClaimRow>(sql`SELECT id, reservation_id, status, created_at, answered_at, decided_at FROM damage_claims
        WHERE status = 'DISPUTED' ORDER BY id DESC LIMIT ${limit}`),

    /** Σ accepted deductions of each reservation's claim (reservations without a claim are left out: 0) */
    async acceptedDeductions(reservationIds: number[]): Promise<Map<number, number>> {
      const rows = await db.query<{ reservation_id: number; total: number }>(sql`
        SELECT c.reservation_id, sum(ci.amount)::bigint AS total FROM claim_items ci JOIN damage_claims c ON c.id = ci.claim_id
        WHERE c.reservation_id = ANY(${reservationIds}::bigint[]) AND ci.decision = 'ACCEPTED' GROUP BY c.reservation_id`);
      return new Map(rows.map((r) => [Number(r.reservation_id), Number(r.total)]));
    },
  };
}
