// The one test factory module: rows written straight to the database (so a test starts in the state it
// needs without walking the whole lifecycle through other modules' APIs), a controllable clock, small
// real images and multipart bodies, and STOMP clients. The harness (app + fresh database) is helpers.ts.
import { once } from 'node:events';
import crypto from 'node:crypto';
import { Client, type IFrame, type IMessage, type StompConfig, type StompSubscription } from '@stomp/stompjs';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { App } from '../src/app.ts';
import type { Clock } from '../src/deps.ts';
import type { JobDefinition } from '../src/jobs/types.ts';
import type { Queryable } from '../src/db/client.ts';
import { sql } from '../src/db/sql.ts';
import { rentalDays } from '../src/lib/dates.ts';
import { STATUSES, type Status } from '../src/modules/reservations/status.ts';
import type { CancellationPolicy } from '../src/modules/reservations/cancellation.ts';
import { encodeFrame, parseServerFrames, type Frame } from '../src/realtime/stomp-codec.ts';
import { createTestContext, type TestContext } from './helpers.ts';

// ---------------------------------------------------------------- clock and waiting

/** A clock the test sets and moves by hand. */
export function testClock(start: string | Date = '2025-03-01T03:00:00Z'): Clock & {
  set(next: string | Date): void; advance(ms: number): void; advanceDays(days: number): void;
} {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (next: string | Date) => {
      now = new Date(next);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    advanceDays: (days: number) => {
      now = new Date(now.getTime() + days * 86_400_000);
    },
  };
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export const waitFor = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * Stand-ins for registry jobs that only count their runs (never due by cron): a test starts a
 * scheduler with them (createTestContext({ jobs: { definitions } })) to see which jobs a request queued.
 */
export function countingJobs(names: string[]): { definitions: JobDefinition[]; runs(name: string): number } {
  const runs = new Map(names.map((n) => [n, 0]));
  const definitions = names.map((name) => ({
    name, description: `${name} (시험용)`, cron: '0 0 1 1 *',
    async run() {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      return {};
    },
  }));
  return { definitions, runs: (name) => runs.get(name) ?? 0 };
}

// ---------------------------------------------------------------- members

export type User = Awaited<ReturnType<TestContext['signUp']>>;

/** A test context on `clock` with the usual parties: a lender, a borrower, a third member and an admin. */
export async function partiesContext(clock: Clock) {
  const ctx = await createTestContext({ clock });
  const [lender, borrower, other] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  return { ctx, lender, borrower, other, admin: await ctx.admin() };
}

/** A member written directly (no sign-up): for search/embedding tests and benchmarks. */
export async function ensureMember(q: Queryable, nickname = 'fixture'): Promise<number> {
  const row = await q.one<{ id: number }>(sql`INSERT INTO members (email, password_hash, nickname)
    VALUES (${`${nickname}@fixture.test`}, 'x', ${nickname})
    ON CONFLICT (email) DO UPDATE SET nickname = EXCLUDED.nickname RETURNING id`);
  return row!.id;
}

let standingCount = 0;
/**
 * A member whose reports count (moderation/standing.ts): signed up `ageDays` ago from an address
 * of its own, days apart from every other such reporter, with one completed rental as borrower.
 */
export async function reporterWithStanding(ctx: TestContext, ageDays = 60) {
  const n = ++standingCount;
  const member = await ctx.signUp();
  await ctx.deps.db.query(sql`
    UPDATE members SET created_at = now() - make_interval(days => ${ageDays}::int, hours => ${n * 3}::int), signup_ip = ${`198.51.100.${n % 250}`}
    WHERE id = ${member.id}`);
  const lender = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '신고자 이력용 게시글');
  await insertReservation(ctx.deps.db, { postId, borrowerId: member.id, status: 'REFUND_COMPLETED' });
  return member;
}

// ---------------------------------------------------------------- catalogue

export async function categoryId(q: Queryable, name: string): Promise<number> {
  const row = await q.one<{ id: number }>(sql`SELECT id FROM categories WHERE name = ${name} ORDER BY parent_id NULLS FIRST LIMIT 1`);
  if (!row) throw new Error(`no category ${name}`);
  return row.id;
}

/** 'parent child' region names, e.g. '서울특별시 마포구', or a top-level name alone. */
export async function regionId(q: Queryable, path: string): Promise<number> {
  const [parent, child] = path.split(' ');
  const row = child
    ? await q.one<{ id: number }>(sql`SELECT r.id FROM regions r JOIN regions p ON p.id = r.parent_id WHERE p.name = ${parent} AND r.name = ${child}`)
    : await q.one<{ id: number }>(sql`SELECT id FROM regions WHERE name = ${parent} AND parent_id IS NULL`);
  if (!row) throw new Error(`no region ${path}`);
  return row.id;
}

