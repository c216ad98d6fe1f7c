import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoSharedBuffersMb } from './client.ts';

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
