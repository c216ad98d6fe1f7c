// How a reservation gets paid. The server alone decides that a reservation is paid (SPEC §5):
// "direct" — the lender confirms that the borrower paid them (cash, transfer);
// "toss"   — the borrower pays in Toss's widget, the browser hands us paymentKey/orderId/amount and the
//            server confirms with Toss itself before marking anything paid.
import type { Config } from '../../config.ts';
import { createTossProvider } from './toss.ts';

export interface ConfirmRequest {
  orderId: string;
  amount: number;
  /** Toss paymentKey; absent for direct */
  paymentKey?: string;
}

export interface ConfirmedPayment {
  paymentKey: string | null;
  method: string | null;
  approvedAt: Date;
  raw: unknown;
}

export interface PaymentProvider {
  readonly name: 'direct' | 'toss';
  /** who calls POST /reservations/:id/payment/confirm */
  readonly payer: 'LENDER' | 'BORROWER';
  /** Asks the provider to settle; throws an AppError (402/409/502/504) when it did not. */
  confirm(req: ConfirmRequest, now: Date): Promise<ConfirmedPayment>;
  /**
   * Gives the payment back: all of it (a capture whose reservation can no longer be paid), or
   * `amount` of it (a partial refund). Resolves when the provider says it is cancelled (also when it
   * already was); throws when it did not.
   */
  cancel(paymentKey: string, reason: string, amount?: number): Promise<void>;
}

export const directProvider: PaymentProvider = {
  name: 'direct',
  payer: 'LENDER',
  async confirm(_req, now) {
    return { paymentKey: null, method: 'DIRECT', approvedAt: now, raw: null };
  },
  async cancel() {
    // no money passed through us: the lender and borrower settle between themselves
  },
};

export function createPaymentProvider(config: Config['payments']): PaymentProvider {
  return config.provider === 'toss' ? createTossProvider(config) : directProvider;
}

/** who confirms payment under the configured provider (no provider instance needed) */
export const payerOf = (config: Config['payments']): 'LENDER' | 'BORROWER' =>
  config.provider === 'toss' ? 'BORROWER' : 'LENDER';

/** The order id the browser passes to Toss's widget and back to us. */
export const orderIdOf = (reservationId: number) => `chwimeet-rsv-${reservationId}`;
