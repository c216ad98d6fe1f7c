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

/** one stored message; also the JSON body of MESSAGE frames on /topic/chat/{roomId} */
export const ChatMessage = Type.Object({
  id: Type.Integer(),
  roomId: Type.Integer(),
  seq: Type.Integer({ description: '방 안에서 1부터 빈틈없이 증가하는 순번' }),
  senderId: Type.Integer(),
  clientId: Type.String(),
  content: Type.String(),
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
