// The report job on the machine's real Postgres with two app instances running it at the same time:
// every target is banned once, logged once and its owner notified once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/postgres.ts';
import { reportsAutoBanJob } from './jobs.ts';

let database: TemporaryDatabase;
let instances: TestContext[] = [];

before(async () => {
  database = await createTemporaryDatabase('autoban');
  const env = { DATABASE_URL: database.url };
  instances = [await createTestContext({ env }), await createTestContext({ env })];
});

after(async () => {
  for (const i of instances) await i.close();
  await database?.drop();
});

test('two instances running the job concurrently ban each target exactly once', async () => {
  const db = instances[0].deps.db;
  const members = await db.query<{ id: number }>(
    `INSERT INTO members (email, password_hash, nickname)
     SELECT 'm' || g || '@example.com', 'x', '회원' || g FROM generate_series(1, 30) g RETURNING id`,
  );
  const ids = members.map((m) => m.id);
  const [owners, reporters] = [ids.slice(0, 20), ids.slice(20)];
  const posts = await db.query<{ id: number }>(
    `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
     SELECT o, '게시글 ' || o, '내용', (SELECT id FROM categories WHERE parent_id IS NOT NULL LIMIT 1), 1000, 0, 'DIRECT', 'DIRECT'
     FROM unnest($1::bigint[]) o RETURNING id`,
    [owners.slice(0, 15)],
  );
  // the reporters have standing (moderation/standing.ts): old, independent accounts with a completed rental each
  await db.query(
    `UPDATE members SET created_at = now() - make_interval(days => 60 + id::int), signup_ip = '198.51.100.' || id WHERE id = ANY($1::bigint[])`,
    [reporters],
  );
  await db.query(
    `INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
       days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount)
     SELECT $2, r, $3, 'REFUND_COMPLETED', date '2024-01-10', date '2024-01-12', 'DIRECT', 'DIRECT', 3, 1000, 0, 3000, 0, 0, 3000
     FROM unnest($1::bigint[]) r`,
    [reporters, posts[0].id, owners[0]],
  );
  const now = new Date();
  const targets = [
    ...posts.map((p) => ['POST', p.id] as const),
    ...owners.slice(15).map((m) => ['MEMBER', m] as const),
  ];
  for (const [type, id] of targets) {
    await db.query(
      `INSERT INTO reports (reporter_id, target_type, target_id, reason, created_at)
       SELECT r, $2, $3, 'SPAM', $4 FROM unnest($1::bigint[]) r`,
      [reporters.slice(0, 5), type, id, now],
    );
  }

  const runs = await Promise.all(
    Array.from({ length: 6 }, (_, i) => reportsAutoBanJob.run({ deps: instances[i % 2].deps, now })),
  );
  const banned = runs.reduce((n, o) => n + Number(o?.banned ?? 0), 0);
  assert.equal(banned, targets.length, 'the runs together ban every target once');

  const perOwner = await db.query<{ member_id: number; n: number }>(
    `SELECT member_id, count(*)::int AS n FROM notifications WHERE type = 'MODERATION' GROUP BY member_id`,
  );
  assert.equal(perOwner.length, owners.length);
  assert.ok(perOwner.every((r) => r.n === 1), JSON.stringify(perOwner));
  const actions = await db.one<{ n: number; distinct_targets: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT (target_type, target_id))::int AS distinct_targets FROM moderation_actions`,
  );
  assert.deepEqual(actions, { n: targets.length, distinct_targets: targets.length });
  const unbanned = await db.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM posts WHERE banned_at IS NULL)::int + (SELECT count(*) FROM members WHERE id = ANY($1) AND banned_at IS NULL)::int AS n`,
    [owners.slice(15)],
  );
  assert.equal(unbanned!.n, 0);
});
