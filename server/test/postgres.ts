// The machine's real PostgreSQL and Redis for multi-instance tests. Each test file works in a
// database of its own, created here and dropped at the end, so files running at once never meet.
import crypto from 'node:crypto';
import pg from 'pg';

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TemporaryDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function onServer(query: string) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** A fresh empty database named `chwimeet_<label>_<random>`; the app migrates it on start. */
export async function createTemporaryDatabase(label: string): Promise<TemporaryDatabase> {
  const name = `chwimeet_${label}_${crypto.randomBytes(5).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
