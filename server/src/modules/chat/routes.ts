import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import type { FastifyReply } from 'fastify';
import { Id, IdParams } from '../../http/wire.ts';
import { badRequest } from '../../http/errors.ts';
import { multipartValidator } from '../../http/validation.ts';
import { readMultipart } from '../images/multipart.ts';
import { sendPrivateImage } from '../images/routes.ts';
import {
  AcceptAppointmentBody, ChatMessage, ChatRoom, MessagePage, ProposeAppointmentBody, MessagesQuery, OpenRoomBody, ReadBody, ReadResult, RoomList, RoomListQuery, SendMessageBody,
} from './schemas.ts';
import { chatService } from './service.ts';
import { AppError } from '../../http/errors.ts';
import { CHAT_RATE_LIMITED } from './send-limit.ts';

const tags = ['chat'];

const PhotoParams = Type.Object({ id: Id, messageId: Id });
const AppointmentParams = Type.Object({ id: Id, appointmentId: Id });

/**
 * The answer of every message send (text, photo, 약속 proposal or acceptance): 201 with the new message,
 * 200 with the original when the same clientId was sent before; a send refused by the chat rate limit
 * says when to retry.
 */
async function answerSend(reply: FastifyReply, send: () => Promise<{ message: ChatMessage; duplicate: boolean }>) {
  try {
    const { message, duplicate } = await send();
    return reply.status(duplicate ? 200 : 201).send(message);
  } catch (err) {
    if (err instanceof AppError && err.code === CHAT_RATE_LIMITED) reply.header('retry-after', String(err.extra.retryAfter));
    throw err;
  }
}

export const chatRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const chat = chatService(app.deps);

  app.post('/chats', {
    schema: {
      tags, summary: '게시글의 채팅방 열기 (있으면 기존 방, 없으면 새로 만들어 201)',
      body: OpenRoomBody, response: { 200: ChatRoom, 201: ChatRoom },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    const { room, created } = await chat.openRoom(me.id, req.body.postId);
    return reply.status(created ? 201 : 200).send(room);
  });

  app.get('/chats', {
    schema: { tags, summary: '내 채팅방 목록 (최근 대화 순, q: 게시글 제목/상대 닉네임/메시지 검색)', querystring: RoomListQuery, response: { 200: RoomList } },
  }, async (req) => {
    const me = requireMember(req);
    return chat.listRooms(me.id, req.query);
  });

  app.get('/chats/unread-count', {
    schema: { tags, summary: '모든 채팅방의 안 읽은 메시지 수 (배지)', response: { 200: Type.Object({ count: Type.Integer() }) } },
  }, async (req) => ({ count: await chat.unreadTotal(requireMember(req).id) }));

  app.get('/chats/:id', {
    schema: { tags, summary: '채팅방 정보 (참여자만)', params: IdParams, response: { 200: ChatRoom } },
  }, async (req) => {
    const me = requireMember(req);
    return chat.roomView(me.id, req.params.id);
  });

  app.get('/chats/:id/messages', {
    schema: {
      tags, summary: '메시지 기록 (after=순번 이후 / before=순번 이전 / 없으면 최신), 순번 오름차순',
      params: IdParams, querystring: MessagesQuery, response: { 200: MessagePage },
    },
  }, async (req) => {
    const me = requireMember(req);
    return chat.messages(me.id, req.params.id, req.query);
  });

  app.post('/chats/:id/messages', {
    schema: {
      tags, summary: '메시지 보내기 (STOMP 가 안 될 때의 대안; 같은 clientId 재전송은 원래 메시지를 돌려줌)',
      params: IdParams, body: SendMessageBody, response: { 200: ChatMessage, 201: ChatMessage },
    },
  }, async (req, reply) => answerSend(reply, () => chat.send(requireMember(req).id, req.params.id, req.body)));

  app.post('/chats/:id/photos', {
    validatorCompiler: multipartValidator,
    schema: {
      tags, summary: '사진 보내기 (multipart: clientId 필드 + image 파일 1개; 게시글 사진과 같은 검사, 방 참여자만 볼 수 있음)',
      params: IdParams, consumes: ['multipart/form-data'],
      body: Type.Object({
        clientId: Type.String({ format: 'uuid' }),
        image: Type.String({ format: 'binary', description: 'JPEG/PNG/WebP, 최대 10MB' }),
      }, { required: ['clientId', 'image'] }),
      response: { 200: ChatMessage, 201: ChatMessage },
    },
  }, async (req, reply) => {
    const me = requireMember(req);
    const { fields, files } = await readMultipart(req, 'image', 1);
    if (files.length !== 1) throw badRequest('IMAGE_REQUIRED', '이미지 파일 1개를 보내 주세요');
    return answerSend(reply, () => chat.sendPhoto(me.id, req.params.id, { clientId: fields.clientId, image: files[0] }));
  });

  app.get('/chats/:id/photos/:messageId', {
    schema: { tags, summary: '채팅 사진 원본 (방 참여자만)', params: PhotoParams },
  }, async (req, reply) => {
    const me = requireMember(req);
    const key = await chat.photoKey(me.id, req.params.id, req.params.messageId);
    return sendPrivateImage(req, reply, app.deps.storage, key);
  });

  app.post('/chats/:id/appointments', {
    schema: {
      tags, summary: '약속 잡기 (시간, 장소, 선택: 동) — 상대방이 수락',
      params: IdParams, body: ProposeAppointmentBody, response: { 200: ChatMessage, 201: ChatMessage },
    },
  }, async (req, reply) => answerSend(reply, () => chat.proposeAppointment(requireMember(req).id, req.params.id, req.body)));

  app.post('/chats/:id/appointments/:appointmentId/accept', {
    schema: {
      tags, summary: '약속 수락 (제안받은 쪽만; 1시간 전에 두 사람 모두에게 알림)',
      params: AppointmentParams, body: AcceptAppointmentBody, response: { 200: ChatMessage, 201: ChatMessage },
    },
  }, async (req, reply) =>
    answerSend(reply, () => chat.acceptAppointment(requireMember(req).id, req.params.id, req.params.appointmentId, req.body)));

  app.patch('/chats/:id/read', {
    schema: { tags, summary: '읽음 위치 갱신 (뒤로 가지 않음)', params: IdParams, body: ReadBody, response: { 200: ReadResult } },
  }, async (req) => {
    const me = requireMember(req);
    return chat.markRead(me.id, req.params.id, req.body.seq);
  });
};
