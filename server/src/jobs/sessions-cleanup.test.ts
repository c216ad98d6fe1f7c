// Embedded mode: expired login sessions are deleted by a scheduled job; live ones stay and keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { jobDefinitions } from './registry.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

test('sessions-cleanup is a scheduled job that deletes expired sessions only', async () => {
  const job = jobDefinitions.find((d) => d.name === 'sessions-cleanup');
  assert.ok(job, 'registered for the scheduler');
  const member = await ctx.signUp();
  const live = await ctx.deps.sessions.create(member.id);
  await ctx.deps.db.query(
    `INSERT INTO sessions (id, member_id, expires_at)
     SELECT 'expired-' || g, $1, now() - make_interval(mins => g) FROM generate_series(1, 25) g`,
    [member.id],
  );
  const result = await job.run({ deps: ctx.deps, now: new Date() });
  assert.deepEqual(result, { deleted: 25, store: 'database' });
  const left = await ctx.deps.db.query<{ id: string }>('SELECT id FROM sessions WHERE member_id = $1', [member.id]);
  assert.ok(left.every((r) => !r.id.startsWith('expired-')));
  assert.ok(left.some((r) => r.id === live));
  assert.equal(await ctx.deps.sessions.get(live), member.id);
  // a second run finds nothing left
  assert.deepEqual(await job.run({ deps: ctx.deps, now: new Date() }), { deleted: 0, store: 'database' });
});
