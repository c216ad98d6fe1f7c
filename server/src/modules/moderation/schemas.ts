// Wire schemas of moderation (bans of members, listings and reviews).
import { Type } from 'typebox';
import { Nullable } from '../../http/wire.ts';
import { TargetTypeSchema } from '../reports/schemas.ts';

export const BanBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

/** GET /adm/bans: what is banned now, newest first */
export const BannedPage = Type.Object({
  items: Type.Array(Type.Object({
    targetType: TargetTypeSchema,
    targetId: Type.Integer(),
    label: Type.String({ description: '게시글 제목, 회원 닉네임 또는 리뷰 앞부분' }),
    owner: Type.Object({ id: Type.Integer(), nickname: Type.String() }),
    banReason: Nullable(Type.String()),
    bannedAt: Type.String(),
  })),
  nextCursor: Nullable(Type.String()),
});
