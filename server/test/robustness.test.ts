// Hostile input against every route of the API, driven by the app's own OpenAPI document.
// For each route and caller (anonymous, member, admin) it sends wrong types, huge and negative
// numbers, NUL bytes, 100k-character strings, arrays for objects, broken JSON and wrong content
// types, unknown ids. The promise under test (SPEC): bad input is a clear 4xx problem+json with a
// stable `code` and a Korean `detail` — never a 5xx.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createTestContext, type TestContext } from './helpers.ts';
import { jpeg, multipart, sendPost, insertReservation } from './factories.ts';
import { addDays, seoulDate } from '../src/lib/dates.ts';
import type { Scheduler } from '../src/jobs/scheduler.ts';

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string; // OpenAPI form: /api/v1/posts/{id}
  params: { name: string; in: string; schema: Schema; required?: boolean }[];
  body?: Schema;
  multipart: boolean;
}
interface Caller {
  role: 'anonymous' | 'member' | 'admin';
  cookie?: string;
}
interface Sent {
  method: string;
  url: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

let ctx: TestContext;
let ops: Operation[] = [];
let callers: Caller[] = [];
const real: Record<string, number> = {};

const LONG = '가'.repeat(100_000);
const HOSTILE_VALUES: unknown[] = [
  null, true, 1e308, -1e308, 2 ** 63, -1, 0, 1.5, 'NaN', '', '\u0000', 'a\u0000b', LONG, '\\', "'; DROP TABLE posts; --",
  '%_\\', '\uD800', [], [1, 2], {}, { a: 1 },
];
const HOSTILE_PATH = ['0', '-1', '1.5', '1e308', '9223372036854775808', '99999999', 'abc', 'NaN', '%00', '%E0%A4%A', 'a'.repeat(90), 'Infinity'];
const HOSTILE_QUERY = ['', '-1', '0', '1e308', '9223372036854775808', 'NaN', '%00', 'a%00b', '%E0%A4%A', '\\', '%25_%5C', 'true', 'x'.repeat(20_000)];

let scheduler: Scheduler | undefined;
const soon = addDays(seoulDate(new Date()), 3);
let jobName = 'none';
let img: Buffer;

before(async () => {
  // the job admin API needs a running scheduler; workers stay off (no job runs during the test)
  ctx = await createTestContext({ jobs: { workers: false } });
  scheduler = ctx.deps.jobs;
  await scheduler.start();
  jobName = [...scheduler.definitions.keys()][0];

  img = await jpeg();
  const owner = await ctx.signUp();
  const member = await ctx.signUp();
  const admin = await ctx.admin();
  callers = [{ role: 'anonymous' }, { role: 'member', cookie: member.cookie }, { role: 'admin', cookie: admin.cookie }];
  const db = ctx.deps.db;

  const cats = (await ctx.app.inject({ url: '/api/v1/categories' })).json();
  const regions = (await ctx.app.inject({ url: '/api/v1/regions' })).json();
  real.categoryId = cats[0].children[0].id;
  real.regionId = regions[0].children[0].id;
  const res = await sendPost(ctx.app, {
    cookie: owner.cookie,
    data: {
      title: '캠핑 텐트 빌려드려요', content: '4인용 텐트입니다', categoryId: real.categoryId, regionIds: [real.regionId],
      fee: 10000, deposit: 50000, receiveMethod: 'ANY', returnMethod: 'ANY', options: [{ name: '타프', fee: 3000, deposit: 0 }],
    },
    images: [await jpeg()],
  });
  assert.equal(res.statusCode, 201, res.body);
  real.postId = res.json().id;
  real.memberId = owner.id;
  real.optionId = (await db.one<{ id: number }>('SELECT id FROM post_options WHERE post_id = $1', [real.postId]))!.id;

  // the member's own things, so authorised requests with real ids reach the services
  real.reservationId = await insertReservation(db, { postId: real.postId, borrowerId: member.id, status: 'PENDING_APPROVAL' });
  const returned = await insertReservation(db, { postId: real.postId, borrowerId: member.id, status: 'RETURN_COMPLETED' });
  const review = await ctx.app.inject({
    method: 'POST', url: `/api/v1/reservations/${returned}/review`, headers: { cookie: member.cookie },
    payload: { equipmentScore: 5, kindnessScore: 4, responseScore: 5, comment: '좋았어요' },
  });
  assert.equal(review.statusCode, 201, review.body);
  real.reviewId = review.json().id;
  const room = await ctx.app.inject({ method: 'POST', url: '/api/v1/chats', headers: { cookie: member.cookie }, payload: { postId: real.postId } });
  assert.equal(room.statusCode, 201, room.body);
  real.roomId = room.json().id;
  const report = await ctx.app.inject({
    method: 'POST', url: '/api/v1/reports', headers: { cookie: member.cookie },
    payload: { targetType: 'POST', targetId: real.postId, reason: 'SPAM' },
  });
  assert.equal(report.statusCode, 201, report.body);
  real.reportId = report.json().id;
  real.notificationId = (await ctx.deps.notifications.insert(db, { memberId: member.id, type: 'TEST', title: '알림', body: '' })).id;

  const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries<Record<string, any>>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: content['application/json']?.schema,
        multipart: Boolean(content['multipart/form-data']),
      });
    }
  }
  // Reads first, then writes, deletes and admin actions last: later state changes (a deleted or
  // banned listing) must not hide earlier paths. Logging out the test callers would end the run.
  const rank = (o: Operation) =>
    (o.path.includes('/adm/') ? 10 : 0) + ({ GET: 0, POST: 1, PUT: 2, PATCH: 2, DELETE: 3 } as Record<string, number>)[o.method];
  ops = ops.filter((o) => !o.path.endsWith('/members/logout')).sort((a, b) => rank(a) - rank(b));
});

