import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { alertsService } from './service.ts';
import { AlertBody, AlertList, AlertOut, DateAlertBody, DateAlertOut, MAX_ALERTS } from './schemas.ts';

const tags = ['alerts'];

export const alertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const alerts = alertsService(app.deps);

  app.get('/alerts', {
    schema: { tags, summary: '내 키워드 알림(저장한 검색)과 빈 날짜 알림', response: { 200: AlertList } },
  }, async (req) => alerts.list(requireMember(req)));

  app.post('/alerts', {
    schema: {
      tags, summary: `키워드 알림 저장 (검색어 + 선택 필터 + 동네 반경, 최대 ${MAX_ALERTS}개)`,
      description: '새로 올라오거나 수정된 게시글이 검색(GET /search와 같은 키워드·의미 검색)에 걸리면 알림을 한 번 보냅니다.',
      body: AlertBody, response: { 201: AlertOut },
    },
  }, async (req, reply) => reply.status(201).send(await alerts.create(requireMember(req), req.body)));

  app.delete('/alerts/:id', {
    schema: { tags, summary: '키워드 알림 삭제 (본인 것만)', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await alerts.remove(requireMember(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.post('/posts/:id/date-alerts', {
    schema: {
      tags, summary: '빈 날짜 알림 (지금 막힌 날짜가 모두 비면 한 번 알림)',
      params: IdParams, body: DateAlertBody, response: { 201: DateAlertOut },
    },
  }, async (req, reply) => reply.status(201).send(await alerts.watchDates(requireMember(req), req.params.id, req.body.startDate, req.body.endDate)));

  app.delete('/alerts/dates/:id', {
    schema: { tags, summary: '빈 날짜 알림 삭제 (본인 것만)', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await alerts.unwatchDates(requireMember(req), req.params.id);
    return reply.status(204).send(null);
  });
};
