// Demo data for a first start: neighbours, ~150 listings over the category and region trees,
// locally drawn photos, blocked dates and favorites. Runs once, when there are no posts yet.
// Deterministic (fixed PRNG seed) so every fresh install looks the same.
import { postsRepository } from '../../modules/posts/repository.ts';
import { storeImage } from '../../modules/images/service.ts';
import { queueRenditions } from '../../modules/images/renditions.ts';
import { queueEmbedding } from '../../modules/embeddings/service.ts';
import { membersService } from '../../modules/members/service.ts';
import { addDays, seoulDate } from '../../lib/dates.ts';
import type { Deps } from '../../deps.ts';
import { seedActivity } from './activity.ts';
import { seedHistory } from './history.ts';
import { demoListings } from './listings.ts';
import { pictureKind, pictureSvg, renderPicture } from './pictures.ts';
import { mulberry32 } from '../../lib/random.ts';
import { longTermFeeProblem } from '../../modules/reservations/pricing.ts';
import { CANCELLATION_POLICIES } from '../../modules/reservations/cancellation.ts';

export const DEMO_PASSWORD = 'chwimeet1234';

/**
 * The demo accounts (README lists them). `tops` = top categories this neighbour mostly lends;
 * `dongs` = their 동네 (행정동 codes of 111_neighbourhoods_data.sql), the first one verified.
 */
export const demoMembers = [
  { email: 'lender@chwimeet.kr', nickname: '빌려주는이웃', region: ['서울특별시', '마포구'], address: '서울 마포구 망원동', dongs: ['1144069000', '1144066000'], tops: ['가전/디지털', '파티/행사', '생활용품', '여행'] },
  { email: 'borrower@chwimeet.kr', nickname: '빌리는이웃', region: ['서울특별시', '마포구'], address: '서울 마포구 합정동', dongs: ['1144068000'], tops: ['악기'] },
  { email: 'camping@chwimeet.kr', nickname: '캠핑장인', region: ['경기도', '성남시'], address: '경기 성남시 분당구 정자동', dongs: ['4113565000', '4113554500'], tops: ['캠핑', '스포츠/레저'] },
  { email: 'tools@chwimeet.kr', nickname: '공구왕김씨', region: ['서울특별시', '송파구'], address: '서울 송파구 잠실동', dongs: ['1171067000'], tops: ['공구', '생활용품'] },
  { email: 'photo@chwimeet.kr', nickname: '찍사박', region: ['서울특별시', '성동구'], address: '서울 성동구 성수동', dongs: ['1120065000', '1120069000'], tops: ['촬영장비', '가전/디지털'] },
  { email: 'mom@chwimeet.kr', nickname: '육아맘지은', region: ['경기도', '수원시'], address: '경기 수원시 영통구 광교동', dongs: ['4111760000'], tops: ['유아용품', '여행'] },
  { email: 'rider@chwimeet.kr', nickname: '주말라이더', region: ['서울특별시', '강남구'], address: '서울 강남구 역삼동', dongs: ['1168064000'], tops: ['스포츠/레저', '캠핑'] },
  { email: 'busan@chwimeet.kr', nickname: '해운대바다', region: ['부산광역시', '해운대구'], address: '부산 해운대구 우동', dongs: ['2635051000'], tops: ['스포츠/레저', '파티/행사', '악기'] },
  { email: 'jeju@chwimeet.kr', nickname: '제주살이', region: ['제주특별자치도', '제주시'], address: '제주 제주시 노형동', dongs: ['5011066000'], tops: ['캠핑', '여행', '유아용품'] },
] as const;

