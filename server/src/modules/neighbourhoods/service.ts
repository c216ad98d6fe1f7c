// 동네: name search, the nearest 동 to a position, a member's one or two 동네 and their 인증.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { badRequest } from '../../http/errors.ts';
import { isoOrNull } from '../../http/wire.ts';
import { assertInKorea, isVerified, roundDistanceKm, VERIFY_WITHIN_KM, type Point } from './geo.ts';
import { neighbourhoodsRepository, type DongRow } from './repository.ts';

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

/** A member's first 동네 and its point, or null (server-side only: coordinates never leave the server). */
export const firstNeighbourhoodOf = (q: Queryable, memberId: number): Promise<(Point & { code: string }) | null> =>
  neighbourhoodsRepository(q).firstOf(memberId);

export function neighbourhoodsService(deps: Deps) {
  const { db, clock } = deps;
  const hoods = neighbourhoodsRepository(db);

  async function mine(memberId: number) {
    const rows = await hoods.ofMember(memberId);
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
      const t = text.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`);
      if (!t) return { items: [] };
      return { items: (await hoods.search(t)).map(toNeighbourhood) };
    },

    async nearest(p: Point) {
      assertInKorea(p);
      const row = await hoods.nearest(p);
      if (!row) throw badRequest('OUTSIDE_KOREA', '가까운 동네를 찾을 수 없습니다');
      return { neighbourhood: toNeighbourhood(row), distanceKm: roundDistanceKm(row.meters)! };
    },

    /** Replaces the member's 동네 (one or two, first = default); a kept 동 keeps its 인증. */
    async setMine(memberId: number, codes: string[]) {
      const known = await hoods.knownCodes(codes);
      const unknown = codes.filter((c) => !known.includes(c));
      if (unknown.length) throw badRequest('UNKNOWN_NEIGHBOURHOOD', `존재하지 않는 동네 코드입니다: ${unknown.join(', ')}`);
      await db.transaction(async (tx) => {
        const txHoods = neighbourhoodsRepository(tx);
        const before = await txHoods.lockOfMember(memberId);
        await txHoods.deleteOfMember(memberId);
        for (const [i, code] of codes.entries()) {
          await txHoods.insertForMember(memberId, i + 1, code, before.find((b) => b.code === code)?.verified_at ?? null);
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
      const rows = await hoods.ofMemberByDistance(memberId, p);
      if (!rows.length) throw badRequest('NO_NEIGHBOURHOOD', '먼저 내 동네를 설정해 주세요');
      const target = code ? rows.find((r) => r.code === code) : rows[0];
      if (!target) throw badRequest('NOT_MY_NEIGHBOURHOOD', '내 동네로 설정한 동네만 인증할 수 있습니다');
      if (target.meters > VERIFY_WITHIN_KM * 1000) {
        throw badRequest(
          'TOO_FAR_FROM_NEIGHBOURHOOD',
          `현재 위치가 ${target.name}에서 ${VERIFY_WITHIN_KM}km 넘게 떨어져 있어 인증할 수 없습니다 (약 ${roundDistanceKm(target.meters)}km)`,
        );
      }
      await hoods.markVerified(memberId, target.code, clock.now());
      return mine(memberId);
    },
  };
}
