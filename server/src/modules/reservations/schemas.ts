import { Type, type Static } from 'typebox';
import { Id, Nullable } from '../../http/wire.ts';
import { STATUSES } from './status.ts';
import { CANCELLATION_POLICIES } from './cancellation.ts';
import { CursorParam } from '../../lib/cursor.ts';
import { TrustOut } from '../trust/schemas.ts';

// an enum, not a union of mapped literals: a mapped array loses the tuple type and Static<> becomes never
export const StatusSchema = Type.Enum(STATUSES, { description: '예약 상태 (SPEC §5)' });
export const CancellationPolicySchema = Type.Enum(CANCELLATION_POLICIES, { description: '취소 정책: flexible 유연, moderate 보통, strict 엄격' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Asia/Seoul 달력 날짜 YYYY-MM-DD' });
const Method = Type.Union([Type.Literal('DIRECT'), Type.Literal('DELIVERY')]);

const requestFields = {
  startDate: Day,
  endDate: Day,
  optionIds: Type.Optional(Type.Array(Id, { maxItems: 5, uniqueItems: true })),
  receiveMethod: Method,
  returnMethod: Method,
  address: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
};

export const CreateReservationBody = Type.Object({ postId: Id, ...requestFields }, { additionalProperties: false });
export type CreateReservationBody = Static<typeof CreateReservationBody>;
export const EditReservationBody = Type.Object(requestFields, { additionalProperties: false });
export type EditReservationBody = Static<typeof EditReservationBody>;

export const StatusChangeBody = Type.Object(
  {
    status: StatusSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    carrier: Type.Optional(Type.String({ maxLength: 40 })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9A-Za-z\\-]*$' })),
  },
  { additionalProperties: false },
);
export type StatusChangeBody = Static<typeof StatusChangeBody>;

const Cursor = CursorParam;
const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });
export const SentQuery = Type.Object({ status: Type.Optional(StatusSchema), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) });
export const ReceivedQuery = Type.Object({
  postId: Type.Optional(Id),
  status: Type.Optional(StatusSchema),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});

export const PayoutAccount = Type.Object({
  bank: Type.String({ description: '은행' }),
  accountNumber: Type.String({ description: '계좌번호' }),
  holder: Type.String({ description: '예금주' }),
});

const Party = Type.Object({ id: Type.Integer(), nickname: Type.String() });
const Shipment = Nullable(Type.Object({ carrier: Type.String(), trackingNumber: Type.String() }));

