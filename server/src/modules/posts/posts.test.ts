import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { RENDER_JOB, renderPending } from '../images/renditions.ts';
import { EMBED_JOB } from '../embeddings/service.ts';
import { ALERTS_MATCH_JOB } from '../alerts/service.ts';
import { sql } from '../../db/sql.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';
import { countingJobs, jpeg, jpegWithGps, multipart, sendPost, imageParts, waitFor } from '../../../test/factories.ts';

let ctx: TestContext;
let owner: Awaited<ReturnType<TestContext['signUp']>>;
let other: Awaited<ReturnType<TestContext['signUp']>>;
let admin: { id: number; cookie: string };
const cat: Record<string, number> = {};
const reg: Record<string, number> = {};
let img: Buffer;
const JOBS = [EMBED_JOB, RENDER_JOB, ALERTS_MATCH_JOB].sort();
/** the jobs a change queues, counted instead of run (the rendition test renders by hand) */
const { definitions } = countingJobs(JOBS);

const jobRows = () => ctx.deps.db.query<{ id: string; name: string; data: unknown; state: string }>(
  sql`SELECT id, name, data, state FROM pgboss.job WHERE name IN (${JOBS[0]}, ${JOBS[1]}, ${JOBS[2]})`);

/**
 * What `request` queued: the pg-boss jobs (name and payload) that were not there before it. None of
 * these jobs is waiting when it starts (the workers have taken them), so a nudge during the request
 * cannot have collapsed into an older one and every new row is this request's.
 */
async function jobsQueuedBy<T>(request: () => Promise<T>): Promise<[T, { name: string; data: unknown }[]]> {
  await waitFor(async () => (await jobRows()).every((j) => j.state !== 'created' && j.state !== 'retry'), 'no job of ours waiting');
  const before = new Set((await jobRows()).map((j) => j.id));
  const result = await request();
  const added = (await jobRows()).filter((j) => !before.has(j.id)).map(({ name, data }) => ({ name, data }));
  return [result, added.sort((a, b) => a.name.localeCompare(b.name))];
}

/**
 * A created or edited listing queues each job once, and the listing itself is the work they will take:
 * its embedding is WAIT, its new images PENDING, its id in the alerts-match queue. (The job payloads
 * carry no id by design: a nudge runs the pass over every waiting row, so bursts collapse into one run.)
 */
async function assertQueuedFor(id: number, jobs: { name: string; data: unknown }[]) {
  assert.deepEqual(jobs, JOBS.map((name) => ({ name, data: { trigger: 'NUDGE' } })));
  const { db } = ctx.deps;
  assert.equal((await db.one<{ s: string }>(sql`SELECT embedding_status AS s FROM posts WHERE id = ${id}`))!.s, 'WAIT');
  assert.ok((await db.one(sql`SELECT 1 FROM alert_checks WHERE post_id = ${id}`)) !== null, 'queued for the alerts match');
  const pending = await db.query(sql`SELECT 1 FROM post_images WHERE post_id = ${id} AND status = 'PENDING'`);
  assert.ok(pending.length > 0, 'new images wait for renditions');
}

before(async () => {
  ctx = await createTestContext({ jobs: { definitions, workers: true, pollingIntervalSeconds: 1 } });
  await ctx.deps.jobs.start();
  owner = await ctx.signUp();
  other = await ctx.signUp();
  admin = await ctx.admin();
  img = await jpeg();
  const q = ctx.deps.db;
  for (const r of await q.query<{ id: number; name: string; parent: string | null }>(
    'SELECT c.id, c.name, p.name AS parent FROM categories c LEFT JOIN categories p ON p.id = c.parent_id',
  )) cat[r.parent ? `${r.parent}>${r.name}` : r.name] = r.id;
  for (const r of await q.query<{ id: number; name: string; parent: string | null }>(
    'SELECT c.id, c.name, p.name AS parent FROM regions c LEFT JOIN regions p ON p.id = c.parent_id',
  )) reg[r.parent ? `${r.parent}>${r.name}` : r.name] = r.id;
});
after(() => ctx.close());

const base = () => ({
  title: '캠핑용 4인용 텐트 빌려드려요',
  content: '한 번 사용한 깨끗한 텐트입니다. 주말 캠핑에 좋아요.',
  categoryId: cat['캠핑>텐트'],
  regionIds: [reg['서울특별시>마포구']],
  fee: 15000,
  deposit: 50000,
  receiveMethod: 'DIRECT',
  returnMethod: 'ANY',
  returnAddress: '서울 마포구 월드컵로 1',
  options: [{ name: '타프', fee: 5000, deposit: 10000 }],
  blockedDates: ['2099-01-02', '2099-01-03'],
});

async function create(cookie: string, data: Record<string, unknown> = {}, images: Buffer[] = [img]) {
  const res = await sendPost(ctx.app, { cookie, data: { ...base(), ...data }, images });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}