// ---------------------------------------------------------------- listings

/** A public listing of `authorId` in the first leaf category and region, picked up and returned in person. */
export async function insertPost(q: Queryable, authorId: number, title = '캠핑 텐트 4인용 빌려드려요'): Promise<number> {
  const row = await q.one<{ id: number }>(sql`
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
    VALUES (${authorId}, ${title}, '깨끗하게 사용한 텐트입니다', (SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1),
            10000, 50000, 'DIRECT', 'DIRECT') RETURNING id`);
  await q.query(sql`INSERT INTO post_regions (post_id, region_id) SELECT ${row!.id}, id FROM regions WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`);
  return row!.id;
}

/** `count` listings of an existing author in one statement, all in the first leaf category. Deleted
 *  (never searched): rows for a vector table of a test's own dimension to hold vectors of (its foreign
 *  key wants posts); live: a catalogue the embedding worker has to embed. */
export async function insertBulkPosts(q: Queryable, count: number, { deleted }: { deleted: boolean }): Promise<number[]> {
  const rows = await q.query<{ id: number }>(sql`
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, deleted_at)
    SELECT (SELECT author_id FROM posts LIMIT 1), '일괄 등록 ' || g, '일괄 등록한 글', (SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1),
      1000, 0, 'ANY', 'ANY', ${deleted ? sql`now()` : sql`NULL`} FROM generate_series(1, ${count}) g RETURNING id`);
  return rows.map((r) => r.id);
}

/**
 * Places listings at a 동 (by name; the first code when names repeat), as the posts service does: its
 * code and point. The stored earth point follows by trigger (migration 180).
 */
export async function placePosts(q: Queryable, postIds: number[], dongName: string): Promise<void> {
  await q.query(sql`UPDATE posts p SET neighbourhood_code = n.code, lat = n.lat, lng = n.lng
    FROM (SELECT code, lat, lng FROM neighbourhoods WHERE name = ${dongName} ORDER BY code LIMIT 1) n
    WHERE p.id = ANY(${postIds}::bigint[])`);
}

/** A listing with the prices, methods, options and blocked days a reservation test needs. */
export async function makePost(
  q: Queryable,
  authorId: number,
  opts: {
    fee?: number; deposit?: number; receiveMethod?: string; returnMethod?: string;
    options?: { name: string; fee: number; deposit: number }[]; blocked?: string[]; title?: string;
    weeklyFee?: number; monthlyFee?: number; instantBooking?: boolean; cancellationPolicy?: CancellationPolicy;
  } = {},
): Promise<{ id: number; optionIds: number[] }> {
  const category = await q.one<{ id: number }>(sql`SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`);
  const post = await q.one<{ id: number }>(sql`
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, return_address,
      weekly_fee, monthly_fee, instant_booking, cancellation_policy)
    VALUES (${authorId}, ${opts.title ?? '캠핑 텐트 4인용'}, '깨끗하게 쓴 텐트입니다', ${category!.id}, ${opts.fee ?? 10000},
      ${opts.deposit ?? 50000}, ${opts.receiveMethod ?? 'ANY'}, ${opts.returnMethod ?? 'ANY'}, '서울시 마포구',
      ${opts.weeklyFee ?? null}, ${opts.monthlyFee ?? null}, ${opts.instantBooking ?? false}, ${opts.cancellationPolicy ?? 'flexible'})
    RETURNING id`);
  const optionIds: number[] = [];
  for (const [i, o] of (opts.options ?? []).entries()) {
    const row = await q.one<{ id: number }>(sql`
      INSERT INTO post_options (post_id, name, fee, deposit, sort_order) VALUES (${post!.id}, ${o.name}, ${o.fee}, ${o.deposit}, ${i})
      RETURNING id`);
    optionIds.push(row!.id);
  }
  for (const day of opts.blocked ?? []) {
    await q.query(sql`INSERT INTO post_blocked_dates (post_id, day) VALUES (${post!.id}, ${day})`);
  }
  return { id: post!.id, optionIds };
}

export interface ListingSeed {
  title: string;
  content: string;
  /** leaf category name, e.g. '전동드릴' */
  category: string;
  /** 'parent child' region names, e.g. '서울특별시 마포구' */
  region?: string;
  fee?: number;
  deposit?: number;
  authorId?: number;
}

