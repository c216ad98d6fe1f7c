// Condition records (photos + the category checklist) at hand-over and return, and itemised claims against
// the deposit: accepted, disputed into the admin queue, decided; the refund is the deposit minus accepted items.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { sql } from '../../db/sql.ts';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import { insertPost, insertReservation, jpeg, jpegWithGps, multipart, type User } from '../../../test/factories.ts';
import { checklistFor } from './checklists.ts';
import { refundAmount } from './service.ts';

let ctx: TestContext;
let lender: User, borrower: User, stranger: User;
let admin: { id: number; cookie: string };
let postId: number;

before(async () => {
  ctx = await createTestContext();
  lender = await ctx.signUp('검수빌려주는이');
  borrower = await ctx.signUp('검수빌리는이');
  stranger = await ctx.signUp('검수구경꾼');
  admin = await ctx.admin();
  postId = await insertPost(ctx.deps.db, lender.id, '4인용 돔 텐트'); // a 캠핑 listing (the first leaf category)
});
after(() => ctx.close());

let rentals = 0;
/** a reservation of the listing in `status`, on dates of its own (the dates-held constraint) */
function rentalIn(status: Parameters<typeof insertReservation>[1]['status']) {
  const start = new Date(Date.UTC(2024, 1, 1 + 5 * rentals++));
  const day = (d: Date, plus: number) => new Date(d.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
  return insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status, startDate: day(start, 0), endDate: day(start, 2) });
}
const setStatus = (id: number, status: string) => ctx.deps.db.query(sql`UPDATE reservations SET status = ${status} WHERE id = ${id}`);

function record(user: { cookie: string } | undefined, reservationId: number, data: unknown, photos: Buffer[]) {
  const body = multipart([
    { name: 'data', value: typeof data === 'string' ? data : JSON.stringify(data) },
    ...photos.map((value, i) => ({ name: 'photos', value, filename: `p${i}.jpg` })),
  ]);
  return ctx.app.inject({
    method: 'POST', url: `/api/v1/reservations/${reservationId}/condition-records`, payload: body.payload,
    headers: { ...body.headers, ...(user ? { cookie: user.cookie } : {}) },
  });
}
const api = (method: 'GET' | 'POST', url: string, user?: { cookie: string }, payload?: unknown) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user ? { cookie: user.cookie } : {}, payload: payload as any });
const allOk = (n: number) => Array.from({ length: n }, () => ({ ok: true }));
const count = async (table: string) => (await ctx.deps.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))!.n;

test('a pickup record: photos (EXIF stripped, parties only, never via /media) and the category checklist', async () => {
  const id = await rentalIn('PENDING_PICKUP');
  const view = (await api('GET', `/reservations/${id}/condition`, borrower)).json();
  assert.deepEqual(view.checklist, checklistFor('캠핑'));
  assert.deepEqual(view.records, []);
  assert.deepEqual(view.deposit, { total: 50000, deductions: 0, refund: 50000 });

  const checklist = view.checklist.map((_: string, i: number) => ({ ok: i !== 1, ...(i === 1 ? { note: '플라이 모서리에 작은 구멍' } : {}) }));
  const res = await record(borrower, id, { stage: 'PICKUP', checklist, note: '받을 때 확인했어요' }, [await jpegWithGps(), await jpeg(80, 60)]);
  assert.equal(res.statusCode, 201, res.body);
  const [rec] = res.json().records;
  assert.equal(rec.stage, 'PICKUP');
  assert.equal(rec.authorId, borrower.id);
  assert.equal(rec.checklist[1].ok, false);
  assert.equal(rec.checklist[1].note, '플라이 모서리에 작은 구멍');
  assert.equal(rec.checklist[0].label, checklistFor('캠핑')[0]);
  assert.equal(rec.photos.length, 2);

  // the lender is told and sees the same record and photos; the stored photo carries no EXIF
  const note = (await api('GET', '/notifications?limit=1', lender)).json().items[0];
  assert.equal(note.type, 'CONDITION_RECORD');
  const photo = await ctx.app.inject({ method: 'GET', url: rec.photos[0].url, headers: { cookie: lender.cookie } });
  assert.equal(photo.statusCode, 200);
  assert.equal((await sharp(photo.rawPayload).metadata()).exif, undefined);
  assert.equal((await ctx.app.inject({ method: 'GET', url: rec.photos[0].url, headers: { cookie: stranger.cookie } })).statusCode, 404);
  assert.equal((await ctx.app.inject({ method: 'GET', url: rec.photos[0].url })).statusCode, 401);
  const key = (await ctx.deps.db.one<{ path: string }>(sql`SELECT path FROM condition_photos WHERE id = ${rec.photos[0].id}`))!.path;
  assert.match(key, /^inspections\//);
  assert.equal((await ctx.app.inject({ method: 'GET', url: `/media/${key}` })).statusCode, 404);

  // once per stage
  const again = await record(lender, id, { stage: 'PICKUP', checklist: allOk(4) }, [await jpeg()]);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'RECORD_EXISTS');
});

