// 동네: name search, the nearest 동 to a position, a member's one or two 동네 and their 인증.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { badRequest } from '../../http/errors.ts';
import { isoOrNull } from '../../http/wire.ts';
import { assertInKorea, distanceFrom, earthPoint, isVerified, roundDistanceKm, VERIFY_WITHIN_KM, type Point } from './geo.ts';

interface DongRow {
  code: string;
  name: string;
  district: string | null;
  sigungu_id: number;
  sigungu: string;
  sido_id: number;
  sido: string;
}

const SELECT_DONG = `SELECT n.code, n.name, n.district, g.id AS sigungu_id, g.name AS sigungu, s.id AS sido_id, s.name AS sido
  FROM neighbourhoods n JOIN regions g ON g.id = n.region_id JOIN regions s ON s.id = g.parent_id`;

export function toNeighbourhood(r: DongRow) {
  return {
    code: r.code,
    name: r.name,
    /** e.g. "경기도 성남시 분당구 판교동" */
    fullName: [r.sido, r.sigungu, r.district, r.name].filter(Boolean).join(' '),
    sigungu: { id: r.sigungu_id, name: r.sigungu },
    sido: { id: r.sido_id, name: r.sido },
  };
}

/** The point of a 동 (server-side only: coordinates never leave the server). */
export async function pointOf(q: Queryable, code: string): Promise<Point | null> {
  return (await q.one<Point>('SELECT lat, lng FROM neighbourhoods WHERE code = $1', [code])) ?? null;
}

/** A member's first 동네 and its point, or null. */
export async function firstNeighbourhoodOf(q: Queryable, memberId: number): Promise<(Point & { code: string }) | null> {
  return (
    (await q.one<Point & { code: string }>(
      `SELECT n.code, n.lat, n.lng FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
       WHERE mn.member_id = $1 ORDER BY mn.position LIMIT 1`,
      [memberId],
    )) ?? null
  );
}

export function neighbourhoodsService(deps: Deps) {
  const { db, clock } = deps;

  async function mine(memberId: number) {
    const rows = await db.query<DongRow & { position: number; verified_at: Date | null }>(
      `SELECT mn.position, mn.verified_at, d.* FROM member_neighbourhoods mn JOIN (${SELECT_DONG}) d ON d.code = mn.code
       WHERE mn.member_id = $1 ORDER BY mn.position`,
      [memberId],
    );
    const now = clock.now();
    return {
      items: rows.map((r) => ({
        ...toNeighbourhood(r),
        verified: isVerified(r.verified_at, now),
        verifiedAt: isoOrNull(r.verified_at),
      })),
    };
  }

  return {
    mine,

    /** Name search: names starting with the text first, then containing it; at most 20. */
    async search(text: string) {
      const t = text.trim().replace(/[\\%_]/g, (ch) => '\\' + ch);
      if (!t) return { items: [] };
      const rows = await db.query<DongRow>(
        sql`${sql.raw(SELECT_DONG)} WHERE n.name ILIKE ${'%' + t + '%'} OR (s.name || ' ' || g.name || ' ' || n.name) ILIKE ${'%' + t + '%'}
            ORDER BY (n.name ILIKE ${t + '%'}) DESC, length(n.name), s.sort_order, g.sort_order, n.code LIMIT 20`,
      );
      return { items: rows.map(toNeighbourhood) };
    },

    async nearest(p: Point) {
      assertInKorea(p);
      const row = await db.one<DongRow & { meters: number }>(
        sql`SELECT d.*, ${distanceFrom('n', p)} AS meters FROM neighbourhoods n JOIN (${sql.raw(SELECT_DONG)}) d ON d.code = n.code
            ORDER BY ll_to_earth(n.lat, n.lng) <-> ${earthPoint(p)} LIMIT 1`,
      );
      if (!row) throw badRequest('OUTSIDE_KOREA', '가까운 동네를 찾을 수 없습니다');
      return { neighbourhood: toNeighbourhood(row), distanceKm: roundDistanceKm(row.meters)! };
    },

    /** Replaces the member's 동네 (one or two, first = default); a kept 동 keeps its 인증. */
    async setMine(memberId: number, codes: string[]) {
      const known = await db.query<{ code: string }>('SELECT code FROM neighbourhoods WHERE code = ANY($1::text[])', [codes]);
      const unknown = codes.filter((c) => !known.some((k) => k.code === c));
      if (unknown.length) throw badRequest('UNKNOWN_NEIGHBOURHOOD', `존재하지 않는 동네 코드입니다: ${unknown.join(', ')}`);
      await db.transaction(async (tx) => {
        const before = await tx.query<{ code: string; verified_at: Date | null }>(
          'SELECT code, verified_at FROM member_neighbourhoods WHERE member_id = $1 FOR UPDATE',
          [memberId],
        );
        await tx.query('DELETE FROM member_neighbourhoods WHERE member_id = $1', [memberId]);
        for (const [i, code] of codes.entries()) {
          await tx.query('INSERT INTO member_neighbourhoods (member_id, position, code, verified_at) VALUES ($1, $2, $3, $4)', [
            memberId, i + 1, code, before.find((b) => b.code === code)?.verified_at ?? null,
          ]);
        }
      });
      return mine(memberId);
    },

    /**
     * 동네 인증: the browser's position must lie within VERIFY_WITHIN_KM of one of the member's 동네
     * (the given one, or the closest). The position itself is never stored.
     */
    async verify(memberId: number, p: Point, code?: string) {
      assertInKorea(p);
      const rows = await db.query<{ code: string; name: string; meters: number }>(
        sql`SELECT n.code, n.name, ${distanceFrom('n', p)} AS meters FROM member_neighbourhoods mn
            JOIN neighbourhoods n ON n.code = mn.code WHERE mn.member_id = ${memberId} ORDER BY 3`,
      );
      if (!rows.length) throw badRequest('NO_NEIGHBOURHOOD', '먼저 내 동네를 설정해 주세요');
      const target = code ? rows.find((r) => r.code === code) : rows[0];
      if (!target) throw badRequest('NOT_MY_NEIGHBOURHOOD', '내 동네로 설정한 동네만 인증할 수 있습니다');
      if (target.meters > VERIFY_WITHIN_KM * 1000) {
        throw badRequest(
          'TOO_FAR_FROM_NEIGHBOURHOOD',
          `현재 위치가 ${target.name}에서 ${VERIFY_WITHIN_KM}km 넘게 떨어져 있어 인증할 수 없습니다 (약 ${roundDistanceKm(target.meters)}km)`,
        );
      }
      await db.query('UPDATE member_neighbourhoods SET verified_at = $3 WHERE member_id = $1 AND code = $2', [memberId, target.code, clock.now()]);
      return mine(memberId);
    },
  };
}
