// Listing shapes: the JSON `data` part of the multipart create/edit body, and every response.
import { Type, type Static } from 'typebox';
import { Id, Nullable, OneOf } from '../../http/wire.ts';
import { CursorParam } from '../../lib/cursor.ts';
import { TrustOut } from '../trust/schemas.ts';
import { RADII_KM } from '../neighbourhoods/geo.ts';
import { CancellationPolicySchema } from '../reservations/schemas.ts';
import { MONTH_DAYS, WEEK_DAYS } from '../reservations/pricing.ts';

export const MAX_FEE = 10_000_000; // 원 per day
export const MAX_DEPOSIT = 100_000_000; // 원
export const MAX_OPTIONS = 5;
/** 끌어올리기: at most once per this many days per listing */
export const BUMP_INTERVAL_DAYS = 3;
export const BUMP_INTERVAL_MS = BUMP_INTERVAL_DAYS * 86_400_000;

const Won = (max: number) => Type.Integer({ minimum: 0, maximum: max });
export const Method = Type.Union([Type.Literal('DIRECT'), Type.Literal('DELIVERY'), Type.Literal('ANY')]);
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Seoul 달력 날짜)' });

export const OptionInput = Type.Object(
  {
    /** an existing option to keep (edit only); changing its name/fee/deposit replaces it with a new one */
    id: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }),
    fee: Won(MAX_FEE),
    deposit: Won(MAX_DEPOSIT),
  },
  { additionalProperties: false },
);

const postFields = {
  title: Type.String({ minLength: 2, maxLength: 100, pattern: '\\S' }),
  content: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }),
  categoryId: Id,
  regionIds: Type.Array(Id, { minItems: 1, maxItems: 10, uniqueItems: true }),
  fee: Won(MAX_FEE),
  deposit: Won(MAX_DEPOSIT),
  /** per 7 days: more than a day, less than 7 days (reservations/pricing.ts longTermFeeProblem); null/omitted = none */
  weeklyFee: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_FEE * WEEK_DAYS }))),
  /** per 30 days: more than a week (or a day), less than 30 days */
  monthlyFee: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_FEE * MONTH_DAYS }))),
  /** 바로 예약: a request for free dates is approved at once (default off) */
  instantBooking: Type.Optional(Type.Boolean()),
  /** what a cancel after payment gives back (default flexible) */
  cancellationPolicy: Type.Optional(CancellationPolicySchema),
  receiveMethod: Method,
  returnMethod: Method,
  returnAddress: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  options: Type.Optional(Type.Array(OptionInput, { maxItems: MAX_OPTIONS })),
  blockedDates: Type.Optional(Type.Array(Day, { maxItems: 366, uniqueItems: true })),
  /** 0-based index into the final image list (kept images first, then new files); default 0 */
  primaryIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
  /** one of the owner's 동네 (default: the first; an edit without it keeps the listing's 동) */
  neighbourhoodCode: Type.Optional(Type.String({ pattern: '^[0-9]{10}$' })),
};

/** The `data` part of POST /posts. */
export const PostCreateData = Type.Object(postFields, { additionalProperties: false });
export type PostCreateData = Static<typeof PostCreateData>;

