// Renditions are made once per image however many instances run workers (issue 11 point 7, issue 9
// point 15): two instances share one real PostgreSQL database and one upload folder, and four rendition
// passes (two per instance) race over the same PENDING images. Every image ends READY (none lost) and
// each of its WebP renditions is written exactly once — counted at the storage's put, the only way a
// rendition reaches storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from '../../../test/postgres.ts';
import { insertPost, jpeg } from '../../../test/factories.ts';
import { sql } from '../../db/sql.ts';
import { renderPending } from './renditions.ts';

const IMAGES = 24;

let database: TemporaryDatabase;
let uploads: string;
let a: TestContext;
let b: TestContext;
/** every key written through either instance's storage */
const puts: string[] = [];

/** an instance whose storage records each put (the storage object is the one every path uses) */
async function instance(): Promise<TestContext> {
  const ctx = await createTestContext({
    env: { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `${database.name}:`, UPLOAD_DIR: uploads },
  });
  const storage = ctx.deps.storage;
  const put = storage.put.bind(storage);
  storage.put = async (key, data, type) => {
    puts.push(key);
    return put(key, data, type);
  };
  return ctx;
}

before(async () => {
  database = await createTemporaryDatabase('renditions');
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-renditions-'));
  a = await instance();
  b = await instance();
});
after(async () => {
  for (const ctx of [a, b]) await ctx?.close();
  await database?.drop();
  fs.rmSync(uploads, { recursive: true, force: true });
});

test(`two instances, four racing passes, ${IMAGES} pending images: each rendered exactly once, none lost`, async () => {
  const owner = await a.signUp();
  const postId = await insertPost(a.deps.db, owner.id, '렌디션 경합 텐트');
  const originals: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const key = `originals/2026/12/02/${crypto.randomUUID()}.jpg`;
    await a.deps.storage.put(key, await jpeg(400 + i, 300, ['#3a7', '#a37', '#37a'][i % 3]), 'image/jpeg');
    originals.push(key);
  }
  await a.deps.db.query(sql`INSERT INTO post_images (post_id, original_path, mime, width, height, sort_order)
    SELECT ${postId}, k, 'image/jpeg', 400, 300, o::int FROM unnest(${originals}::text[]) WITH ORDINALITY AS u(k, o)`);
  puts.length = 0;

  const passes = await Promise.all([renderPending(a.deps), renderPending(b.deps), renderPending(a.deps), renderPending(b.deps)]);

  const rows = await a.deps.db.query<{ id: number; status: string; thumb_path: string; detail_path: string; rendition_attempts: number }>(
    sql`SELECT id, status, thumb_path, detail_path, rendition_attempts FROM post_images WHERE post_id = ${postId} ORDER BY id`);
  assert.equal(rows.length, IMAGES);
  assert.deepEqual(rows.filter((r) => r.status !== 'READY').map((r) => r.id), [], 'every image READY');
  const writes = (key: string) => puts.filter((k) => k === key).length;
  for (const r of rows) {
    assert.equal(writes(r.thumb_path), 1, `image ${r.id}: thumb written ${writes(r.thumb_path)} times`);
    assert.equal(writes(r.detail_path), 1, `image ${r.id}: detail written ${writes(r.detail_path)} times`);
    assert.equal(r.rendition_attempts, 1, `image ${r.id} claimed once`);
  }
  assert.equal(puts.length, 2 * IMAGES, `rendition writes: ${puts.length}`);
  assert.equal(passes.reduce((s, p) => s + p.rendered, 0), IMAGES, `renders counted by the passes: ${passes.map((p) => p.rendered).join(' + ')}`);
  assert.ok(passes.filter((p) => p.rendered > 0).length >= 2, `the passes shared the work: ${passes.map((p) => p.rendered).join(' + ')}`);
  assert.deepEqual(passes.map((p) => p.failed), [0, 0, 0, 0]);
});
