// Runs the checked-in SQL migrations in filename order, once each, at start.
// A file whose first line is `-- requires: vector` is applied only where pgvector exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './client.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationReport {
  applied: string[];
  skipped: string[];
  vectorAvailable: boolean;
}

export async function migrate(db: Database, log: (msg: string) => void = () => {}): Promise<MigrationReport> {
  // Extensions first: pgvector is optional in server mode, the others are required.
  // One transaction under the advisory lock: two instances starting at once on an empty database
  // would otherwise race on CREATE EXTENSION (duplicate key in pg_extension).
  await db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727001)');
    await tx.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await tx.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await tx.query('SAVEPOINT vector');
    try {
      await tx.query('CREATE EXTENSION IF NOT EXISTS vector');
      db.vectorAvailable = true;
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT vector');
      db.vectorAvailable = false;
      log('pgvector 확장이 없어 의미 검색을 끕니다 (키워드 검색은 동작합니다)');
    }
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  });

  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  const report: MigrationReport = { applied: [], skipped: [], vectorAvailable: db.vectorAvailable };
  // One read of what is applied, so a later start (everything applied) costs one query instead of a
  // transaction per file; a file still pending is checked again under the lock below.
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  for (const file of files) {
    if (applied.has(file)) continue;
    const text = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
    if (text.startsWith('-- requires: vector') && !db.vectorAvailable) {
      report.skipped.push(file);
      continue;
    }
    await db.transaction(async (tx) => {
      // Serialise concurrent starters (two instances booting at once) on one advisory lock.
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727001)');
      const done = await tx.one('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (done) return;
      await tx.exec(text);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      report.applied.push(file);
    });
  }
  return report;
}

/** The readiness probe's query: the database answers and holds our schema. */
export const schemaReachable = (db: Queryable) => db.query('SELECT 1 FROM schema_migrations LIMIT 1');
