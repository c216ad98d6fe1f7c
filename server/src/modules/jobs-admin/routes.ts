import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
// Admin API for scheduled jobs (SPEC §9): list, change a schedule, pause/resume, run now, history.
// Every instance can serve it: the state lives in the database (job_settings, job_runs, pg-boss).
import type { FastifyRequest } from 'fastify';
import { adminOf } from '../../http/admin.ts';
import { AppError } from '../../http/errors.ts';
import type { Scheduler } from '../../jobs/scheduler.ts';
import { HistoryPage, HistoryQuery, JobInfoSchema, JobList, JobNameParams, RunNowResult, ScheduleBody } from './schemas.ts';

const tags = ['admin'];

/** Registered in the admin scope (http/admin.ts): anonymous/USER callers learn nothing about the scheduler's state. */
export const jobsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  function guard(req: FastifyRequest): { scheduler: Scheduler; adminId: number } {
    const admin = adminOf(req);
    const scheduler = app.deps.jobs;
    if (!scheduler.running) throw new AppError(503, 'SCHEDULER_UNAVAILABLE', '작업 스케줄러가 실행 중이 아닙니다');
    return { scheduler, adminId: admin.id };
  }

  app.get('/jobs', {
    schema: { tags, summary: '예약 작업 목록 (cron, 일시정지 여부, 최근/다음 실행)', response: { 200: JobList } },
  }, async (req) => {
    return { items: await guard(req).scheduler.list() };
  });

  app.put('/jobs/:name/schedule', {
    schema: {
      tags, summary: '작업 실행 주기 변경 (모든 인스턴스에 즉시 적용, Asia/Seoul)',
      params: JobNameParams, body: ScheduleBody, response: { 200: JobInfoSchema },
    },
  }, async (req) => {
    const { scheduler, adminId } = guard(req);
    return scheduler.setSchedule(req.params.name, req.body.cron, adminId);
  });

  app.post('/jobs/:name/pause', {
    schema: { tags, summary: '작업 일시정지 (예약 실행은 SKIPPED 로 기록)', params: JobNameParams, response: { 200: JobInfoSchema } },
  }, async (req) => {
    const { scheduler, adminId } = guard(req);
    return scheduler.pause(req.params.name, adminId);
  });

  app.post('/jobs/:name/resume', {
    schema: { tags, summary: '작업 재개', params: JobNameParams, response: { 200: JobInfoSchema } },
  }, async (req) => {
    const { scheduler, adminId } = guard(req);
    return scheduler.resume(req.params.name, adminId);
  });

  app.post('/jobs/:name/run', {
    schema: { tags, summary: '작업 즉시 실행 (일시정지 중에도 실행)', params: JobNameParams, response: { 202: RunNowResult } },
  }, async (req, reply) => {
    const { scheduler } = guard(req);
    return reply.status(202).send(await scheduler.runNow(req.params.name));
  });

  app.get('/jobs/:name/history', {
    schema: {
      tags, summary: '작업 실행 이력 (최신순, cursor 페이지)',
      params: JobNameParams, querystring: HistoryQuery, response: { 200: HistoryPage },
    },
  }, async (req) => {
    const { scheduler } = guard(req);
    const q = req.query;
    return scheduler.history(req.params.name, { cursor: q.cursor, limit: q.limit });
  });
};
