import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';
import { CursorParam } from '../../lib/cursor.ts';

export const MAX_MESSAGE_LENGTH = 1000;

/** what a client sends: over STOMP (SEND /app/chat/{roomId}, JSON body) or REST (POST /chats/{id}/messages) */
export const SendMessageBody = Type.Object(
  {
    clientId: Type.String({ format: 'uuid' }),
    content: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH }),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const MAX_PLACE_LENGTH = 100;

/** a 약속 (meeting) proposed in a room; the other side accepts it */
export const Appointment = Type.Object({
  id: Type.Integer(),
  proposerId: Type.Integer(),
  meetAt: Type.String({ format: 'date-time' }),
  place: Type.String(),
  neighbourhood: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  status: Type.Union([Type.Literal('PROPOSED'), Type.Literal('ACCEPTED')]),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Appointment = Static<typeof Appointment>;

/** one stored message; also the JSON body of MESSAGE frames on /topic/chat/{roomId} */
export const ChatMessage = Type.Object({
  id: Type.Integer(),
  roomId: Type.Integer(),
  seq: Type.Integer({ description: '방 안에서 1부터 빈틈없이 증가하는 순번' }),
  senderId: Type.Integer(),
  clientId: Type.String(),
  kind: Type.Union([Type.Literal('TEXT'), Type.Literal('PHOTO'), Type.Literal('APPOINTMENT')]),
  content: Type.String({ description: '텍스트; 사진·약속 메시지는 목록과 알림에 쓰는 요약' }),
  photo: Type.Union([
    Type.Object({ url: Type.String({ description: '방 참여자만 받을 수 있는 주소 (공개 /media 가 아님)' }), width: Type.Integer(), height: Type.Integer() }),
    Type.Null(),
  ]),
  appointment: Type.Union([Appointment, Type.Null()], { description: '약속 카드 (현재 상태)' }),
  warning: Type.Union([Type.String(), Type.Null()], { description: '전화번호·계좌번호·외부 결제 요청이 보이면 부드러운 주의 문구' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ChatMessage = Static<typeof ChatMessage>;

const Party = Type.Object({
  id: Type.Integer(),
  nickname: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});

export const ChatRoom = Type.Object({
  id: Type.Integer(),
  post: Type.Object({ id: Type.Integer(), title: Type.String(), thumbnailUrl: Type.Union([Type.String(), Type.Null()]) }),
  lenderId: Type.Integer(),
  borrowerId: Type.Integer(),
  other: Party,
  lastSeq: Type.Integer(),
  lastReadSeq: Type.Integer({ description: '내가 읽은 마지막 순번' }),
  otherLastReadSeq: Type.Integer({ description: '상대가 읽은 마지막 순번 (읽음 표시)' }),
  unreadCount: Type.Integer(),
  lastMessage: Type.Union([ChatMessage, Type.Null()]),
  lastMessageAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ChatRoom = Static<typeof ChatRoom>;

export const OpenRoomBody = Type.Object({ postId: Id }, { additionalProperties: false });

export const RoomListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  cursor: Type.Optional(CursorParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
export const RoomList = Type.Object({ items: Type.Array(ChatRoom), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const Seq = Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 });
export const MessagesQuery = Type.Object({
  after: Type.Optional(Seq),
  before: Type.Optional(Seq),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export const MessagePage = Type.Object({
  items: Type.Array(ChatMessage, { description: '순번 오름차순' }),
  hasMore: Type.Boolean({ description: '요청 방향으로 더 있는지' }),
});

export const ReadBody = Type.Object({ seq: Seq }, { additionalProperties: false });
export const ReadResult = Type.Object({ roomId: Type.Integer(), lastReadSeq: Type.Integer(), unreadCount: Type.Integer() });

export const ProposeAppointmentBody = Type.Object(
  {
    clientId: Type.String({ format: 'uuid' }),
    meetAt: Type.String({ format: 'date-time', description: '만날 시각 (미래, 60일 이내)' }),
    place: Type.String({ minLength: 1, maxLength: MAX_PLACE_LENGTH, description: '만날 곳 (예: 망원역 2번 출구)' }),
    neighbourhoodCode: Type.Optional(Type.String({ pattern: '^[0-9]{10}$', description: '행정동 코드 (선택)' })),
  },
  { additionalProperties: false },
);
export type ProposeAppointmentBody = Static<typeof ProposeAppointmentBody>;
export const AcceptAppointmentBody = Type.Object({ clientId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
