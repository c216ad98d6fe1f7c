import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { categoryFilter, expandCategoryIds, expandRegionIds, regionFilter } from './service.ts';
import { sql } from '../../db/sql.ts';
import { insertListings } from '../../../test/factories.ts';

let ctx: TestContext;
let user: { cookie: string; id: number };
let admin: { cookie: string; id: number };
before(async () => {
  ctx = await createTestContext();
  user = await ctx.signUp();
  admin = await ctx.admin();
});
after(() => ctx.close());

const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, cookie?: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, payload, headers: cookie ? { cookie } : {} });
const idOf = async (table: string, name: string, parent?: string) =>
  (await ctx.deps.db.one<{ id: number }>(
    `SELECT c.id FROM ${table} c LEFT JOIN ${table} p ON p.id = c.parent_id WHERE c.name = $1 AND coalesce(p.name, '') = $2`,
    [name, parent ?? ''],
  ))!.id;

test('GET /categories and /regions are two-level Korean trees', async () => {
  const cats = (await ctx.app.inject({ url: '/api/v1/categories' })).json();
  const camping = cats.find((c: { name: string }) => c.name === '캠핑');
  assert.ok(camping.children.some((c: { name: string }) => c.name === '텐트'));
  assert.ok(cats.every((c: { children: unknown[] }) => Array.isArray(c.children)));
  const regions = (await ctx.app.inject({ url: '/api/v1/regions' })).json();
  const seoul = regions.find((r: { name: string }) => r.name === '서울특별시');
  assert.equal(seoul.children.length, 25);
  assert.ok(seoul.children.some((r: { name: string }) => r.name === '마포구'));
});

test('expand helpers and SQL filters: a parent includes its children', async () => {
  const camping = await idOf('categories', '캠핑');
  const tent = await idOf('categories', '텐트', '캠핑');
  const expanded = await expandCategoryIds(ctx.deps.db, [camping]);
  assert.ok(expanded.includes(camping) && expanded.includes(tent) && expanded.length === 8);
  assert.deepEqual(await expandCategoryIds(ctx.deps.db, [tent]), [tent]);
  assert.deepEqual(await expandCategoryIds(ctx.deps.db, []), []);
  const seoul = await idOf('regions', '서울특별시');
  assert.equal((await expandRegionIds(ctx.deps.db, [seoul])).length, 26);
  // the fragments compose into queries
  const rows = await ctx.deps.db.query(sql`SELECT count(*)::int AS n FROM posts p WHERE ${categoryFilter([camping])} AND ${regionFilter([seoul])}`);
  assert.equal(rows[0].n, 0);
});

test('admin CRUD: create, rename, move; users 403, anonymous 401', async () => {
  assert.equal((await call('POST', '/adm/categories', undefined, { name: '반려동물' })).statusCode, 401);
  assert.equal((await call('POST', '/adm/categories', user.cookie, { name: '반려동물' })).statusCode, 403);

  const root = await call('POST', '/adm/categories', admin.cookie, { name: '반려동물' });
  assert.equal(root.statusCode, 201);
  assert.deepEqual({ ...(root.json() as object), id: 0 }, { id: 0, name: '반려동물', parentId: null, sortOrder: 0 });
  const child = (await call('POST', '/adm/categories', admin.cookie, { name: '이동장', parentId: root.json().id })).json();
  assert.equal(child.parentId, root.json().id);

  const renamed = await call('PATCH', `/adm/categories/${child.id}`, admin.cookie, { name: '켄넬/이동장' });
  assert.equal(renamed.json().name, '켄넬/이동장');
  const camping = await idOf('categories', '캠핑');
  const moved = await call('PATCH', `/adm/categories/${child.id}`, admin.cookie, { parentId: camping });
  assert.equal(moved.json().parentId, camping);
  const tree = (await ctx.app.inject({ url: '/api/v1/categories' })).json();
  assert.ok(tree.find((c: { name: string }) => c.name === '캠핑').children.some((c: { id: number }) => c.id === child.id));

  assert.equal((await call('PATCH', `/adm/categories/${child.id}`, user.cookie, { name: 'x' })).statusCode, 403);
  assert.equal((await call('PATCH', '/adm/categories/999999', admin.cookie, { name: 'x' })).statusCode, 404);

  // two levels only
  const deep = await call('POST', '/adm/categories', admin.cookie, { name: '너무 깊음', parentId: child.id });
  assert.equal(deep.statusCode, 400);
  assert.equal(deep.json().code, 'TOO_DEEP');
  const moveParent = await call('PATCH', `/adm/categories/${camping}`, admin.cookie, { parentId: root.json().id });
  assert.equal(moveParent.json().code, 'TOO_DEEP');
  assert.equal((await call('POST', '/adm/categories', admin.cookie, { name: '고아', parentId: 999999 })).json().code, 'UNKNOWN_PARENT');

  // duplicates and bad input
  const dup = await call('POST', '/adm/categories', admin.cookie, { name: '텐트', parentId: camping });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.json().detail, /같은 이름/);
  for (const payload of [{}, { name: '' }, { name: '가'.repeat(41) }, { name: 3 }, { name: '정상', extra: true }]) {
    assert.equal((await call('POST', '/adm/categories', admin.cookie, payload)).statusCode, 400, JSON.stringify(payload));
  }

  const region = await call('POST', '/adm/regions', admin.cookie, { name: '테스트 신도시' });
  assert.equal(region.statusCode, 201);
  assert.equal((await call('DELETE', `/adm/regions/${region.json().id}`, admin.cookie)).statusCode, 204);
  assert.equal((await call('DELETE', `/adm/categories/${child.id}`, admin.cookie)).statusCode, 204);
  assert.equal((await call('DELETE', `/adm/categories/${root.json().id}`, admin.cookie)).statusCode, 204);
  assert.equal((await call('DELETE', `/adm/categories/${root.json().id}`, admin.cookie)).statusCode, 404);
});

