// 동네: search, nearest, 내 동네 and 인증, listings located at a 동네, distance lists and radius
// filters on /posts and /search, and the privacy of exact places.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { jpeg, sendPost, insertReservation } from '../../../test/factories.ts';
import { roundDistanceKm } from './geo.ts';

let ctx: TestContext;
type User = Awaited<ReturnType<TestContext['signUp']>>;
let owner: User, viewer: User, other: User;
let img: Buffer;
const code: Record<string, string> = {};
let leaf = 0;
let mapo = 0;

// points (WGS84) near the 동 used below
const AT = {
  망원1동: { lat: 37.5522, lng: 126.8988 },
  서교동: { lat: 37.5549, lng: 126.9238 },
  성수1가1동: { lat: 37.54, lng: 127.0397 },
  해운대: { lat: 35.1632, lng: 129.1636 },
};

before(async () => {
  ctx = await createTestContext();
  [owner, viewer, other] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  img = await jpeg();
  for (const r of await ctx.deps.db.query<{ code: string; name: string }>(
    `SELECT code, name FROM neighbourhoods WHERE name IN ('망원1동', '서교동', '성수1가1동', '중1동', '판교동') AND code LIKE ANY (ARRAY['1144%', '1120%', '2635%', '4113%'])`,
  )) code[r.name] = r.code;
  leaf = (await ctx.deps.db.one<{ id: number }>(`SELECT c.id FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.name = '텐트'`))!.id;
  mapo = (await ctx.deps.db.one<{ id: number }>(`SELECT r.id FROM regions r JOIN regions p ON p.id = r.parent_id WHERE p.name = '서울특별시' AND r.name = '마포구'`))!.id;
});
after(() => ctx.close());

const api = (method: string, url: string, cookie?: string, payload?: unknown) =>
  ctx.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: cookie ? { cookie } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
const setHoods = (u: User, codes: string[]) => api('PUT', '/members/me/neighbourhoods', u.cookie, { codes });
async function listing(u: User, title: string, extra: Record<string, unknown> = {}) {
  const res = await sendPost(ctx.app, {
    cookie: u.cookie,
    data: { title, content: '동네에서 빌려드려요', categoryId: leaf, regionIds: [mapo], fee: 5000, deposit: 10000,
      receiveMethod: 'DIRECT', returnMethod: 'DIRECT', returnAddress: '서울 마포구 망원로 12 3층', ...extra },
    images: [img],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}
function problem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, codeName: string) {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.json().code, codeName);
  assert.match(res.json().detail, /[가-힣]/);
}

