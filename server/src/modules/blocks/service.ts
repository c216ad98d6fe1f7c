// 차단 (block): a member blocks another; either direction hides listings from each other
// (repository.ts: visibleToViewer) and refuses new chat rooms and reservation requests between them.
// The blocked member learns nothing beyond that refusal: no notification, and the refusal names no side.
import type { Queryable } from '../../db/client.ts';
import { badRequest, forbidden, notFound } from '../../http/errors.ts';
import { mediaUrl } from '../images/service.ts';
import { iso } from '../../http/wire.ts';
import { blocksRepository } from './repository.ts';

export const isBlockedBetween = (q: Queryable, a: number, b: number): Promise<boolean> => blocksRepository(q).existsBetween(a, b);

/** The one refusal for a new chat room or reservation request between blocked members. */
const REFUSAL = { 대화: '이 회원과는 대화를 시작할 수 없습니다', '예약 요청': '이 회원에게는 예약을 요청할 수 없습니다' } as const;
export async function assertNotBlocked(q: Queryable, a: number, b: number, what: keyof typeof REFUSAL): Promise<void> {
  if (await isBlockedBetween(q, a, b)) throw forbidden(REFUSAL[what], 'BLOCKED');
}

export function blocksService(db: Queryable) {
  const blocks = blocksRepository(db);
  return {
    async block(me: number, target: number) {
      if (me === target) throw badRequest('CANNOT_BLOCK_SELF', '자기 자신은 차단할 수 없습니다');
      if (!(await blocks.memberExists(target))) throw notFound('회원');
      await blocks.insert(me, target);
    },
    async unblock(me: number, target: number) {
      await blocks.delete(me, target);
    },
    /** Only the blocks the caller made (never who blocked the caller). */
    async list(me: number) {
      const rows = await blocks.blockedBy(me);
      return { items: rows.map((r) => ({ id: r.id, nickname: r.nickname, avatarUrl: mediaUrl(r.avatar_path), blockedAt: iso(r.created_at) })) };
    },
  };
}