const get = (url: string, cookie?: string) => ctx.app.inject({ url, headers: cookie ? { cookie } : {} });
const count = async (table: string) => (await ctx.deps.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))!.n;
const filesUnder = (dir: string): string[] => {
  const abs = path.join(ctx.deps.config.uploadDir, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
};

test('create: anonymous 401; owner creates; detail and list show it with original-image fallback', async () => {
  const anon = await sendPost(ctx.app, { data: base(), images: [img] });
  assert.equal(anon.statusCode, 401);

  const second = await jpeg(80, 60, '#00f');
  const [id, jobs] = await jobsQueuedBy(() => create(owner.cookie, {}, [img, second]));
  await assertQueuedFor(id, jobs);

  const detail = (await get(`/api/v1/posts/${id}`, other.cookie)).json();
  assert.equal(detail.title, base().title);
  assert.deepEqual(detail.categoryPath.map((c: { name: string }) => c.name), ['캠핑', '텐트']);
  assert.deepEqual(detail.regions.map((r: { name: string; parentName: string }) => `${r.parentName} ${r.name}`), ['서울특별시 마포구']);
  assert.equal(detail.images.length, 2);
  assert.equal(detail.images[0].isPrimary, true);
  assert.equal(detail.images[0].status, 'PENDING');
  assert.equal(detail.images[0].thumbUrl, detail.images[0].originalUrl);
  assert.deepEqual(detail.options.map((o: { name: string }) => o.name), ['타프']);
  assert.deepEqual(detail.blockedDates, ['2099-01-02', '2099-01-03']);
  assert.equal(detail.owner.id, owner.id);
  assert.equal(detail.isOwner, false);
  assert.equal(detail.isFavorite, false);
  assert.equal(detail.embeddingStatus, 'WAIT');
  assert.equal((await get(`/api/v1/posts/${id}`, owner.cookie)).json().isOwner, true);

  const list = (await get('/api/v1/posts?limit=50')).json();
  const item = list.items.find((i: { id: number }) => i.id === id);
  assert.ok(item);
  assert.equal(item.thumbnailUrl, detail.images[0].originalUrl);
  assert.deepEqual(item.regions, ['서울특별시 마포구']);
  assert.equal(item.category.parent.name, '캠핑');
  assert.equal(item.author.nickname, detail.owner.nickname);
  assert.equal(item.banned, false);

  const dates = (await get(`/api/v1/posts/${id}/unavailable-dates?from=2099-01-01&to=2099-01-02`)).json();
  assert.deepEqual(dates, { dates: ['2099-01-02'] });
  // default window is today .. today + 365 days: the 2099 blocks are outside it
  assert.deepEqual((await get(`/api/v1/posts/${id}/unavailable-dates`)).json().dates, []);
});

test('primaryIndex picks the primary image', async () => {
  const id = await create(owner.cookie, { primaryIndex: 1 }, [img, img]);
  const detail = (await get(`/api/v1/posts/${id}`)).json();
  assert.deepEqual(detail.images.map((i: { isPrimary: boolean }) => i.isPrimary), [false, true]);
});

test('bad input is 400 and stores nothing (no rows, no files)', async () => {
  const postsBefore = await count('posts');
  const imagesBefore = await count('post_images');
  const filesBefore = filesUnder('originals').length;
  const fake = Buffer.from('이것은 이미지가 아니라 텍스트입니다');
  const cases: [string, Record<string, unknown> | string | null, Buffer[], string][] = [
    ['missing data', null, [img], 'DATA_REQUIRED'],
    ['bad json', '{"title": ', [img], 'INVALID_JSON'],
    ['missing title', { title: undefined }, [img], 'VALIDATION_FAILED'],
    ['fee as string', { fee: '15000' }, [img], 'VALIDATION_FAILED'],
    ['negative deposit', { deposit: -1 }, [img], 'VALIDATION_FAILED'],
    ['fee too large', { fee: 10_000_001 }, [img], 'VALIDATION_FAILED'],
    ['fractional fee', { fee: 10.5 }, [img], 'VALIDATION_FAILED'],
    ['title too long', { title: '가'.repeat(101) }, [img], 'VALIDATION_FAILED'],
    ['bad method', { receiveMethod: 'POST' }, [img], 'VALIDATION_FAILED'],
    ['no regions', { regionIds: [] }, [img], 'VALIDATION_FAILED'],
    ['unknown field', { extra: 1 }, [img], 'VALIDATION_FAILED'],
    ['six options', { options: Array.from({ length: 6 }, (_, i) => ({ name: `옵션${i}`, fee: 0, deposit: 0 })) }, [img], 'VALIDATION_FAILED'],
    ['bad date format', { blockedDates: ['2099/01/01'] }, [img], 'VALIDATION_FAILED'],
    ['impossible date', { blockedDates: ['2099-02-30'] }, [img], 'INVALID_DATE'],
    ['non-leaf category', { categoryId: cat.캠핑 }, [img], 'CATEGORY_NOT_LEAF'],
    ['unknown category', { categoryId: 999999 }, [img], 'UNKNOWN_CATEGORY'],
    ['unknown region', { regionIds: [reg['서울특별시>마포구'], 999999] }, [img], 'UNKNOWN_REGION'],
    ['no images', {}, [], 'IMAGE_REQUIRED'],
    ['primary out of range', { primaryIndex: 3 }, [img], 'INVALID_PRIMARY'],
    ['fake image after a good one', {}, [img, fake], 'INVALID_IMAGE'],
    ['eleven images', {}, Array(11).fill(img), 'TOO_MANY_IMAGES'],
  ];
  for (const [name, data, images, code] of cases) {
    const parts =
      data === null ? imageParts(images)
      : [{ name: 'data', value: typeof data === 'string' ? data : JSON.stringify({ ...base(), ...data }) }, ...imageParts(images)];
    const body = multipart(parts);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/posts', payload: body.payload, headers: { ...body.headers, cookie: owner.cookie } });
    assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /problem\+json/);
    assert.equal(res.json().code, code, name);
    assert.match(res.json().detail, /[가-힣]/, name);
  }
  const json = await ctx.app.inject({ method: 'POST', url: '/api/v1/posts', payload: base(), headers: { cookie: owner.cookie } });
  assert.equal(json.statusCode, 415);
  const wrongField = multipart([{ name: 'data', value: JSON.stringify(base()) }, { name: 'photo', value: img, filename: 'a.jpg' }]);
  const wf = await ctx.app.inject({ method: 'POST', url: '/api/v1/posts', payload: wrongField.payload, headers: { ...wrongField.headers, cookie: owner.cookie } });
  assert.equal(wf.statusCode, 400);

  assert.equal(await count('posts'), postsBefore);
  assert.equal(await count('post_images'), imagesBefore);
  assert.equal(filesUnder('originals').length, filesBefore);
});

test('an oversized file is refused with 413 and nothing is stored', async () => {
  const before = await count('post_images');
  const big = Buffer.concat([img, Buffer.alloc(10 * 1024 * 1024 + 10)]);
  const res = await sendPost(ctx.app, { cookie: owner.cookie, data: base(), images: [big] });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'FILE_TOO_LARGE');
  assert.equal(await count('post_images'), before);
});