after(async () => {
  await scheduler?.stop();
  await ctx?.close();
});

// ---- sample values from schemas ----------------------------------------------------------

const ID_BY_SEGMENT: Record<string, string> = {
  posts: 'postId', members: 'memberId', reservations: 'reservationId', chats: 'roomId', reviews: 'reviewId',
  notifications: 'notificationId', reports: 'reportId', categories: 'categoryId', regions: 'regionId',
};

/** The id of an existing resource of the kind a parameter or field names. */
function realIdFor(name: string, path: string): number {
  if (name === 'id') {
    const segment = /\/(\w+)\/\{id\}/.exec(path)?.[1] ?? 'posts';
    return real[ID_BY_SEGMENT[segment] ?? 'postId'];
  }
  if (/categor/i.test(name)) return real.categoryId;
  if (/region/i.test(name)) return real.regionId;
  if (/option/i.test(name)) return real.optionId;
  if (/reservation/i.test(name)) return real.reservationId;
  if (/member|author/i.test(name)) return real.memberId;
  return real.postId;
}

const STRING_CANDIDATES = () => [soon, 'abc', 'abc-1', '010-1234-5678', '12', '*/10 * * * *'];
const unique = () => `n${Math.random().toString(36).slice(2, 10)}`;

/** A value that passes the schema where that is easy, so mutations of one field reach the handler. */
function sample(schema: Schema | undefined, name = '', path = ''): unknown {
  if (!schema) return 'abc';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return sample(alts.find((s: Schema) => s.type !== 'null') ?? alts[0], name, path);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries<Schema>(schema.properties ?? {})) out[k] = sample(s, k, path);
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, 1);
      const items = [];
      for (let i = 0; i < n; i++) items.push(sample(schema.items, name, path));
      return items;
    }
    case 'integer':
    case 'number':
      if (/id$|ids$/i.test(name)) return realIdFor(name, path);
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'email') return `fuzz${Math.random().toString(36).slice(2)}@example.com`;
      if (schema.format === 'uuid') return crypto.randomUUID();
      if (schema.format === 'binary') return 'x';
      if (name === 'nickname') return unique();
      if (name === 'cron') return '*/30 * * * *';
      if (name === 'cursor' || name === 'paymentKey' || name === 'orderId') return undefined;
      const min = schema.minLength ?? 0;
      const fits = (s: string) =>
        s.length >= min && s.length <= (schema.maxLength ?? Infinity) && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
      return STRING_CANDIDATES().find(fits) ?? 'a'.repeat(Math.max(min, 3));
    }
    default:
      return 'abc';
  }
}

