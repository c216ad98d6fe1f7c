// Embedded mode: the nightly maintenance job reclaims dead row versions and refreshes the planner's
// statistics, which PGlite (no autovacuum) would otherwise never do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { insertListings } from '../../test/factories.ts';
import { jobDefinitions } from './registry.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

// VACUUM reports its count to the statistics at once; the UPDATE's dead-row count may reach them later
// (pending statistics are flushed when the session is idle), so dead rows are not compared
const postsStats = async () => (await ctx.deps.db.one<{ reltuples: number; vacuums: number }>(
  `SELECT c.reltuples::int AS reltuples, s.vacuum_count::int AS vacuums
   FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'posts'`))!;

test('database-maintenance is a nightly job that vacuums and analyzes the embedded database', async () => {
  const job = jobDefinitions.find((d) => d.name === 'database-maintenance');
  assert.ok(job, 'registered for the scheduler');
  if (ctx.deps.db.kind !== 'pglite') {
    // TEST_DB=postgres: autovacuum's work, the job leaves it alone
    assert.deepEqual(await job.run({ deps: ctx.deps, now: new Date() }), { vacuumed: false, by: 'autovacuum' });
    return;
  }
  await insertListings(ctx.deps.db, Array.from({ length: 120 }, (_, i) => ({ title: `텐트 ${i}`, content: '캠핑용 텐트', category: '텐트' })));
  await ctx.deps.db.exec(`UPDATE posts SET fee = fee + 1000`);
  const before = await postsStats();
  assert.ok(before.reltuples < 120, `statistics before: ${before.reltuples} rows`);
  const result = (await job.run({ deps: ctx.deps, now: new Date() })) as { vacuumed: boolean };
  assert.equal(result.vacuumed, true);
  const afterRun = await postsStats();
  assert.equal(afterRun.vacuums, before.vacuums + 1, 'posts vacuumed once');
  assert.ok(afterRun.reltuples >= 120, `statistics after: ${afterRun.reltuples} rows`);
});
