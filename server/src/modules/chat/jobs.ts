// Timed chat rules: the 약속 reminder an hour before (issue 12 point 2). Uses ctx.now only; each reminder is
// claimed by a conditional update, so a second or concurrent run sends nothing twice.
import type { JobDefinition } from '../../jobs/types.ts';
import { chatService } from './service.ts';

export const chatJobs: JobDefinition[] = [
  {
    name: 'chat-appointment-reminders',
    description: '수락된 채팅 약속 1시간 전에 두 사람에게 알림',
    cron: '*/5 * * * *',
    async run({ deps, now }) {
      return { reminded: await chatService(deps).remindAppointments(now) };
    },
  },
];
