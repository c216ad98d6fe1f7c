// Embedded mode keeps sessions in the database, where nothing expires by itself: expired rows are
// deleted here. Server mode keeps them in Redis with a TTL, so the job has nothing to do there.
import { deleteExpiredSessions } from '../sessions.ts';
import type { JobDefinition } from './types.ts';

export const sessionJobs: JobDefinition[] = [
  {
    name: 'sessions-cleanup',
    description: '만료된 로그인 세션 삭제 (내장 모드; 서버 모드는 Redis 가 만료시킴)',
    cron: '20 * * * *',
    async run({ deps, now }) {
      if (deps.redis) return { deleted: 0, store: 'redis' };
      return { deleted: await deleteExpiredSessions(deps.db, now), store: 'database' };
    },
  },
];
