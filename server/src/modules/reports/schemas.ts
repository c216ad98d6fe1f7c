import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';
import { CursorParam } from '../../lib/cursor.ts';

export const REPORT_REASONS = {
  SPAM: '스팸·광고',
  FRAUD: '사기 의심',
  INAPPROPRIATE: '부적절한 내용',
  PROHIBITED_ITEM: '거래 금지 물품',
  ABUSE: '욕설·비방',
  OTHER: '기타 (상세 내용 필수)',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;

export const TargetTypeSchema = Type.Union([Type.Literal('POST'), Type.Literal('MEMBER'), Type.Literal('REVIEW')], {
  description: 'POST: 게시글, MEMBER: 회원, REVIEW: 리뷰',
});
export const ReasonSchema = Type.Enum(
  Object.keys(REPORT_REASONS) as ReportReason[],
  { description: Object.entries(REPORT_REASONS).map(([k, v]) => `${k}: ${v}`).join(', ') },
);
export const ReportStatusSchema = Type.Union([Type.Literal('PENDING'), Type.Literal('RESOLVED'), Type.Literal('DISMISSED')], {
  description: 'PENDING: 처리 대기, RESOLVED: 대상이 제한됨, DISMISSED: 관리자가 기각',
});

export const CreateReportBody = Type.Object(
  {
    targetType: TargetTypeSchema,
    targetId: Id,
    reason: ReasonSchema,
    detail: Type.Optional(Type.String({ maxLength: 1000, description: '상세 내용 (reason이 OTHER이면 필수)' })),
  },
  { additionalProperties: false },
);
export type CreateReportBody = Static<typeof CreateReportBody>;

export const Report = Type.Object({
  id: Type.Integer(),
  targetType: TargetTypeSchema,
  targetId: Type.Integer(),
  reason: ReasonSchema,
  detail: Type.String(),
  status: ReportStatusSchema,
  createdAt: Type.String(),
});

export const ReasonList = Type.Array(Type.Object({ code: ReasonSchema, label: Type.String() }));

/** cursor: the last item's id from the previous page (opaque to clients) */
export const Cursor = CursorParam;
export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export const AdminReportQuery = Type.Object(
  {
    status: Type.Optional(ReportStatusSchema),
    targetType: Type.Optional(TargetTypeSchema),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type AdminReportQuery = Static<typeof AdminReportQuery>;

export const AdminReport = Type.Object({
  id: Type.Integer(),
  reporter: Type.Object({ id: Type.Integer(), nickname: Type.String() }),
  targetType: TargetTypeSchema,
  targetId: Type.Integer(),
  target: Type.Object({
    exists: Type.Boolean(),
    label: Type.Union([Type.String(), Type.Null()], { description: '게시글 제목, 회원 닉네임 또는 리뷰 앞부분' }),
    ownerId: Type.Union([Type.Integer(), Type.Null()]),
    banned: Type.Boolean(),
  }),
  targetCounts: Type.Object({
    total: Type.Integer({ description: '이 대상에 대한 모든 신고 수' }),
    pending: Type.Integer({ description: '처리 대기 중인 신고 수' }),
    last30Days: Type.Integer({ description: '최근 30일 동안 처리 대기 중인 신고 수 (5건 이상이면 자동 제한)' }),
  }),
  reason: ReasonSchema,
  reasonLabel: Type.String(),
  detail: Type.String(),
  status: ReportStatusSchema,
  createdAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
});

export const AdminReportPage = Type.Object({
  items: Type.Array(AdminReport),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
