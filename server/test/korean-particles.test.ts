// Korean particles after a variable word come from es-hangul's josa (issue 9 point 17): "지역이 있습니다",
// never "지역가 있습니다" or the "을(를)" fallback. The server messages are checked through the API,
// and the sources of server and web app are swept so the fallback cannot come back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, type TestContext } from './helpers.ts';
import { checkTransition } from '../src/modules/reservations/status.ts';
import { extractiveAnswer } from '../src/modules/search/answer.ts';

let ctx: TestContext;
let admin: { id: number; cookie: string };
before(async () => {
  ctx = await createTestContext();
  admin = await ctx.admin();
});
after(() => ctx.close());

const detail = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await ctx.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: admin.cookie }, ...(payload ? { payload } : {}) });
  return res.json().detail as string;
};

test('catalog messages: 지역이 / 카테고리가, 지역은 / 카테고리는', async () => {
  const seoul = (await ctx.deps.db.one<{ id: number; name: string }>('SELECT id, name FROM regions WHERE parent_id IS NULL ORDER BY id LIMIT 1'))!;
  const child = (await ctx.deps.db.one<{ name: string }>('SELECT name FROM regions WHERE parent_id = $1 ORDER BY id LIMIT 1', [seoul.id]))!;
  assert.equal(await detail('POST', '/adm/regions', { name: child.name, parentId: seoul.id }), '같은 위치에 같은 이름의 지역이 있습니다');
  const camping = (await ctx.deps.db.one<{ id: number }>('SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1'))!;
  const leaf = (await ctx.deps.db.one<{ name: string }>('SELECT name FROM categories WHERE parent_id = $1 ORDER BY id LIMIT 1', [camping.id]))!;
  assert.equal(await detail('POST', '/adm/categories', { name: leaf.name, parentId: camping.id }), '같은 위치에 같은 이름의 카테고리가 있습니다');
  assert.equal(await detail('POST', '/adm/regions', { name: '새 동네', parentId: 999999 }), '상위 지역이 존재하지 않습니다');
});

test('not-found messages: 게시글을 / 회원을 / 예약을 찾을 수 없습니다', async () => {
  assert.equal(await detail('GET', '/posts/999999'), '게시글을 찾을 수 없습니다');
  assert.equal(await detail('GET', '/members/999999'), '회원을 찾을 수 없습니다');
  assert.equal(await detail('GET', '/reservations/999999'), '예약을 찾을 수 없습니다');
  assert.equal(await detail('POST', '/adm/reviews/999999/ban', { reason: '광고' }), '리뷰를 찾을 수 없습니다');
});

test('status messages: 으로 after a final consonant, 로 after a vowel', () => {
  const subject = {
    status: 'PENDING_APPROVAL' as const, receiveMethod: 'DIRECT' as const, returnMethod: 'DIRECT' as const, startDate: '2026-03-10', handedOverOn: null,
  };
  assert.match(checkTransition(subject, 'RENTING', 'BORROWER', {}, '2026-03-01')!.detail, /'대여 중'으로 바꿀 수 없습니다/);
  assert.match(checkTransition(subject, 'RETURN_COMPLETED', 'BORROWER', {}, '2026-03-01')!.detail, /'반납 완료'로 바꿀 수 없습니다/);
  assert.match(checkTransition(subject, 'CANCELLED', 'BORROWER', {}, '2026-03-01')!.detail, /'취소'로 바꾸려면/);
  assert.match(extractiveAnswer('캠핑 텐트', [{ listing: { id: 1, title: '텐트', fee: 1000, deposit: 0 }, match: { reason: '' } } as never]), /'캠핑 텐트'와 관련된/);
  assert.match(extractiveAnswer('전동 드릴', [{ listing: { id: 1, title: '드릴', fee: 1000, deposit: 0 }, match: { reason: '' } } as never]), /'전동 드릴'과 관련된/);
});

test('no "을(를)"-style fallback particle is left in the server or the web app', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.test.ts')) {
        fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          if (/[을이은와]\((를|가|는|과)\)|\(으\)로/.test(line)) offenders.push(`${p}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  walk('server/src');
  walk('web/src');
  assert.deepEqual(offenders, []);
});