const conditions = [
  '사용감 거의 없고 상태 아주 좋습니다.',
  '몇 번 사용했지만 기능에는 전혀 문제 없어요.',
  '생활 스크래치 조금 있어요. 사진 참고해 주세요.',
  '사용 후 깨끗하게 세척·소독해서 보관하고 있어요.',
  '작년에 구매해서 아껴 쓰고 있는 물건입니다.',
];
const pickups = [
  '퇴근 후 저녁 7시 이후에 직접 전달 가능해요.',
  '주말에는 오전, 오후 언제든 시간 맞춰 드려요.',
  '가까운 지하철역 근처에서 만나서 전달해 드려요.',
  '아파트 정문 앞에서 주고받으면 편해요.',
];
const notes = [
  '파손 시 수리비는 보증금에서 정산합니다.',
  '반납 전에 간단히 청소만 부탁드려요.',
  '사용법 모르시면 전달할 때 설명해 드릴게요.',
  '장기 대여는 채팅으로 문의 주시면 할인해 드려요.',
  '',
];

/** Runs `fn` over items with at most `limit` in flight (sharp works on the libuv pool). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export interface SeedReport {
  seeded: boolean;
  members: number;
  posts: number;
  images: number;
  favorites: number;
  /** demo reservations and chat messages of the demo accounts (seed/activity.ts) */
  reservations?: number;
  messages?: number;
  /** finished rentals with reviews both ways (seed/history.ts) */
  completedRentals?: number;
  ms: number;
}

