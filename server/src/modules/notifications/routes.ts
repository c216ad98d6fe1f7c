import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { Notification, NotificationList, NotificationListQuery, UnreadCount } from './schemas.ts';
import { notificationQueries } from './queries.ts';

const tags = ['notifications'];

export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const q = notificationQueries(app.deps.db);

  app.get('/notifications', {
    schema: { tags, summary: '내 알림 (최신순, cursor 페이징)', querystring: NotificationListQuery, response: { 200: NotificationList } },
  }, async (req) => q.list(requireMember(req).id, req.query));

  app.get('/notifications/unread-count', {
    schema: { tags, summary: '읽지 않은 알림 수', response: { 200: UnreadCount } },
  }, async (req) => ({ count: await q.unreadCount(requireMember(req).id) }));

  app.post('/notifications/:id/read', {
    schema: { tags, summary: '알림 하나 읽음 (내 알림만)', params: IdParams, response: { 200: Notification } },
  }, async (req) => q.markRead(requireMember(req).id, req.params.id));

  app.post('/notifications/read-all', {
    schema: { tags, summary: '모든 알림 읽음', response: { 200: Type.Object({ updated: Type.Integer() }) } },
  }, async (req) => ({ updated: await q.markAllRead(requireMember(req).id) }));
};
