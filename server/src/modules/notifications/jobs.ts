// Scheduled work of notifications: retention of read notifications (SPEC §9).
import type { JobDefinition } from '../../jobs/types.ts';
import { notificationQueries } from './queries.ts';

export const notificationJobs: JobDefinition[] = [
  {
    name: 'notifications-cleanup',
    description: '읽은 지 보존 기간(기본 30일)이 지난 알림 삭제',
    cron: '30 4 * * *',
    async run({ deps, now }) {
      const deleted = await notificationQueries(deps.db).deleteOldRead(now, deps.config.notificationRetentionDays);
      return { deleted, retentionDays: deps.config.notificationRetentionDays };
    },
  },
];
