// Races that used to break the product's own limits (issue 9 point 6), each run on the machine's
// real Postgres (where requests really overlap) and on PGlite (one connection, the embedded mode):
// concurrent edits adding images, case-variant sign-ups, concurrent favorite toggles, edit vs delete.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from './helpers.ts';
import { createTemporaryDatabase, TEST_REDIS_URL, type TemporaryDatabase } from './postgres.ts';
import { jpeg, sendPost } from './factories.ts';
import { migrate } from '../src/db/migrate.ts';

type User = Awaited<ReturnType<TestContext['signUp']>>;

async function listingData(ctx: TestContext) {
  const leaf = await ctx.deps.db.one<{ id: number }>('SELECT id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1');
  const region = await ctx.deps.db.one<{ id: number }>('SELECT id FROM regions WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1');
  return {
    title: '동시 수정 테스트 텐트', content: '이미지를 동시에 추가합니다', categoryId: leaf!.id, regionIds: [region!.id],
    fee: 10000, deposit: 0, receiveMethod: 'DIRECT', returnMethod: 'DIRECT',
  };
}

function raceSuite(name: string, open: () => Promise<{ ctx: TestContext; close: () => Promise<void> }>) {
  describe(name, () => {
    let ctx: TestContext;
    let close: () => Promise<void>;
    let owner: User;
    let fan: User;
    let img: Buffer;
    before(async () => {
      ({ ctx, close } = await open());
      [owner, fan] = [await ctx.signUp(), await ctx.signUp()];
      img = await jpeg(32, 24);
    });
    after(() => close());

    test('two edits at once, each adding 9 images to a 1-image listing: the limit of 10 holds', async () => {
      const data = await listingData(ctx);
      const created = await sendPost(ctx.app, { cookie: owner.cookie, data, images: [img] });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      const edit = () => sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data, images: Array(9).fill(img) });
      const answers = await Promise.all([edit(), edit(), edit()]);
      const codes = answers.map((a) => a.statusCode).sort();
      assert.deepEqual(codes, [200, 400, 400], answers.map((a) => a.body).join('\n'));
      assert.ok(answers.filter((a) => a.statusCode === 400).every((a) => a.json().code === 'TOO_MANY_IMAGES'));
      const n = await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM post_images WHERE post_id = $1', [id]);
      assert.equal(n!.n, 10);
    });

    test('an edit racing a delete never writes to the deleted listing', async () => {
      const data = await listingData(ctx);
      const id = (await sendPost(ctx.app, { cookie: owner.cookie, data, images: [img] })).json().id;
      const [edit, del] = await Promise.all([
        sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...data, title: '삭제와 경쟁한 수정' }, images: [] }),
        ctx.app.inject({ method: 'DELETE', url: `/api/v1/posts/${id}`, headers: { cookie: owner.cookie } }),
      ]);
      assert.equal(del.statusCode, 204);
      assert.ok([200, 404].includes(edit.statusCode), edit.body);
      const row = await ctx.deps.db.one<{ deleted: boolean; title: string; updated_after_delete: boolean }>(
        'SELECT deleted_at IS NOT NULL AS deleted, title, updated_at > deleted_at AS updated_after_delete FROM posts WHERE id = $1', [id],
      );
      assert.equal(row!.deleted, true);
      assert.equal(row!.updated_after_delete, false, 'the edit did not land after the delete');
      // and an edit of an already deleted listing is a 404 that changes nothing
      const late = await sendPost(ctx.app, { method: 'PUT', url: `/api/v1/posts/${id}`, cookie: owner.cookie, data: { ...data, title: '늦은 수정' }, images: [] });
      assert.equal(late.statusCode, 404);
      assert.notEqual((await ctx.deps.db.one<{ title: string }>('SELECT title FROM posts WHERE id = $1', [id]))!.title, '늦은 수정');
    });

    test('sign-ups "Chwi…" and "chwi…" at once: one account, the other 409 NICKNAME_TAKEN', async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const pairs = Array.from({ length: 5 }, (_, i) => [`Chwi${tag}${i}`, `chwi${tag}${i}`]);
      const answers = await Promise.all(pairs.flat().map((nickname, k) =>
        ctx.app.inject({ method: 'POST', url: '/api/v1/members', payload: { email: `race-${tag}-${k}@example.com`, password: 'password123', nickname } }),
      ));
      for (let i = 0; i < pairs.length; i++) {
        const pair = [answers[2 * i], answers[2 * i + 1]];
        assert.deepEqual(pair.map((a) => a.statusCode).sort(), [201, 409], pair.map((a) => a.body).join('\n'));
        assert.equal(pair.find((a) => a.statusCode === 409)!.json().code, 'NICKNAME_TAKEN');
      }
      const rows = await ctx.deps.db.query('SELECT 1 FROM members WHERE lower(nickname) LIKE $1', [`chwi${tag}%`]);
      assert.equal(rows.length, pairs.length);
      // a profile change to another member's nickname in other letter case is refused too
      const taken = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/members/me', headers: { cookie: fan.cookie }, payload: { nickname: `CHWI${tag}0` } });
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().code, 'NICKNAME_TAKEN');
    });

    test('100 concurrent favorite toggles end consistent; PUT and DELETE are idempotent', async () => {
      const data = await listingData(ctx);
      const id = (await sendPost(ctx.app, { cookie: owner.cookie, data, images: [img] })).json().id;
      const url = `/api/v1/posts/${id}/favorite`;
      const send = (method: 'POST' | 'PUT' | 'DELETE') => ctx.app.inject({ method, url, headers: { cookie: fan.cookie } });
      const stored = async () => (await ctx.deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM favorites WHERE post_id = $1', [id]))!.n;

      const toggles = await Promise.all(Array.from({ length: 100 }, () => send('POST')));
      assert.ok(toggles.every((t) => t.statusCode === 200), toggles.find((t) => t.statusCode !== 200)?.body);
      const on = toggles.filter((t) => t.json().favorited).length;
      assert.equal(on, 50, 'each toggle flipped the state the previous one left');
      assert.equal(await stored(), 0, '100 flips end where they began');

      const puts = await Promise.all(Array.from({ length: 50 }, () => send('PUT')));
      assert.ok(puts.every((p) => p.statusCode === 200 && p.json().favorited === true && p.json().favoriteCount === 1));
      assert.equal(await stored(), 1);
      const dels = await Promise.all(Array.from({ length: 50 }, () => send('DELETE')));
      assert.ok(dels.every((d) => d.statusCode === 200 && d.json().favorited === false && d.json().favoriteCount === 0));
      assert.equal(await stored(), 0);
      const detail = await ctx.app.inject({ url: `/api/v1/posts/${id}`, headers: { cookie: fan.cookie } });
      assert.equal(detail.json().isFavorite, false);
      assert.equal((await ctx.app.inject({ method: 'PUT', url, headers: { cookie: owner.cookie } })).json().code, 'OWN_POST');
    });
  });
}

