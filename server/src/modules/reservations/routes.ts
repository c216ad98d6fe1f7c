import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import {
  CreateReservationBody, EditReservationBody, ReceivedQuery, Reservation, ReservationDetail, ReservationPage,
  SentQuery, StatusChangeBody,
} from './schemas.ts';
import { reservationsService } from './service.ts';

const tags = ['reservations'];

export const reservationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reservations = reservationsService(app.deps);

  app.post('/reservations', {
    schema: {
      tags, summary: '예약 요청 (날짜는 Asia/Seoul 기준, 가격 = (대여료 + 옵션) × 일수 + 보증금)',
      body: CreateReservationBody, response: { 201: Reservation },
    },
  }, async (req, reply) => {
    const created = await reservations.create(requireMember(req), req.body);
    return reply.status(201).send(created);
  });

  app.get('/reservations/sent', {
    schema: { tags, summary: '내가 보낸 예약 (상태별 건수 포함)', querystring: SentQuery, response: { 200: ReservationPage } },
  }, async (req) => {
    return reservations.list(requireMember(req), 'sent', req.query);
  });

  app.get('/reservations/received', {
    schema: { tags, summary: '내 물건에 들어온 예약 (게시글별 필터)', querystring: ReceivedQuery, response: { 200: ReservationPage } },
  }, async (req) => {
    return reservations.list(requireMember(req), 'received', req.query);
  });

  app.get('/reservations/:id', {
    schema: { tags, summary: '예약 상세 (상태 변경 기록 포함; 당사자와 관리자만)', params: IdParams, response: { 200: ReservationDetail } },
  }, async (req) => {
    return reservations.detail(requireMember(req), req.params.id);
  });

  app.put('/reservations/:id', {
    schema: { tags, summary: '예약 요청 수정 (빌리는 사람, 승인 대기 중에만)', params: IdParams, body: EditReservationBody, response: { 200: Reservation } },
  }, async (req) => {
    return reservations.edit(requireMember(req), req.params.id, req.body);
  });

  app.patch('/reservations/:id/status', {
    schema: {
      tags,
      summary: '예약 상태 변경',
      description:
        '허용된 다음 상태만 (아니면 409), 정해진 당사자만 (아니면 403). 거절·취소·청구·검수 실패 반납은 reason, ' +
        '배송·반납 배송은 carrier + trackingNumber 필수 (없으면 400). 결제 완료(PENDING_PICKUP)는 결제 확인으로만 바뀝니다.',
      params: IdParams, body: StatusChangeBody, response: { 200: Reservation },
    },
  }, async (req) => {
    return reservations.changeStatus(requireMember(req), req.params.id, req.body);
  });
};
