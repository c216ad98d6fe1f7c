// The scheduler's own housekeeping job: old execution history goes, and runs whose instance died
// mid-run (no finish recorded long after the longest allowed run) are closed as FAILED.
import { jobsRepository } from './repository.ts';
import type { JobDefinition } from './types.ts';

const HISTORY_RETENTION_DAYS = 90;
/** a run still open this long after its start lost its instance (runs are capped at 1 h by pg-boss) */
const ABANDONED_AFTER_HOURS = 2;

const historyCleanupJob: JobDefinition = {
  name: 'jobs-history-cleanup',
  description: `작업 실행 이력 정리 (${HISTORY_RETENTION_DAYS}일 지난 이력 삭제, 중단된 실행 종료 처리)`,
  cron: '30 4 * * *',
  async run({ deps, now }) {
    const runs = jobsRepository(deps.db);
    const abandoned = await runs.closeAbandoned(now, ABANDONED_AFTER_HOURS, '인스턴스가 실행 도중 종료되었습니다');
    const deleted = await runs.deleteOlderThan(now, HISTORY_RETENTION_DAYS);
    return { abandoned, deleted };
  },
};

export const schedulerJobs: JobDefinition[] = [historyCleanupJob];