test('EXIF (GPS) is stripped; renditions are made by the images-render job and served from /media with long caching', async () => {
  const gps = await jpegWithGps();
  assert.ok((await sharp(gps).metadata()).exif?.includes(Buffer.from([0x25, 0x88])), 'fixture carries a GPS IFD');
  const id = await create(owner.cookie, {}, [gps, await jpeg(2400, 1800, '#884')]);
  const rows = await ctx.deps.db.query<{ id: number; original_path: string }>('SELECT id, original_path FROM post_images WHERE post_id = $1 ORDER BY sort_order', [id]);
  const stored = fs.readFileSync(path.join(ctx.deps.config.uploadDir, rows[0].original_path));
  assert.equal((await sharp(stored).metadata()).exif, undefined);
  assert.equal(stored.includes(Buffer.from('Exif')), false);

  // what the images-render job does (counted, not run, in this file)
  await renderPending(ctx.deps);
  const statuses = (await ctx.deps.db.query<{ status: string }>('SELECT status FROM post_images WHERE post_id = $1', [id])).map((r) => r.status);
  assert.deepEqual(statuses, ['READY', 'READY']);
  const detail = (await get(`/api/v1/posts/${id}`)).json();
  const big = detail.images[1];
  assert.match(big.thumbUrl, /-thumb\.webp$/);
  assert.match(big.detailUrl, /-detail\.webp$/);
  const thumb = await ctx.app.inject({ url: big.thumbUrl });
  assert.equal(thumb.statusCode, 200);
  assert.match(String(thumb.headers['cache-control']), /max-age=31536000.*immutable|immutable.*max-age=31536000/);
  const tm = await sharp(thumb.rawPayload).metadata();
  assert.deepEqual([tm.format, tm.width, tm.height], ['webp', 800, 600]);
  const dm = await sharp((await ctx.app.inject({ url: big.detailUrl })).rawPayload).metadata();
  assert.deepEqual([dm.width, dm.height], [1920, 1440]);
  // the small image is not enlarged
  const sm = await sharp((await ctx.app.inject({ url: detail.images[0].detailUrl })).rawPayload).metadata();
  assert.ok(sm.width! <= 120 && sm.height! <= 90);
  const orig = await ctx.app.inject({ url: detail.images[0].originalUrl });
  assert.equal(orig.statusCode, 200);
  assert.equal(orig.rawPayload.includes(Buffer.from('Exif')), false);

  // a file just outside the upload folder must never be reachable through /media
  fs.writeFileSync(path.join(ctx.deps.config.uploadDir, '..', 'secret.txt'), 'TOP-SECRET');
  fs.writeFileSync(path.join(ctx.deps.config.uploadDir, '.hidden'), 'TOP-SECRET');
  for (const url of ['/media/../secret.txt', '/media/%2e%2e/secret.txt', '/media/..%2fsecret.txt', '/media/%2e%2e%2fsecret.txt',
    '/media/originals/..%2f..%2fsecret.txt', '/media/.hidden', '/media/nope.jpg']) {
    const res = await ctx.app.inject({ url });
    assert.doesNotMatch(res.body, /TOP-SECRET/, url);
    // either refused, or normalised away from /media and answered by the web app's index.html
    assert.ok(res.statusCode !== 200 || /text\/html/.test(String(res.headers['content-type'])), `${url} → ${res.statusCode}`);
  }
});

