// Payments that must not be lost (issue 9 point 7): cancels that failed are retried, and captures a
// crashed request left half-done are applied or refunded.
import type { JobDefinition } from '../../jobs/types.ts';
import { paymentsService } from './service.ts';

export const paymentsReconcileJob: JobDefinition = {
  name: 'payments-reconcile',
  description: '결제사에서 승인됐지만 예약에 반영하지 못한 결제를 마저 반영하거나 취소(환불)하고, 실패한 결제 취소를 다시 시도합니다',
  cron: '*/5 * * * *',
  async run({ deps, now }) {
    return paymentsService(deps).reconcile(now);
  },
};

export const paymentJobs: JobDefinition[] = [paymentsReconcileJob];