/** Seeds the demo data unless the database already has posts. */
export async function seedDemo(deps: Deps): Promise<SeedReport> {
  const started = performance.now();
  const { db } = deps;
  const skipped = (): SeedReport => ({ seeded: false, members: 0, posts: 0, images: 0, favorites: 0, ms: Math.round(performance.now() - started) });
  if (await postsRepository(db).hasAny()) return skipped();

  const rand = mulberry32(20240601);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const now = deps.clock.now();
  const today = seoulDate(now);

  // Reference data from 002_catalog_seed.sql.
  const categories = await db.query<{ id: number; name: string; top: string }>(
    'SELECT c.id, c.name, p.name AS top FROM categories c JOIN categories p ON p.id = c.parent_id',
  );
  const categoryByName = new Map(categories.map((c) => [c.name, c]));
  const regions = await db.query<{ id: number; name: string; parent: string; parent_id: number }>(
    'SELECT r.id, r.name, p.name AS parent, p.id AS parent_id FROM regions r JOIN regions p ON p.id = r.parent_id',
  );
  const regionOf = (parent: string, name: string) => {
    const r = regions.find((x) => x.parent === parent && x.name === name);
    if (!r) throw new Error(`demo seed: unknown region ${parent} ${name}`);
    return r;
  };

  // Members through the accounts service (argon2id); an interrupted earlier seed may have left some.
  const members = membersService(deps);
  const memberIds: number[] = [];
  for (const [i, m] of demoMembers.entries()) {
    const existing = await db.one<{ id: number }>('SELECT id FROM members WHERE email = $1', [m.email]);
    const id = existing?.id ?? (await members.signUp({ email: m.email, password: DEMO_PASSWORD, nickname: m.nickname })).id;
    const region = regionOf(m.region[0], m.region[1]);
    await db.query(
      `UPDATE members SET region_id = $2, address = $3, created_at = $4 WHERE id = $1`,
      [id, region.id, m.address, new Date(now.getTime() - (120 - i * 5) * 86_400_000).toISOString()],
    );
    memberIds.push(id);
    for (const [p, code] of m.dongs.entries()) {
      await db.query(
        `INSERT INTO member_neighbourhoods (member_id, position, code, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [id, p + 1, code, p === 0 ? new Date(now.getTime() - (3 + i) * 86_400_000).toISOString() : null],
      );
    }
  }
  const dongPoints = new Map(
    (await db.query<{ code: string; lat: number; lng: number; region_id: number }>(
      'SELECT code, lat, lng, region_id FROM neighbourhoods WHERE code = ANY($1::text[])',
      [demoMembers.flatMap((m) => [...m.dongs])],
    )).map((d) => [d.code, d]),
  );

  // Decide every listing first (pure), then draw the photos, then write rows in one transaction.
  const plans = demoListings.map((listing, index) => {
    const category = categoryByName.get(listing.c);
    if (!category) throw new Error(`demo seed: unknown category ${listing.c}`);
    const candidates = demoMembers.flatMap((m, i) => ((m.tops as readonly string[]).includes(category.top) ? [i] : []));
    const owner = rand() < 0.2 || !candidates.length ? Math.floor(rand() * demoMembers.length) : pick(candidates);
    const home = regionOf(demoMembers[owner].region[0], demoMembers[owner].region[1]);
    const regionIds = [home.id];
    if (rand() < 0.35) {
      const neighbours = regions.filter((r) => r.parent_id === home.parent_id && r.id !== home.id);
      if (neighbours.length) regionIds.push(pick(neighbours).id);
    }
    const roll = rand();
    const receive = roll < 0.55 ? 'DIRECT' : roll < 0.85 ? 'ANY' : 'DELIVERY';
    const ret = receive === 'DELIVERY' ? (rand() < 0.5 ? 'DELIVERY' : 'ANY') : receive;
    const content = [listing.d, '', pick(conditions), pick(pickups), pick(notes)].join('\n').trim();
    const blocked: string[] = [];
    if (rand() < 0.3) {
      const start = 2 + Math.floor(rand() * 20);
      const length = 1 + Math.floor(rand() * 4);
      for (let d = 0; d < length; d++) blocked.push(addDays(today, start + d));
    }
    const imageCount = 1 + (rand() < 0.45 ? 1 : 0) + (rand() < 0.15 ? 1 : 0);
    const dongs = demoMembers[owner].dongs;
    const place = dongPoints.get((dongs.length > 1 && rand() < 0.3 ? dongs[1] : dongs[0]) as string)!;
    // older listings first, so ids follow creation time; spread over the last 60 days
    const ageMinutes = Math.floor(((demoListings.length - index) / demoListings.length) * 60 * 24 * 60 - rand() * 300);
    return {
      listing,
      category,
      authorId: memberIds[owner],
      regionIds,
      receive,
      ret,
      returnAddress: ret === 'DELIVERY' ? null : demoMembers[owner].address,
      terms: termsOf(listing.fee, index),
      place,
      content,
      blocked,
      imageCount,
      createdAt: new Date(now.getTime() - Math.max(ageMinutes, 5) * 60_000).toISOString(),
      pictureSeed: Math.floor(rand() * 2 ** 31),
    };
  });

  const jobs = plans.flatMap((plan, p) => Array.from({ length: plan.imageCount }, (_, v) => ({ p, v })));
  const stored = await mapLimit(jobs, 4, async ({ p, v }) => {
    const plan = plans[p];
    const svg = pictureSvg(pictureKind(plan.listing.t, plan.category.top), plan.category.top, mulberry32(plan.pictureSeed + v), v);
    return { p, v, image: await storeImage(deps.storage, await renderPicture(svg)) };
  });

  const favorites = await db.transaction(async (tx) => {
    const postIds: number[] = [];
    for (const plan of plans) {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method,
                            return_address, created_at, updated_at, neighbourhood_code, lat, lng,
                            weekly_fee, monthly_fee, instant_booking, cancellation_policy)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
        [plan.authorId, plan.listing.t, plan.content, plan.category.id, plan.listing.fee, plan.listing.dep,
          plan.receive, plan.ret, plan.returnAddress, plan.createdAt, plan.place.code, plan.place.lat, plan.place.lng,
          plan.terms.weeklyFee, plan.terms.monthlyFee, plan.terms.instantBooking, plan.terms.cancellationPolicy],
      );
      postIds.push(row!.id);
    }
    const bulk = (rows: unknown[]) => JSON.stringify(rows);
    await tx.query(
      `INSERT INTO post_regions (post_id, region_id) SELECT post_id, region_id FROM jsonb_to_recordset($1::jsonb) AS x(post_id bigint, region_id bigint)`,
      [bulk(plans.flatMap((plan, p) => plan.regionIds.map((region_id) => ({ post_id: postIds[p], region_id }))))],
    );
    await tx.query(
      `INSERT INTO post_options (post_id, name, fee, deposit, sort_order)
       SELECT post_id, name, fee, deposit, sort_order FROM jsonb_to_recordset($1::jsonb) AS x(post_id bigint, name text, fee int, deposit int, sort_order int)`,
      [bulk(plans.flatMap((plan, p) => (plan.listing.o ?? []).map(([name, fee, deposit], sort_order) => ({ post_id: postIds[p], name, fee, deposit, sort_order }))))],
    );
    await tx.query(
      `INSERT INTO post_blocked_dates (post_id, day) SELECT post_id, day FROM jsonb_to_recordset($1::jsonb) AS x(post_id bigint, day date)`,
      [bulk(plans.flatMap((plan, p) => plan.blocked.map((day) => ({ post_id: postIds[p], day }))))],
    );
    // PENDING: the posts module's background queue makes the WebP renditions.
    await tx.query(
      `INSERT INTO post_images (post_id, original_path, mime, width, height, is_primary, sort_order, status, created_at)
       SELECT post_id, original_path, mime, width, height, sort_order = 0, sort_order, 'PENDING', created_at
       FROM jsonb_to_recordset($1::jsonb) AS x(post_id bigint, original_path text, mime text, width int, height int, sort_order int, created_at timestamptz)`,
      [bulk(stored.map(({ p, v, image }) => ({
        post_id: postIds[p], original_path: image.path, mime: image.mime, width: image.width, height: image.height,
        sort_order: v, created_at: plans[p].createdAt,
      })))],
    );
    // Each neighbour has saved a few listings of others; the borrower a dozen.
    const favs: { member_id: number; post_id: number }[] = [];
    for (const [m, memberId] of memberIds.entries()) {
      const want = m === 1 ? 12 : 3 + Math.floor(rand() * 5);
      const chosen = new Set<number>();
      for (let tries = 0; chosen.size < want && tries < 200; tries++) {
        const p = Math.floor(rand() * plans.length);
        if (plans[p].authorId !== memberId) chosen.add(postIds[p]);
      }
      for (const post_id of chosen) favs.push({ member_id: memberId, post_id });
    }
    await tx.query(
      `INSERT INTO favorites (member_id, post_id) SELECT member_id, post_id FROM jsonb_to_recordset($1::jsonb) AS x(member_id bigint, post_id bigint)`,
      [bulk(favs)],
    );
    return favs.length;
  });

  const activity = await seedActivity(deps, memberIds, (days) => addDays(today, days));
  const completedRentals = await seedHistory(deps, memberIds);

  // render the pictures and embed the listings now (a seed running beside the scheduler's start may
  // finish after the start passes; before the start, the nudges are dropped and the start passes take it)
  await Promise.all([queueRenditions(deps), queueEmbedding(deps)]);
  return {
    seeded: true,
    members: memberIds.length,
    posts: plans.length,
    images: stored.length,
    favorites,
    ...activity,
    completedRentals,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Pricing and policy of the demo listing at `index` (by position, so the random draws above stay as
 * they were): every third one has a weekly price (5 days' worth), every sixth a monthly one too (18
 * days' worth), every fourth takes instant bookings, and the policies take turns.
 */
function termsOf(fee: number, index: number) {
  const prices = {
    fee, deposit: 0,
    weeklyFee: index % 3 === 0 ? Math.round((fee * 5) / 100) * 100 : null,
    monthlyFee: index % 6 === 0 ? Math.round((fee * 18) / 100) * 100 : null,
  };
  const valid = !longTermFeeProblem(prices); // a very cheap listing keeps its daily price only
  return {
    weeklyFee: valid ? prices.weeklyFee : null,
    monthlyFee: valid ? prices.monthlyFee : null,
    instantBooking: index % 4 === 1,
    cancellationPolicy: CANCELLATION_POLICIES[Math.floor(index / 2) % CANCELLATION_POLICIES.length],
  };
}