test('edit: only the owner; replaces regions/options/images/dates; soft-deletes options; re-queues embedding', async () => {
  const id = await create(owner.cookie, { options: [{ name: '타프', fee: 5000, deposit: 0 }, { name: '의자', fee: 2000, deposit: 0 }, { name: '랜턴', fee: 1000, deposit: 0 }] }, [img, img]);
  await ctx.deps.db.query("UPDATE posts SET embedding_status = 'DONE', embedding_attempts = 3, embedding_error = 'x' WHERE id = $1", [id]);
  const before = (await get(`/api/v1/posts/${id}`)).json();
  const [tarp, chair] = before.options;
  const [keep, drop] = before.images;
  const dropFile = path.join(ctx.deps.config.uploadDir, drop.originalUrl.replace('/media/', ''));
  assert.ok(fs.existsSync(dropFile));

  const data = {
    ...base(),
    title: '수정된 제목: 대형 텐트',
    regionIds: [reg['경기도>성남시'], reg['경기도>수원시']],
    options: [{ id: tarp.id, name: '타프', fee: 5000, deposit: 0 }, { id: chair.id, name: '의자 2개', fee: 3000, deposit: 0 }, { name: '매트', fee: 1000, deposit: 0 }],
    blockedDates: ['2099-05-05'],
    keepImageIds: [keep.id],
    primaryIndex: 1,
  };
  // the region filter reads the listing's own copy of its regions (migration 240's triggers): it moves with the edit
  const inRegion = async (region: number) =>
    ((await get(`/api/v1/posts?authorId=${owner.id}&regionId=${region}&limit=50`)).json().items as { id: number }[]).some((i) => i.id === id);
  assert.equal(await inRegion(reg['서울특별시>마포구']), true);
  assert.equal(await inRegion(reg['경기도>수원시']), false);
  const anon = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, data, images: [img] });
  assert.equal(anon.statusCode, 401);
  for (const cookie of [other.cookie, admin.cookie]) {
    const res = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie, data, images: [img] });
    assert.equal(res.statusCode, 403);
  }
  const foreign = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...data, keepImageIds: [1_000_000] }, images: [img] });
  assert.equal(foreign.json().code, 'UNKNOWN_IMAGE');
  const tooMany = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data, images: Array(10).fill(img) });
  assert.equal(tooMany.json().code, 'TOO_MANY_IMAGES');

  const added = await jpeg(50, 50, '#123');
  const [res, jobs] = await jobsQueuedBy(() => sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data, images: [added] }));
  assert.equal(res.statusCode, 200, res.body);
  await assertQueuedFor(id, jobs);
  const after = res.json();
  assert.equal(after.title, '수정된 제목: 대형 텐트');
  assert.deepEqual(after.regions.map((r: { name: string }) => r.name).sort(), ['성남시', '수원시']);
  assert.equal(await inRegion(reg['서울특별시>마포구']), false);
  assert.equal(await inRegion(reg['경기도>수원시']), true);
  assert.equal(await inRegion(reg.경기도), true, 'a parent region includes its children');
  const copied = await ctx.deps.db.one<{ region_ids: (number | string)[] }>(sql`SELECT region_ids FROM posts WHERE id = ${id}`);
  assert.deepEqual(copied?.region_ids.map(Number), [reg.경기도, reg['경기도>수원시'], reg['경기도>성남시']].sort((a, b) => a - b),
    'region_ids is a copy of the listing\'s regions and their parents');
  const stale = await ctx.deps.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM posts p WHERE p.region_ids
    <> coalesce((SELECT array_agg(x ORDER BY x) FROM (SELECT pr.region_id FROM post_regions pr WHERE pr.post_id = p.id
      UNION SELECT r.parent_id FROM post_regions pr JOIN regions r ON r.id = pr.region_id WHERE pr.post_id = p.id AND r.parent_id IS NOT NULL) s(x)), '{}')`);
  assert.equal(stale?.n, 0, 'every listing\'s region_ids equals its post_regions and their parents');
  assert.deepEqual(after.options.map((o: { name: string }) => o.name), ['타프', '의자 2개', '매트']);
  assert.equal(after.options[0].id, tarp.id, 'unchanged option keeps its id');
  assert.notEqual(after.options[1].id, chair.id, 'changed option is a new row');
  assert.equal(after.images.length, 2);
  assert.equal(after.images[0].id, keep.id);
  assert.deepEqual(after.images.map((i: { isPrimary: boolean }) => i.isPrimary), [false, true]);
  assert.deepEqual(after.blockedDates, ['2099-05-05']);
  assert.equal(after.embeddingStatus, 'WAIT');
  assert.equal(fs.existsSync(dropFile), false, 'removed image file is deleted');

  const opts = await ctx.deps.db.query<{ name: string; deleted: boolean }>(
    'SELECT name, deleted_at IS NOT NULL AS deleted FROM post_options WHERE post_id = $1 ORDER BY id', [id]);
  assert.deepEqual(opts, [
    { name: '타프', deleted: false }, { name: '의자', deleted: true }, { name: '랜턴', deleted: true },
    { name: '의자 2개', deleted: false }, { name: '매트', deleted: false },
  ]);
  const emb = await ctx.deps.db.one('SELECT embedding_status, embedding_attempts, embedding_error FROM posts WHERE id = $1', [id]);
  assert.deepEqual(emb, { embedding_status: 'WAIT', embedding_attempts: 0, embedding_error: null });

  // keeping all images by omitting keepImageIds, removing every option
  const again = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...base(), options: [] }, images: [] });
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().images.length, 2);
  assert.equal(again.json().options.length, 0);
});

test('delete: soft, owner or admin only; hidden afterwards', async () => {
  const id = await create(owner.cookie);
  assert.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id}` })).statusCode, 401);
  assert.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id}`, headers: { cookie: other.cookie } })).statusCode, 403);
  assert.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id}`, headers: { cookie: owner.cookie } })).statusCode, 204);
  assert.equal((await get(`/api/v1/posts/${id}`)).statusCode, 404);
  assert.equal((await get(`/api/v1/posts/${id}`, admin.cookie)).statusCode, 404);
  assert.ok((await ctx.deps.db.one('SELECT deleted_at FROM posts WHERE id = $1', [id]))!.deleted_at);
  const list = (await get('/api/v1/posts?limit=50')).json();
  assert.equal(list.items.some((i: { id: number }) => i.id === id), false);
  assert.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id}`, headers: { cookie: owner.cookie } })).statusCode, 404);

  const id2 = await create(other.cookie);
  assert.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id2}`, headers: { cookie: admin.cookie } })).statusCode, 204);
});

test('banned listings and banned owners are hidden except from admins', async () => {
  const banned = await create(owner.cookie, { title: '정지될 게시글입니다' });
  await ctx.deps.db.query(`UPDATE posts SET banned_at = now(), ban_reason = '금지 품목' WHERE id = $1`, [banned]);
  assert.equal((await get(`/api/v1/posts/${banned}`, other.cookie)).statusCode, 404);
  // the owner sees it with the reason (to fix it and ask for a review), nobody else does
  const asOwner = await get(`/api/v1/posts/${banned}`, owner.cookie);
  assert.equal(asOwner.statusCode, 200);
  assert.equal(asOwner.json().banned, true);
  assert.equal(asOwner.json().banReason, '금지 품목');
  const asAdmin = await get(`/api/v1/posts/${banned}`, admin.cookie);
  assert.equal(asAdmin.statusCode, 200);
  assert.equal(asAdmin.json().banned, true);
  const kw = encodeURIComponent('정지될');
  assert.equal((await get(`/api/v1/posts?keyword=${kw}`)).json().items.length, 0);
  assert.equal((await get(`/api/v1/posts?keyword=${kw}&includeBanned=true`, other.cookie)).json().items.length, 0);
  const adminList = (await get(`/api/v1/posts?keyword=${kw}&includeBanned=true`, admin.cookie)).json();
  assert.deepEqual(adminList.items.map((i: { id: number; banned: boolean }) => [i.id, i.banned]), [[banned, true]]);
  const mine = (await get('/api/v1/posts/my?limit=50', owner.cookie)).json();
  assert.equal(mine.items.find((i: { id: number }) => i.id === banned)?.banned, true);
  assert.equal((await ctx.app.inject({ method: 'POST', url: `/api/v1/posts/${banned}/favorite`, headers: { cookie: other.cookie } })).statusCode, 404);

  const villain = await ctx.signUp();
  const vpost = await create(villain.cookie, { title: '정지 회원의 게시글' });
  await ctx.deps.db.query('UPDATE members SET banned_at = now() WHERE id = $1', [villain.id]);
  assert.equal((await get(`/api/v1/posts/${vpost}`)).statusCode, 404);
  assert.equal((await get(`/api/v1/posts?authorId=${villain.id}`)).json().items.length, 0);
});

