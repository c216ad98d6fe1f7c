// The claim pattern on the machine's real PostgreSQL (no pgvector there): several workers with
// separate connections never embed a listing twice, and a crashed worker's claims come back.
// Runs in a dedicated database created here and dropped at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgres, type Database } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { sql } from '../../db/sql.ts';
import type { Embedder } from '../../ai/types.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/postgres.ts';
import { createEmbeddingWorker, type WorkerOptions } from './worker.ts';
import { embeddingsRepository } from './repository.ts';
import { embeddingJobs } from './service.ts';
import { categoryId, ensureMember, regionId } from '../../../test/factories.ts';

let database: TemporaryDatabase;
let setup: Database;
const opts: WorkerOptions = { leaseMs: 60_000, maxAttempts: 5, batchSize: 16, backoffBaseMs: 1000 };

/** Counts every text it embeds; a little async delay so workers interleave. */
function countingEmbedder(counts: Map<string, number>): Embedder {
  return {
    id: 'counting-v1',
    dimensions: 8,
    async embed(texts) {
      await new Promise((r) => setTimeout(r, 2));
      for (const t of texts) {
        const key = t.split('\n')[0];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return texts.map(() => [1, 0, 0, 0, 0, 0, 0, 0]);
    },
  };
}

async function insertWaiting(db: Database, n: number, prefix: string): Promise<void> {
  const author = await ensureMember(db, 'claimer');
  const cat = await categoryId(db, '텐트');
  const region = await regionId(db, '서울특별시 마포구');
  await db.query(sql`WITH p AS (
      INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
      SELECT ${author}, ${prefix} || ' ' || g, '내용 ' || g, ${cat}, 1000, 1000, 'ANY', 'ANY' FROM generate_series(1, ${n}) g
      RETURNING id)
    INSERT INTO post_regions (post_id, region_id) SELECT id, ${region} FROM p`);
}

before(async () => {
  database = await createTemporaryDatabase('emb');
  setup = await openPostgres(database.url, 2);
  await migrate(setup);
});

after(async () => {
  await setup?.close();
  await database?.drop();
});

test('4 workers with separate connections over 500 WAIT listings: each embedded exactly once, none left PENDING', async () => {
  assert.equal(setup.vectorAvailable, false, 'the machine Postgres has no pgvector: DONE is recorded without a vector');
  await insertWaiting(setup, 500, '동시성');
  const counts = new Map<string, number>();
  const embedder = countingEmbedder(counts);
  const dbs = await Promise.all([1, 2, 3, 4].map(() => openPostgres(database.url, 2)));
  try {
    for (const db of dbs) await migrate(db); // marks vector availability as at start; applies nothing
    const results = await Promise.all(dbs.map((db) => createEmbeddingWorker(db, embedder, opts).drain(() => new Date())));
    const done = results.reduce((s, r) => s + r.done, 0);
    assert.equal(done, 500);
    assert.ok(results.filter((r) => r.done > 0).length >= 2, `work was shared: ${results.map((r) => r.done).join(',')}`);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
  assert.equal(counts.size, 500);
  assert.deepEqual([...new Set(counts.values())], [1], 'no listing embedded twice');
  const states = await setup.query(sql`SELECT embedding_status, count(*)::int AS n, min(embedding_model) AS model
    FROM posts WHERE title LIKE '동시성 %' GROUP BY 1`);
  assert.deepEqual(states, [{ embedding_status: 'DONE', n: 500, model: 'counting-v1' }]);
});

test('a worker that claims and dies: the lease returns its rows to WAIT and another worker finishes them', async () => {
  await insertWaiting(setup, 20, '충돌');
  const t0 = new Date();
  const hanging: Embedder = { id: 'counting-v1', dimensions: 8, embed: () => new Promise<number[][]>(() => {}) };
  const dying = createEmbeddingWorker(setup, hanging, { ...opts, batchSize: 20 });
  void dying.runOnce(t0); // claims, then never finishes
  for (let i = 0; i < 100; i++) {
    const r = await setup.one(sql`SELECT count(*)::int AS n FROM posts WHERE title LIKE '충돌 %' AND embedding_status = 'PENDING'`);
    if (r!.n === 20) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const counts = new Map<string, number>();
  const rescuer = createEmbeddingWorker(setup, countingEmbedder(counts), opts);
  // within the lease nothing is taken from the dead worker
  const early = await rescuer.drain(() => new Date(t0.getTime() + opts.leaseMs - 1000));
  assert.equal(early.recovered, 0);
  assert.equal(counts.size, 0);
  // after the lease: back to WAIT, then embedded
  const late = await rescuer.drain(() => new Date(t0.getTime() + opts.leaseMs + 1000));
  assert.equal(late.recovered, 20);
  assert.equal(late.done, 20);
  const left = await setup.query(sql`SELECT embedding_status, embedding_attempts FROM posts WHERE title LIKE '충돌 %' GROUP BY 1, 2`);
  assert.deepEqual(left, [{ embedding_status: 'DONE', embedding_attempts: 0 }]);
});

test('on Postgres without pgvector: search says semantic is unavailable and keyword search still works', async () => {
  const { createTestContext } = await import('../../../test/helpers.ts');
  const ctx = await createTestContext({ env: { DATABASE_URL: database.url } });
  try {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('동시성 17')}` });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.semanticAvailable, false);
    assert.equal(body.items[0].listing.title, '동시성 17');
    assert.equal(body.items[0].match.semantic, null);
    const ai = (await ctx.app.inject({ method: 'GET', url: `/api/v1/search-ai?q=${encodeURIComponent('동시성 17')}` })).json();
    assert.equal(ai.semanticAvailable, false);
    assert.equal(ai.mode, 'extractive');
    // the nightly vector index job has no index to fit
    const indexJob = embeddingJobs.find((j) => j.name === 'embeddings-index')!;
    assert.deepEqual(await indexJob.run({ deps: ctx.deps, now: new Date() }), { skipped: 'no vector store' });
  } finally {
    await ctx.close();
  }
});

test('the vector index build lock: one session at a time, released when its transaction ends', async () => {
  const other = await openPostgres(database.url, 1);
  try {
    await setup.transaction(async (tx) => {
      assert.equal(await embeddingsRepository(tx).lockVectorIndexBuild(512), true);
      assert.equal(await other.transaction((o) => embeddingsRepository(o).lockVectorIndexBuild(512)), false, 'held by the first');
      assert.equal(await other.transaction((o) => embeddingsRepository(o).lockVectorIndexBuild(1024)), true, 'another table: its own lock');
    });
    assert.equal(await other.transaction((o) => embeddingsRepository(o).lockVectorIndexBuild(512)), true, 'free once the first committed');
  } finally {
    await other.close();
  }
});
