// Condition records and claims of a reservation (parties only), and the admin queue of disputed claims.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../../http/admin.ts';
import { requireMember } from '../../http/auth.ts';
import { compileBounded, multipartValidator } from '../../http/validation.ts';
import { Id, IdParams } from '../../http/wire.ts';
import { readMultipart } from '../images/multipart.ts';
import { sendPrivateImage } from '../images/routes.ts';
import { MAX_IMAGES } from '../images/service.ts';
import { parseDataPart } from '../posts/data.ts';
import { AnswerBody, Claim, ClaimBody, ClaimQueue, ConditionView, DecideBody, RecordData } from './schemas.ts';
import { inspectionsService } from './service.ts';

const tags = ['inspections'];
const recordData = compileBounded(RecordData);

export const inspectionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const inspections = inspectionsService(app.deps);

  app.get('/reservations/:id/condition', {
    schema: { tags, summary: '상태 기록(인수·반납)과 보증금 차감 청구, 돌려받을 보증금 (예약 당사자만)', params: IdParams, response: { 200: ConditionView } },
  }, async (req) => inspections.view(requireMember(req).id, req.params.id));

  app.post('/reservations/:id/condition-records', {
    validatorCompiler: multipartValidator,
    schema: {
      tags, summary: '상태 기록 남기기 (multipart: data JSON {stage, checklist, note} + photos 1–10장; 단계마다 한 번)',
      params: IdParams, consumes: ['multipart/form-data'],
      body: Type.Object({
        data: Type.String({ description: 'JSON: {stage: PICKUP|RETURN, checklist: [{ok, note?}], note?}' }),
        photos: Type.Array(Type.String({ format: 'binary' }), { maxItems: MAX_IMAGES, description: 'JPEG/PNG/WebP, 장당 최대 10MB' }),
      }, { required: ['data', 'photos'] }),
      response: { 201: ConditionView },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    const { fields, files } = await readMultipart(req, 'photos', MAX_IMAGES);
    const data = parseDataPart<RecordData>(fields.data, recordData);
    return reply.status(201).send(await inspections.record(me.id, req.params.id, data, files));
  });

  app.get('/reservations/:id/condition/photos/:photoId', {
    schema: { tags, summary: '상태 기록 사진 (예약 당사자만)', params: Type.Object({ id: Id, photoId: Id }) },
  }, async (req, reply) => {
    const key = await inspections.photoKey(requireMember(req).id, req.params.id, req.params.photoId);
    return sendPrivateImage(req, reply, app.deps.storage, key);
  });

  app.post('/reservations/:id/claim', {
    schema: { tags, summary: '보증금 차감 청구 (빌려준 사람, 항목별; 합계는 보증금 이하)', params: IdParams, body: ClaimBody, response: { 201: ConditionView } },
  }, async (req, reply) => reply.status(201).send(await inspections.claim(requireMember(req).id, req.params.id, req.body.items)));

  app.post('/reservations/:id/claim/answer', {
    schema: { tags, summary: '청구에 답하기 (빌린 사람: 항목마다 수락 또는 이의 제기; 이의는 관리자 검토로)', params: IdParams, body: AnswerBody, response: { 200: ConditionView } },
  }, async (req) => inspections.answer(requireMember(req).id, req.params.id, req.body.answers));
};

/** Registered in the admin scope (http/admin.ts): /adm/claims. */
export const inspectionsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const inspections = inspectionsService(app.deps);

  app.get('/claims', {
    schema: { tags: ['admin'], summary: '이의 제기된 보증금 청구 (관리자 검토 대기열)', response: { 200: ClaimQueue } },
  }, async () => inspections.disputed());

  app.post('/claims/:id/decide', {
    schema: { tags: ['admin'], summary: '이의 제기된 항목 결정 (upheld: 차감을 인정할 항목)', params: IdParams, body: DecideBody, response: { 200: Claim } },
  }, async (req) => inspections.decide(adminOf(req).id, req.params.id, req.body.upheld));
};
