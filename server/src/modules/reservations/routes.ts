import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { reservationExtensions } from './extensions.ts';
import {
  CreateReservationBody, EditReservationBody, ExtensionBody, ExtensionQuote, ExtensionQuoteQuery, ExtensionRejectBody, ReceivedQuery,
  Reservation, ReservationDetail, ReservationPage, SentQuery, StatusChangeBody,
} from './schemas.ts';
import { reservationsService } from './service.ts';

const tags = ['reservations'];

export const reservationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reservations = reservationsService(app.deps);
  const extensions = reservationExtensions(app.deps, reservations);

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

  // Rental extension (issue 12): one pending request per reservation, answered by the lender.
  const extensionDoc =
    '빌리는 사람이 대여 중(RENTING)에 반납일을 늦추는 요청. 반납일이 지나면 409 OVERDUE, 새 반납일이 지금보다 뒤가 아니면 400, ' +
    '다른 예약·막아 둔 날과 겹치면 409 DATES_TAKEN/DATES_BLOCKED, 답을 기다리는 요청이 있으면 409 EXTENSION_PENDING. ' +
    '추가 요금 = 가격(시작일~새 반납일) − 가격(시작일~지금 반납일).';

  app.get('/reservations/:id/extension/quote', {
    schema: { tags, summary: '대여 연장 추가 요금 미리 보기 (요청과 같은 검사, 저장하지 않음)', description: extensionDoc, params: IdParams, querystring: ExtensionQuoteQuery, response: { 200: ExtensionQuote } },
  }, async (req) => {
    return extensions.quote(requireMember(req), req.params.id, req.query.endDate);
  });

  app.post('/reservations/:id/extension', {
    schema: { tags, summary: '대여 연장 요청 (빌리는 사람)', description: extensionDoc, params: IdParams, body: ExtensionBody, response: { 201: ReservationDetail } },
  }, async (req, reply) => {
    return reply.status(201).send(await extensions.request(requireMember(req), req.params.id, req.body.endDate));
  });

  app.delete('/reservations/:id/extension', {
    schema: { tags, summary: '답을 기다리는 연장 요청 취소 (빌리는 사람)', params: IdParams, response: { 200: ReservationDetail } },
  }, async (req) => {
    return extensions.withdraw(requireMember(req), req.params.id);
  });

  app.post('/reservations/:id/extension/approve', {
    schema: {
      tags, summary: '대여 연장 승인 (빌려주는 사람)',
      description: '반납일이 같은 이중 예약 방지 제약 아래에서 바뀝니다: 그새 다른 예약이 그 날짜를 잡았으면 409 DATES_TAKEN, 아무것도 바뀌지 않음.',
      params: IdParams, response: { 200: ReservationDetail },
    },
  }, async (req) => {
    return extensions.approve(requireMember(req), req.params.id);
  });

  app.post('/reservations/:id/extension/reject', {
    schema: { tags, summary: '대여 연장 거절 (빌려주는 사람, 사유 선택)', params: IdParams, body: ExtensionRejectBody, response: { 200: ReservationDetail } },
  }, async (req) => {
    return extensions.reject(requireMember(req), req.params.id, req.body?.reason);
  });
};
