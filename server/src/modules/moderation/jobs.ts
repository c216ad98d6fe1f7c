// Scheduled moderation work (SPEC §6, §9).
import type { JobDefinition } from '../../jobs/types.ts';
import { AUTO_BAN_THRESHOLD, AUTO_BAN_WINDOW_DAYS, moderationService } from './service.ts';

export const reportsAutoBanJob: JobDefinition = {
  name: 'reports-auto-ban',
  description: `최근 ${AUTO_BAN_WINDOW_DAYS}일 안에 신고가 ${AUTO_BAN_THRESHOLD}건 이상 쌓인 게시글·회원·리뷰를 자동으로 제한하고 당사자에게 알립니다`,
  cron: '*/10 * * * *',
  async run({ deps, now }) {
    return moderationService(deps).autoBan(now);
  },
};

export const moderationJobs: JobDefinition[] = [reportsAutoBanJob];
