import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { Reservation } from '../reservations/schemas.ts';
import { paymentsService } from './service.ts';

const ConfirmBody = Type.Object(
  {
    paymentKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    amount: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const tags = ['reservations', 'payments'];

export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const payments = paymentsService(app.deps);

  app.post('/reservations/:id/payment/confirm', {
    schema: {
      tags,
      summary: '결제 확인 → 수령 대기(PENDING_PICKUP)',
      description:
        'direct(기본): 빌려주는 사람이 입금을 확인합니다 (본문 없음). toss: 빌리는 사람의 브라우저가 결제창에서 받은 ' +
        'paymentKey, orderId, amount를 보내면 서버가 토스페이먼츠에 승인을 요청하고, 승인(DONE)되면 결제 완료로 기록합니다. ' +
        '같은 결제를 다시 확인해도 바뀌는 것은 없습니다 (alreadyPaid: true). 승인 중에 예약이 취소·만료되면 409 NOT_PAYABLE과 ' +
        'refund(CANCELLED: 토스에서 결제 취소됨, PENDING: 취소를 재시도 중)로 답하고 결제는 자동으로 환불됩니다.',
      params: IdParams,
      body: ConfirmBody,
      response: { 200: Type.Object({ reservation: Reservation, alreadyPaid: Type.Boolean() }) },
    },
    // direct confirmation is a bare POST: treat "no body" as {} so the schema still applies to real bodies
    preValidation: async (req) => {
      if (req.body === undefined || req.body === null) req.body = {};
    },
  }, async (req) => {
    return payments.confirm(requireMember(req), req.params.id, req.body ?? {});
  });
};