test('the tree: every 읍면동 of the file sits under a 시군구 of the kept 시도/시군구 ids', async () => {
  const db = ctx.deps.db;
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM neighbourhoods'))!.n, 3512);
  // the seeded 마포구 keeps its id and gets its 동; a 시 with 일반구 keeps the 시 (성남시 › 분당구 판교동)
  const pangyo = (await api('GET', '/neighbourhoods?q=판교동')).json().items[0];
  assert.equal(pangyo.fullName, '경기도 성남시 분당구 판교동');
  const seongnam = (await db.one<{ id: number }>(`SELECT r.id FROM regions r JOIN regions p ON p.id = r.parent_id WHERE p.name = '경기도' AND r.name = '성남시'`))!.id;
  assert.equal(pangyo.sigungu.id, seongnam);
  assert.ok((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM neighbourhoods WHERE region_id = $1', [mapo]))!.n >= 16);
  // renamed 시도 map onto the tree's current names, not new roots
  assert.equal((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM regions WHERE parent_id IS NULL'))!.n, 17);
});

test('GET /neighbourhoods?q= finds by name, at most 20, and returns no coordinates', async () => {
  const res = await api('GET', `/neighbourhoods?q=${encodeURIComponent('망원')}`);
  assert.equal(res.statusCode, 200);
  const names = res.json().items.map((i: { name: string }) => i.name);
  assert.deepEqual(names.slice(0, 2).sort(), ['망원1동', '망원2동']);
  assert.ok(!/"lat"|"lng"/.test(res.body));
  const many = (await api('GET', `/neighbourhoods?q=${encodeURIComponent('동')}`)).json().items;
  assert.equal(many.length, 20);
  problem(await api('GET', '/neighbourhoods?q='), 400, 'VALIDATION_FAILED');
});

test('GET /neighbourhoods/nearest gives the 동 and a rounded distance; bad positions are 400', async () => {
  const res = await api('GET', `/neighbourhoods/nearest?lat=${AT.망원1동.lat}&lng=${AT.망원1동.lng}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().neighbourhood.name, '망원1동');
  assert.equal(res.json().distanceKm, 0.1); // never below 100 m, never the exact metres
  problem(await api('GET', '/neighbourhoods/nearest?lat=48.85&lng=2.35'), 400, 'OUTSIDE_KOREA'); // Paris
  problem(await api('GET', '/neighbourhoods/nearest?lat=91&lng=127'), 400, 'VALIDATION_FAILED');
  problem(await api('GET', '/neighbourhoods/nearest?lat=37.5&lng=-181'), 400, 'VALIDATION_FAILED');
  problem(await api('GET', '/neighbourhoods/nearest?lat=abc&lng=127'), 400, 'INVALID_NUMBER');
});

test('distance rounding: 100 m steps under 10 km, whole km beyond, never 0', () => {
  assert.equal(roundDistanceKm(0), 0.1);
  assert.equal(roundDistanceKm(1234), 1.2);
  assert.equal(roundDistanceKm(9949), 9.9);
  assert.equal(roundDistanceKm(12_600), 13);
  assert.equal(roundDistanceKm(null), null);
});

test('내 동네: one or two, unknown codes refused with nothing stored, 인증 within 3 km kept across edits', async () => {
  const u = await ctx.signUp();
  const stored = async () => (await ctx.deps.db.query('SELECT code FROM member_neighbourhoods WHERE member_id = $1', [u.id])).length;
  problem(await setHoods(u, ['9999999999']), 400, 'UNKNOWN_NEIGHBOURHOOD');
  problem(await setHoods(u, [code.망원1동, '9999999999']), 400, 'UNKNOWN_NEIGHBOURHOOD');
  problem(await setHoods(u, [code.망원1동, code.서교동, code.성수1가1동]), 400, 'VALIDATION_FAILED');
  problem(await setHoods(u, []), 400, 'VALIDATION_FAILED');
  assert.equal(await stored(), 0);
  assert.equal((await api('PUT', '/members/me/neighbourhoods', undefined, { codes: [code.망원1동] })).statusCode, 401);

  let res = await setHoods(u, [code.망원1동, code.서교동]);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().items.map((i: { name: string; verified: boolean }) => [i.name, i.verified]), [['망원1동', false], ['서교동', false]]);

  // 인증: outside Korea, out of range, too far (성수 is ~11 km from 망원) → 400 and nothing stored
  const verify = (p: unknown) => api('POST', '/members/me/neighbourhoods/verify', u.cookie, p);
  problem(await verify({ lat: 35.68, lng: 139.76 }), 400, 'OUTSIDE_KOREA'); // Tokyo
  problem(await verify({ lat: 100, lng: 127 }), 400, 'VALIDATION_FAILED');
  problem(await verify(AT.성수1가1동), 400, 'TOO_FAR_FROM_NEIGHBOURHOOD');
  problem(await verify({ ...AT.망원1동, code: '9999999999' }), 400, 'NOT_MY_NEIGHBOURHOOD');
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(verified_at)::int AS n FROM member_neighbourhoods WHERE member_id = $1', [u.id]))!.n, 0);

  res = await verify(AT.망원1동);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().items.map((i: { verified: boolean }) => i.verified), [true, false]);
  // a kept 동 keeps its 인증 when the list changes; a dropped one loses it
  res = await setHoods(u, [code.서교동, code.망원1동]);
  assert.deepEqual(res.json().items.map((i: { name: string; verified: boolean }) => [i.name, i.verified]), [['서교동', false], ['망원1동', true]]);
  // the badge shows on the public profile, without any coordinate
  const profile = await api('GET', `/members/${u.id}`);
  assert.deepEqual(profile.json().neighbourhoods.map((h: { name: string; verified: boolean }) => [h.name, h.verified]), [['서교동', false], ['망원1동', true]]);
  assert.ok(!/"lat"|"lng"/.test(profile.body));
});

test('인증 expires after 30 days', async () => {
  const u = await ctx.signUp();
  await setHoods(u, [code.망원1동]);
  await ctx.deps.db.query(`UPDATE member_neighbourhoods SET verified_at = now() - interval '31 days' WHERE member_id = $1`, [u.id]);
  assert.equal((await api('GET', '/members/me/neighbourhoods', u.cookie)).json().items[0].verified, false);
  await ctx.deps.db.query(`UPDATE member_neighbourhoods SET verified_at = now() - interval '29 days' WHERE member_id = $1`, [u.id]);
  assert.equal((await api('GET', '/members/me/neighbourhoods', u.cookie)).json().items[0].verified, true);
});

test('listings sit at one of the owner’s 동네; lists and search carry 동 and distance, filter by radius, sort by distance', async () => {
  await setHoods(owner, [code.망원1동, code.성수1가1동]);
  await api('POST', '/members/me/neighbourhoods/verify', owner.cookie, AT.망원1동);
  await setHoods(viewer, [code.서교동]);

  const mangwon = await listing(owner, '망원 텐트 캠핑');
  const seongsu = await listing(owner, '성수 텐트 캠핑', { neighbourhoodCode: code.성수1가1동 });
  // not one of mine / unknown → 400, nothing stored
  const before = (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM posts'))!.n;
  const bad = await sendPost(ctx.app, { cookie: owner.cookie, data: { title: '잘못된 동네', content: 'x', categoryId: leaf, regionIds: [mapo], fee: 1, deposit: 1, receiveMethod: 'DIRECT', returnMethod: 'DIRECT', neighbourhoodCode: code.서교동 }, images: [img] });
  problem(bad, 400, 'NOT_MY_NEIGHBOURHOOD');
  const unknown = await sendPost(ctx.app, { cookie: owner.cookie, data: { title: '없는 동네', content: 'x', categoryId: leaf, regionIds: [mapo], fee: 1, deposit: 1, receiveMethod: 'DIRECT', returnMethod: 'DIRECT', neighbourhoodCode: '1111111111' }, images: [img] });
  problem(unknown, 400, 'UNKNOWN_NEIGHBOURHOOD');
  assert.equal((await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM posts'))!.n, before);

  // near=me (서교동): 망원 is ~2.2 km, 성수 ~10.4 km
  let res = await api('GET', `/posts?near=me&authorId=${owner.id}`, viewer.cookie);
  assert.equal(res.statusCode, 200, res.body);
  const byId = new Map(res.json().items.map((i: any) => [i.id, i]));
  const m = byId.get(mangwon) as any;
  assert.deepEqual(m.neighbourhood, { code: code.망원1동, name: '망원1동', verified: true });
  assert.ok(m.distanceKm > 1.5 && m.distanceKm < 3, `망원 ${m.distanceKm}`);
  assert.equal(Math.round(m.distanceKm * 10), m.distanceKm * 10);
  const s = byId.get(seongsu) as any;
  assert.equal(s.neighbourhood.verified, false);
  assert.ok(s.distanceKm >= 10 && Number.isInteger(s.distanceKm), `성수 ${s.distanceKm}`);
  assert.ok(!/"lat"|"lng"/.test(res.body));

  res = await api('GET', `/posts?near=me&radiusKm=3&authorId=${owner.id}`, viewer.cookie);
  assert.deepEqual(res.json().items.map((i: any) => i.id), [mangwon]);
  res = await api('GET', `/posts?lat=${AT.성수1가1동.lat}&lng=${AT.성수1가1동.lng}&radiusKm=20&sort=distance&authorId=${owner.id}&limit=1`);
  assert.deepEqual(res.json().items.map((i: any) => i.id), [seongsu]);
  const next = await api('GET', `/posts?lat=${AT.성수1가1동.lat}&lng=${AT.성수1가1동.lng}&radiusKm=20&sort=distance&authorId=${owner.id}&limit=1&cursor=${res.json().nextCursor}`);
  assert.deepEqual(next.json().items.map((i: any) => i.id), [mangwon]);
  // far away: nothing within 20 km of 해운대
  res = await api('GET', `/posts?lat=${AT.해운대.lat}&lng=${AT.해운대.lng}&radiusKm=20&authorId=${owner.id}`);
  assert.deepEqual(res.json().items, []);

  // search: same pieces
  res = await api('GET', `/search?q=${encodeURIComponent('텐트')}&near=me&radiusKm=3`, viewer.cookie);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().items.map((h: any) => h.listing.id), [mangwon]);
  assert.ok(res.json().items[0].listing.distanceKm > 1.5);
  res = await api('GET', `/search?q=${encodeURIComponent('캠핑 텐트')}&lat=${AT.성수1가1동.lat}&lng=${AT.성수1가1동.lng}&sort=distance`);
  assert.deepEqual(res.json().items.map((h: any) => h.listing.id).filter((id: number) => id === seongsu || id === mangwon), [seongsu, mangwon]);
  res = await api('GET', `/search?lat=${AT.망원1동.lat}&lng=${AT.망원1동.lng}&radiusKm=5&sort=distance`);
  assert.equal(res.json().items[0].listing.id, mangwon);
});

test('bad distance input: radius not allowed, outside Korea, half a point, near=me without 동네 → 400', async () => {
  const lonely = await ctx.signUp();
  for (const url of ['/posts', '/search']) {
    problem(await api('GET', `${url}?lat=37.55&lng=126.9&radiusKm=2`), 400, 'VALIDATION_FAILED');
    problem(await api('GET', `${url}?lat=37.55&lng=126.9&radiusKm=abc`), 400, 'INVALID_NUMBER');
    problem(await api('GET', `${url}?lat=40.7&lng=-74&radiusKm=5`), 400, 'OUTSIDE_KOREA');
    problem(await api('GET', `${url}?lat=95&lng=126.9`), 400, 'VALIDATION_FAILED');
    problem(await api('GET', `${url}?lat=37.55`), 400, 'POINT_INCOMPLETE');
    problem(await api('GET', `${url}?radiusKm=5`), 400, 'POINT_REQUIRED');
    problem(await api('GET', `${url}?sort=distance`), 400, 'POINT_REQUIRED');
    problem(await api('GET', `${url}?near=me`, lonely.cookie), 400, 'NO_NEIGHBOURHOOD');
    assert.equal((await api('GET', `${url}?near=me`)).statusCode, 401);
    problem(await api('GET', `${url}?near=you`), 400, 'VALIDATION_FAILED');
  }
});

test('the return address is shown only to the owner and to a borrower from approval on', async () => {
  const id = await listing(owner, '주소 비공개 텐트');
  const addr = (cookie?: string) => api('GET', `/posts/${id}`, cookie).then((r) => r.json().returnAddress);
  assert.equal(await addr(owner.cookie), '서울 마포구 망원로 12 3층');
  assert.equal(await addr(), null);
  assert.equal(await addr(other.cookie), null);
  const anon = await api('GET', `/posts/${id}`);
  assert.ok(!anon.body.includes('망원로'));
  assert.equal(anon.json().neighbourhood.name, '망원1동');
  const admin = await ctx.admin();
  assert.equal(await addr(admin.cookie), null);
  // a request is not enough; approval is
  const rid = await insertReservation(ctx.deps.db, { postId: id, borrowerId: other.id, lenderId: owner.id, status: 'PENDING_APPROVAL', startDate: '2099-03-01', endDate: '2099-03-02' });
  assert.equal(await addr(other.cookie), null);
  for (const status of ['REJECTED', 'CANCELLED', 'EXPIRED']) {
    await ctx.deps.db.query('UPDATE reservations SET status = $2 WHERE id = $1', [rid, status]);
    assert.equal(await addr(other.cookie), null, status);
  }
  await ctx.deps.db.query(`UPDATE reservations SET status = 'PENDING_PAYMENT' WHERE id = $1`, [rid]);
  assert.equal(await addr(other.cookie), '서울 마포구 망원로 12 3층');
  await ctx.deps.db.query(`UPDATE reservations SET status = 'REFUND_COMPLETED' WHERE id = $1`, [rid]);
  assert.equal(await addr(other.cookie), '서울 마포구 망원로 12 3층');
  // the listing's other viewers still do not see it
  assert.equal(await addr(viewer.cookie), null);
  // nor does any list or search carry it
  const list = await api('GET', `/posts?authorId=${owner.id}`);
  assert.ok(!list.body.includes('망원로'));
});