function pathWith(op: Operation, overrides: Record<string, string> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name in overrides) return overrides[name];
    if (name === 'name') return jobName;
    return String(realIdFor(name, op.path));
  });
}

function qs(values: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${one}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function baseQuery(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.params) {
    if (p.in !== 'query' || !p.required) continue;
    out[p.name] = encodeURIComponent(String(sample(p.schema, p.name, op.path)));
  }
  return out;
}

// ---- the requests ------------------------------------------------------------------------

function* hostileRequests(op: Operation, deep: boolean): Generator<Sent> {
  const json = (body: unknown, url = pathWith(op) + qs(baseQuery(op))): Sent => ({
    method: op.method,
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const base = op.body ? sample(op.body, '', op.path) : undefined;
  const url = pathWith(op) + qs(baseQuery(op));

  // as documented
  yield op.body ? json(base) : { method: op.method, url };

  // path parameters
  for (const p of op.params.filter((x) => x.in === 'path')) {
    for (const v of deep ? HOSTILE_PATH : HOSTILE_PATH.slice(0, 6)) {
      const u = pathWith(op, { [p.name]: v }) + qs(baseQuery(op));
      yield op.body ? json(base, u) : { method: op.method, url: u };
    }
  }

  // query parameters
  const queryParams = op.params.filter((x) => x.in === 'query');
  for (const p of queryParams) {
    for (const v of deep ? HOSTILE_QUERY : HOSTILE_QUERY.slice(0, 4)) {
      yield { method: op.method, url: pathWith(op) + qs({ ...baseQuery(op), [p.name]: v }) };
    }
    yield { method: op.method, url: pathWith(op) + qs({ ...baseQuery(op), [p.name]: ['1', '2'] }) };
  }
  if (queryParams.length) {
    // every optional filter at once, with documented-looking values
    const all: Record<string, string> = {};
    for (const p of queryParams) all[p.name] = encodeURIComponent(String(sample(p.schema, p.name, op.path)));
    yield { method: op.method, url: pathWith(op) + qs(all) };
  }

  // JSON bodies: each property replaced by a hostile value, then the body as a whole
  if (op.body && deep) {
    const props = Object.keys(op.body.properties ?? {});
    for (const k of props) {
      for (const v of HOSTILE_VALUES) yield json({ ...(base as object), [k]: v });
      const inner = op.body.properties[k];
      if (inner?.type === 'array') {
        for (const v of [null, '\u0000', 1e308, -1, {}, LONG]) yield json({ ...(base as object), [k]: [v] });
      }
    }
    yield json({ ...(base as object), unexpectedField: 1 });
  }
  if (op.body || op.multipart || op.method !== 'GET') {
    const bodies: [string | Buffer, string][] = [
      ['', 'application/json'],
      ['{"a":', 'application/json'],
      ['[]', 'application/json'],
      ['null', 'application/json'],
      ['"text"', 'application/json'],
      ['{"__proto__":{"admin":true}}', 'application/json'],
      ['{"constructor":{"prototype":{"admin":true}}}', 'application/json'],
      ['hello', 'text/plain'],
      ['<a/>', 'application/xml'],
      ['a=1', 'application/x-www-form-urlencoded'],
      [Buffer.alloc(2 * 1024 * 1024, 0x20), 'application/json'],
      ['{"a":"\\u0000"}', 'application/json'],
      ['\u0000', 'application/json'],
      ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', 'application/json'],
      ['--x\r\n\r\n', 'multipart/form-data; boundary=x'],
      ['garbage', 'multipart/form-data'],
    ];
    for (const [payload, type] of deep ? bodies : bodies.slice(0, 4)) {
      yield { method: op.method, url, payload, headers: { 'content-type': type } };
    }
  }

  // multipart bodies: broken data parts and files that are not images
  if (op.multipart && deep) {
    const data = op.path.includes('/posts')
      ? {
          title: '테스트 물건', content: '내용', categoryId: real.categoryId, regionIds: [real.regionId], fee: 1000, deposit: 0,
          receiveMethod: 'ANY', returnMethod: 'ANY',
        }
      : {};
    const fileField = op.path.includes('avatar') ? 'image' : 'images';
    const variants: Parameters<typeof multipart>[0][] = [
      [],
      [{ name: 'data', value: '{"a":' }],
      [{ name: 'data', value: '[]' }],
      [{ name: 'data', value: 'null' }],
      [{ name: 'data', value: JSON.stringify({ ...data, title: 'a\u0000b' }) }, { name: fileField, value: Buffer.from('x'), filename: 'a.jpg' }],
      [{ name: 'data', value: JSON.stringify({ ...data, content: LONG }) }],
      [{ name: 'data', value: JSON.stringify({ ...data, fee: 1e308 }) }],
      [{ name: 'data', value: JSON.stringify({ ...data, regionIds: [2 ** 63] }) }],
      [{ name: 'data', value: JSON.stringify({ ...data, categoryId: 99999999 }) }, { name: fileField, value: Buffer.from('GIF89a'), filename: 'a.gif' }],
      [{ name: 'data', value: JSON.stringify({ ...data, blockedDates: ['2030-02-31'] }) }],
      [{ name: 'data', value: JSON.stringify({ ...data, blockedDates: ['0000-01-01'] }) }],
      [{ name: 'data', value: JSON.stringify({ ...data, keepImageIds: [99999999] }) }],
      [{ name: 'data', value: JSON.stringify(data) }, { name: fileField, value: Buffer.from('<svg/>'), filename: 'x.svg', contentType: 'image/svg+xml' }],
      [{ name: 'data', value: JSON.stringify(data) }, { name: 'other', value: Buffer.from('x'), filename: 'x.jpg' }],
      [{ name: 'data', value: 'x\u0000' }, { name: 'data', value: '{}' }],
      [{ name: fileField, value: Buffer.alloc(100, 0xff), filename: '../../etc/passwd' }],
      // a real image, so the hostile data reaches the database
      [{ name: 'data', value: JSON.stringify({ ...data, title: 'a\u0000b', content: '\u0000' }) }, { name: fileField, value: img, filename: 'a.jpg' }],
      [{ name: 'data', value: JSON.stringify({ ...data, returnAddress: '\u0000', options: [{ name: 'a\u0000', fee: 0, deposit: 0 }] }) }, { name: fileField, value: img, filename: 'a.jpg' }],
      [{ name: 'data', value: JSON.stringify({ ...data, regionIds: [99999999], blockedDates: ['2030-02-30'] }) }, { name: fileField, value: img, filename: 'a.jpg' }],
      [{ name: 'data', value: JSON.stringify({ ...data, options: [{ id: 99999999, name: 'x', fee: 0, deposit: 0 }] }) }, { name: fileField, value: img, filename: 'a.jpg' }],
      [{ name: 'data', value: JSON.stringify(data) }, ...Array.from({ length: 11 }, () => ({ name: fileField, value: img, filename: 'a.jpg' }))],
    ];
    for (const parts of variants) {
      const body = multipart(parts);
      yield { method: op.method, url, payload: body.payload, headers: body.headers };
    }
  }
}

// ---- what the sweep must not do: leak internals, stall, change stored state ----------------

/** Internals that must never reach a client: stack frames, SQL and driver messages, secrets. */
const LEAK = /node_modules|\bat [\w.<>]+ \(|\.ts:\d+:\d+|syntax error at|violates .* constraint|duplicate key value|relation "|password_hash|PGlite|ECONNREFUSED/i;
/** An answer slower than this is a stall (the event loop or the database was held). */
const STALL_MS = 3000;

/**
 * Row count and a checksum of every table of the app's schema: a snapshot taken before and after the
 * malformed requests proves that none of them changed stored state.
 */
// Derived caches a successful read may fill (the review summary of a listing or member): not state a request changes.
const CACHE_TABLES = ['review_summaries'];
async function snapshot(): Promise<Map<string, string>> {
  const tables = await ctx.deps.db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY($1::text[])) ORDER BY 1`,
    [CACHE_TABLES],
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const row = await ctx.deps.db.one<{ n: number; sum: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS sum FROM "${name}" t`,
    );
    out.set(name, `${row!.n}:${row!.sum}`);
  }
  return out;
}
const changedTables = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));

