import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
// Uploaded files: served at /media/* (outside /api/v1) from storage (local folder or S3), and the member avatar upload.
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { AppError, badRequest, sendProblem } from '../../http/errors.ts';
import { contentTypeOf } from '../../storage/index.ts';
import { MyMember } from '../members/schemas.ts';
import { membersService } from '../members/service.ts';
import { readMultipart, storeAll } from './multipart.ts';
import { multipartValidator } from '../../http/validation.ts';
import { isPublicMediaKey, removeFiles } from './service.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../../storage/index.ts';

/** every stored name is random (a new upload is a new name), so a response never changes: cache it for a year */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** GET /media/<key>: streams the object from storage (never buffered), 404 for unknown or unsafe keys. */
export const mediaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { storage } = app.deps;
  app.get('/media/*', { schema: { hide: true, params: Type.Object({ '*': Type.String() }) } }, async (req, reply) => {
    const key = req.params['*'];
    if (!isPublicMediaKey(key)) return sendProblem(reply, req, mediaNotFound());
    return sendStored(req, reply, storage, key, MEDIA_CACHE_CONTROL);
  });
};

const mediaNotFound = () => new AppError(404, 'NOT_FOUND', '요청한 파일을 찾을 수 없습니다');

/** streams one stored object (never buffered) with validators; 404 when missing */
async function sendStored(req: FastifyRequest, reply: FastifyReply, storage: Storage, key: string, cacheControl: string) {
  const object = await storage.open(key);
  if (!object) return sendProblem(reply, req, mediaNotFound());
  reply.header('cache-control', cacheControl).header('etag', object.etag).header('last-modified', object.lastModified.toUTCString());
  reply.header('x-content-type-options', 'nosniff');
  if (req.headers['if-none-match'] === object.etag) {
    object.body.destroy();
    return reply.status(304).send();
  }
  return reply.type(contentTypeOf(key)).header('content-length', object.size).send(object.body);
}

/** a private image (chat photo, condition record) to someone the caller has already authorised: browser cache only */
export const sendPrivateImage = (req: FastifyRequest, reply: FastifyReply, storage: Storage, key: string) =>
  sendStored(req, reply, storage, key, 'private, max-age=86400');

export const imagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const members = membersService(app.deps);
  const { storage } = app.deps;

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
    const [stored] = await storeAll(storage, files, 'avatars');
    try {
      const { previous } = await members.setAvatar(me.id, stored.path);
      if (previous && previous !== stored.path) await removeFiles(storage, [previous]);
    } catch (err) {
      await removeFiles(storage, [stored.path]);
      throw err;
    }
    return members.toMy(await members.byId(me.id));
  });
};