/** Inserts listings (status WAIT) for search/embedding tests and benchmarks; returns their ids in order. */
export async function insertListings(q: Queryable, items: ListingSeed[]): Promise<number[]> {
  const author = await ensureMember(q);
  const ids: number[] = [];
  for (const it of items) {
    const row = await q.one<{ id: number }>(sql`INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
      VALUES (${it.authorId ?? author}, ${it.title}, ${it.content}, ${await categoryId(q, it.category)}, ${it.fee ?? 10000}, ${it.deposit ?? 50000}, 'ANY', 'ANY')
      RETURNING id`);
    await q.query(sql`INSERT INTO post_regions (post_id, region_id) VALUES (${row!.id}, ${await regionId(q, it.region ?? '서울특별시 마포구')})`);
    ids.push(row!.id);
  }
  return ids;
}

/** A small realistic catalogue: no listing shares words with the relevance queries of the tests. */
export const KOREAN_LISTINGS: ListingSeed[] = [
  { title: '보쉬 전동드릴 대여', content: '충전식 전동드릴입니다. 콘크리트 타공, 선반 설치, 가구 조립에 좋아요. 드릴 비트 세트 포함.', category: '전동드릴', fee: 8000, deposit: 50000 },
  { title: '마끼다 임팩트 드라이버', content: '나사 조이고 풀 때 편한 임팩트 드라이버. 배터리 2개.', category: '전동공구', fee: 7000, deposit: 40000 },
  { title: '4인용 돔 텐트', content: '가족용 돔형 텐트, 설치 10분이면 끝. 그라운드시트와 팩 포함.', category: '텐트', fee: 15000, deposit: 80000 },
  { title: '원터치 텐트 2~3인용', content: '펼치면 바로 서는 원터치 텐트. 피크닉, 해변 그늘용으로 좋아요.', category: '텐트', fee: 10000, deposit: 50000 },
  { title: '캠핑 의자 2개 세트', content: '접이식 릴렉스 체어 두 개. 캠핑과 낚시에 좋아요.', category: '캠핑의자/테이블', fee: 5000, deposit: 20000 },
  { title: '소니 미러리스 카메라 A7M3', content: '풀프레임 미러리스 카메라 바디와 배터리 2개. 여행 사진, 스냅 촬영에 좋습니다.', category: '카메라', fee: 30000, deposit: 500000 },
  { title: '휴대용 빔프로젝터', content: '거실에서 영화 볼 때 좋은 미니 프로젝터. HDMI 연결, 100인치 화면.', category: '프로젝터', fee: 12000, deposit: 100000 },
  { title: '절충형 유모차', content: '신생아부터 사용 가능한 유모차. 접으면 트렁크에 들어가요. 산책용.', category: '유모차', fee: 9000, deposit: 70000 },
  { title: '로드 자전거 대여', content: '카본 프레임 로드바이크, 헬멧 포함. 한강 라이딩에 좋아요.', category: '자전거', fee: 20000, deposit: 300000 },
  { title: '무선 진공청소기', content: '다이슨 무선 청소기, 이사 청소나 대청소할 때 빌려가세요.', category: '청소기', fee: 8000, deposit: 60000 },
  { title: '28인치 여행용 캐리어', content: '대형 하드 캐리어, 해외여행 2주 일정에 충분한 크기.', category: '캐리어', fee: 6000, deposit: 40000 },
  { title: '통기타 입문용', content: '어쿠스틱 기타, 튜너와 피크 같이 드려요. 연습용.', category: '기타/우쿨렐레', fee: 5000, deposit: 50000 },
  { title: '접이식 알루미늄 사다리', content: '2미터 A형 사다리. 전등 교체, 천장 작업할 때 필요해요.', category: '사다리', fee: 4000, deposit: 30000 },
  { title: '파티용 풍선 장식 세트', content: '생일파티, 돌잔치 장식용 풍선과 가랜드 세트.', category: '파티용품', fee: 7000, deposit: 10000 },
  { title: '침낭 동계용 2개', content: '영하 10도까지 견디는 동계 침낭 두 개, 압축색 포함.', category: '침낭/매트', fee: 8000, deposit: 40000 },
];

// ---------------------------------------------------------------- reservations

/**
 * A reservation inserted directly in `status` (price: fee 10,000/day, deposit 50,000). The lender is the
 * listing's author unless given; without dates it lies far in the past (2024-01-10 … 12) and holds nothing now.
 */
