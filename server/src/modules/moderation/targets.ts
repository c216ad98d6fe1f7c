// What can be reported or banned, who owns it, and whether the public can see it.
import type { Queryable } from '../../db/client.ts';
import { moderationRepository, type TargetRow } from './repository.ts';

export const TARGET_TYPES = ['POST', 'MEMBER', 'REVIEW'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export interface TargetInfo extends TargetRow {
  type: TargetType;
  id: number;
}

export async function findTarget(q: Queryable, type: TargetType, id: number): Promise<TargetInfo | null> {
  const row = await moderationRepository(q).target(type, id);
  return row ? { type, id, ...row } : null;
}

/** Korean noun for messages, e.g. "게시글" */
export const TARGET_NAMES: Record<TargetType, string> = { POST: '게시글', MEMBER: '회원', REVIEW: '리뷰' };