test('a region moved under another parent takes its listings along in the region filter', async () => {
  const seoul = await idOf('regions', '서울특별시');
  const gyeonggi = await idOf('regions', '경기도');
  const district = (await call('POST', '/adm/regions', admin.cookie, { name: '이동구', parentId: seoul })).json();
  const [listing] = await insertListings(ctx.deps.db, [{ title: '이동구 텐트', content: '텐트', category: '텐트', region: '서울특별시 이동구' }]);
  const inRegion = async (region: number) => (await ctx.deps.db.query(sql`SELECT p.id FROM posts p WHERE p.id = ${listing} AND ${regionFilter([region])}`)).length === 1;
  assert.equal(await inRegion(seoul), true);
  assert.equal((await call('PATCH', `/adm/regions/${district.id}`, admin.cookie, { parentId: gyeonggi })).statusCode, 200);
  assert.equal(await inRegion(gyeonggi), true, 'found under its new parent');
  assert.equal(await inRegion(seoul), false, 'no longer under its old parent');
  assert.equal(await inRegion(district.id), true);
  await ctx.deps.db.query(sql`DELETE FROM posts WHERE id = ${listing}`);
});

test('deleting a node in use is refused with 409 and a Korean reason', async () => {
  const camping = await idOf('categories', '캠핑');
  const parentInUse = await call('DELETE', `/adm/categories/${camping}`, admin.cookie);
  assert.equal(parentInUse.statusCode, 409);
  assert.equal(parentInUse.json().code, 'CATEGORY_IN_USE');
  assert.match(parentInUse.json().detail, /하위 항목/);

  const tent = await idOf('categories', '텐트', '캠핑');
  const mapo = await idOf('regions', '마포구', '서울특별시');
  const post = await ctx.deps.db.one<{ id: number }>(
    `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, deleted_at)
     VALUES ($1, '텐트', '내용', $2, 1000, 0, 'ANY', 'ANY', now()) RETURNING id`,
    [user.id, tent],
  );
  await ctx.deps.db.query('INSERT INTO post_regions (post_id, region_id) VALUES ($1, $2)', [post!.id, mapo]);
  const usedCat = await call('DELETE', `/adm/categories/${tent}`, admin.cookie);
  assert.equal(usedCat.statusCode, 409);
  assert.match(usedCat.json().detail, /게시글/);
  const usedRegion = await call('DELETE', `/adm/regions/${mapo}`, admin.cookie);
  assert.equal(usedRegion.statusCode, 409);
  assert.equal(usedRegion.json().code, 'REGION_IN_USE');
  // a category with listings cannot become a parent (listings stay on leaves)
  const under = await call('POST', '/adm/categories', admin.cookie, { name: '하위', parentId: tent });
  assert.equal(under.statusCode, 400); // tent is not a root: two levels only

  const gangnam = await idOf('regions', '강남구', '서울특별시');
  await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', payload: { regionId: gangnam }, headers: { cookie: user.cookie } });
  const memberRegion = await call('DELETE', `/adm/regions/${gangnam}`, admin.cookie);
  assert.equal(memberRegion.statusCode, 409);
  assert.match(memberRegion.json().detail, /회원/);

  // a root category that has listings cannot get children
  const lonely = (await call('POST', '/adm/categories', admin.cookie, { name: '단독 카테고리' })).json();
  await ctx.deps.db.query(
    `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
     VALUES ($1, '단독', '내용', $2, 1000, 0, 'ANY', 'ANY')`,
    [user.id, lonely.id],
  );
  const childOfUsed = await call('POST', '/adm/categories', admin.cookie, { name: '하위', parentId: lonely.id });
  assert.equal(childOfUsed.statusCode, 409);
  assert.equal(childOfUsed.json().code, 'CATEGORY_IN_USE');
});
