// alerts-match: created/edited listings against saved searches (nudged by the listing change, and
// every minute for anything missed); alerts-dates: 빈 날짜 알림 whose dates became free (a
// reservation cancelled, rejected or expired), every minute.
import type { JobDefinition } from '../../jobs/types.ts';
import { ALERTS_MATCH_JOB, matchQueuedListings, notifyFreedDates } from './service.ts';

export const alertJobs: JobDefinition[] = [
  {
    name: ALERTS_MATCH_JOB,
    description: '새로 올라오거나 수정된 게시글을 저장한 검색(키워드 알림)과 맞춰 보고 알림을 보냅니다 (알림 × 게시글마다 한 번)',
    cron: '* * * * *',
    run: ({ deps }) => matchQueuedListings(deps),
  },
  {
    name: 'alerts-dates',
    description: '빈 날짜 알림: 기다리던 날짜가 모두 비면 (예약 취소·거절·만료) 한 번 알립니다',
    cron: '* * * * *',
    run: ({ deps, now }) => notifyFreedDates(deps, now),
  },
];