test('filters: keyword, parent category/region include children, fee range, author, sorts, cursor paging', async () => {
  const seller = await ctx.signUp();
  const mk = (title: string, categoryId: number, regionIds: number[], fee: number) =>
    create(seller.cookie, { title, content: `${title} 대여합니다`, categoryId, regionIds, fee });
  const drill = await mk('보쉬 전동드릴 무선', cat['공구>전동드릴'], [reg['서울특별시>강남구']], 3000);
  const ladder = await mk('알루미늄 사다리 3m', cat['공구>사다리'], [reg['경기도>성남시']], 4000);
  const camera = await mk('캐논 미러리스 카메라', cat['촬영장비>카메라'], [reg['서울특별시>마포구']], 20000);
  const lens = await mk('캐논 50mm 단렌즈 100%_특가', cat['촬영장비>렌즈'], [reg['서울특별시>마포구'], reg['경기도>수원시']], 8000);
  const q = async (qs: string) =>
    ((await get(`/api/v1/posts?authorId=${seller.id}&limit=50&${qs}`)).json().items as { id: number }[]).map((i) => i.id);

  assert.deepEqual(await q(''), [lens, camera, ladder, drill]);
  assert.deepEqual(await q(`keyword=${encodeURIComponent('캐논')}`), [lens, camera]);
  assert.deepEqual(await q(`keyword=${encodeURIComponent('캐논 카메라')}`), [camera]);
  assert.deepEqual(await q(`keyword=${encodeURIComponent('100%_')}`), [lens]);
  assert.deepEqual(await q(`keyword=${encodeURIComponent('%')}`), [lens]);
  assert.deepEqual(await q(`categoryId=${cat.공구}`), [ladder, drill]);
  assert.deepEqual(await q(`categoryId=${cat['공구>사다리']}`), [ladder]);
  assert.deepEqual(await q(`regionId=${reg.서울특별시}`), [lens, camera, drill]);
  assert.deepEqual(await q(`regionId=${reg['경기도>수원시']}`), [lens]);
  assert.deepEqual(await q('minFee=4000&maxFee=8000'), [lens, ladder]);
  assert.deepEqual(await q('sort=fee_asc'), [drill, ladder, lens, camera]);
  assert.deepEqual(await q('sort=fee_desc'), [camera, lens, ladder, drill]);

  for (const sort of ['newest', 'fee_asc', 'fee_desc']) {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const url: string = `/api/v1/posts?authorId=${seller.id}&limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(url)).json();
      seen.push(...page.items.map((x: { id: number }) => x.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, await q(`sort=${sort}`), sort);
  }
  for (const bad of ['garbage', 'eyJ4IjoxfQ']) {
    const res = await get(`/api/v1/posts?cursor=${bad}`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'INVALID_CURSOR');
  }
  const newestCursor = (await get(`/api/v1/posts?authorId=${seller.id}&limit=1`)).json().nextCursor;
  assert.equal((await get(`/api/v1/posts?authorId=${seller.id}&limit=1&sort=fee_asc&cursor=${newestCursor}`)).statusCode, 400);
  for (const qs of ['limit=0', 'limit=51', 'minFee=-1', 'categoryId=abc', 'sort=random']) {
    assert.equal((await get(`/api/v1/posts?${qs}`)).statusCode, 400, qs);
  }
});

test('favorites: toggle, not on own listing, my favorites, my listings; /posts/my is not /posts/:id', async () => {
  const seller = await ctx.signUp();
  const fan = await ctx.signUp();
  const a = await create(seller.cookie, { title: '찜할 게시글 A' });
  const b = await create(seller.cookie, { title: '찜할 게시글 B' });
  const fav = (id: number, cookie?: string) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/posts/${id}/favorite`, headers: cookie ? { cookie } : {} });

  assert.equal((await fav(a)).statusCode, 401);
  const own = await fav(a, seller.cookie);
  assert.equal(own.statusCode, 409);
  assert.equal(own.json().code, 'OWN_POST');
  assert.deepEqual((await fav(a, fan.cookie)).json(), { favorited: true, favoriteCount: 1 });
  assert.deepEqual((await fav(b, fan.cookie)).json(), { favorited: true, favoriteCount: 1 });
  assert.deepEqual((await fav(a, other.cookie)).json(), { favorited: true, favoriteCount: 2 });
  assert.equal((await fav(999999, fan.cookie)).statusCode, 404);

  const detail = (await get(`/api/v1/posts/${a}`, fan.cookie)).json();
  assert.equal(detail.isFavorite, true);
  assert.equal(detail.favoriteCount, 2);
  assert.equal((await get(`/api/v1/posts/${a}`)).json().isFavorite, false);
  const listed = (await get(`/api/v1/posts?authorId=${seller.id}`)).json().items;
  assert.equal(listed.find((i: { id: number }) => i.id === a).favoriteCount, 2);

  assert.equal((await get('/api/v1/posts/favorites')).statusCode, 401);
  assert.deepEqual((await get('/api/v1/posts/favorites', fan.cookie)).json().items.map((i: { id: number }) => i.id), [b, a]);
  const page1 = (await get('/api/v1/posts/favorites?limit=1', fan.cookie)).json();
  assert.equal(page1.items[0].id, b);
  assert.equal((await get(`/api/v1/posts/favorites?limit=1&cursor=${page1.nextCursor}`, fan.cookie)).json().items[0].id, a);

  assert.deepEqual((await fav(a, fan.cookie)).json(), { favorited: false, favoriteCount: 1 });
  assert.deepEqual((await get('/api/v1/posts/favorites', fan.cookie)).json().items.map((i: { id: number }) => i.id), [b]);

  assert.equal((await get('/api/v1/posts/my')).statusCode, 401);
  assert.deepEqual((await get('/api/v1/posts/my', seller.cookie)).json().items.map((i: { id: number }) => i.id), [b, a]);
  assert.deepEqual((await get('/api/v1/posts/my', fan.cookie)).json().items, []);
  assert.equal((await get('/api/v1/posts/abc')).statusCode, 400);
  assert.equal((await get('/api/v1/posts/99999999')).statusCode, 404);
});

