import { Type } from 'typebox';
import { Nullable } from '../../http/wire.ts';
import { PublicMember } from '../members/schemas.ts';

export const TrustOut = Type.Object({
  score: Type.Number({ description: '신뢰 온도 (36.5에서 시작, trust/score.ts 공식)' }),
  reviewCount: Type.Integer({ description: '받은 후기 수 (빌려준 사람·빌린 사람으로서)' }),
  completedRentals: Type.Integer(),
  responseRate: Nullable(Type.Integer({ description: '응답률 % (최근 90일, 24시간 안에 답한 채팅)' })),
  typicalReplyMinutes: Nullable(Type.Integer()),
  typicalReply: Nullable(Type.String({ description: '예: 보통 1시간 이내 응답' })),
});

export const PublicProfile = Type.Object({
  ...PublicMember.properties,
  trust: TrustOut,
  neighbourhoods: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), verified: Type.Boolean() })),
  blockedByMe: Type.Boolean({ description: '내가 이 회원을 차단했는지 (로그인한 경우)' }),
});
