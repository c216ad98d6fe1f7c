import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireMember } from '../../http/auth.ts';
import { CreateReportBody, ReasonList, Report } from './schemas.ts';
import { reportsService } from './service.ts';

const tags = ['reports'];

export const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reports = reportsService(app.deps);

  app.post('/reports', {
    schema: {
      tags, summary: '신고하기 (대상마다 한 번, 본인·본인 게시글은 불가)',
      description: '같은 대상을 다시 신고하면 409 ALREADY_REPORTED, 없는 대상은 404, 자기 자신은 400 CANNOT_REPORT_SELF',
      body: CreateReportBody, response: { 201: Report },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    return reply.status(201).send(await reports.create(me.id, req.body));
  });

  app.get('/reports/reasons', {
    schema: { tags, summary: '신고 사유 목록 (코드와 한국어 이름)', response: { 200: ReasonList } },
  }, async () => reports.reasons());
};