test('condition record refusals: wrong stage, strangers, bad checklist, no photo, 11 photos, a fake image, 12 MB; nothing stored', async () => {
  const id = await rentalIn('RENTING');
  const recordsBefore = await count('condition_records');
  const photosBefore = await count('condition_photos');
  const ok = { stage: 'PICKUP', checklist: allOk(4) };
  const cases: [string, Promise<{ statusCode: number; json(): any }>, number, string?][] = [
    ['return stage while renting', record(borrower, id, { ...ok, stage: 'RETURN' }, [await jpeg()]), 409, 'RECORD_NOT_NOW'],
    ['stranger', record(stranger, id, ok, [await jpeg()]), 404],
    ['anonymous', record(undefined, id, ok, [await jpeg()]), 401],
    ['missing reservation', record(borrower, 99999999, ok, [await jpeg()]), 404],
    ['three answers for four items', record(borrower, id, { ...ok, checklist: allOk(3) }, [await jpeg()]), 400, 'CHECKLIST_INCOMPLETE'],
    ['unknown stage', record(borrower, id, { ...ok, stage: 'LATER' }, [await jpeg()]), 400, 'VALIDATION_FAILED'],
    ['not JSON', record(borrower, id, '{stage:', [await jpeg()]), 400, 'INVALID_JSON'],
    ['no photo', record(borrower, id, ok, []), 400, 'IMAGE_REQUIRED'],
    ['eleven photos', record(borrower, id, ok, Array(11).fill(await jpeg())), 400, 'TOO_MANY_IMAGES'],
    ['fake image', record(borrower, id, ok, [await jpeg(), Buffer.from('이미지가 아닙니다')]), 400, 'INVALID_IMAGE'],
    ['12 MB', record(borrower, id, ok, [Buffer.concat([await jpeg(), Buffer.alloc(12 * 1024 * 1024)])]), 413, 'FILE_TOO_LARGE'],
  ];
  for (const [name, pending, status, code] of cases) {
    const res = await pending;
    assert.equal(res.statusCode, status, `${name}: ${JSON.stringify(res.json())}`);
    if (code) assert.equal(res.json().code, code, name);
  }
  assert.equal(await count('condition_records'), recordsBefore);
  assert.equal(await count('condition_photos'), photosBefore);
  assert.equal((await api('GET', `/reservations/${id}/condition`, stranger)).statusCode, 404);
});

