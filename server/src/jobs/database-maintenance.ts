// Embedded mode: PGlite runs no autovacuum and no autoanalyze (it has no background processes). Without
// this job dead row versions pile up — a listing is written several times: created, its regions copied
// onto it, claimed and finished by the embedding worker — and the planner keeps the statistics of the
// day the catalogue was small. Once a night VACUUM (ANALYZE) does what autovacuum does on a server.
// It holds the embedded database while it runs (measured at 100k listings: 1.4 s; at the demo's size,
// milliseconds). Server mode: PostgreSQL's autovacuum does it.
import type { JobDefinition } from './types.ts';

export const maintenanceJobs: JobDefinition[] = [
  {
    name: 'database-maintenance',
    description: '내장 DB 정리: 죽은 행 회수와 통계 갱신 VACUUM (ANALYZE) (내장 모드; 서버 모드는 autovacuum)',
    cron: '40 4 * * *',
    async run({ deps }) {
      if (deps.db.kind !== 'pglite') return { vacuumed: false, by: 'autovacuum' };
      const started = performance.now();
      await deps.db.exec('VACUUM (ANALYZE)');
      return { vacuumed: true, ms: Math.round(performance.now() - started) };
    },
  },
];
