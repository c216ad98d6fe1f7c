import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';
import { CursorParam } from '../../lib/cursor.ts';

const Score = Type.Integer({ minimum: 1, maximum: 5 });

export const CreateReviewBody = Type.Object(
  {
    equipmentScore: Type.Integer({ minimum: 1, maximum: 5, description: '장비 상태 (1–5)' }),
    kindnessScore: Type.Integer({ minimum: 1, maximum: 5, description: '친절도 (1–5)' }),
    responseScore: Type.Integer({ minimum: 1, maximum: 5, description: '응답 속도 (1–5)' }),
    comment: Type.String({ minLength: 1, maxLength: 2000, description: '후기 내용' }),
  },
  { additionalProperties: false },
);
export type CreateReviewBody = Static<typeof CreateReviewBody>;

export const ReplyBody = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: 1000, description: '빌려준 사람의 답글 (한 번만)' }) },
  { additionalProperties: false },
);

export const Review = Type.Object({
  id: Type.Integer(),
  reservationId: Type.Integer(),
  post: Type.Object({ id: Type.Integer(), title: Type.String() }),
  author: Type.Object({ id: Type.Integer(), nickname: Type.String(), avatarUrl: Type.Union([Type.String(), Type.Null()]) }),
  lenderId: Type.Integer(),
  equipmentScore: Score,
  kindnessScore: Score,
  responseScore: Score,
  /** mean of the three scores, one decimal */
  overallScore: Type.Number(),
  comment: Type.String(),
  reply: Type.Union([Type.Object({ content: Type.String(), createdAt: Type.String() }), Type.Null()]),
  /** always false for non-admins (banned reviews are hidden from them) */
  banned: Type.Boolean(),
  createdAt: Type.String(),
});

export const ReviewListQuery = Type.Object(
  {
    cursor: Type.Optional(CursorParam),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);
export type ReviewListQuery = Static<typeof ReviewListQuery>;

export const ReviewPage = Type.Object({ items: Type.Array(Review), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const Avg = Type.Union([Type.Number(), Type.Null()], { description: '소수 첫째 자리, 리뷰가 없으면 null' });
export const ReviewSummary = Type.Object({
  targetType: Type.Union([Type.Literal('POST'), Type.Literal('MEMBER')]),
  targetId: Type.Integer(),
  count: Type.Integer(),
  averages: Type.Object({ equipment: Avg, kindness: Avg, response: Avg, overall: Avg }),
  summary: Type.Object({
    text: Type.String({ description: '한국어 요약 (리뷰가 없으면 안내 문구)' }),
    source: Type.Union([Type.Literal('AI'), Type.Literal('EXTRACTIVE'), Type.Literal('NONE')], {
      description: 'AI: LLM 요약, EXTRACTIVE: 대표 문장 추출, NONE: 리뷰 없음',
    }),
    generatedAt: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const ReservationIdParams = Type.Object({ id: Id });

// ---- the lender's review of the borrower (reviews both ways) ----------------------------------

export const CreateBorrowerReviewBody = Type.Object(
  {
    careScore: Type.Integer({ minimum: 1, maximum: 5, description: '물건을 아껴 썼는지 (1–5)' }),
    punctualityScore: Type.Integer({ minimum: 1, maximum: 5, description: '약속·반납 시간 (1–5)' }),
    communicationScore: Type.Integer({ minimum: 1, maximum: 5, description: '연락·소통 (1–5)' }),
    comment: Type.String({ minLength: 1, maxLength: 2000, description: '후기 내용' }),
  },
  { additionalProperties: false },
);
export type CreateBorrowerReviewBody = Static<typeof CreateBorrowerReviewBody>;

export const BorrowerReview = Type.Object({
  id: Type.Integer(),
  reservationId: Type.Integer(),
  post: Type.Object({ id: Type.Integer(), title: Type.String() }),
  /** the lender who wrote it */
  author: Type.Object({ id: Type.Integer(), nickname: Type.String(), avatarUrl: Type.Union([Type.String(), Type.Null()]) }),
  borrowerId: Type.Integer(),
  careScore: Score,
  punctualityScore: Score,
  communicationScore: Score,
  /** mean of the three scores, one decimal */
  overallScore: Type.Number(),
  comment: Type.String(),
  createdAt: Type.String(),
});

export const BorrowerReviewPage = Type.Object({
  items: Type.Array(BorrowerReview),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Both reviews of one reservation as one of its two parties may see them. */
export const ReservationReviews = Type.Object({
  fromBorrower: Type.Union([Review, Type.Null()], { description: '빌린 사람이 쓴 후기 (공개 전이면 null)' }),
  fromLender: Type.Union([BorrowerReview, Type.Null()], { description: '빌려준 사람이 쓴 후기 (공개 전이면 null)' }),
  sealed: Type.Object(
    { fromBorrower: Type.Boolean(), fromLender: Type.Boolean() },
    { description: '상대가 이미 썼지만 아직 공개되지 않은 후기 (내 후기를 쓰거나 7일이 지나면 공개)' },
  ),
  /** when a sealed review shows even without the caller's own review */
  releaseAt: Type.Union([Type.String(), Type.Null()]),
  /** the caller may still write their side */
  canWrite: Type.Boolean(),
});
