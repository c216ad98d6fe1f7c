import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams } from '../../http/wire.ts';
import { NodeCreate, NodeOut, NodePatch, Tree } from './schemas.ts';
import { catalogService, LABEL } from './service.ts';

const KINDS = ['categories', 'regions'] as const;

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const catalog = catalogService(app.deps.db);
  for (const kind of KINDS) {
    app.get(`/${kind}`, {
      schema: { tags: ['catalog'], summary: `${LABEL[kind]} 트리 (2단계)`, response: { 200: Tree } },
    }, async () => catalog.tree(kind));
  }
};

/** Registered in the admin scope (http/admin.ts): /adm/categories, /adm/regions. */
export const catalogAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const catalog = catalogService(app.deps.db);
  const tags = ['admin'];
  for (const kind of KINDS) {
    const label = LABEL[kind];
    app.post(`/${kind}`, {
      schema: { tags, summary: `${label} 추가 (parentId 없으면 최상위)`, body: NodeCreate, response: { 201: NodeOut } },
    }, async (req, reply) => {
      const row = await catalog.create(kind, req.body);
      return reply.status(201).send(catalog.toOut(row));
    });

    app.patch(`/${kind}/:id`, {
      schema: { tags, summary: `${label} 이름 변경/이동`, params: IdParams, body: NodePatch, response: { 200: NodeOut } },
    }, async (req) => catalog.toOut(await catalog.update(kind, req.params.id, req.body)));

    app.delete(`/${kind}/:id`, {
      schema: { tags, summary: `${label} 삭제 (사용 중이면 409)`, params: IdParams, response: { 204: Type.Null() } },
    }, async (req, reply) => {
      await catalog.remove(kind, req.params.id);
      return reply.status(204).send(null);
    });
  }
};