/** The `data` part of PUT /posts/:id: everything is replaced as sent. */
export const PostUpdateData = Type.Object(
  {
    ...postFields,
    /** existing images to keep, in display order; omitted = keep all; new files follow them */
    keepImageIds: Type.Optional(Type.Array(Id, { maxItems: 10, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type PostUpdateData = Static<typeof PostUpdateData>;
export type PostData = PostCreateData & { keepImageIds?: number[] };

/** OpenAPI description of the multipart body (validated in code, part by part). */
export const PostMultipartBody = (edit: boolean) =>
  Type.Object(
    {
      data: Type.String({
        description:
          'JSON 문자열: ' +
          (edit
            ? 'PostUpdateData {title, content, categoryId(하위 카테고리), regionIds[], fee, deposit, weeklyFee?, monthlyFee?, instantBooking?, cancellationPolicy?, receiveMethod, returnMethod, returnAddress?, options?[{id?, name, fee, deposit}] (최대 5), blockedDates?[YYYY-MM-DD], primaryIndex?, keepImageIds?[] (생략 시 기존 이미지 모두 유지)}'
            : 'PostCreateData {title, content, categoryId(하위 카테고리), regionIds[], fee, deposit, weeklyFee?, monthlyFee?, instantBooking?, cancellationPolicy?, receiveMethod, returnMethod, returnAddress?, options?[{name, fee, deposit}] (최대 5), blockedDates?[YYYY-MM-DD], primaryIndex?}'),
      }),
      images: Type.Array(Type.String({ format: 'binary' }), {
        minItems: edit ? 0 : 1,
        maxItems: 10,
        description: 'JPEG/PNG/WebP, 파일당 최대 10MB, 전체 1–10장 (내용으로 형식 검사, EXIF 제거)',
      }),
    },
    { required: edit ? ['data'] : ['data', 'images'] },
  );

const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });

export const CategoryRef = Type.Object({ id: Type.Integer(), name: Type.String(), parent: Nullable(Ref) });

const PlaceRef = Type.Object({ code: Type.String(), name: Type.String(), verified: Type.Boolean({ description: '작성자의 동네 인증' }) });

export const PostListItem = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  fee: Type.Integer(),
  deposit: Type.Integer(),
  /** primary image: thumbnail rendition, or the original while renditions are pending */
  thumbnailUrl: Nullable(Type.String()),
  regions: Type.Array(Type.String()),
  category: CategoryRef,
  createdAt: Type.String(),
  favoriteCount: Type.Integer(),
  author: Type.Object({
    id: Type.Integer(),
    nickname: Type.String(),
    rating: Nullable(Type.Number({ description: '빌려준 사람으로 받은 후기 평균 (1–5)' })),
    reviewCount: Type.Integer(),
  }),
  /** the 동 the listing is located at (never an address), with the owner's 동네 인증 */
  neighbourhood: Nullable(PlaceRef),
  /** km from the requested point (near=me or lat/lng), 0.1 km steps under 10 km; null without a point */
  distanceKm: Nullable(Type.Number()),
  banned: Type.Boolean(),
  paused: Type.Boolean({ description: '작성자가 숨김 (내 게시글 목록에서만 보임)' }),
});
export type PostListItem = Static<typeof PostListItem>;

export const PostPage = Type.Object({ items: Type.Array(PostListItem), nextCursor: Nullable(Type.String()) });

export const PostImageOut = Type.Object({
  id: Type.Integer(),
  isPrimary: Type.Boolean(),
  status: Type.String({ description: 'PENDING | READY | FAILED (renditions)' }),
  originalUrl: Type.String(),
  thumbUrl: Type.String({ description: '~800x600 WebP, or the original until ready' }),
  detailUrl: Type.String({ description: '~1920x1440 WebP, or the original until ready' }),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
});

export const PostDetail = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  content: Type.String(),
  fee: Type.Integer(),
  deposit: Type.Integer(),
  weeklyFee: Nullable(Type.Integer({ description: '1주(7일) 요금' })),
  monthlyFee: Nullable(Type.Integer({ description: '한 달(30일) 요금' })),
  instantBooking: Type.Boolean({ description: '바로 예약: 빈 날짜 요청은 곧바로 승인됩니다' }),
  cancellation: Type.Object({
    policy: CancellationPolicySchema,
    label: Type.String(),
    rules: Type.Array(Type.String(), { description: '환불 규칙 (한국어 문장)' }),
  }),
  receiveMethod: Method,
  returnMethod: Method,
  returnAddress: Nullable(Type.String({ description: '작성자와 승인된 예약의 대여자에게만 보입니다 (그 외 null)' })),
  neighbourhood: Nullable(PlaceRef),
  category: CategoryRef,
  /** root first, e.g. [캠핑, 텐트] */
  categoryPath: Type.Array(Ref),
  regions: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), parentName: Nullable(Type.String()) })),
  images: Type.Array(PostImageOut),
  options: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), fee: Type.Integer(), deposit: Type.Integer() })),
  blockedDates: Type.Array(Type.String()),
  owner: Type.Object({
    id: Type.Integer(), nickname: Type.String(), avatarUrl: Nullable(Type.String()),
    rating: Nullable(Type.Number()), reviewCount: Type.Integer(), trust: TrustOut,
  }),
  favoriteCount: Type.Integer(),
  isFavorite: Type.Boolean(),
  isOwner: Type.Boolean(),
  banned: Type.Boolean(),
  banReason: Nullable(Type.String({ description: '정지 사유 (작성자와 관리자에게만)' })),
  reviewRequested: Type.Boolean({ description: '재검토 요청이 관리자 대기열에 있음 (작성자와 관리자에게만)' }),
  paused: Type.Boolean({ description: '작성자가 숨김: 목록·검색·비슷한 게시글에서 빠지고 새 예약을 받지 않음' }),
  bumpedAt: Nullable(Type.String({ description: '마지막 끌어올리기 (작성자와 관리자에게만)' })),
  nextBumpAt: Nullable(Type.String({ description: '다음 끌어올리기 가능 시각, null이면 지금 가능 (작성자와 관리자에게만)' })),
  embeddingStatus: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** Where a list is measured from and how far it reaches (GET /posts and GET /search). */
export const NearFields = {
  near: Type.Optional(Type.Literal('me', { description: '내 첫 번째 동네 기준 (로그인 필요)' })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  radiusKm: Type.Optional(OneOf(RADII_KM, { description: `반경 km: ${RADII_KM.join(', ')}` })),
};

export const ListQuery = Type.Object({
  keyword: Type.Optional(Type.String({ maxLength: 100 })),
  categoryId: Type.Optional(Id),
  regionId: Type.Optional(Id),
  minFee: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FEE })),
  maxFee: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FEE })),
  authorId: Type.Optional(Id),
  sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('fee_asc'), Type.Literal('fee_desc'), Type.Literal('distance')])),
  ...NearFields,
  cursor: Type.Optional(CursorParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  includeBanned: Type.Optional(Type.Boolean({ description: '관리자 전용: 정지된 게시글 포함' })),
});
export type ListQuery = Static<typeof ListQuery>;

export const PageQuery = Type.Object({
  cursor: Type.Optional(CursorParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

export const DateRangeQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) });
export const PausedOut = Type.Object({ paused: Type.Boolean() });
export const BumpOut = Type.Object({ bumpedAt: Type.String(), nextBumpAt: Type.String() });
export const ReviewRequestBody = Type.Object(
  { message: Type.Optional(Type.String({ maxLength: 500, description: '무엇을 고쳤는지 관리자에게 남길 말' })) },
  { additionalProperties: false },
);
export const ReviewRequestOut = Type.Object({ reviewRequested: Type.Boolean() });
export const FavoriteOut = Type.Object({ favorited: Type.Boolean(), favoriteCount: Type.Integer() });
