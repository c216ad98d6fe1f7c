// All SQL of 동네: the 읍·면·동 tree with points, members' 동네 and 인증, and the earthdistance pieces
// (GiST indexes on ll_to_earth(lat, lng) of 동 and on posts.earth) that listing and search queries embed
// for distance and radius.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import type { Point } from './geo.ts';

export interface DongRow {
  code: string;
  name: string;
  district: string | null;
  sigungu_id: number;
  sigungu: string;
  sido_id: number;
  sido: string;
}

const SELECT_DONG = sql`SELECT n.code, n.name, n.district, g.id AS sigungu_id, g.name AS sigungu, s.id AS sido_id, s.name AS sido
  FROM neighbourhoods n JOIN regions g ON g.id = n.region_id JOIN regions s ON s.id = g.parent_id`;

/** The earth point of a position, as a SQL expression (parameters, never text). */
export const earthPoint = (p: Point): Sql => sql`ll_to_earth(${p.lat}::float8, ${p.lng}::float8)`;

/** Metres from a row with lat/lng (alias; the 동 tables) to a point; NULL when the row has no place. */
export const distanceFrom = (alias: string, p: Point): Sql =>
  sql`earth_distance(ll_to_earth(${sql.raw(alias)}.lat, ${sql.raw(alias)}.lng), ${earthPoint(p)})`;

// Listings carry their earth point (posts.earth, migration 180), so per-row tests use the cube
// operators (C code) instead of ll_to_earth()/earth_distance() (SQL functions, slow per row).

/**
 * A listing's (alias) straight-line distance through the earth to a point (metres): it orders exactly
 * as the distance along the surface does, and `<->` is what the GiST index on posts.earth walks in
 * nearest-first order. Its page cursors keep this key, so ties never straddle a page break.
 */
export const pointKey = (alias: string, p: Point): Sql => sql`(${sql.raw(alias)}.earth <-> ${earthPoint(p)})`;

/** A pointKey as the distance along the surface (metres), what cards show. */
export const keyToMetres = (key: Sql): Sql => sql`sec_to_gc(${key})`;

/**
 * Listings (alias) within `km` of a point: the earth_box test is what the GiST index on posts.earth
 * answers; the chord of the radius then trims the box's corners (same rows as earth_distance <= m).
 */
export function withinRadius(alias: string, p: Point, km: number): Sql {
  const m = km * 1000;
  return sql`(${sql.raw(alias)}.earth IS NOT NULL AND earth_box(${earthPoint(p)}, ${m}::float8) @> ${sql.raw(alias)}.earth
    AND ${pointKey(alias, p)} <= gc_to_sec(${m}::float8))`;
}

export function neighbourhoodsRepository(db: Queryable) {
  return {
    /** Name search: names starting with the text first, then containing it; at most 20. `text` is LIKE-escaped. */
    search: (text: string) =>
      db.query<DongRow>(sql`${SELECT_DONG} WHERE n.name ILIKE ${`%${text}%`} OR (s.name || ' ' || g.name || ' ' || n.name) ILIKE ${`%${text}%`}
        ORDER BY (n.name ILIKE ${`${text}%`}) DESC, length(n.name), s.sort_order, g.sort_order, n.code LIMIT 20`),
    /** The 동 whose point is closest (GiST nearest-neighbour), with the distance in metres. */
    nearest: (p: Point) =>
      db.one<DongRow & { meters: number }>(sql`SELECT d.*, ${distanceFrom('n', p)} AS meters
        FROM neighbourhoods n JOIN (${SELECT_DONG}) d ON d.code = n.code
        ORDER BY ll_to_earth(n.lat, n.lng) <-> ${earthPoint(p)} LIMIT 1`),
    knownCodes: async (codes: string[]) =>
      (await db.query<{ code: string }>(sql`SELECT code FROM neighbourhoods WHERE code = ANY(${codes}::text[])`)).map((r) => r.code),
    /** A member's 동네 in order (position 1 = default), with their 인증 time. */
    ofMember: (memberId: number) =>
      db.query<DongRow & { position: number; verified_at: Date | null }>(sql`SELECT mn.position, mn.verified_at, d.*
        FROM member_neighbourhoods mn JOIN (${SELECT_DONG}) d ON d.code = mn.code
        WHERE mn.member_id = ${memberId} ORDER BY mn.position`),
    /** A member's first 동네 and its point (server-side only: coordinates never leave the server). */
    firstOf: async (memberId: number) =>
      (await db.one<Point & { code: string }>(sql`SELECT n.code, n.lat, n.lng
        FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
        WHERE mn.member_id = ${memberId} ORDER BY mn.position LIMIT 1`)) ?? null,
    /** A member's 동네 with their distance (metres) from a position, closest first. */
    ofMemberByDistance: (memberId: number, p: Point) =>
      db.query<{ code: string; name: string; meters: number }>(sql`SELECT n.code, n.name, ${distanceFrom('n', p)} AS meters
        FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
        WHERE mn.member_id = ${memberId} ORDER BY 3`),
    /** Locks and returns a member's current 동네 (inside a transaction). */
    lockOfMember: (memberId: number) =>
      db.query<{ code: string; verified_at: Date | null }>(sql`SELECT code, verified_at FROM member_neighbourhoods
        WHERE member_id = ${memberId} FOR UPDATE`),
    deleteOfMember: (memberId: number) => db.query(sql`DELETE FROM member_neighbourhoods WHERE member_id = ${memberId}`),
    insertForMember: (memberId: number, position: number, code: string, verifiedAt: Date | null) =>
      db.query(sql`INSERT INTO member_neighbourhoods (member_id, position, code, verified_at)
        VALUES (${memberId}, ${position}, ${code}, ${verifiedAt})`),
    markVerified: (memberId: number, code: string, at: Date) =>
      db.query(sql`UPDATE member_neighbourhoods SET verified_at = ${at} WHERE member_id = ${memberId} AND code = ${code}`),
  };
}
