// One database interface for both modes: PGlite in-process (embedded) or a pg Pool (server).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, parse as pgliteResults, protocol, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import type pg from 'pg';
import type { Sql } from './sql.ts';

// biome-ignore lint/suspicious/noExplicitAny: the untyped default of query<T>(); repositories pass their row type
export type Row = Record<string, any>;

export interface Queryable {
  /** Runs a query and returns its rows. */
  query<T extends Row = Row>(query: Sql | string, params?: unknown[]): Promise<T[]>;
  /** First row or undefined. */
  one<T extends Row = Row>(query: Sql | string, params?: unknown[]): Promise<T | undefined>;
  /** Runs a script of several statements without parameters (migrations, seeds). */
  exec(script: string): Promise<void>;
  /** query() through a statement planned once per text (embedded mode; see preparedStatements): for
   *  the hot read statements whose planning costs more than their run. The server's native planner is
   *  fast, so there it is a plain query. */
  queryPrepared<T extends Row = Row>(query: Sql): Promise<T[]>;
}

export interface Database extends Queryable {
  kind: 'pglite' | 'postgres';
  /** set by the migration runner: false on a Postgres without pgvector */
  vectorAvailable: boolean;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** the PGlite instance in embedded mode (pg-boss fromPglite, dumps in tests) */
  pglite?: PGlite;
  /** the pool in server mode */
  pool?: pg.Pool;
}

function toText(query: Sql | string, params?: unknown[]): { text: string; values: unknown[] } {
  return typeof query === 'string' ? { text: query, values: params ?? [] } : query.toQuery();
}

function queryable(
  run: (text: string, values: unknown[]) => Promise<Row[]>,
  exec: (script: string) => Promise<unknown>,
  runPrepared = run,
): Queryable {
  return {
    async queryPrepared<T extends Row>(q: Sql) {
      const { text, values } = q.toQuery();
      return (await runPrepared(text, values)) as T[];
    },
    async exec(script: string) {
      await exec(script);
    },
    async query<T extends Row>(q: Sql | string, params?: unknown[]) {
      const { text, values } = toText(q, params);
      return (await run(text, values)) as T[];
    },
    async one<T extends Row>(q: Sql | string, params?: unknown[]) {
      const { text, values } = toText(q, params);
      return (await run(text, values))[0] as T | undefined;
    },
  };
}

export const pgliteExtensions = { vector, pg_trgm, btree_gist, cube, earthdistance };

/** Bytes of the files under a folder (0 when it does not exist). */
function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

/** The buffer cache a database folder gets unless the operator sets one: half its tables and indexes
 *  (base/), between PGlite's 128 MB and 512 MB. The cache is allocated and touched at start, so a small
 *  catalogue keeps 128 MB; a large one searches from memory (100k listings: base/ 800 MB → 400 MB,
 *  hybrid search p50 38 → 24 ms on the 2-core dev box; README's search bench). */
export function autoSharedBuffersMb(dataDir: string): number {
  const halfMb = folderBytes(path.join(dataDir, 'base')) / 2 ** 21;
  return Math.round(Math.min(512, Math.max(128, halfMb)));
}