test('unavailable dates: owner-blocked days within the range; bad ranges are 400', async () => {
  const id = await create(owner.cookie, { blockedDates: ['2099-03-01', '2099-03-05', '2099-04-01'] });
  const dates = async (qs: string) => (await get(`/api/v1/posts/${id}/unavailable-dates?${qs}`)).json();
  assert.deepEqual(await dates('from=2099-03-01&to=2099-03-31'), { dates: ['2099-03-01', '2099-03-05'] });
  assert.deepEqual(await dates('from=2099-03-02'), { dates: ['2099-03-05', '2099-04-01'] });
  assert.equal((await get(`/api/v1/posts/${id}/unavailable-dates?from=2099-02-30`)).statusCode, 400);
  assert.equal((await get(`/api/v1/posts/${id}/unavailable-dates?from=2099-03-05&to=2099-03-01`)).statusCode, 400);
  assert.equal((await get(`/api/v1/posts/${id}/unavailable-dates?from=tomorrow`)).statusCode, 400);
  assert.equal((await get('/api/v1/posts/999999/unavailable-dates')).statusCode, 404);
});

test('avatar: upload replaces and removes the old file; fake image refused', async () => {
  const u = await ctx.signUp();
  const put = (image: Buffer, cookie?: string) => {
    const body = multipart(imageParts([image], 'image'));
    return ctx.app.inject({ method: 'PUT', url: '/api/v1/members/me/avatar', payload: body.payload, headers: { ...body.headers, ...(cookie ? { cookie } : {}) } });
  };
  assert.equal((await put(img)).statusCode, 401);
  const first = await put(await jpegWithGps(), u.cookie);
  assert.equal(first.statusCode, 200, first.body);
  const url1 = first.json().avatarUrl as string;
  assert.match(url1, /^\/media\/avatars\//);
  const served = await ctx.app.inject({ url: url1 });
  assert.equal(served.statusCode, 200);
  assert.equal(served.rawPayload.includes(Buffer.from('Exif')), false);
  const second = await put(img, u.cookie);
  const url2 = second.json().avatarUrl as string;
  assert.notEqual(url1, url2);
  assert.equal(fs.existsSync(path.join(ctx.deps.config.uploadDir, url1.replace('/media/', ''))), false);
  const fake = await put(Buffer.from('not an image at all'), u.cookie);
  assert.equal(fake.statusCode, 400);
  assert.equal(fake.json().code, 'INVALID_IMAGE');
  const two = multipart(imageParts([img, img], 'image'));
  const tooMany = await ctx.app.inject({ method: 'PUT', url: '/api/v1/members/me/avatar', payload: two.payload, headers: { ...two.headers, cookie: u.cookie } });
  assert.equal(tooMany.statusCode, 400);
  assert.equal((await ctx.app.inject({ url: '/api/v1/members/me', headers: { cookie: u.cookie } })).json().avatarUrl, url2);
});

test('OpenAPI documents the multipart bodies', async () => {
  const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
  const body = doc.paths['/api/v1/posts'].post.requestBody.content['multipart/form-data'].schema;
  assert.ok(body.properties.data && body.properties.images);
  assert.ok(doc.paths['/api/v1/posts/{id}'].put.requestBody.content['multipart/form-data']);
  assert.ok(doc.paths['/api/v1/members/me/avatar'].put.requestBody.content['multipart/form-data']);
});

test('posts-purge job: removes old soft-deleted posts without reservations, and orphan files', async () => {
  const job = jobDefinitions.find((j) => j.name === 'posts-purge');
  assert.ok(job);
  const old = await create(owner.cookie, { title: '오래전에 삭제한 글' });
  const recent = await create(owner.cookie, { title: '최근에 삭제한 글' });
  const live = await create(owner.cookie, { title: '살아있는 글' });
  const oldFiles = (await ctx.deps.db.query<{ original_path: string }>('SELECT original_path FROM post_images WHERE post_id = $1', [old]))
    .map((r) => path.join(ctx.deps.config.uploadDir, r.original_path));
  await ctx.deps.db.query("UPDATE posts SET deleted_at = now() - interval '31 days' WHERE id = $1", [old]);
  await ctx.deps.db.query("UPDATE posts SET deleted_at = now() - interval '3 days' WHERE id = $1", [recent]);
  const orphan = path.join(ctx.deps.config.uploadDir, 'originals', 'orphan-test.jpg');
  fs.writeFileSync(orphan, img);
  const fresh = path.join(ctx.deps.config.uploadDir, 'originals', 'fresh-upload.jpg');
  fs.writeFileSync(fresh, img);
  fs.utimesSync(orphan, new Date(Date.now() - 3 * 86_400_000), new Date(Date.now() - 3 * 86_400_000));

  const outcome = await job.run({ deps: ctx.deps, now: new Date() });
  assert.ok(outcome && (outcome as { purged: number }).purged >= 1);
  const ids = (await ctx.deps.db.query<{ id: number }>('SELECT id FROM posts WHERE id = ANY($1::bigint[])', [[old, recent, live]])).map((r) => r.id);
  assert.deepEqual(ids.sort((a, b) => a - b), [recent, live]);
  for (const f of oldFiles) assert.equal(fs.existsSync(f), false);
  assert.equal(fs.existsSync(orphan), false, 'old orphan removed');
  assert.equal(fs.existsSync(fresh), true, 'a young file may be an upload in flight');
  const liveImage = (await ctx.deps.db.one<{ original_path: string }>('SELECT original_path FROM post_images WHERE post_id = $1', [live]))!;
  assert.ok(fs.existsSync(path.join(ctx.deps.config.uploadDir, liveImage.original_path)));

  // a post that a reservation references survives (once the reservations module's table exists)
  const hasReservations = (await ctx.deps.db.one<{ t: string | null }>("SELECT to_regclass('reservations')::text AS t"))!.t;
  if (hasReservations) {
    const reserved = await create(owner.cookie, { title: '예약 기록이 있는 글' });
    await ctx.deps.db.query(
      `INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
         days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount)
       VALUES ($1, $2, $3, 'CANCELLED', '2099-01-01', '2099-01-02', 'DIRECT', 'DIRECT', 2, 1000, 0, 2000, 0, 0, 2000)`,
      [reserved, other.id, owner.id],
    );
    await ctx.deps.db.query("UPDATE posts SET deleted_at = now() - interval '60 days' WHERE id = $1", [reserved]);
    await job.run({ deps: ctx.deps, now: new Date() });
    assert.ok(await ctx.deps.db.one('SELECT 1 FROM posts WHERE id = $1', [reserved]));
  }
});

const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method, url, payload: payload as object, headers: cookie ? { cookie } : {} });
const feedIds = async (query = '') =>
  ((await get(`/api/v1/posts?limit=50${query}`)).json().items as { id: number }[]).map((i) => i.id);

