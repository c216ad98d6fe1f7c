// Admin moderation, all in the admin scope (http/admin.ts, prefix /adm): bans of members, listings and
// reviews, the ban list, the report list and the review queue of cases the auto-ban job did not decide.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../../http/admin.ts';
import { IdParams } from '../../http/wire.ts';
import { BanBody, BannedPage } from './schemas.ts';
import { PublicMember } from '../members/schemas.ts';
import { membersService } from '../members/service.ts';
import { AdminReportPage, AdminReportQuery, Cursor, Limit, Report, TargetTypeSchema } from '../reports/schemas.ts';
import { reportsService } from '../reports/service.ts';
import { moderationService, type ContentType } from './service.ts';
import { decodeIdCursor } from '../../lib/cursor.ts';

const tags = ['admin'];

const BanState = Type.Object({
  targetType: TargetTypeSchema,
  targetId: Type.Integer(),
  banned: Type.Boolean(),
  banReason: Type.Union([Type.String(), Type.Null()]),
  bannedAt: Type.Union([Type.String(), Type.Null()]),
  changed: Type.Boolean({ description: 'false면 이미 그 상태였음 (알림 없음)' }),
});

const BannedQuery = Type.Object(
  { targetType: TargetTypeSchema, cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);

const CaseStatus = Type.Union([Type.Literal('OPEN'), Type.Literal('BANNED'), Type.Literal('DISMISSED')], {
  description: 'OPEN: 검토 대기, BANNED: 대상이 제한됨, DISMISSED: 관리자가 기각',
});
const CaseQuery = Type.Object(
  { status: Type.Optional(CaseStatus), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
const Case = Type.Object({
  id: Type.Integer(),
  targetType: TargetTypeSchema,
  targetId: Type.Integer(),
  label: Type.Union([Type.String(), Type.Null()]),
  status: CaseStatus,
  reportCount: Type.Integer(),
  score: Type.Number({ description: '독립적인 신고자 점수 (자격 있는 신고자 1점, 오래된 신뢰 회원 1.5점, 연관 계정은 한 명으로)' }),
  note: Type.String({ description: '자동 제한하지 않은 이유' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});
const CasePage = Type.Object({ items: Type.Array(Case), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const moderation = moderationService(app.deps);
  const reports = reportsService(app.deps);
  const members = membersService(app.deps);

  app.post('/members/:id/ban', {
    schema: {
      tags, summary: '회원 정지 (모든 세션 종료, 사유와 함께 회원에게 알림, 대기 중인 신고는 처리됨)',
      params: IdParams, body: BanBody, response: { 200: PublicMember },
    },
  }, async (req) => {
    await moderation.banMember(req.params.id, req.body.reason, adminOf(req).id);
    return members.toPublic(await members.byId(req.params.id));
  });

  app.post('/members/:id/unban', {
    schema: { tags, summary: '회원 정지 해제 (회원에게 알림)', params: IdParams, response: { 200: PublicMember } },
  }, async (req) => {
    await moderation.unbanMember(req.params.id, adminOf(req).id);
    return members.toPublic(await members.byId(req.params.id));
  });

  const contentRoutes: [string, ContentType, string][] = [['posts', 'POST', '게시글'], ['reviews', 'REVIEW', '리뷰']];
  for (const [path, type, name] of contentRoutes) {
    app.post(`/${path}/:id/ban`, {
      schema: {
        tags, summary: `${name} 숨김 (작성자에게 알림, 대기 중인 신고는 처리됨)`,
        params: IdParams, body: BanBody, response: { 200: BanState },
      },
    }, async (req) => moderation.banContent(type, req.params.id, req.body.reason, adminOf(req).id));

    app.post(`/${path}/:id/unban`, {
      schema: { tags, summary: `${name} 숨김 해제 (작성자에게 알림)`, params: IdParams, response: { 200: BanState } },
    }, async (req) => moderation.unbanContent(type, req.params.id, adminOf(req).id));
  }

  app.get('/bans', {
    schema: {
      tags, summary: '현재 제한된 게시글·회원·리뷰 목록 (해제는 각 unban API)', querystring: BannedQuery, response: { 200: BannedPage },
    },
  }, async (req) => {
    const { targetType, cursor, limit } = req.query;
    return moderation.listBanned(targetType, decodeIdCursor(cursor) ?? undefined, limit ?? 20);
  });

  app.get('/reports', {
    schema: {
      tags, summary: '신고 목록 (최신순, 대상별 신고 수 포함)', querystring: AdminReportQuery, response: { 200: AdminReportPage },
    },
  }, async (req) => reports.listForAdmin(req.query));

  app.post('/reports/:id/dismiss', {
    schema: { tags, summary: '신고 기각 (자동 제한 집계에서 빠짐)', params: IdParams, response: { 200: Report } },
  }, async (req) => reports.dismiss(req.params.id));

  app.get('/moderation-cases', {
    schema: {
      tags,
      summary: '검토 대기열: 신고가 기준 이상 쌓였지만 신고자가 신규·연관 계정이라 자동 제한하지 않은 사례',
      description: '처리: 대상 정지는 각 ban API (사례가 BANNED로 닫힘), 문제없음은 dismiss.',
      querystring: CaseQuery,
      response: { 200: CasePage },
    },
  }, async (req) => {
    const { status, cursor, limit } = req.query;
    return moderation.listCases(status ?? 'OPEN', decodeIdCursor(cursor) ?? undefined, limit ?? 20);
  });

  app.post('/moderation-cases/:id/dismiss', {
    schema: { tags, summary: '검토 사례 기각 (대상의 대기 중인 신고도 기각되어 집계에서 빠짐)', params: IdParams, response: { 200: Case } },
  }, async (req) => moderation.dismissCase(req.params.id, adminOf(req).id));
};
