import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { IdParams } from '../../http/wire.ts';
import { PayoutAccount, Reservation } from '../reservations/schemas.ts';
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

const PayoutAccountBody = Type.Object(
  {
    bank: Type.String({ minLength: 1, maxLength: 30, description: '은행 이름 (예: 국민은행, 카카오뱅크)' }),
    accountNumber: Type.String({ pattern: '^[0-9][0-9-]{4,28}[0-9]$', description: '계좌번호 (숫자와 -)' }),
    holder: Type.String({ minLength: 1, maxLength: 30, description: '예금주' }),
  },
  { additionalProperties: false },
);
const PayoutAccountReply = Type.Object({
  account: Type.Union([Type.Object({ ...PayoutAccount.properties, updatedAt: Type.String() }), Type.Null()]),
});

export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const payments = paymentsService(app.deps);

  app.get('/members/me/payout-account', {
    schema: { tags: ['payments'], summary: '내 입금 계좌 (직접 결제에서 승인된 예약의 빌리는 사람에게만 보여요)', response: { 200: PayoutAccountReply } },
  }, async (req) => payments.payoutAccount(requireMember(req)));

  app.put('/members/me/payout-account', {
    schema: { tags: ['payments'], summary: '내 입금 계좌 저장', body: PayoutAccountBody, response: { 200: PayoutAccountReply } },
  }, async (req) => payments.savePayoutAccount(requireMember(req), req.body));

  app.post('/reservations/:id/transfer-sent', {
    schema: {
      tags,
      summary: '송금했어요 (direct 결제, 빌리는 사람, 결제 대기 중에만)',
      description: '빌려주는 사람에게 알림이 가고 예약 기록에 남습니다. 결제 완료는 빌려주는 사람의 입금 확인(payment/confirm)으로만 바뀝니다.',
      params: IdParams, response: { 200: Reservation },
    },
  }, async (req) => payments.markTransferSent(requireMember(req), req.params.id));

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
