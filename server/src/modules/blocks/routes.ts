import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams, Nullable } from '../../http/wire.ts';
import { blocksService } from './service.ts';

const tags = ['members'];
export const BlockList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), nickname: Type.String(), avatarUrl: Nullable(Type.String()), blockedAt: Type.String() })),
});

export const blocksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const blocks = blocksService(app.deps.db);

  app.get('/members/me/blocks', {
    schema: { tags, summary: '내가 차단한 회원', response: { 200: BlockList } },
  }, async (req) => blocks.list(requireMember(req).id));

  app.post('/members/:id/block', {
    schema: {
      tags, summary: '회원 차단 (서로의 게시글이 보이지 않고, 새 채팅·예약 요청이 거절됩니다)',
      params: IdParams, response: { 204: Type.Null() },
    },
  }, async (req, reply) => {
    await blocks.block(requireMember(req).id, req.params.id);
    return reply.status(204).send(null);
  });

  app.delete('/members/:id/block', {
    schema: { tags, summary: '차단 해제', params: IdParams, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await blocks.unblock(requireMember(req).id, req.params.id);
    return reply.status(204).send(null);
  });
};
