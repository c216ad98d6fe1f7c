// What a public profile adds for trust: the score and chat figures, the member's 동네 (names and
// 인증 only, never a point) and whether the viewer blocked them (the viewer's own blocks only).
import type { Deps } from '../../deps.ts';
import { blocksRepository } from '../blocks/repository.ts';
import { isVerified } from '../neighbourhoods/geo.ts';
import { neighbourhoodsRepository } from '../neighbourhoods/repository.ts';
import { trustOf } from './score.ts';

export async function profileExtras(deps: Deps, memberId: number, viewerId: number | null) {
  const now = deps.clock.now();
  const [trust, hoods, blocked] = await Promise.all([
    trustOf(deps.db, memberId, now),
    neighbourhoodsRepository(deps.db).ofMember(memberId),
    viewerId ? blocksRepository(deps.db).exists(viewerId, memberId) : false,
  ]);
  return {
    trust,
    neighbourhoods: hoods.map((h) => ({ code: h.code, name: h.name, verified: isVerified(h.verified_at, now) })),
    blockedByMe: blocked,
  };
}
