// Server mode with vectors: the machine's PostgreSQL has no pgvector, so a PGlite database with
// pgvector is served over the Postgres wire protocol (@electric-sql/pglite-socket) and the app talks
// to it exactly as to a server PostgreSQL — the `pg` pool, its transactions, SET LOCAL of the vector
// index settings, the index's rebuild — while the search, embedding-worker and similar-listing cases run (search.cases.ts).
// One pool connection: the socket server queues queries from all connections into one PGlite, so
// two pooled connections would interleave each other's transactions.
import net from 'node:net';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { createTestContext, freshDatabase } from '../../../test/helpers.ts';
import { openPostgres } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { searchCases } from './search.cases.ts';
import assert from 'node:assert/strict';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

searchCases(async () => {
  const lite = await freshDatabase();
  const port = await freePort();
  const server = new PGLiteSocketServer({ db: lite.pglite!, host: '127.0.0.1', port });
  await server.start();
  const db = await openPostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, 1);
  await migrate(db);
  assert.equal(db.kind, 'postgres');
  assert.equal(db.vectorAvailable, true, 'pgvector over the wire');
  const ctx = await createTestContext({ db });
  return {
    ...ctx,
    async close() {
      await ctx.close();
      await server.stop();
      await lite.close();
    },
  };
});