export async function insertReservation(
  q: Queryable,
  r: {
    postId: number; borrowerId: number; status: Status; lenderId?: number; startDate?: string; endDate?: string;
    receiveMethod?: 'DIRECT' | 'DELIVERY'; returnMethod?: 'DIRECT' | 'DELIVERY'; createdAt?: Date; statusChangedAt?: Date;
    /** when the item was handed over; defaults to the start day (Seoul midnight) for a status past the hand-over */
    pickedUpAt?: Date | null;
  },
): Promise<number> {
  const [startDate, endDate] = [r.startDate ?? '2024-01-10', r.endDate ?? '2024-01-12'];
  const handedOver = STATUSES.indexOf(r.status) >= STATUSES.indexOf('INSPECTING_RENTAL') && STATUSES.indexOf(r.status) <= STATUSES.indexOf('CLAIM_COMPLETED');
  const pickedUpAt = r.pickedUpAt !== undefined ? r.pickedUpAt : handedOver ? new Date(`${startDate}T00:00:00+09:00`) : null;
  const days = rentalDays(startDate, endDate);
  const receive = r.receiveMethod ?? 'DELIVERY';
  const created = r.createdAt ?? new Date();
  const lenderId = r.lenderId ?? (await q.one<{ author_id: number }>(sql`SELECT author_id FROM posts WHERE id = ${r.postId}`))!.author_id;
  const row = await q.one<{ id: number }>(sql`
    INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method, address,
      days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount, status_changed_at, picked_up_at, created_at,
      updated_at)
    VALUES (${r.postId}, ${r.borrowerId}, ${lenderId}, ${r.status}, ${startDate}, ${endDate}, ${receive},
      ${r.returnMethod ?? 'DELIVERY'}, ${receive === 'DELIVERY' ? '서울시 마포구 월드컵로 1' : null},
      ${days}, 10000, 0, ${10000 * days}, 50000, 0, ${10000 * days + 50000}, ${r.statusChangedAt ?? created}, ${pickedUpAt}, ${created}, ${created})
    RETURNING id`);
  return row!.id;
}

/** A damage claim on a reservation with items already answered (decision ACCEPTED, DISPUTED, …). */
export async function insertClaim(q: Queryable, reservationId: number, items: { amount: number; decision: string }[]) {
  const claim = await q.one<{ id: number }>(sql`INSERT INTO damage_claims (reservation_id, status) VALUES (${reservationId}, 'SETTLED') RETURNING id`);
  for (const [i, item] of items.entries()) {
    await q.query(sql`INSERT INTO claim_items (claim_id, description, amount, decision, sort_order)
      VALUES (${claim!.id}, ${`항목 ${i + 1}`}, ${item.amount}, ${item.decision}, ${i})`);
  }
  return claim!.id;
}

export const statusOf = async (q: Queryable, id: number) =>
  (await q.one<{ status: Status }>(sql`SELECT status FROM reservations WHERE id = ${id}`))!.status;

/** Two new members, a listing of the lender and the borrower's reservation of it already in `status`. */
export async function rental(ctx: TestContext, status: Status = 'RETURN_COMPLETED') {
  const lender = await ctx.signUp();
  const borrower = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id);
  const reservationId = await insertReservation(ctx.deps.db, { postId, borrowerId: borrower.id, status });
  return { lender, borrower, postId, reservationId };
}

// ---------------------------------------------------------------- images and multipart bodies

export async function jpeg(width = 64, height = 48, color = '#3a7') {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
}

