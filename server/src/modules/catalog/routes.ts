import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAdmin } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { NodeCreate, NodeOut, NodePatch, Tree } from './schemas.ts';
import { catalogService, LABEL } from './service.ts';

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const catalog = catalogService(app.deps.db);

  for (const kind of ['categories', 'regions'] as const) {
    const label = LABEL[kind];
    app.get(`/${kind}`, {
      schema: { tags: ['catalog'], summary: `${label} 트리 (2단계)`, response: { 200: Tree } },
    }, async () => catalog.tree(kind));

    const adm = { tags: ['admin'] };
    app.post(`/adm/${kind}`, {
      schema: { ...adm, summary: `${label} 추가 (parentId 없으면 최상위)`, body: NodeCreate, response: { 201: NodeOut } },
    }, async (req, reply) => {
      requireAdmin(req);
      const row = await catalog.create(kind, req.body);
      return reply.status(201).send(catalog.toOut(row));
    });

    app.patch(`/adm/${kind}/:id`, {
      schema: { ...adm, summary: `${label} 이름 변경/이동`, params: IdParams, body: NodePatch, response: { 200: NodeOut } },
    }, async (req) => {
      requireAdmin(req);
      return catalog.toOut(await catalog.update(kind, req.params.id, req.body));
    });

    app.delete(`/adm/${kind}/:id`, {
      schema: { ...adm, summary: `${label} 삭제 (사용 중이면 409)`, params: IdParams, response: { 204: Type.Null() } },
    }, async (req, reply) => {
      requireAdmin(req);
      await catalog.remove(kind, req.params.id);
      return reply.status(204).send(null);
    });
  }
};
