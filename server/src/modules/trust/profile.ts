// What a public profile adds for trust: the score and chat figures, the member's 동네 (names and
// 인증 only, never a point) and whether the viewer blocked them (the viewer's own blocks only).
import type { Deps } from '../../deps.ts';
import { isVerified } from '../neighbourhoods/geo.ts';
import { trustOf } from './score.ts';

export async function profileExtras(deps: Deps, memberId: number, viewerId: number | null) {
  const now = deps.clock.now();
  const [trust, hoods, blocked] = await Promise.all([
    trustOf(deps.db, memberId, now),
    deps.db.query<{ code: string; name: string; verified_at: Date | null }>(
      `SELECT n.code, n.name, mn.verified_at FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
       WHERE mn.member_id = $1 ORDER BY mn.position`,
      [memberId],
    ),
    viewerId ? deps.db.one('SELECT 1 FROM member_blocks WHERE blocker_id = $1 AND blocked_id = $2', [viewerId, memberId]) : null,
  ]);
  return {
    trust,
    neighbourhoods: hoods.map((h) => ({ code: h.code, name: h.name, verified: isVerified(h.verified_at, now) })),
    blockedByMe: !!blocked,
  };
}
