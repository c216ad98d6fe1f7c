// 차단 (block): a member blocks another; either direction hides listings from each other (filter.ts)
// and refuses new chat rooms and reservation requests between them. The blocked member learns
// nothing beyond that refusal: no notification, and the refusal names no side.
import type { Queryable } from '../../db/client.ts';
import { badRequest, forbidden, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import { iso } from '../../http/wire.ts';

export async function isBlockedBetween(q: Queryable, a: number, b: number): Promise<boolean> {
  return !!(await q.one(
    `SELECT 1 FROM member_blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)`,
    [a, b],
  ));
}

/** The one refusal for a new chat room or reservation request between blocked members. */
const REFUSAL = { 대화: '이 회원과는 대화를 시작할 수 없습니다', '예약 요청': '이 회원에게는 예약을 요청할 수 없습니다' } as const;
export async function assertNotBlocked(q: Queryable, a: number, b: number, what: keyof typeof REFUSAL): Promise<void> {
  if (await isBlockedBetween(q, a, b)) throw forbidden(REFUSAL[what], 'BLOCKED');
}

export function blocksService(db: Queryable) {
  return {
    async block(me: number, target: number) {
      if (me === target) throw badRequest('CANNOT_BLOCK_SELF', '자기 자신은 차단할 수 없습니다');
      if (!(await db.one('SELECT 1 FROM members WHERE id = $1', [target]))) throw notFound('회원');
      await db.query('INSERT INTO member_blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [me, target]);
    },
    async unblock(me: number, target: number) {
      await db.query('DELETE FROM member_blocks WHERE blocker_id = $1 AND blocked_id = $2', [me, target]);
    },
    /** Only the blocks the caller made (never who blocked the caller). */
    async list(me: number) {
      const rows = await db.query<{ id: number; nickname: string; avatar_path: string | null; created_at: Date }>(
        `SELECT m.id, m.nickname, m.avatar_path, b.created_at FROM member_blocks b JOIN members m ON m.id = b.blocked_id
         WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, m.id DESC LIMIT 500`,
        [me],
      );
      return { items: rows.map((r) => ({ id: r.id, nickname: r.nickname, avatarUrl: mediaUrl(r.avatar_path), blockedAt: iso(r.created_at) })) };
    },
  };
}
