// The mail-send job: delivers the outbox. Nudged by every queued mail; the minute cron retries failures.
import type { JobDefinition } from '../../jobs/types.ts';
import { MAIL_JOB, mailService } from './service.ts';

export const mailJobs: JobDefinition[] = [
  {
    name: MAIL_JOB,
    description: '메일 발송 (비밀번호 재설정, 이메일 인증, 알림 메일; 실패하면 다시 시도)',
    cron: '* * * * *',
    run: ({ deps, now }) => mailService(deps).deliverDue(now),
  },
];