test('a claim item by item: the borrower accepts one and disputes one; the admin decides; refund = deposit − accepted', async () => {
  const id = await rentalIn('RENTING');
  const items = [{ description: '플라이 찢어짐 수선비', amount: 15000 }, { description: '팩 2개 분실', amount: 4000 }];
  // not before the item is back; only the lender; never over the deposit
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items })).json().code, 'CLAIM_NOT_NOW');
  await setStatus(id, 'INSPECTING_RETURN');
  assert.equal((await api('POST', `/reservations/${id}/claim`, borrower, { items })).statusCode, 403);
  assert.equal((await api('POST', `/reservations/${id}/claim`, stranger, { items })).statusCode, 404);
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items: [{ description: '전체 파손', amount: 50001 }] })).json().code, 'CLAIM_OVER_DEPOSIT');
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items: [] })).statusCode, 400);
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items: [{ description: '   ', amount: 100 }] })).json().code, 'DESCRIPTION_REQUIRED');
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items: [{ description: '음수', amount: -5 }] })).statusCode, 400);
  assert.equal(await count('damage_claims'), 0);

  const claimed = await api('POST', `/reservations/${id}/claim`, lender, { items });
  assert.equal(claimed.statusCode, 201, claimed.body);
  const claim = claimed.json().claim;
  assert.deepEqual(claim.items.map((i: any) => [i.description, i.amount, i.decision]), [['플라이 찢어짐 수선비', 15000, 'PENDING'], ['팩 2개 분실', 4000, 'PENDING']]);
  assert.equal((await api('POST', `/reservations/${id}/claim`, lender, { items })).json().code, 'CLAIM_EXISTS');
  assert.equal(await refundAmount(ctx.deps.db, id), 50000); // nothing accepted yet

  // the borrower answers every item once: half answers, the lender, or a repeated item are refused
  const [torn, pegs] = claim.items;
  assert.equal((await api('POST', `/reservations/${id}/claim/answer`, borrower, { answers: [{ itemId: torn.id, accept: true }] })).json().code, 'ANSWER_EVERY_ITEM');
  assert.equal((await api('POST', `/reservations/${id}/claim/answer`, borrower, { answers: [{ itemId: torn.id, accept: true }, { itemId: torn.id, accept: false }] })).statusCode, 400);
  assert.equal((await api('POST', `/reservations/${id}/claim/answer`, lender, { answers: [{ itemId: torn.id, accept: true }, { itemId: pegs.id, accept: true }] })).statusCode, 403);
  const answered = await api('POST', `/reservations/${id}/claim/answer`, borrower, { answers: [{ itemId: torn.id, accept: false }, { itemId: pegs.id, accept: true }] });
  assert.equal(answered.statusCode, 200, answered.body);
  assert.equal(answered.json().claim.status, 'DISPUTED');
  assert.deepEqual(answered.json().deposit, { total: 50000, deductions: 4000, refund: 46000 });
  assert.equal(await refundAmount(ctx.deps.db, id), 46000);
  assert.equal((await api('POST', `/reservations/${id}/claim/answer`, borrower, { answers: [{ itemId: torn.id, accept: true }, { itemId: pegs.id, accept: true }] })).json().code, 'CLAIM_ANSWERED');

  // the admin queue: members are refused before validation; the admin upholds the disputed item
  assert.equal((await api('GET', '/adm/claims', lender)).statusCode, 403);
  assert.equal((await api('POST', `/adm/claims/${claim.id}/decide`, borrower, { upheld: 'x' })).statusCode, 403);
  const queue = (await api('GET', '/adm/claims', admin)).json().items;
  assert.deepEqual(queue.map((c: any) => c.id), [claim.id]);
  assert.equal((await api('POST', `/adm/claims/${claim.id}/decide`, admin, { upheld: [pegs.id] })).json().code, 'NOT_A_DISPUTED_ITEM');
  const decided = await api('POST', `/adm/claims/${claim.id}/decide`, admin, { upheld: [torn.id] });
  assert.equal(decided.statusCode, 200, decided.body);
  assert.equal(decided.json().status, 'SETTLED');
  assert.deepEqual(decided.json().items.map((i: any) => i.decision), ['ACCEPTED', 'ACCEPTED']);
  assert.equal(await refundAmount(ctx.deps.db, id), 31000);
  assert.deepEqual((await api('GET', '/adm/claims', admin)).json().items, []);
  assert.equal((await api('POST', `/adm/claims/${claim.id}/decide`, admin, { upheld: [] })).statusCode, 409);
});

test('a claim accepted in full settles without the admin; a rejected disputed item is not deducted', async () => {
  const full = await rentalIn('RETURN_COMPLETED');
  const c1 = (await api('POST', `/reservations/${full}/claim`, lender, { items: [{ description: '세척비', amount: 10000 }] })).json().claim;
  const settled = (await api('POST', `/reservations/${full}/claim/answer`, borrower, { answers: [{ itemId: c1.items[0].id, accept: true }] })).json();
  assert.equal(settled.claim.status, 'SETTLED');
  assert.equal(settled.deposit.refund, 40000);

  const lost = await rentalIn('LOST_OR_UNRETURNED');
  const c2 = (await api('POST', `/reservations/${lost}/claim`, lender, { items: [{ description: '분실', amount: 50000 }] })).json().claim;
  await api('POST', `/reservations/${lost}/claim/answer`, borrower, { answers: [{ itemId: c2.items[0].id, accept: false }] });
  const decided = (await api('POST', `/adm/claims/${c2.id}/decide`, admin, { upheld: [] })).json();
  assert.deepEqual(decided.items.map((i: any) => i.decision), ['REJECTED']);
  assert.equal(await refundAmount(ctx.deps.db, lost), 50000);

  // the lender's list reads every row's refund at once (one query): the same amounts as each detail view
  await setStatus(full, 'PENDING_REFUND');
  await setStatus(lost, 'PENDING_REFUND');
  const listed = (await api('GET', '/reservations/received?status=PENDING_REFUND', lender)).json().items;
  const refunds = Object.fromEntries(listed.map((r: any) => [r.id, r.refund]));
  assert.deepEqual(refunds, { [full]: { kind: 'DEPOSIT', amount: 40000 }, [lost]: { kind: 'DEPOSIT', amount: 50000 } });
  for (const id of [full, lost]) assert.deepEqual((await api('GET', `/reservations/${id}`, lender)).json().refund, refunds[id]);
});