let database: TemporaryDatabase | undefined;
raceSuite('real Postgres', async () => {
  database = await createTemporaryDatabase('races');
  const ctx = await createTestContext({ env: { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `${database.name}:` } });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      await database?.drop();
    },
  };
});
raceSuite('PGlite', async () => {
  const ctx = await createTestContext();
  return { ctx, close: () => ctx.close() };
});

test('the case-insensitive nickname migration keeps the oldest account and renames later case-variants', async () => {
  const ctx = await createTestContext();
  try {
    const db = ctx.deps.db;
    // the state before the migration: the case-sensitive constraint only
    await db.exec(`DROP INDEX members_nickname_lower; ALTER TABLE members ADD CONSTRAINT members_nickname_key UNIQUE (nickname);
      DELETE FROM schema_migrations WHERE name LIKE '080_%'`);
    const ids: number[] = [];
    for (const nick of ['Chwi', 'chwi', 'CHWI', 'chwi_x', 'Seoul가나다라마바사아자차카타파']) {
      const row = await db.one<{ id: number }>(`INSERT INTO members (email, password_hash, nickname) VALUES ($1, 'x', $2) RETURNING id`, [`mig-${nick}@example.com`, nick]);
      ids.push(row!.id);
    }
    await db.query(`INSERT INTO members (email, password_hash, nickname) VALUES ('mig-dup@example.com', 'x', 'seoul가나다라마바사아자차카타파')`);
    await migrate(db);
    const rows = await db.query<{ id: number; nickname: string }>(`SELECT id, nickname FROM members WHERE email LIKE 'mig-%' ORDER BY id`);
    assert.equal(rows[0].nickname, 'Chwi', 'the oldest keeps its nickname');
    assert.equal(rows[1].nickname, `chwi_${ids[1]}`);
    assert.equal(rows[2].nickname, `CHWI_${ids[2]}`);
    assert.equal(rows[3].nickname, 'chwi_x');
    assert.equal(rows[4].nickname, 'Seoul가나다라마바사아자차카타파');
    assert.ok(rows[5].nickname.length <= 20 && rows[5].nickname.endsWith(`_${rows[5].id}`), rows[5].nickname);
    const lower = new Set(rows.map((r) => r.nickname.toLowerCase()));
    assert.equal(lower.size, rows.length);
    await assert.rejects(db.query(`INSERT INTO members (email, password_hash, nickname) VALUES ('mig-z@example.com', 'x', 'cHwI')`), { code: '23505' });
  } finally {
    await ctx.close();
  }
});
