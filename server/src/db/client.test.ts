import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_PREPARED, autoSharedBuffersMb, openPglite } from './client.ts';
import { sql } from './sql.ts';

test('the embedded buffer cache follows the database folder: half of base/, between 128 and 512 MB', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-buffers-'));
  try {
    const base = path.join(dir, 'base', '5');
    fs.mkdirSync(base, { recursive: true });
    // sparse files: their size counts, no disk is written
    const sized = (name: string, mb: number) => {
      fs.writeFileSync(path.join(base, name), '');
      fs.truncateSync(path.join(base, name), mb * 2 ** 20);
    };
    assert.equal(autoSharedBuffersMb(path.join(dir, 'missing')), 128, 'a new folder keeps PGlite\'s 128 MB');
    sized('a', 40);
    assert.equal(autoSharedBuffersMb(dir), 128, 'a demo-size database');
    sized('b', 760);
    assert.equal(autoSharedBuffersMb(dir), 400, '800 MB of tables and indexes (100k listings)');
    fs.mkdirSync(path.join(dir, 'pg_wal'));
    fs.writeFileSync(path.join(dir, 'pg_wal', 'w'), '');
    fs.truncateSync(path.join(dir, 'pg_wal', 'w'), 900 * 2 ** 20);
    assert.equal(autoSharedBuffersMb(dir), 400, 'only base/ counts, not the write-ahead log');
    sized('c', 3000);
    assert.equal(autoSharedBuffersMb(dir), 512, 'capped');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('embedded queryPrepared: the same rows as query(), one named statement per text reused, errors leave the connection usable, at most MAX_PREPARED kept', async () => {
  const db = await openPglite({});
  try {
    await db.exec('CREATE TABLE t (id bigint PRIMARY KEY, name text, at timestamptz, tags text[])');
    await db.query(sql`INSERT INTO t VALUES (1, 'a', ${new Date('2026-01-02T03:04:05Z')}, ${['x', 'y']}), (2, NULL, NULL, NULL), (3, '텐트', now(), '{}')`);
    const select = (ids: number[], name: string | null) =>
      sql`SELECT id, name, at, tags FROM t WHERE id = ANY(${ids}::bigint[]) AND (${name}::text IS NULL OR name = ${name}) ORDER BY id`;
    for (const [ids, name] of [[[1, 2, 3], null], [[1], 'a'], [[3], '텐트'], [[], null], [[1, 2, 3], null]] as const) {
      assert.deepEqual(await db.queryPrepared(select([...ids], name)), await db.query(select([...ids], name)), `ids ${ids}, name ${name}`);
    }
    const used = await db.query<{ n: number; runs: number }>(sql`SELECT count(*)::int AS n, sum(generic_plans + custom_plans)::int AS runs
      FROM pg_prepared_statements WHERE statement LIKE 'SELECT id, name, at, tags FROM t%'`);
    assert.deepEqual(used, [{ n: 1, runs: 5 }], 'one statement, run five times');

    const divide = (d: number) => sql`SELECT 10 / ${d}::int AS q`;
    await assert.rejects(db.queryPrepared(divide(0)), /division by zero/);
    assert.deepEqual(await db.queryPrepared(divide(5)), [{ q: 2 }], 'the same statement works after its error');
    await assert.rejects(db.transaction(async (tx) => {
      await tx.query(sql`INSERT INTO t (id) VALUES (4)`);
      await tx.queryPrepared(divide(0));
    }), /division by zero/);
    assert.deepEqual(await db.queryPrepared(sql`SELECT count(*)::int AS n FROM t WHERE id > ${0}`), [{ n: 3 }], 'the failed transaction rolled back');
    await assert.rejects(db.queryPrepared(sql`SELEC ${1}`), /syntax error/);

    // outside a transaction it waits for an open one, as query() does
    let release!: () => void;
    const open = db.transaction(async (tx) => {
      await tx.query(sql`INSERT INTO t (id) VALUES (5)`);
      await new Promise<void>((r) => { release = r; });
      await tx.query(sql`INSERT INTO t (id) VALUES (6)`);
    });
    await new Promise((r) => setTimeout(r, 20));
    const counted = db.queryPrepared<{ n: number }>(sql`SELECT count(*)::int AS n FROM t WHERE id > ${0}`);
    release();
    await open;
    assert.deepEqual(await counted, [{ n: 5 }], 'counted after the transaction, not inside it');

    for (let i = 0; i < MAX_PREPARED + 20; i++) await db.queryPrepared(sql`SELECT ${i}::int + ${sql.raw(String(i))} AS v`);
    const kept = await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_prepared_statements`);
    assert.equal(kept?.n, MAX_PREPARED, 'the least recently used are closed');
    assert.deepEqual(await db.queryPrepared(select([1], 'a')), await db.query(select([1], 'a')), 'an evicted text is prepared again');
  } finally {
    await db.close();
  }
});
