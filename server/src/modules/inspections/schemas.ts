import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';

export const MAX_CLAIM_ITEMS = 10;

const Stage = Type.Union([Type.Literal('PICKUP'), Type.Literal('RETURN')], { description: 'PICKUP: 인수인계(수령) 때, RETURN: 반납 검수 때' });

/** the JSON `data` part of a condition record (multipart, with 1–10 `photos` files) */
export const RecordData = Type.Object(
  {
    stage: Stage,
    checklist: Type.Array(
      Type.Object({ ok: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      { maxItems: 10, description: '게시글 분류의 점검 항목 순서대로, 항목마다 하나씩' },
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type RecordData = Static<typeof RecordData>;

const Photo = Type.Object({ id: Type.Integer(), url: Type.String({ description: '예약 당사자만 받을 수 있는 주소' }), width: Type.Integer(), height: Type.Integer() });

export const ConditionRecord = Type.Object({
  id: Type.Integer(),
  stage: Stage,
  authorId: Type.Integer(),
  checklist: Type.Array(Type.Object({ label: Type.String(), ok: Type.Boolean(), note: Type.String() })),
  note: Type.String(),
  photos: Type.Array(Photo),
  createdAt: Type.String({ format: 'date-time' }),
});

const Decision = Type.Union([Type.Literal('PENDING'), Type.Literal('ACCEPTED'), Type.Literal('DISPUTED'), Type.Literal('REJECTED')], {
  description: 'ACCEPTED: 차감, DISPUTED: 이의 제기(관리자 검토 대기), REJECTED: 관리자가 인정하지 않음',
});

export const Claim = Type.Object({
  id: Type.Integer(),
  reservationId: Type.Integer(),
  status: Type.Union([Type.Literal('OPEN'), Type.Literal('SETTLED'), Type.Literal('DISPUTED')]),
  items: Type.Array(Type.Object({ id: Type.Integer(), description: Type.String(), amount: Type.Integer(), decision: Decision })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Claim = Static<typeof Claim>;

export const ConditionView = Type.Object({
  checklist: Type.Array(Type.String(), { description: '이 게시글 분류의 점검 항목' }),
  records: Type.Array(ConditionRecord),
  claim: Type.Union([Claim, Type.Null()]),
  can: Type.Object({
    record: Type.Array(Stage, { description: '지금 내가 남길 수 있는 상태 기록 단계' }),
    claim: Type.Boolean({ description: '지금 보증금 차감을 청구할 수 있는지 (빌려준 사람)' }),
    answer: Type.Boolean({ description: '답할 청구가 있는지 (빌린 사람)' }),
  }),
  deposit: Type.Object({
    total: Type.Integer({ description: '보증금 (옵션 보증금 포함)' }),
    deductions: Type.Integer({ description: '수락(또는 관리자가 인정)된 차감 합계' }),
    refund: Type.Integer({ description: '돌려받을 보증금 = 보증금 − 차감' }),
  }),
});
export type ConditionView = Static<typeof ConditionView>;

export const ClaimBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { description: Type.String({ minLength: 1, maxLength: 200 }), amount: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_CLAIM_ITEMS },
    ),
  },
  { additionalProperties: false },
);

export const AnswerBody = Type.Object(
  {
    answers: Type.Array(
      Type.Object({ itemId: Id, accept: Type.Boolean() }, { additionalProperties: false }),
      { minItems: 1, maxItems: MAX_CLAIM_ITEMS, description: '청구 항목마다 하나씩: 수락(차감) 또는 이의 제기' },
    ),
  },
  { additionalProperties: false },
);

export const DecideBody = Type.Object(
  { upheld: Type.Array(Id, { maxItems: MAX_CLAIM_ITEMS, description: '이의 제기된 항목 중 차감을 인정할 항목 id' }) },
  { additionalProperties: false },
);

export const ClaimQueue = Type.Object({ items: Type.Array(Claim) });