/** A JPEG carrying GPS coordinates in its EXIF block (the thing that must never be served). */
export async function jpegWithGps() {
  return sharp({ create: { width: 120, height: 90, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' },
    })
    .toBuffer();
}

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----chwimeet${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'image/jpeg'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const imageParts = (images: Buffer[], name = 'images'): Part[] =>
  images.map((value, i) => ({ name, value, filename: `photo${i}.jpg` }));

/** Sends a listing create/edit request with a JSON data part and image files. */
export function sendPost(app: App, opts: { method?: 'POST' | 'PUT'; url?: string; cookie?: string; data: unknown; images: Buffer[] }) {
  const body = multipart([{ name: 'data', value: JSON.stringify(opts.data) }, ...imageParts(opts.images)]);
  return app.inject({
    method: opts.method ?? 'POST',
    url: opts.url ?? '/api/v1/posts',
    payload: body.payload,
    headers: { ...body.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) },
  });
}

// ---------------------------------------------------------------- STOMP clients

export const STOMP_PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

export interface TestStomp {
  client: Client;
  connected: IFrame;
  /** resolves with the RECEIPT of a subscription */
  subscribe(destination: string, onMessage: (m: IMessage) => void): Promise<StompSubscription>;
  /** SEND with a receipt; resolves when the server confirmed it */
  send(destination: string, body: unknown): Promise<void>;
  /** the next ERROR frame */
  nextError(): Promise<IFrame>;
  close(): Promise<void>;
}

/**
 * a @stomp/stompjs client connected to `url` with `cookie`; `urls` rotate on reconnect (a load balancer).
 * `headers`: more upgrade headers (a browser's Host and Origin); `client`: more client settings (reconnect
 * back-off, close callback); `onConnect` runs on every (re)connect.
 */
export async function connectStomp(
  urls: string | (() => string),
  cookie: string,
  opts: {
    reconnectDelay?: number;
    heartbeat?: number;
    onConnect?: (f: IFrame, client: Client) => void;
    headers?: Record<string, string>;
    client?: Pick<StompConfig, 'reconnectTimeMode' | 'maxReconnectDelay' | 'connectionTimeout' | 'onWebSocketClose'>;
  } = {},
): Promise<TestStomp> {
  const pickUrl = typeof urls === 'string' ? () => urls : urls;
  const errors: IFrame[] = [];
  const errorWaiters: ((f: IFrame) => void)[] = [];
  const client = new Client({
    webSocketFactory: () => new WebSocket(pickUrl(), STOMP_PROTOCOLS, { headers: { cookie, ...opts.headers } }),
    reconnectDelay: opts.reconnectDelay ?? 0,
    heartbeatIncoming: opts.heartbeat ?? 10_000,
    heartbeatOutgoing: opts.heartbeat ?? 10_000,
    debug: () => {},
    ...opts.client,
  });
  client.onStompError = (f) => {
    const w = errorWaiters.shift();
    if (w) w(f);
    else errors.push(f);
  };
  const connected = await new Promise<IFrame>((resolve, reject) => {
    client.onConnect = (f) => {
      opts.onConnect?.(f, client);
      resolve(f);
    };
    client.onWebSocketError = (e) => reject(new Error(`websocket error: ${String((e as any)?.message ?? e)}`));
    client.activate();
  });
  client.onWebSocketError = () => {};
  return {
    client,
    connected,
    subscribe(destination, onMessage) {
      const receipt = crypto.randomUUID();
      const done = new Promise<void>((resolve) => client.watchForReceipt(receipt, () => resolve()));
      const sub = client.subscribe(destination, onMessage, { receipt });
      return done.then(() => sub);
    },
    send(destination, body) {
      const receipt = crypto.randomUUID();
      const done = new Promise<void>((resolve) => client.watchForReceipt(receipt, () => resolve()));
      client.publish({ destination, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { receipt } });
      return done;
    },
    nextError() {
      const queued = errors.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => errorWaiters.push(resolve));
    },
    close: () => client.deactivate(),
  };
}

/** a bare WebSocket speaking raw frames, for malformed input and exact protocol checks */
export interface RawStomp {
  ws: WebSocket;
  frames: Frame[];
  heartbeats: number;
  /** resolves with the next frame of `command` (already received ones count) */
  next(command: string): Promise<Frame>;
  sendRaw(data: string | Buffer): void;
  send(command: string, headers?: Record<string, string>, body?: string): void;
  closed: Promise<{ code: number }>;
}

export async function rawStomp(url: string, cookie: string, protocols = STOMP_PROTOCOLS): Promise<RawStomp> {
  const ws = new WebSocket(url, protocols, { headers: { cookie } });
  const frames: Frame[] = [];
  const waiters: { command: string; resolve: (f: Frame) => void }[] = [];
  const raw: RawStomp = {
    ws,
    frames,
    heartbeats: 0,
    next(command) {
      const i = frames.findIndex((f) => f.command === command);
      if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]);
      return new Promise((resolve) => waiters.push({ command, resolve }));
    },
    sendRaw: (data) => ws.send(data),
    send: (command, headers = {}, body = '') => ws.send(encodeFrame(command, headers, body)),
    closed: new Promise((resolve) => ws.on('close', (code) => resolve({ code }))),
  };
  ws.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === 0x0a) {
      raw.heartbeats++;
      return;
    }
    for (const f of parseServerFrames(data)) {
      const w = waiters.findIndex((x) => x.command === f.command);
      if (w >= 0) waiters.splice(w, 1)[0].resolve(f);
      else frames.push(f);
    }
  });
  await once(ws, 'open');
  return raw;
}

/** the HTTP status a refused upgrade answered with */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, STOMP_PROTOCOLS, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}