// ROBUSTNESS_OUT=/tmp/x writes every failure, and the first answer of each route per caller (x.log), for debugging.
const failures: string[] = [];
const statusLog: string[] = [];
let sentCount = 0;
const leaks: string[] = [];

function check(caller: Caller, sent: Sent, res: Awaited<ReturnType<TestContext['app']['inject']>>) {
  sentCount++;
  const what = `${caller.role} ${sent.method} ${sent.url.slice(0, 120)} ${
    typeof sent.payload === 'string' ? sent.payload.slice(0, 80) : sent.payload ? `<${sent.payload.length} bytes>` : ''
  }`;
  const status = res.statusCode;
  if (LEAK.test(res.body)) leaks.push(`${status} leaks internals ← ${what} → ${res.body.slice(0, 200)}`);
  // The only 5xx we accept is the documented "scheduler not running" of the job admin API: plain
  // test contexts start no scheduler (the server always does).
  if (status >= 500 && !(status === 503 && res.json().code === 'SCHEDULER_UNAVAILABLE')) {
    failures.push(`${status} ← ${what} → ${res.body.slice(0, 200)}`);
    return;
  }
  if (status < 400) return;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) {
    failures.push(`${status} not problem+json (${type}) ← ${what}`);
    return;
  }
  const body = res.json();
  if (typeof body.code !== 'string' || !body.code) failures.push(`${status} without code ← ${what}`);
  if (typeof body.detail !== 'string' || !/[가-힣]/.test(body.detail)) {
    failures.push(`${status} detail not Korean (${body.detail}) ← ${what}`);
  }
}