test('pause: owner only; hidden from the feed, search and favorites lists, kept on its page with the flag; no new reservations; resume', async () => {
  const seller = await ctx.signUp();
  const id = await create(seller.cookie, { title: '숨길 캠핑 의자 대여', content: '접이식 의자입니다 숨김시험' });
  assert.ok((await feedIds(`&authorId=${seller.id}`)).includes(id));

  assert.equal((await call('POST', `/api/v1/posts/${id}/pause`)).statusCode, 401);
  const byOther = await call('POST', `/api/v1/posts/${id}/pause`, other.cookie);
  assert.equal(byOther.statusCode, 403);
  assert.equal((await call('POST', '/api/v1/posts/999999999/pause', seller.cookie)).statusCode, 404);
  assert.equal((await call('POST', '/api/v1/posts/abc/pause', seller.cookie)).statusCode, 400);
  assert.equal((await get(`/api/v1/posts/${id}`)).json().paused, false, 'nothing changed by the refused calls');

  const paused = await call('POST', `/api/v1/posts/${id}/pause`, seller.cookie);
  assert.equal(paused.statusCode, 200);
  assert.deepEqual(paused.json(), { paused: true });
  assert.equal((await call('POST', `/api/v1/posts/${id}/pause`, seller.cookie)).statusCode, 200, 'pausing twice is fine');

  assert.ok(!(await feedIds(`&authorId=${seller.id}`)).includes(id), 'not in the feed');
  const kw = encodeURIComponent('숨김시험');
  assert.equal((await get(`/api/v1/posts?keyword=${kw}`)).json().items.length, 0);
  const search = (await get(`/api/v1/search?q=${kw}`)).json();
  assert.ok(!search.items.some((h: { listing: { id: number } }) => h.listing.id === id), 'not in search');
  const mine = (await get('/api/v1/posts/my?limit=50', seller.cookie)).json();
  assert.equal(mine.items.find((i: { id: number }) => i.id === id)?.paused, true, 'the owner sees it flagged');
  const page = await get(`/api/v1/posts/${id}`, seller.cookie);
  assert.equal(page.statusCode, 200);
  assert.equal(page.json().paused, true);

  const request = await call('POST', '/api/v1/reservations', other.cookie, {
    postId: id, startDate: addDays(seoulDate(new Date()), 10), endDate: addDays(seoulDate(new Date()), 11), receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  });
  assert.equal(request.statusCode, 409, request.body);
  assert.equal(request.json().code, 'POST_PAUSED');

  assert.deepEqual((await call('POST', `/api/v1/posts/${id}/resume`, seller.cookie)).json(), { paused: false });
  assert.ok((await feedIds(`&authorId=${seller.id}`)).includes(id), 'back in the feed');
});

test('bump: once per 3 days, moves the listing to the top of the newest feed; 409 with the next time otherwise', async () => {
  const seller = await ctx.signUp();
  const older = await create(seller.cookie, { title: '먼저 올린 자전거' });
  const newer = await create(seller.cookie, { title: '나중에 올린 자전거' });
  assert.deepEqual(await feedIds(`&authorId=${seller.id}`), [newer, older]);

  assert.equal((await call('POST', `/api/v1/posts/${older}/bump`, other.cookie)).statusCode, 403);
  assert.equal((await call('POST', `/api/v1/posts/${older}/bump`)).statusCode, 401);
  const bumped = await call('POST', `/api/v1/posts/${older}/bump`, seller.cookie);
  assert.equal(bumped.statusCode, 200, bumped.body);
  const { bumpedAt, nextBumpAt } = bumped.json();
  assert.equal(new Date(nextBumpAt).getTime() - new Date(bumpedAt).getTime(), 3 * 86_400_000);
  assert.deepEqual(await feedIds(`&authorId=${seller.id}`), [older, newer]);
  // the newest feed pages by the bump time
  const first = (await get(`/api/v1/posts?authorId=${seller.id}&limit=1`)).json();
  assert.deepEqual(first.items.map((i: { id: number }) => i.id), [older]);
  const second = (await get(`/api/v1/posts?authorId=${seller.id}&limit=1&cursor=${first.nextCursor}`)).json();
  assert.deepEqual(second.items.map((i: { id: number }) => i.id), [newer]);

  const again = await call('POST', `/api/v1/posts/${older}/bump`, seller.cookie);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'BUMP_TOO_SOON');
  assert.equal(again.json().nextBumpAt, nextBumpAt);
  const detail = (await get(`/api/v1/posts/${older}`, seller.cookie)).json();
  assert.equal(detail.nextBumpAt, nextBumpAt);
  assert.equal((await get(`/api/v1/posts/${older}`, other.cookie)).json().nextBumpAt, null, 'only the owner sees the bump times');

  // three days later (set-up: the last bump moved back) it may bump again
  await ctx.deps.db.query(`UPDATE posts SET bumped_at = bumped_at - interval '3 days' WHERE id = $1`, [older]);
  assert.equal((await call('POST', `/api/v1/posts/${older}/bump`, seller.cookie)).statusCode, 200);

  // two bumps at once: exactly one passes
  const racers = await Promise.all([1, 2].map(() => call('POST', `/api/v1/posts/${newer}/bump`, seller.cookie)));
  assert.deepEqual(racers.map((r) => r.statusCode).sort(), [200, 409]);
  await call('POST', `/api/v1/posts/${newer}/pause`, seller.cookie);
  await ctx.deps.db.query(`UPDATE posts SET bumped_at = NULL WHERE id = $1`, [newer]);
  assert.equal((await call('POST', `/api/v1/posts/${newer}/bump`, seller.cookie)).json().code, 'POST_PAUSED');
});

