// Shared S3 storage with two server-mode instances (real Postgres and Redis, a real S3 server started
// here): uploads land in the bucket (never in a local folder), each image is rendered exactly once
// however many instances run workers (their 'images-render' jobs, and passes started by hand), both instances serve every object with the cache headers, and
// edits, avatar changes and the orphan purge delete from the bucket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import sharp from 'sharp';
import { createTestContext, type TestContext } from './helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from './postgres.ts';
import { startLocalS3, type LocalS3 } from './s3-server.ts';
import { claimRenditions, imageJobs, renderPending } from '../src/modules/images/renditions.ts';
import { purgeOrphanFiles } from '../src/modules/posts/jobs.ts';
import { jpeg, multipart, sendPost } from './factories.ts';

let s3: LocalS3;
let database: TemporaryDatabase;
let a: TestContext & { url: string };
let b: TestContext & { url: string };
let owner: Awaited<ReturnType<TestContext['signUp']>>;
let categoryId: number;
let regionId: number;

async function instance() {
  const ctx = await createTestContext({
    env: { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, ...s3.env() },
    jobs: { definitions: imageJobs, workers: true, pollingIntervalSeconds: 1 },
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = ctx.app.server.address() as { port: number };
  return Object.assign(ctx, { url: `http://127.0.0.1:${addr.port}` });
}

before(async () => {
  s3 = await startLocalS3();
  database = await createTemporaryDatabase('s3');
  a = await instance();
  b = await instance();
  owner = await a.signUp();
  categoryId = (await a.deps.db.one<{ id: number }>(
    "SELECT c.id FROM categories c JOIN categories p ON p.id = c.parent_id WHERE p.name = '캠핑' ORDER BY c.id LIMIT 1",
  ))!.id;
  regionId = (await a.deps.db.one<{ id: number }>('SELECT id FROM regions WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1'))!.id;
});

after(async () => {
  for (const inst of [a, b]) await inst?.close();
  await database?.drop();
  await s3?.stop();
});

const listing = (title: string) => ({
  title, content: '공유 저장소 테스트용 게시글입니다.', categoryId, regionIds: [regionId], fee: 10000, deposit: 20000,
  receiveMethod: 'DIRECT', returnMethod: 'ANY',
});

async function create(ctx: TestContext, title: string, count: number) {
  const images = await Promise.all(Array.from({ length: count }, (_, i) => jpeg(320 + i * 16, 240, ['#3a7', '#a37', '#37a'][i % 3])));
  const res = await sendPost(ctx.app, { cookie: owner.cookie, data: listing(title), images });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function waitUntil(what: string, check: () => Promise<boolean>, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = (list: string[], key: string) => list.filter((k) => k === key).length;
const localFiles = (ctx: TestContext) =>
  fs.existsSync(ctx.deps.config.uploadDir) ? fs.readdirSync(ctx.deps.config.uploadDir, { recursive: true }).filter((f) => !fs.statSync(`${ctx.deps.config.uploadDir}/${f}`).isDirectory()) : [];

test('two instances: every image is rendered exactly once, stored in the bucket, and served by both', async () => {
  // uploads made while no worker runs: a pass on each instance and both schedulers (whose start queues
  // a pass) then start at the same moment and compete for them
  const early = [await create(a, '먼저 올린 텐트', 3), await create(b, '먼저 올린 의자', 3), await create(a, '먼저 올린 랜턴', 2)];
  await Promise.all([renderPending(a.deps), renderPending(b.deps), a.deps.jobs.start(), b.deps.jobs.start()]);
  // and uploads made while both run, on either instance: each upload queues the job
  const late = [await create(b, '나중에 올린 버너', 2), await create(a, '나중에 올린 코펠', 3), await create(b, '나중에 올린 타프', 2)];
  const postIds = [...early, ...late];

  await waitUntil('all renditions', async () => {
    const r = await a.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM post_images WHERE status <> 'READY'");
    return r!.n === 0;
  });
  const images = await a.deps.db.query<{ id: number; original_path: string; thumb_path: string; detail_path: string; rendition_attempts: number }>(
    'SELECT id, original_path, thumb_path, detail_path, rendition_attempts FROM post_images WHERE post_id = ANY($1::bigint[]) ORDER BY id',
    [postIds],
  );
  assert.equal(images.length, 15);
  for (const img of images) {
    assert.equal(img.rendition_attempts, 1, `image ${img.id} claimed once`);
    assert.equal(count(s3.writes, img.original_path), 1, `${img.original_path} uploaded once`);
    assert.equal(count(s3.writes, img.thumb_path), 1, `${img.thumb_path} rendered once`);
    assert.equal(count(s3.writes, img.detail_path), 1, `${img.detail_path} rendered once`);
  }
  assert.equal(s3.writes.filter((k) => k.endsWith('.webp')).length, 30, 'no other rendition writes');
  assert.deepEqual([...localFiles(a), ...localFiles(b)], [], 'nothing was written to a local folder');

  // both instances serve every original and rendition from the bucket, byte for byte the same
  const detail = await (await fetch(`${b.url}/api/v1/posts/${postIds[0]}`)).json();
  for (const image of detail.images as { originalUrl: string; thumbUrl: string; detailUrl: string }[]) {
    for (const url of [image.originalUrl, image.thumbUrl, image.detailUrl]) {
      const [fromA, fromB] = await Promise.all([fetch(a.url + url), fetch(b.url + url)]);
      for (const res of [fromA, fromB]) {
        assert.equal(res.status, 200, url);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.match(res.headers.get('content-type')!, url.endsWith('.webp') ? /^image\/webp/ : /^image\/jpeg/);
        assert.ok(res.headers.get('etag'));
      }
      const [bodyA, bodyB] = [Buffer.from(await fromA.arrayBuffer()), Buffer.from(await fromB.arrayBuffer())];
      assert.ok(bodyA.length > 0 && bodyA.equals(bodyB));
      const revalidate = await fetch(b.url + url, { headers: { 'if-none-match': fromA.headers.get('etag')! } });
      assert.equal(revalidate.status, 304);
    }
    const thumb = await sharp(Buffer.from(await (await fetch(a.url + image.thumbUrl)).arrayBuffer())).metadata();
    assert.equal(thumb.format, 'webp');
  }
  const missing = await fetch(`${a.url}/media/originals/2026/01/01/nope.jpg`);
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type')!, /problem\+json/);
  for (const bad of ['/media/..%2f..%2fetc/passwd', '/media/.hidden', '/media/originals//x.jpg']) {
    const res = await fetch(a.url + bad);
    assert.notEqual(res.status, 200, bad);
    assert.ok(res.status < 500, `${bad} → ${res.status}`);
  }
});

test('an edit that drops an image deletes its original and renditions from the bucket; both instances answer 404', async () => {
  const postId = await create(a, '편집할 텐트', 2);
  await waitUntil('renditions', async () =>
    (await a.deps.db.one<{ n: number }>("SELECT count(*)::int AS n FROM post_images WHERE post_id = $1 AND status = 'READY'", [postId]))!.n === 2);
  const before = await (await fetch(`${a.url}/api/v1/posts/${postId}`)).json();
  const [keep, drop] = before.images as { id: number; originalUrl: string; thumbUrl: string; detailUrl: string }[];
  const res = await sendPost(b.app, {
    method: 'PUT', url: `/api/v1/posts/${postId}`, cookie: owner.cookie,
    data: { ...listing('편집한 텐트'), keepImageIds: [keep.id] }, images: [],
  });
  assert.equal(res.statusCode, 200, res.body);
  for (const url of [drop.originalUrl, drop.thumbUrl, drop.detailUrl]) {
    const key = url.replace('/media/', '');
    assert.equal(count(s3.deletes, key), 1, `${key} deleted from the bucket`);
    for (const inst of [a, b]) assert.equal((await fetch(inst.url + url)).status, 404, url);
  }
  assert.equal((await fetch(a.url + keep.thumbUrl)).status, 200);
});

test('an avatar uploaded on A is served by B; replacing it deletes the old object', async () => {
  const upload = async (color: string) => {
    const body = multipart([{ name: 'image', value: await jpeg(100, 100, color), filename: 'me.jpg' }]);
    const res = await a.app.inject({ method: 'PUT', url: '/api/v1/members/me/avatar', payload: body.payload, headers: { ...body.headers, cookie: owner.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().avatarUrl as string;
  };
  const first = await upload('#123');
  assert.equal((await fetch(b.url + first)).status, 200);
  const second = await upload('#456');
  assert.notEqual(first, second);
  assert.equal(count(s3.deletes, first.replace('/media/', '')), 1);
  assert.equal((await fetch(b.url + first)).status, 404);
  assert.equal((await fetch(b.url + second)).status, 200);
});

test('the orphan purge lists the bucket: removes objects nothing refers to, keeps the referenced ones', async () => {
  await a.deps.storage.put('originals/2020/01/01/orphan.jpg', await jpeg(), 'image/jpeg');
  const referenced = (await a.deps.db.one<{ p: string }>('SELECT original_path AS p FROM post_images ORDER BY id LIMIT 1'))!.p;
  // the grace period protects fresh uploads; judge them from two days later
  const removed = await purgeOrphanFiles(a.deps, new Date(Date.now() + 2 * 86_400_000));
  assert.ok(removed >= 1);
  assert.equal(count(s3.deletes, 'originals/2020/01/01/orphan.jpg'), 1);
  assert.equal(count(s3.deletes, referenced), 0);
  assert.equal((await fetch(`${b.url}/media/${referenced}`)).status, 200);
});

test('claims: a live claim is skipped by other workers, an expired one is taken over', async () => {
  await Promise.all([a.deps.jobs.stop(), b.deps.jobs.stop()]); // only this test's claims from here on
  const postId = await create(a, '청구 테스트', 1);
  const [img] = await a.deps.db.query<{ id: number }>('SELECT id FROM post_images WHERE post_id = $1', [postId]);
  // whichever worker already took it, pretend it is held by a live worker (claimed just now)...
  await a.deps.db.query("UPDATE post_images SET status = 'PENDING', rendition_claimed_at = now() WHERE id = $1", [img.id]);
  assert.equal((await claimRenditions(b.deps, 100)).some((c) => c.id === img.id), false, 'a live claim is not taken');
  // ...and by a worker that died 10 minutes ago
  await a.deps.db.query("UPDATE post_images SET rendition_claimed_at = now() - interval '10 minutes' WHERE id = $1", [img.id]);
  const taken = await claimRenditions(b.deps, 100);
  assert.equal(taken.some((c) => c.id === img.id), true, 'an expired claim is taken over');
  assert.equal((await claimRenditions(a.deps, 100)).some((c) => c.id === img.id), false, 'and then held');
});
