// Who may see and change what, checked from the outside: private data of members stays private,
// other people's reservations, chats and notifications are closed, non-owners change nothing,
// banned or deleted listings are invisible to the public everywhere (SPEC §4 upstream defect:
// banned posts appeared in AI search and could be reserved), and a refused request leaves no trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, type TestContext } from './helpers.ts';
import { jpeg, multipart, sendPost, insertReservation } from './factories.ts';
import { addDays, seoulDate } from '../src/lib/dates.ts';

type Member = Awaited<ReturnType<TestContext['signUp']>>;

let ctx: TestContext;
let lender: Member; // owns the listing
let borrower: Member; // has a reservation, a chat room and a notification
let stranger: Member; // has nothing to do with any of it
let admin: { id: number; cookie: string };
let categoryId: number;
let regionId: number;
const ids: Record<string, number> = {};

const PHONE = '010-5555-0199';
const ADDRESS = '서울시 비밀구 숨김로 77';

const inject = (opts: { method?: string; url: string; cookie?: string; payload?: unknown }) =>
  ctx.app.inject({
    method: (opts.method ?? 'GET') as 'GET',
    url: opts.url,
    payload: opts.payload as object,
    headers: opts.cookie ? { cookie: opts.cookie } : {},
  });

async function createPost(cookie: string, title: string) {
  const res = await sendPost(ctx.app, {
    cookie,
    data: {
      title, content: `${title} 설명입니다`, categoryId, regionIds: [regionId], fee: 10000, deposit: 50000,
      receiveMethod: 'ANY', returnMethod: 'ANY', options: [{ name: '추가 배터리', fee: 2000, deposit: 0 }],
    },
    images: [await jpeg()],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

before(async () => {
  ctx = await createTestContext();
  lender = await ctx.signUp();
  borrower = await ctx.signUp();
  stranger = await ctx.signUp();
  admin = await ctx.admin();
  for (const m of [lender, borrower]) {
    const res = await inject({ method: 'PATCH', url: '/api/v1/members/me', cookie: m.cookie, payload: { phone: PHONE, address: ADDRESS } });
    assert.equal(res.statusCode, 200, res.body);
  }
  categoryId = (await inject({ url: '/api/v1/categories' })).json()[0].children[0].id;
  regionId = (await inject({ url: '/api/v1/regions' })).json()[0].children[0].id;
  ids.post = await createPost(lender.cookie, '소니 미러리스 카메라 대여');
  ids.reservation = await insertReservation(ctx.deps.db, { postId: ids.post, borrowerId: borrower.id, status: 'PENDING_APPROVAL' });
  const room = await inject({ method: 'POST', url: '/api/v1/chats', cookie: borrower.cookie, payload: { postId: ids.post } });
  assert.equal(room.statusCode, 201, room.body);
  ids.room = room.json().id;
  const msg = await inject({
    method: 'POST', url: `/api/v1/chats/${ids.room}/messages`, cookie: borrower.cookie,
    payload: { clientId: crypto.randomUUID(), content: '안녕하세요, 내일 빌릴 수 있을까요?' },
  });
  assert.equal(msg.statusCode, 201, msg.body);
  ids.notification = (await ctx.deps.notifications.insert(ctx.deps.db, {
    memberId: borrower.id, type: 'TEST', title: '빌린 사람 알림', body: '',
  })).id;
});

after(async () => {
  await ctx?.close();
});

// ---- private data --------------------------------------------------------------------------

/** Every GET route of the API with the ids of these fixtures filled in. */
async function everyGetUrl(): Promise<string[]> {
  const doc = (await inject({ url: '/openapi.json' })).json();
  const byParent: Record<string, number> = {
    posts: ids.post, members: lender.id, reservations: ids.reservation, chats: ids.room, notifications: ids.notification,
  };
  const urls: string[] = [];
  for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
    if (!p.startsWith('/api/v1/') || !item.get || p.includes('/adm/')) continue;
    urls.push(p.replace(/\/(\w+)\/\{id\}/g, (_, parent: string) => `/${parent}/${byParent[parent] ?? ids.post}`)
      .replace('/search-ai', '/search-ai?q=카메라').replace(/\/search$/, '/search?q=카메라'));
  }
  return urls;
}

test('no GET route shows a member\'s email, phone or address to anyone else', async () => {
  const urls = await everyGetUrl();
  assert.ok(urls.length >= 20, `only ${urls.length} GET routes`);
  const leaks: string[] = [];
  for (const viewer of [undefined, stranger, borrower]) {
    for (const url of urls) {
      const res = await inject({ url, cookie: viewer?.cookie });
      assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
      const secrets = viewer === borrower ? [lender.email] : [lender.email, borrower.email, PHONE, ADDRESS];
      for (const s of secrets) if (res.body.includes(s)) leaks.push(`${viewer?.email ?? 'anonymous'} sees ${s} at ${url}`);
    }
  }
  assert.deepEqual(leaks, []);
});

test('another member\'s reservation, chat room and notifications are closed to a stranger', async () => {
  const closed: [string, string, unknown?][] = [
    ['GET', `/api/v1/reservations/${ids.reservation}`],
    ['PUT', `/api/v1/reservations/${ids.reservation}`, {
      startDate: addDays(seoulDate(new Date()), 5), endDate: addDays(seoulDate(new Date()), 6), receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
    }],
    ['PATCH', `/api/v1/reservations/${ids.reservation}/status`, { status: 'CANCELLED', reason: '제가 취소합니다' }],
    ['PATCH', `/api/v1/reservations/${ids.reservation}/status`, { status: 'PENDING_PAYMENT' }],
    ['POST', `/api/v1/reservations/${ids.reservation}/payment/confirm`, {}],
    ['POST', `/api/v1/reservations/${ids.reservation}/review`, { equipmentScore: 1, kindnessScore: 1, responseScore: 1, comment: '별로' }],
    ['GET', `/api/v1/chats/${ids.room}`],
    ['GET', `/api/v1/chats/${ids.room}/messages`],
    ['POST', `/api/v1/chats/${ids.room}/messages`, { clientId: crypto.randomUUID(), content: '끼어들기' }],
    ['PATCH', `/api/v1/chats/${ids.room}/read`, { seq: 1 }],
    ['POST', `/api/v1/notifications/${ids.notification}/read`],
    ['GET', `/api/v1/reservations/received?postId=${ids.post}`],
  ];
  for (const [method, url, payload] of closed) {
    const res = await inject({ method, url, cookie: stranger.cookie, payload });
    assert.ok([403, 404].includes(res.statusCode), `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  // lists of the stranger contain nothing of theirs
  for (const url of ['/api/v1/reservations/sent', '/api/v1/reservations/received', '/api/v1/chats', '/api/v1/notifications']) {
    const res = await inject({ url, cookie: stranger.cookie });
    assert.equal(res.statusCode, 200, `${url} ${res.body}`);
    assert.deepEqual(res.json().items, [], url);
  }
  // and nothing changed
  const r = await ctx.deps.db.one<{ status: string; start_date: string }>('SELECT status, start_date::text FROM reservations WHERE id = $1', [ids.reservation]);
  assert.equal(r!.status, 'PENDING_APPROVAL');
  const msgs = await ctx.deps.db.query('SELECT 1 FROM chat_messages WHERE room_id = $1', [ids.room]);
  assert.equal(msgs.length, 1);
  const n = await ctx.deps.db.one<{ read_at: Date | null }>('SELECT read_at FROM notifications WHERE id = $1', [ids.notification]);
  assert.equal(n!.read_at, null);
  // the parties themselves do get in
  assert.equal((await inject({ url: `/api/v1/reservations/${ids.reservation}`, cookie: borrower.cookie })).statusCode, 200);
  assert.equal((await inject({ url: `/api/v1/reservations/${ids.reservation}`, cookie: lender.cookie })).statusCode, 200);
  assert.equal((await inject({ url: `/api/v1/chats/${ids.room}/messages`, cookie: lender.cookie })).statusCode, 200);
});

test('a non-owner can neither edit nor delete a listing', async () => {
  const before = (await inject({ url: `/api/v1/posts/${ids.post}` })).json();
  const edit = multipart([{ name: 'data', value: JSON.stringify({
    title: '내가 바꾼 제목', content: '탈취', categoryId, regionIds: [regionId], fee: 1, deposit: 0, receiveMethod: 'ANY', returnMethod: 'ANY',
  }) }]);
  const put = await ctx.app.inject({ method: 'PUT', url: `/api/v1/posts/${ids.post}`, payload: edit.payload, headers: { ...edit.headers, cookie: stranger.cookie } });
  assert.equal(put.statusCode, 403, put.body);
  const putAdmin = await ctx.app.inject({ method: 'PUT', url: `/api/v1/posts/${ids.post}`, payload: edit.payload, headers: { ...edit.headers, cookie: admin.cookie } });
  assert.equal(putAdmin.statusCode, 403, 'even an admin edits no one else\'s listing (ban instead)');
  assert.equal((await inject({ method: 'DELETE', url: `/api/v1/posts/${ids.post}`, cookie: stranger.cookie })).statusCode, 403);
  assert.deepEqual((await inject({ url: `/api/v1/posts/${ids.post}` })).json(), before);

  const me = await inject({ url: `/api/v1/members/${lender.id}` });
  assert.equal(me.json().banned, false);
});

// ---- the admin API ---------------------------------------------------------------------------

/**
 * A valid request for every admin operation (body and query as its schema wants them). A new admin
 * operation must be added here, or the sweep below fails. Ids and job names point at nothing, so the
 * admin's own request (sent last, to prove the request really is valid) changes nothing.
 */
const NO_ID = 999_999_999;
const VALID_ADMIN_REQUESTS: Record<string, { query?: string; payload?: unknown }> = {
  'POST /api/v1/adm/members/{id}/ban': { payload: { reason: '운영 정책 위반' } },
  'POST /api/v1/adm/members/{id}/unban': {},
  'POST /api/v1/adm/posts/{id}/ban': { payload: { reason: '거래 금지 물품' } },
  'POST /api/v1/adm/posts/{id}/unban': {},
  'POST /api/v1/adm/reviews/{id}/ban': { payload: { reason: '욕설' } },
  'POST /api/v1/adm/reviews/{id}/unban': {},
  'GET /api/v1/adm/bans': { query: '?targetType=POST&limit=5' },
  'GET /api/v1/adm/reports': { query: '?status=PENDING&limit=5' },
  'POST /api/v1/adm/reports/{id}/dismiss': {},
  'GET /api/v1/adm/moderation-cases': { query: '?status=OPEN' },
  'POST /api/v1/adm/moderation-cases/{id}/dismiss': {},
  'POST /api/v1/adm/categories': { payload: { name: '새 카테고리', parentId: NO_ID } },
  'PATCH /api/v1/adm/categories/{id}': { payload: { name: '바뀐 이름' } },
  'DELETE /api/v1/adm/categories/{id}': {},
  'POST /api/v1/adm/regions': { payload: { name: '새 지역', parentId: NO_ID } },
  'PATCH /api/v1/adm/regions/{id}': { payload: { name: '바뀐 지역' } },
  'DELETE /api/v1/adm/regions/{id}': {},
  'GET /api/v1/adm/jobs': {},
  'PUT /api/v1/adm/jobs/{name}/schedule': { payload: { cron: '0 4 * * *' } },
  'POST /api/v1/adm/jobs/{name}/pause': {},
  'POST /api/v1/adm/jobs/{name}/resume': {},
  'POST /api/v1/adm/jobs/{name}/run': {},
  'GET /api/v1/adm/jobs/{name}/history': { query: '?limit=5' },
  'GET /api/v1/adm/claims': {},
  'POST /api/v1/adm/claims/{id}/decide': { payload: { upheld: [1] } },
};

test('every admin operation: anonymous → 401 and a member → 403 with a valid body, and 403 before validation whatever the body', async () => {
  const doc = (await inject({ url: '/openapi.json' })).json();
  const operations: string[] = [];
  for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(item)) {
      const key = `${method.toUpperCase()} ${p}`;
      if (p.includes('/adm/')) operations.push(key);
      else assert.ok(!(item[method] as { tags?: string[] }).tags?.includes('admin'), `${key} is tagged admin outside /adm`);
    }
  }
  assert.deepEqual(operations.sort(), Object.keys(VALID_ADMIN_REQUESTS).sort(), 'the table above lists exactly the admin operations');

  const stateBefore = await adminVisibleState();
  for (const key of operations) {
    const [method, template] = key.split(' ');
    const { query = '', payload } = VALID_ADMIN_REQUESTS[key];
    const url = template.replace('{id}', String(NO_ID)).replace('{name}', 'no-such-job') + query;
    const anonymous = await inject({ method, url, payload });
    assert.equal(anonymous.statusCode, 401, `anonymous ${key} → ${anonymous.statusCode} ${anonymous.body}`);
    const member = await inject({ method, url, payload, cookie: stranger.cookie });
    assert.equal(member.statusCode, 403, `member ${key} → ${member.statusCode} ${member.body}`);
    assert.equal(member.json().code, 'FORBIDDEN', key);
    // the check comes before parsing and validation: garbage gets the same 403, not a 400
    const garbage = await ctx.app.inject({
      method: method as 'POST', url: `${url + (query ? '&' : '?')}limit=-1&unknown=1`,
      payload: '{"reason": ', headers: { cookie: stranger.cookie, 'content-type': 'application/json' },
    });
    assert.equal(garbage.statusCode, 403, `member ${key} with a broken body → ${garbage.statusCode} ${garbage.body}`);
  }
  assert.deepEqual(await adminVisibleState(), stateBefore, 'refused requests changed nothing');

  // and the bodies above are valid: the admin gets past validation (to a 404 of the missing target,
  // or 503 when this test app runs no scheduler), never a 400 VALIDATION_FAILED
  for (const key of operations) {
    const [method, template] = key.split(' ');
    const { query = '', payload } = VALID_ADMIN_REQUESTS[key];
    const url = template.replace('{id}', String(NO_ID)).replace('{name}', 'no-such-job') + query;
    const res = await inject({ method, url, payload, cookie: admin.cookie });
    assert.ok(![401, 403].includes(res.statusCode), `admin ${key} → ${res.statusCode}`);
    assert.notEqual(res.json().code, 'VALIDATION_FAILED', `admin ${key}: the sweep's body is invalid: ${res.body}`);
    assert.ok(res.statusCode < 500 || res.json().code === 'SCHEDULER_UNAVAILABLE', `admin ${key} → ${res.statusCode} ${res.body}`);
  }
  assert.deepEqual(await adminVisibleState(), stateBefore, 'requests at missing targets changed nothing');
});

/** What an admin operation could change: bans, reports, cases, the catalog trees. */
async function adminVisibleState() {
  const db = ctx.deps.db;
  return {
    members: await db.query('SELECT id, banned_at FROM members ORDER BY id'),
    posts: await db.query('SELECT id, banned_at FROM posts ORDER BY id'),
    reports: await db.query('SELECT id, status FROM reports ORDER BY id'),
    actions: await db.query('SELECT id FROM moderation_actions ORDER BY id'),
    categories: (await inject({ url: '/api/v1/categories' })).body,
    regions: (await inject({ url: '/api/v1/regions' })).body,
  };
}

// ---- banned and deleted listings ------------------------------------------------------------

describe('a banned or deleted listing is invisible to the public everywhere', () => {
  const title = '캠핑 랜턴 LED 초경량';
  let visible: number; // a comparable listing that stays public, for "similar" and search

  async function publicTraces(postId: number, viewer?: string): Promise<string[]> {
    const seen: string[] = [];
    const check = async (url: string, pick: (body: any) => number[]) => {
      const res = await inject({ url, cookie: viewer });
      if (res.statusCode === 200 && pick(res.json()).includes(postId)) seen.push(url);
    };
    await check('/api/v1/posts', (b) => b.items.map((i: any) => i.id));
    await check(`/api/v1/posts?keyword=${encodeURIComponent('랜턴')}`, (b) => b.items.map((i: any) => i.id));
    await check(`/api/v1/posts?authorId=${lender.id}`, (b) => b.items.map((i: any) => i.id));
    await check(`/api/v1/search?q=${encodeURIComponent('캠핑 랜턴')}`, (b) => b.items.map((h: any) => h.listing.id));
    await check(`/api/v1/search-ai?q=${encodeURIComponent('캠핑 랜턴')}`, (b) => [...b.items.map((h: any) => h.listing.id), ...b.citations]);
    await check(`/api/v1/posts/${visible}/similar`, (b) => b.items.map((h: any) => h.listing.id));
    await check('/api/v1/posts/favorites', (b) => b.items.map((i: any) => i.id));
    for (const url of [`/api/v1/posts/${postId}`, `/api/v1/posts/${postId}/unavailable-dates`, `/api/v1/posts/${postId}/similar`]) {
      const res = await inject({ url, cookie: viewer });
      if (res.statusCode !== 404) seen.push(`${url} → ${res.statusCode}`);
    }
    return seen;
  }

  async function cannotBeUsed(postId: number): Promise<string[]> {
    const refused: string[] = [];
    const start = addDays(seoulDate(new Date()), 10);
    const tries: [string, string, unknown?][] = [
      ['POST', '/api/v1/reservations', { postId, startDate: start, endDate: start, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' }],
      ['POST', '/api/v1/chats', { postId }],
      ['POST', `/api/v1/posts/${postId}/favorite`],
    ];
    for (const [method, url, payload] of tries) {
      const res = await inject({ method, url, cookie: stranger.cookie, payload });
      if (res.statusCode < 400) refused.push(`${method} ${url} → ${res.statusCode}`);
    }
    const rows = await ctx.deps.db.query('SELECT 1 FROM reservations WHERE post_id = $1 AND borrower_id = $2', [postId, stranger.id]);
    if (rows.length) refused.push('a reservation row was written');
    return refused;
  }

  test('banned by an admin', async () => {
    visible = await createPost(borrower.cookie, '캠핑 랜턴 충전식 밝은 것');
    const postId = await createPost(lender.cookie, title);
    // the premise: while public it is found
    const found = await publicTraces(postId, stranger.cookie);
    assert.ok(found.length >= 3, `a public listing should be listed and searchable: ${found}`);
    const ban = await inject({ method: 'POST', url: `/api/v1/adm/posts/${postId}/ban`, cookie: admin.cookie, payload: { reason: '금지 물품' } });
    assert.equal(ban.statusCode, 200, ban.body);
    for (const viewer of [undefined, stranger.cookie, borrower.cookie]) assert.deepEqual(await publicTraces(postId, viewer), []);
    assert.deepEqual(await cannotBeUsed(postId), []);
    // admins still see it
    assert.equal((await inject({ url: `/api/v1/posts/${postId}`, cookie: admin.cookie })).statusCode, 200);
    const adminList = await inject({ url: '/api/v1/posts?includeBanned=true', cookie: admin.cookie });
    assert.ok(adminList.json().items.some((i: any) => i.id === postId && i.banned));
    // includeBanned means nothing for others
    const sneaky = await inject({ url: '/api/v1/posts?includeBanned=true', cookie: stranger.cookie });
    assert.ok(!sneaky.json().items.some((i: any) => i.id === postId));
  });

  test('deleted by its owner', async () => {
    const postId = await createPost(lender.cookie, '캠핑 랜턴 삭제될 것');
    assert.equal((await inject({ method: 'DELETE', url: `/api/v1/posts/${postId}`, cookie: lender.cookie })).statusCode, 204);
    for (const viewer of [undefined, stranger.cookie, lender.cookie, admin.cookie]) assert.deepEqual(await publicTraces(postId, viewer), []);
    assert.deepEqual(await cannotBeUsed(postId), []);
  });

  test('owner banned: every listing of a banned member disappears', async () => {
    const other = await ctx.signUp();
    const postId = await createPost(other.cookie, '캠핑 랜턴 정지될 회원 것');
    const fav = await inject({ method: 'POST', url: `/api/v1/posts/${postId}/favorite`, cookie: stranger.cookie });
    assert.equal(fav.statusCode, 200, fav.body);
    const ban = await inject({ method: 'POST', url: `/api/v1/adm/members/${other.id}/ban`, cookie: admin.cookie, payload: { reason: '사기' } });
    assert.equal(ban.statusCode, 200, ban.body);
    for (const viewer of [undefined, stranger.cookie]) assert.deepEqual(await publicTraces(postId, viewer), []);
    assert.deepEqual(await cannotBeUsed(postId), []);
  });
});

// ---- a refused request changes nothing -----------------------------------------------------

describe('a refused request leaves no trace', () => {
  const postRows = async () => (await ctx.deps.db.query('SELECT id FROM posts')).length;

  test('a listing create that fails in the database keeps no rows and no files', async () => {
    const uploads = ctx.deps.config.uploadDir;
    const filesBefore = filesUnder(uploads).length;
    const rowsBefore = await postRows();
    const imagesBefore = (await ctx.deps.db.query('SELECT 1 FROM post_images')).length;
    const data = { title: '정상 제목', content: '정상', categoryId, regionIds: [regionId], fee: 1000, deposit: 0, receiveMethod: 'ANY', returnMethod: 'ANY' };
    const refusals = [
      { ...data, title: '널\u0000문자' }, // Postgres refuses NUL in text: after the image is stored
      { ...data, options: [{ name: '옵션\u0000', fee: 0, deposit: 0 }] }, // fails mid-transaction
      { ...data, categoryId: 99_999_999 },
      { ...data, regionIds: [99_999_999] },
      { ...data, blockedDates: ['2031-02-30'] },
    ];
    for (const body of refusals) {
      const res = await sendPost(ctx.app, { cookie: lender.cookie, data: body, images: [await jpeg(), await jpeg(32, 32, '#fff')] });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    assert.equal(await postRows(), rowsBefore);
    assert.equal((await ctx.deps.db.query('SELECT 1 FROM post_images')).length, imagesBefore);
    assert.equal(filesUnder(uploads).length, filesBefore, 'stored image files of refused listings are removed');
  });

  test('a failed edit leaves the old version intact (fields, options, images, files, embedding state)', async () => {
    const postId = await createPost(lender.cookie, '수정 실패 테스트용 텐트');
    const detail = async () => (await inject({ url: `/api/v1/posts/${postId}`, cookie: lender.cookie })).json();
    const state = async () => ({
      detail: await detail(),
      options: await ctx.deps.db.query('SELECT id, name, deleted_at FROM post_options WHERE post_id = $1 ORDER BY id', [postId]),
      files: filesUnder(ctx.deps.config.uploadDir).sort(),
    });
    const old = await state();
    const base = {
      title: '바뀐 제목', content: '바뀐 내용', categoryId, regionIds: [regionId], fee: 5, deposit: 5, receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
      options: [{ name: '새 옵션', fee: 1, deposit: 1 }],
    };
    const failing = [
      { ...base, content: '\u0000' },
      { ...base, options: [{ name: '새 옵션', fee: 1, deposit: 1 }, { name: '널\u0000', fee: 1, deposit: 1 }] },
      { ...base, regionIds: [99_999_999] },
      { ...base, keepImageIds: [99_999_999] },
      { ...base, options: [{ id: 99_999_999, name: '남의 옵션', fee: 0, deposit: 0 }] },
    ];
    for (const data of failing) {
      const body = multipart([{ name: 'data', value: JSON.stringify(data) }, { name: 'images', value: await jpeg(40, 40, '#123'), filename: 'n.jpg' }]);
      const res = await ctx.app.inject({ method: 'PUT', url: `/api/v1/posts/${postId}`, payload: body.payload, headers: { ...body.headers, cookie: lender.cookie } });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(data)} → ${res.statusCode} ${res.body}`);
    }
    assert.deepEqual(await state(), old);
  });

  // posts/service.ts: the owner may fix a banned listing (then ask for a review); it stays banned and hidden until an admin lifts it
  test('the owner of a banned listing may fix it, and it stays banned and hidden', async () => {
    const postId = await createPost(lender.cookie, '정지될 게시글 수정 시도');
    const ban = await inject({ method: 'POST', url: `/api/v1/adm/posts/${postId}/ban`, cookie: admin.cookie, payload: { reason: '부적절' } });
    assert.equal(ban.statusCode, 200);
    const body = multipart([{ name: 'data', value: JSON.stringify({
      title: '정지 후 고친 제목', content: '내용', categoryId, regionIds: [regionId], fee: 1, deposit: 0, receiveMethod: 'ANY', returnMethod: 'ANY',
    }) }]);
    const res = await ctx.app.inject({ method: 'PUT', url: `/api/v1/posts/${postId}`, payload: body.payload, headers: { ...body.headers, cookie: lender.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().banned, true);
    assert.equal(res.json().title, '정지 후 고친 제목');
    assert.equal((await inject({ url: `/api/v1/posts/${postId}` })).statusCode, 404, 'still hidden from the public');
    assert.equal((await inject({ url: `/api/v1/posts/${postId}`, cookie: stranger.cookie })).statusCode, 404);
  });

  test('a refused avatar keeps the old one; refused sign-ups and reports write nothing', async () => {
    const first = multipart([{ name: 'image', value: await jpeg(), filename: 'a.jpg' }]);
    const ok = await ctx.app.inject({ method: 'PUT', url: '/api/v1/members/me/avatar', payload: first.payload, headers: { ...first.headers, cookie: stranger.cookie } });
    assert.equal(ok.statusCode, 200, ok.body);
    const avatar = ok.json().avatarUrl;
    const files = filesUnder(ctx.deps.config.uploadDir).length;
    const bad = multipart([{ name: 'image', value: Buffer.from('<svg onload=alert(1)/>'), filename: 'a.jpg' }]);
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/members/me/avatar', payload: bad.payload, headers: { ...bad.headers, cookie: stranger.cookie } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal((await inject({ url: '/api/v1/members/me', cookie: stranger.cookie })).json().avatarUrl, avatar);
    assert.equal(filesUnder(ctx.deps.config.uploadDir).length, files);

    const members = (await ctx.deps.db.query('SELECT 1 FROM members')).length;
    for (const payload of [
      { email: 'nul@example.com', password: 'password123', nickname: 'a\u0000b' },
      { email: 'n\u0000l@example.com', password: 'password123', nickname: 'nulltest' },
      { email: lender.email, password: 'password123', nickname: 'dupemail' },
    ]) {
      const r = await inject({ method: 'POST', url: '/api/v1/members', payload });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${JSON.stringify(payload)} → ${r.statusCode}`);
      assert.equal(r.headers['set-cookie'], undefined, 'a refused sign-up starts no session');
    }
    assert.equal((await ctx.deps.db.query('SELECT 1 FROM members')).length, members);

    const reports = (await ctx.deps.db.query('SELECT 1 FROM reports')).length;
    for (const payload of [
      { targetType: 'POST', targetId: ids.post, reason: 'OTHER', detail: '\u0000' },
      { targetType: 'POST', targetId: ids.post, reason: 'OTHER' },
      { targetType: 'MEMBER', targetId: stranger.id, reason: 'SPAM' },
      { targetType: 'POST', targetId: 99_999_999, reason: 'SPAM' },
    ]) {
      const r = await inject({ method: 'POST', url: '/api/v1/reports', cookie: stranger.cookie, payload });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${JSON.stringify(payload)} → ${r.statusCode}`);
    }
    assert.equal((await ctx.deps.db.query('SELECT 1 FROM reports')).length, reports);
  });
});

// ---- the central rules, named --------------------------------------------------------------

test('NUL bytes, malformed URLs and broken multipart bodies are 400 problems', async () => {
  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/v1/members/login', { email: 'a\u0000b', password: 'x' }, 'INVALID_CHARACTER'],
    ['GET', '/api/v1/posts?keyword=a%00b', undefined, 'INVALID_CHARACTER'],
    ['GET', '/api/v1/chats?q=%00', undefined, 'INVALID_CHARACTER'],
    ['GET', '/api/v1/posts/%E0%A4%A', undefined, 'BAD_URL'],
    ['POST', '/api/v1/reports', { targetType: 'POST', targetId: ids.post, reason: 'OTHER', detail: 'x\u0000' }, 'INVALID_CHARACTER'],
  ];
  for (const [method, url, payload, code] of cases) {
    const res = await inject({ method, url, payload, cookie: borrower.cookie });
    assert.equal(res.statusCode, 400, `${method} ${url} ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().code, code);
  }
  for (const [payload, type] of [['garbage', 'multipart/form-data'], ['--x\r\n\r\n', 'multipart/form-data; boundary=x']]) {
    for (const [method, url] of [['POST', '/api/v1/posts'], ['PUT', '/api/v1/members/me/avatar']]) {
      const res = await ctx.app.inject({ method: method as 'POST', url, payload, headers: { 'content-type': type, cookie: borrower.cookie } });
      assert.equal(res.statusCode, 400, `${method} ${url} ${res.body}`);
      assert.equal(res.json().code, 'INVALID_MULTIPART');
    }
  }
});

test('the login rate limit cannot be dodged by a forged X-Forwarded-For header', async () => {
  const max = ctx.deps.config.loginRateLimit.max;
  let limited = 0;
  for (let i = 0; i < max + 3; i++) {
    const res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/members/login', payload: { email: stranger.email, password: `wrong-${i}-password` },
      headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
    });
    if (res.statusCode === 429) limited++;
    else assert.equal(res.statusCode, 401, res.body);
  }
  assert.ok(limited >= 3, 'guesses beyond the limit are refused whatever the header says');
});