test('banned listing: the owner edits it and asks for a review, which opens a case in the admin queue', async () => {
  const seller = await ctx.signUp();
  const id = await create(seller.cookie, { title: '정지 후 고칠 게시글' });
  assert.equal((await call('POST', `/api/v1/posts/${id}/review-request`, seller.cookie, {})).json().code, 'NOT_BANNED');
  await ctx.deps.db.query(`UPDATE posts SET banned_at = now(), ban_reason = '연락처 노출' WHERE id = $1`, [id]);

  const edited = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: seller.cookie, data: { ...base(), title: '연락처를 지운 게시글' }, images: [] });
  assert.equal(edited.statusCode, 200, edited.body);
  assert.equal(edited.json().title, '연락처를 지운 게시글');
  assert.equal(edited.json().banned, true, 'still banned until an admin lifts it');

  assert.equal((await call('POST', `/api/v1/posts/${id}/review-request`, other.cookie, {})).statusCode, 403);
  assert.equal((await call('POST', `/api/v1/posts/${id}/review-request`, seller.cookie, { message: 'x'.repeat(501) })).statusCode, 400);
  assert.equal((await call('POST', `/api/v1/posts/${id}/review-request`, seller.cookie, { extra: 1 })).statusCode, 400);
  const openCases = async () =>
    (await ctx.deps.db.query(`SELECT note FROM moderation_cases WHERE target_type = 'POST' AND target_id = $1 AND status = 'OPEN'`, [id])).map((r) => r.note);
  assert.deepEqual(await openCases(), [], 'refused requests stored nothing');

  const asked = await call('POST', `/api/v1/posts/${id}/review-request`, seller.cookie, { message: '연락처를 지웠어요' });
  assert.equal(asked.statusCode, 202, asked.body);
  await call('POST', `/api/v1/posts/${id}/review-request`, seller.cookie, { message: '다시 봐 주세요' });
  assert.deepEqual(await openCases(), ['작성자 재검토 요청: 다시 봐 주세요'], 'one open case, refreshed');
  assert.equal((await get(`/api/v1/posts/${id}`, seller.cookie)).json().reviewRequested, true);

  const queue = (await get('/api/v1/adm/moderation-cases?status=OPEN', admin.cookie)).json();
  assert.ok(queue.items.some((c: { targetType: string; targetId: number }) => c.targetType === 'POST' && c.targetId === id));
});

test('weekly/monthly prices, instant booking and the cancellation policy: saved, shown, and bad prices refused with 400', async () => {
  const id = await create(owner.cookie, { fee: 10000, weeklyFee: 50000, monthlyFee: 150000, instantBooking: true, cancellationPolicy: 'strict' });
  const detail = (await get(`/api/v1/posts/${id}`, other.cookie)).json();
  assert.equal(detail.weeklyFee, 50000);
  assert.equal(detail.monthlyFee, 150000);
  assert.equal(detail.instantBooking, true);
  assert.equal(detail.cancellation.policy, 'strict');
  assert.equal(detail.cancellation.label, '엄격');
  assert.deepEqual(detail.cancellation.rules, [
    '시작 7일 전까지 취소: 대여료 50% 환불', '그 뒤 취소 (시작 6일 전부터): 대여료 환불 없음', '보증금은 언제나 전액 돌려받아요',
  ]);

  const plain = (await get(`/api/v1/posts/${await create(owner.cookie)}`)).json();
  assert.deepEqual([plain.weeklyFee, plain.monthlyFee, plain.instantBooking, plain.cancellation.policy], [null, null, false, 'flexible']);

  const before = await count('posts');
  const cases: [Record<string, unknown>, string][] = [
    [{ weeklyFee: 70000 }, 'WEEKLY_FEE_TOO_HIGH'], // = 7 × daily
    [{ weeklyFee: 10000 }, 'WEEKLY_FEE_TOO_LOW'], // = daily
    [{ monthlyFee: 300000 }, 'MONTHLY_FEE_TOO_HIGH'], // = 30 × daily
    [{ weeklyFee: 50000, monthlyFee: 50000 }, 'MONTHLY_FEE_TOO_LOW'], // not above the week
    [{ monthlyFee: 9000 }, 'MONTHLY_FEE_TOO_LOW'], // not above the day
    [{ fee: 0, weeklyFee: 1 }, 'WEEKLY_FEE_TOO_HIGH'], // a free listing has no weekly price
    [{ weeklyFee: 0 }, 'VALIDATION_FAILED'],
    [{ weeklyFee: 12345.5 }, 'VALIDATION_FAILED'],
    [{ monthlyFee: '150000' }, 'VALIDATION_FAILED'],
    [{ instantBooking: 'yes' }, 'VALIDATION_FAILED'],
    [{ cancellationPolicy: 'lenient' }, 'VALIDATION_FAILED'],
  ];
  for (const [over, code] of cases) {
    const res = await sendPost(ctx.app, { cookie: owner.cookie, data: { ...base(), fee: 10000, ...over }, images: [img] });
    assert.equal(res.statusCode, 400, `${JSON.stringify(over)}: ${res.body}`);
    assert.equal(res.json().code, code, JSON.stringify(over));
  }
  assert.equal(await count('posts'), before, 'nothing stored');

  // an edit is checked the same way and changes nothing when refused; a good edit replaces all four
  const bad = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...base(), fee: 5000, weeklyFee: 50000 }, images: [] });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().code, 'WEEKLY_FEE_TOO_HIGH');
  assert.equal((await get(`/api/v1/posts/${id}`)).json().weeklyFee, 50000);
  const edited = await sendPost(ctx.app, {
    method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...base(), fee: 10000, weeklyFee: 60000, cancellationPolicy: 'moderate' }, images: [],
  });
  assert.equal(edited.statusCode, 200, edited.body);
  const after = (await get(`/api/v1/posts/${id}`)).json();
  assert.deepEqual([after.weeklyFee, after.monthlyFee, after.instantBooking, after.cancellation.policy], [60000, null, false, 'moderate']);
});