export const Reservation = Type.Object({
  id: Type.Integer(),
  status: StatusSchema,
  statusLabel: Type.String(),
  post: Type.Object({ id: Type.Integer(), title: Type.String(), imageUrl: Nullable(Type.String()) }),
  borrower: Party,
  lender: Party,
  startDate: Type.String(),
  endDate: Type.String(),
  receiveMethod: Method,
  returnMethod: Method,
  address: Nullable(Type.String()),
  options: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), fee: Type.Integer(), deposit: Type.Integer() })),
  price: Type.Object({
    days: Type.Integer(),
    dailyFee: Type.Integer({ description: '물건 하루 대여료' }),
    weeklyFee: Nullable(Type.Integer({ description: '물건 1주(7일) 요금 (요청 당시)' })),
    monthlyFee: Nullable(Type.Integer({ description: '물건 한 달(30일) 요금 (요청 당시)' })),
    months: Type.Integer({ description: '한 달 요금으로 낸 30일 단위 수' }),
    weeks: Type.Integer({ description: '1주 요금으로 낸 7일 단위 수' }),
    extraDays: Type.Integer({ description: '하루 요금으로 낸 일수' }),
    itemFee: Type.Integer({ description: '물건 대여료: 가장 싼 조합 (월×한 달 요금 + 주×1주 요금 + 일×하루 요금)' }),
    optionsDailyFee: Type.Integer({ description: '옵션 하루 대여료 합계' }),
    rentalFee: Type.Integer({ description: '물건 대여료 + 옵션 대여료 × 일수' }),
    deposit: Type.Integer(),
    optionsDeposit: Type.Integer(),
    total: Type.Integer({ description: '대여료 합계 + 보증금 합계' }),
  }),
  receiveShipment: Shipment,
  returnShipment: Shipment,
  /** the caller's part in this reservation */
  myRole: Type.Union([Type.Literal('BORROWER'), Type.Literal('LENDER'), Type.Literal('ADMIN')]),
  allowedActions: Type.Array(StatusSchema, { description: '호출한 사람이 지금 지정할 수 있는 상태 (PATCH /status; 날짜 조건에 막힌 단계는 빠짐)' }),
  handoverFrom: Type.String({ description: '물건을 건네는 단계(배송·대여 검수·대여 중)를 시작할 수 있는 첫날 = 시작일 하루 전' }),
  pickedUpAt: Nullable(Type.String({ description: '물건을 건네받은 때 (대여 검수·대여 중이 처음 된 때)' })),
  cancellation: Type.Object({
    policy: CancellationPolicySchema,
    label: Type.String({ description: '유연 / 보통 / 엄격' }),
    rules: Type.Array(Type.String(), { description: '환불 규칙 (한국어 문장)' }),
    refundIfCancelledNow: Nullable(Type.Integer({ description: '호출한 사람이 지금 취소하면 돌려받는 금액 (결제 전이거나 취소할 수 없으면 null)' })),
  }),
  refund: Nullable(Type.Object({
    kind: Type.Union([Type.Literal('CANCEL'), Type.Literal('DEPOSIT')], { description: 'CANCEL: 결제 후 취소 환불, DEPOSIT: 보증금 반환' }),
    amount: Type.Integer({ description: '돌려받는 금액: 취소 환불액, 또는 보증금 − 인정된 차감액' }),
  }, { description: '돌려받는 돈 (취소됨·환급 대기·환급 완료·청구 완료에서만)' })),
  payment: Type.Object({
    provider: Type.Union([Type.Literal('direct'), Type.Literal('toss')]),
    payer: Type.Union([Type.Literal('LENDER'), Type.Literal('BORROWER')], { description: '결제 확인을 호출하는 쪽' }),
    orderId: Type.String(),
    amount: Type.Integer(),
    paid: Type.Boolean(),
    canConfirm: Type.Boolean({ description: '호출한 사람이 지금 POST /payment/confirm 을 부를 수 있는지' }),
    transferSentAt: Type.Union([Type.String(), Type.Null()], { description: '빌리는 사람이 "송금했어요"를 누른 때 (direct)' }),
    canMarkTransferSent: Type.Boolean({ description: '호출한 사람이 지금 POST /transfer-sent 를 부를 수 있는지' }),
    payoutAccount: Type.Union([PayoutAccount, Type.Null()], { description: '빌려주는 사람의 입금 계좌: 승인된 예약의 빌리는 사람에게만 보입니다' }),
  }),
  chatRoomId: Type.Union([Type.Integer(), Type.Null()], { description: '이 거래의 채팅방 (없으면 null)' }),
  reviewable: Type.Boolean(),
  reviewId: Type.Union([Type.Integer(), Type.Null()], { description: '이 예약에 작성된 후기 (없으면 null)' }),
  /** the borrower's trust, for the lender (and admins) deciding on a request; null for the borrower */
  borrowerTrust: Nullable(TrustOut),
  statusChangedAt: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const StatusLogEntry = Type.Object({
  id: Type.Integer(),
  from: Nullable(StatusSchema),
  to: StatusSchema,
  actorRole: Type.Union([Type.Literal('BORROWER'), Type.Literal('LENDER'), Type.Literal('SYSTEM')]),
  actor: Nullable(Party),
  reason: Nullable(Type.String()),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  event: Nullable(Type.Union([
    Type.Literal('TRANSFER_SENT'), Type.Literal('EXTENSION_REQUESTED'), Type.Literal('EXTENSION_APPROVED'),
    Type.Literal('EXTENSION_REJECTED'), Type.Literal('EXTENSION_WITHDRAWN'),
  ], { description: '상태 변경이 아닌 기록 (from = to): TRANSFER_SENT = 송금했어요, EXTENSION_* = 대여 연장 요청·승인·거절·취소' })),
  at: Type.String(),
});

export const ExtensionBody = Type.Object({ endDate: Day }, { additionalProperties: false });
export type ExtensionBody = Static<typeof ExtensionBody>;
export const ExtensionQuoteQuery = Type.Object({ endDate: Day }, { additionalProperties: false });
export const ExtensionRejectBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const ExtensionQuote = Type.Object({
  endDate: Type.String(),
  days: Type.Integer({ description: '연장 후 전체 대여 일수' }),
  extraFee: Type.Integer({ description: '추가 요금 = 가격(시작일~새 반납일) − 가격(시작일~지금 반납일)' }),
});

export const ExtensionState = Type.Object({
  current: Nullable(Type.Object({
    id: Type.Integer(),
    status: Type.Union([Type.Literal('PENDING'), Type.Literal('APPROVED'), Type.Literal('REJECTED'), Type.Literal('WITHDRAWN')]),
    fromEndDate: Type.String({ description: '요청할 때의 반납일' }),
    toEndDate: Type.String({ description: '요청한 새 반납일' }),
    extraFee: Type.Integer(),
    reason: Nullable(Type.String({ description: '거절 사유' })),
    requestedAt: Type.String(),
    decidedAt: Nullable(Type.String()),
  })),
  approvedFee: Type.Integer({ description: '승인된 연장의 추가 요금 합계 (당사자끼리 정산)' }),
  canRequest: Type.Boolean({ description: '호출한 사람이 지금 POST /extension 을 부를 수 있는지' }),
  canDecide: Type.Boolean({ description: '호출한 사람이 지금 승인/거절할 수 있는지' }),
  canWithdraw: Type.Boolean({ description: '호출한 사람이 지금 DELETE /extension 을 부를 수 있는지' }),
});

export const ReservationDetail = Type.Object({
  ...Reservation.properties,
  /** the rental's extension state: for the two parties only (null for an admin) */
  extension: Nullable(ExtensionState),
  log: Type.Array(StatusLogEntry),
});

export const ReservationPage = Type.Object({
  items: Type.Array(Reservation),
  nextCursor: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Integer(), { description: '상태별 건수 (status·cursor 필터와 무관)' }),
});
