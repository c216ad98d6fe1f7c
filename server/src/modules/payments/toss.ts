// Toss Payments adapter: the server-side confirm call (POST /v1/payments/confirm, Basic auth with the
// secret key) and the cancel call (POST /v1/payments/{paymentKey}/cancel, `cancelAmount` for a partial
// refund) that refunds a capture the reservation can no longer use, a paid cancel or a returned deposit. A confirm that timed out may still have gone through at Toss: the retry then gets
// ALREADY_PROCESSED_PAYMENT and we look the payment up to learn its real state.
import type { Config } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import type { ConfirmRequest, ConfirmedPayment, PaymentProvider } from './provider.ts';

interface TossPayment {
  paymentKey: string;
  orderId: string;
  status: string;
  totalAmount: number;
  method?: string;
  approvedAt?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: Toss's JSON answer (a payment or an error body); each use checks status/code before reading it
type TossAnswer = any;

export function createTossProvider(config: Config['payments']): PaymentProvider {
  const base = config.tossBaseUrl.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${config.tossSecretKey}:`).toString('base64')}`;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: TossAnswer }> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(config.tossTimeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') {
        throw new AppError(504, 'PAYMENT_TIMEOUT', '결제사 응답이 늦어 결제를 확인하지 못했습니다. 잠시 후 다시 시도해 주세요');
      }
      throw new AppError(502, 'PAYMENT_PROVIDER_ERROR', '결제사에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요');
    }
    let json: TossAnswer = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    return { status: res.status, json };
  }

  function accept(p: TossPayment, req: ConfirmRequest): ConfirmedPayment {
    if (p.orderId !== req.orderId || Number(p.totalAmount) !== req.amount) {
      throw new AppError(409, 'PAYMENT_MISMATCH', '결제사의 결제 정보가 예약과 일치하지 않습니다');
    }
    if (p.status !== 'DONE') {
      throw new AppError(409, 'PAYMENT_NOT_DONE', `결제가 아직 완료되지 않았습니다 (${p.status})`);
    }
    return {
      paymentKey: p.paymentKey,
      method: p.method ?? null,
      approvedAt: p.approvedAt ? new Date(p.approvedAt) : new Date(NaN),
      raw: p,
    };
  }

  return {
    name: 'toss',
    payer: 'BORROWER',
    async confirm(req, now) {
      if (!req.paymentKey) throw new AppError(400, 'PAYMENT_KEY_REQUIRED', 'paymentKey가 필요합니다');
      const res = await call('POST', '/v1/payments/confirm', {
        paymentKey: req.paymentKey, orderId: req.orderId, amount: req.amount,
      });
      let payment: TossPayment;
      if (res.status === 200 && res.json) {
        payment = res.json;
      } else if (res.json?.code === 'ALREADY_PROCESSED_PAYMENT') {
        // an earlier confirm (perhaps one that timed out on our side) went through: ask for its state
        const found = await call('GET', `/v1/payments/${encodeURIComponent(req.paymentKey)}`);
        if (found.status !== 200 || !found.json) throw providerFailure(found.status, found.json);
        payment = found.json;
      } else {
        throw providerFailure(res.status, res.json);
      }
      const confirmed = accept(payment, req);
      if (Number.isNaN(confirmed.approvedAt.getTime())) confirmed.approvedAt = now;
      return confirmed;
    },
    async cancel(paymentKey, reason, amount) {
      // The idempotency key makes a retried cancel (after a timeout) the same cancel at Toss (a payment
      // is refunded once: a cancel, or the deposit's return). Without cancelAmount Toss cancels it all.
      const body = amount === undefined ? { cancelReason: reason } : { cancelReason: reason, cancelAmount: amount };
      const res = await call('POST', `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`, body, {
        'idempotency-key': `chwimeet-cancel-${paymentKey}`.slice(0, 300),
      });
      if (res.status === 200 && (res.json?.status === 'CANCELED' || res.json?.status === 'PARTIAL_CANCELED')) return;
      if (res.json?.code === 'ALREADY_CANCELED_PAYMENT') return;
      throw providerFailure(res.status, res.json);
    },
  };
}

function providerFailure(status: number, body: { code?: string; message?: string } | null): AppError {
  if (status === 401 || status >= 500 || !body?.code) {
    return new AppError(502, 'PAYMENT_PROVIDER_ERROR', '결제사 오류로 결제를 확인하지 못했습니다. 잠시 후 다시 시도해 주세요', {
      providerStatus: status,
    });
  }
  return new AppError(402, 'PAYMENT_DECLINED', `결제가 승인되지 않았습니다: ${body.message ?? body.code}`, {
    providerCode: body.code,
  });
}