test('every API route answers hostile input with a 4xx problem, never a 5xx; no leak, no stall, no state change', async () => {
  assert.ok(ops.length >= 60, `expected the whole API in the OpenAPI document, got ${ops.length} operations`);
  const started = Date.now();
  let serverErrors = 0;
  const stalls: string[] = [];
  const stateChanges: string[] = [];
  let accepted = 0;
  // A write the server accepted (2xx: the documented request, or a hostile variant that was valid after
  // all — counted as "accepted") moves the baseline; any change between a baseline and the end of the
  // route's requests was made by refused requests: a state change. (A refused request's change just
  // before an accepted write would be absorbed by that baseline; there are few accepted variants.)
  let baseline = await snapshot();
  const tablesBefore = baseline.size;
  for (const op of ops) {
    for (const caller of callers) {
      let i = 0;
      for (const sent of hostileRequests(op, true)) {
        const headers = { ...(sent.headers ?? {}), ...(caller.cookie ? { cookie: caller.cookie } : {}) };
        const t0 = performance.now();
        const res = await ctx.app.inject({ method: sent.method as 'GET', url: sent.url, payload: sent.payload, headers });
        const ms = performance.now() - t0;
        if (ms > STALL_MS) stalls.push(`${Math.round(ms)} ms ← ${caller.role} ${sent.method} ${sent.url.slice(0, 100)}`);
        const before = failures.length;
        check(caller, sent, res);
        if (res.statusCode >= 500 && failures.length > before) serverErrors++;
        i++;
        if (process.env.ROBUSTNESS_OUT && i === 1) statusLog.push(`${caller.role} ${op.method} ${op.path} ${res.statusCode} ${res.statusCode >= 400 ? `${res.json().code} ${res.json().detail}` : ''}`);
        if (sent.method !== 'GET' && res.statusCode < 400) {
          if (i > 1) accepted++; // a hostile variant the route accepted (reported; its write moves the baseline)
          baseline = await snapshot();
        }
      }
      // refused requests of this route and caller changed nothing
      const now = await snapshot();
      const changed = changedTables(baseline, now);
      if (changed.length) stateChanges.push(`${caller.role} ${op.method} ${op.path}: ${changed.join(', ')}`);
      baseline = now;
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  // the counts the attack re-run reports (issue 9): all must be zero
  console.log(`malformed sweep: ${sentCount} requests over ${ops.length} operations in ${seconds} s — ` +
    `leaks ${leaks.length}, 5xx ${serverErrors}, state changes ${stateChanges.length}, stalls ${stalls.length} ` +
    `(accepted writes ${accepted}, tables checked ${tablesBefore})`);
  if (process.env.ROBUSTNESS_OUT) {
    fs.writeFileSync(process.env.ROBUSTNESS_OUT, [...failures, ...leaks, ...stalls, ...stateChanges].join('\n'));
    fs.writeFileSync(`${process.env.ROBUSTNESS_OUT}.log`, statusLog.join('\n'));
  }
  assert.ok(sentCount >= 10_000, `sent ${sentCount}`);
  assert.deepEqual(leaks, [], `${leaks.length} answers leaked internals:\n${leaks.slice(0, 20).join('\n')}`);
  assert.deepEqual(stalls, [], `${stalls.length} stalls:\n${stalls.slice(0, 20).join('\n')}`);
  assert.deepEqual(stateChanges, [], `refused requests changed stored state:\n${stateChanges.slice(0, 20).join('\n')}`);
  assert.deepEqual(failures, [], `${failures.length} of ${sentCount} requests broke the rules:\n${failures.slice(0, 60).join('\n')}`);
});

/** base64url JSON, the shape of the listing cursors, with hostile contents */
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('hand-made hostile values where the schema alone cannot help: cursors, dates, cron, ids of nothing', async () => {
  const [, member, admin] = callers;
  const requests: [Caller, string, string, unknown?][] = [];
  const get = (c: Caller, url: string) => requests.push([c, 'GET', url]);
  for (const c of [member, admin]) {
    for (const cur of [
      cursorOf({ s: 'newest', k: '9999-12-31T00:00:00Z', id: 1 }), cursorOf({ s: 'newest', k: '+275760-09-13T00:00:00.000Z', id: 1 }),
      cursorOf({ s: 'fee_asc', k: 1e308, id: 1 }), cursorOf({ s: 'fee_desc', k: 2 ** 63, id: 2 ** 63 }), cursorOf({ s: 'newest', k: 'x', id: -1 }),
      cursorOf({ s: 'newest', k: '2020-01-01', id: 1e300 }), cursorOf([]), cursorOf(null), '!!!', '%00',
    ]) {
      for (const sort of ['newest', 'fee_asc', 'fee_desc']) get(c, `/api/v1/posts?sort=${sort}&cursor=${cur}`);
      get(c, `/api/v1/posts/my?cursor=${cur}`);
      get(c, `/api/v1/posts/favorites?cursor=${cur}`);
      get(c, `/api/v1/search?q=텐트&cursor=${cur}`);
      get(c, `/api/v1/chats?cursor=${cur}`);
    }
    for (const cur of ['9999999999999999', '0', `${2 ** 53}_1`, '99999999999999999_9999999999999999', '1_1', '-1']) {
      get(c, `/api/v1/chats?cursor=${cur}`);
      get(c, `/api/v1/search?q=a&cursor=${cur}`);
      get(c, `/api/v1/notifications?cursor=${cur}`);
      get(c, `/api/v1/reservations/sent?cursor=${cur}`);
    }
    for (const [from, to] of [['0000-01-01', '9999-12-31'], ['2030-02-31', '2030-03-01'], ['2030-01-10', '2030-01-01'], ['1900-01-01', '1900-01-01'], ['9999-12-31', '9999-12-31']]) {
      get(c, `/api/v1/search?q=텐트&from=${from}&to=${to}`);
      get(c, `/api/v1/search-ai?q=텐트&from=${from}&to=${to}`);
      get(c, `/api/v1/posts/${real.postId}/unavailable-dates?from=${from}&to=${to}`);
      requests.push([c, 'POST', '/api/v1/reservations', { postId: real.postId, startDate: from, endDate: to, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' }]);
      requests.push([c, 'PUT', `/api/v1/reservations/${real.reservationId}`, { startDate: from, endDate: to, receiveMethod: 'DIRECT', returnMethod: 'DIRECT' }]);
    }
    for (const q of ['%', '_', '\\', '%%%%', "'", '"', '*', '(', '|', '&', '!', ':*', '<->', '   ', '가'.repeat(200), 'a b c d e f g h i j k l m n o p']) {
      get(c, `/api/v1/search?q=${encodeURIComponent(q)}`);
      get(c, `/api/v1/search-ai?q=${encodeURIComponent(q)}`);
      get(c, `/api/v1/posts?keyword=${encodeURIComponent(q)}`);
      get(c, `/api/v1/chats?q=${encodeURIComponent(q)}`);
    }
    for (const seq of [0, 2 ** 53 - 1]) {
      get(c, `/api/v1/chats/${real.roomId}/messages?after=${seq}`);
      get(c, `/api/v1/chats/${real.roomId}/messages?before=${seq}&after=${seq}`);
      requests.push([c, 'PATCH', `/api/v1/chats/${real.roomId}/read`, { seq }]);
    }
    requests.push([c, 'PATCH', '/api/v1/members/me', { regionId: 99_999_999 }]);
    requests.push([c, 'PATCH', '/api/v1/members/me', { regionId: real.categoryId }]);
    requests.push([c, 'POST', '/api/v1/posts/suggest', { title: '텐트', content: '', images: ['data:image/png;base64,AAAA', 'http://127.0.0.1:1/x.png', 'file:///etc/passwd', 'x'.repeat(1000)] }]);
    requests.push([c, 'POST', '/api/v1/chats', { postId: 2 ** 53 - 1 }]);
    requests.push([c, 'POST', `/api/v1/chats/${real.roomId}/messages`, { clientId: '00000000-0000-0000-0000-000000000000', content: ' ' }]);
    requests.push([c, 'POST', `/api/v1/reservations/${real.reservationId}/payment/confirm`, { paymentKey: 'k', orderId: 'o', amount: 2 ** 53 - 1 }]);
  }
  for (const cron of ['* * * * * * *', '99 99 * * *', '@reboot', '*/0 * * * *', '0 0 31 2 *', '; rm -rf /', '* * * * MON-XYZ']) {
    requests.push([admin, 'PUT', `/api/v1/adm/jobs/${jobName}/schedule`, { cron }]);
  }
  for (const cur of ['9007199254740991', '1']) requests.push([admin, 'GET', `/api/v1/adm/jobs/${jobName}/history?cursor=${cur}`]);
  const leaf = real.categoryId;
  const root = (await ctx.deps.db.one<{ parent_id: number }>('SELECT parent_id FROM categories WHERE id = $1', [leaf]))!.parent_id;
  requests.push([admin, 'PATCH', `/api/v1/adm/categories/${root}`, { parentId: root }]);
  requests.push([admin, 'PATCH', `/api/v1/adm/categories/${root}`, { parentId: leaf }]);
  requests.push([admin, 'PATCH', `/api/v1/adm/categories/${leaf}`, { parentId: leaf }]);
  requests.push([admin, 'POST', '/api/v1/adm/categories', { name: '하위의 하위', parentId: leaf }]);
  requests.push([admin, 'GET', '/api/v1/adm/bans?targetType=POST&cursor=9999999999999999']);
  requests.push([admin, 'GET', '/api/v1/adm/reports?cursor=9999999999999999']);

  for (const [caller, method, url, payload] of requests) {
    const res = await ctx.app.inject({
      method: method as 'GET', url, payload: payload as object, headers: caller.cookie ? { cookie: caller.cookie } : {},
    });
    check(caller, { method, url, payload: payload === undefined ? undefined : JSON.stringify(payload) }, res);
  }
  assert.deepEqual(failures, [], failures.slice(0, 40).join('\n'));
});