/** sharedBuffersMb: the buffer cache; unset or null: autoSharedBuffersMb of the data folder. */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File; sharedBuffersMb?: number | null }): Promise<Database> {
  const lock = opts.dataDir ? takeLock(opts.dataDir) : null;
  const buffersMb = opts.sharedBuffersMb ?? (opts.dataDir ? autoSharedBuffersMb(opts.dataDir) : undefined);
  const db = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    startParams: buffersMb ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${Math.trunc(buffersMb)}MB`] : undefined,
    extensions: pgliteExtensions,
    parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
  });
  const run = async (text: string, values: unknown[]) => (await db.query<Row>(text, values)).rows;
  const prepared = preparedStatements(db);
  return {
    kind: 'pglite',
    vectorAvailable: false,
    pglite: db,
    // outside a transaction a query waits for any open one, as PGlite's own query() does
    ...queryable(run, (script) => db.exec(script), async (text, values) => {
      const rows = await db._runExclusiveTransaction(() => db.runExclusive(() => prepared(text, values)));
      await db.syncToFs();
      return rows;
    }),
    transaction: (fn) =>
      db.transaction((tx: Transaction) =>
        fn(queryable(async (text, values) => (await tx.query<Row>(text, values)).rows, (script) => tx.exec(script),
          (text, values) => db.runExclusive(() => prepared(text, values)))),
      ),
    async close() {
      await db.close();
      lock?.release();
    },
  };
}

/** statements kept prepared per embedded database; the least recently used is closed beyond this */
export const MAX_PREPARED = 200;

/**
 * Named statements on a PGlite instance, by SQL text: parsed and described once, then each call only
 * binds and executes, so PostgreSQL's plan cache keeps the plan (a generic one after five runs if it
 * costs no more than the custom ones). PGlite's query() sends an unnamed statement, planned anew each
 * time, and its wasm planner is slow: a search's listing cards took 5 ms, 3 of them planning (100k
 * bench). The protocol messages are PGlite's own (@electric-sql/pglite's protocol and result parser);
 * the caller holds PGlite's query lock (runExclusive), as query() does.
 */
function preparedStatements(db: PGlite) {
  const statements = new Map<string, { name: string; types: number[] }>();
  let made = 0;
  const send = (message: Uint8Array) => db.execProtocolStream(message, { syncToFs: false });
  const { serialize } = protocol;
  return async function runPrepared(text: string, values: unknown[]): Promise<Row[]> {
    const results = [];
    try {
      let st = statements.get(text);
      if (st) statements.delete(text); // re-inserted below: the map's order is least recently used first
      else {
        const name = `chwimeet_${++made}`;
        await send(serialize.parse({ name, text }));
        st = { name, types: pgliteResults.parseDescribeStatementResults(await send(serialize.describe({ type: 'S', name }))) };
        if (statements.size >= MAX_PREPARED) {
          const [oldText, old] = statements.entries().next().value!;
          statements.delete(oldText);
          await send(serialize.close({ type: 'S', name: old.name }));
        }
      }
      statements.set(text, st);
      const types = st.types;
      const params = values.map((v, i) => (v === null || v === undefined ? null : (db.serializers[types[i]] ?? String)(v)));
      results.push(...(await send(serialize.bind({ statement: st.name, values: params }))));
      results.push(...(await send(serialize.describe({ type: 'P' }))));
      results.push(...(await send(serialize.execute({}))));
    } finally {
      results.push(...(await send(serialize.sync())));
    }
    return pgliteResults.parseResults(results, db.parsers)[0].rows as Row[];
  };
}

export async function openPostgres(url: string, max = 10): Promise<Database> {
  // loaded here, not at the top: an embedded start never needs the driver
  const { default: pg } = await import('pg');
  // Both drivers return bigint/numeric as strings unless told; we keep int8 ids as numbers.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1082, (v) => v); // date stays 'YYYY-MM-DD'
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // idle client errors are surfaced on the next query instead
  await pool.query('select 1');
  const run = async (text: string, values: unknown[]) => (await pool.query(text, values)).rows;
  return {
    kind: 'postgres',
    vectorAvailable: false,
    pool,
    ...queryable(run, (script) => pool.query(script)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(
          queryable(async (text, values) => (await client.query(text, values)).rows, (script) => client.query(script)),
        );
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite has no lock of its own: two processes on one data dir corrupt it. */
function takeLock(dataDir: string): { release(): void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, '.chwimeet.lock');
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(fs.readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`다른 프로세스(pid ${pid})가 데이터 폴더를 사용 중입니다: ${dataDir}`);
    }
    fs.writeFileSync(file, String(process.pid));
  }
  return { release: () => fs.rmSync(file, { force: true }) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
