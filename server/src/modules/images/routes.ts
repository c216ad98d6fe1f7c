// Uploaded files: served at /media/* (outside /api/v1), and the member avatar upload.
import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { badRequest } from '../../http/errors.ts';
import { MyMember } from '../members/schemas.ts';
import { membersService } from '../members/service.ts';
import { readMultipart, storeAll } from './multipart.ts';
import { removeFiles } from './service.ts';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';

/** GET /media/<relative path>: static files of the upload folder; names are random, so cache for a year. */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  const root = app.deps.config.uploadDir;
  fs.mkdirSync(root, { recursive: true });
  await app.register(fastifyStatic, {
    root,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    maxAge: '365d',
    immutable: true,
    schemaHide: true,
  });
};

/** Multipart routes validate their parts in code; the body schema is for the OpenAPI document only. */
export const multipartValidator: typeof TypeBoxValidatorCompiler = (route) =>
  route.httpPart === 'body' ? () => ({ value: undefined }) : TypeBoxValidatorCompiler(route);

export const imagesRoutes: FastifyPluginAsync = async (app) => {
  const members = membersService(app.deps);
  const uploadDir = app.deps.config.uploadDir;

  app.put('/members/me/avatar', {
    validatorCompiler: multipartValidator,
    schema: {
      tags: ['members'],
      summary: '프로필 이미지 변경 (multipart: image 파일 1개)',
      consumes: ['multipart/form-data'],
      body: Type.Object({ image: Type.String({ format: 'binary', description: 'JPEG/PNG/WebP, 최대 10MB' }) }, { required: ['image'] }),
      response: { 200: MyMember },
    },
  }, async (req) => {
    const me = requireMember(req);
    const { files } = await readMultipart(req, 'image', 1);
    if (files.length !== 1) throw badRequest('IMAGE_REQUIRED', '이미지 파일 1개를 보내 주세요');
    const [stored] = await storeAll(uploadDir, files, 'avatars');
    try {
      const { previous } = await members.setAvatar(me.id, stored.path);
      if (previous && previous !== stored.path) await removeFiles(uploadDir, [previous]);
    } catch (err) {
      await removeFiles(uploadDir, [stored.path]);
      throw err;
    }
    return members.toMy(await members.byId(me.id));
  });
};
