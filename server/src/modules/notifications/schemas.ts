import { Type } from 'typebox';
import { CursorParam } from '../../lib/cursor.ts';

/** a stored notification; also the JSON body of MESSAGE frames on /user/queue/notifications */
export const Notification = Type.Object({
  id: Type.Integer(),
  memberId: Type.Integer(),
  type: Type.String({ description: 'RESERVATION_STATUS, REVIEW, RETURN_REMINDER, CHAT_ROOM, CHAT_MESSAGE, MODERATION …' }),
  title: Type.String(),
  body: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()], { description: '예: RESERVATION, POST, CHAT_ROOM, REVIEW' }),
  targetId: Type.Union([Type.Integer(), Type.Null()]),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const NotificationListQuery = Type.Object({
  cursor: Type.Optional(CursorParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  unread: Type.Optional(Type.Boolean({ description: 'true 면 읽지 않은 알림만' })),
});
export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const UnreadCount = Type.Object({ count: Type.Integer() });
