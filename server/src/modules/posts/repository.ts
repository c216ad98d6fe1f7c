// Every SQL statement of listings: the posts row and its parts (regions, blocked dates, options,
// images), the card and detail reads, favorites, and the purge. Rules live in service.ts.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { VERIFY_VALID_DAYS, type Point } from '../neighbourhoods/geo.ts';
import { keyToMetres, pointKey, withinRadius } from '../neighbourhoods/repository.ts';
import { categoryFilter, regionFilter } from '../catalog/repository.ts';
import { lenderRatings } from '../trust/repository.ts';
import { visibleToViewer } from '../blocks/repository.ts';
import { statusListSql, type Status } from '../reservations/status.ts';
import { DEFAULT_POLICY, type CancellationPolicy } from '../reservations/cancellation.ts';
import { listedPostCondition, publicPostCondition } from './visibility.ts';
import type { ListQuery, PostData } from './schemas.ts';

// ---- rows -----------------------------------------------------------------------------------

/** The listing card (feed, my listings, favorites, search results). */
export interface ListRow {
  id: number;
  title: string;
  fee: number;
  deposit: number;
  created_at: Date;
  /** the newest feed's key: the last bump, else the creation (text keeps microseconds) */
  listed_key: string;
  banned: boolean;
  paused: boolean;
  author_id: number;
  nickname: string;
  category_id: number;
  category_name: string;
  parent_id: number | null;
  parent_name: string | null;
  favorite_count: number;
  thumb: string | null;
  regions: string[] | null;
  neighbourhood_code: string | null;
  neighbourhood_name: string | null;
  distance_m: number | null;
  /** the distance order's key (pointKey), kept by page cursors */
  distance_key: number | null;
  owner_rating: number | null;
  owner_review_count: number;
  owner_verified: boolean;
}

/** What the rules of an edit or delete look at. */
export interface PostStateRow {
  id: number;
  author_id: number;
  deleted_at: Date | null;
  banned_at: Date | null;
  paused_at: Date | null;
  bumped_at: Date | null;
  neighbourhood_code: string | null;
}

export interface DetailRow {
  id: number;
  author_id: number;
  title: string;
  content: string;
  fee: number;
  deposit: number;
  weekly_fee: number | null;
  monthly_fee: number | null;
  instant_booking: boolean;
  cancellation_policy: CancellationPolicy;
  receive_method: 'DIRECT' | 'DELIVERY' | 'ANY';
  return_method: 'DIRECT' | 'DELIVERY' | 'ANY';
  return_address: string | null;
  neighbourhood_code: string | null;
  neighbourhood_name: string | null;
  category_id: number;
  category_name: string;
  parent_id: number | null;
  parent_name: string | null;
  deleted_at: Date | null;
  banned_at: Date | null;
  ban_reason: string | null;
  paused_at: Date | null;
  bumped_at: Date | null;
  review_requested: boolean;
  embedding_status: string;
  created_at: Date;
  updated_at: Date;
  public: boolean;
  unblocked: boolean;
  nickname: string;
  avatar_path: string | null;
  owner_rating: number | null;
  owner_review_count: number;
  owner_verified: boolean;
  favorite_count: number;
  is_favorite: boolean;
}

export interface ImageRow {
  id: number;
  original_path: string;
  thumb_path: string | null;
  detail_path: string | null;
  width: number | null;
  height: number | null;
  is_primary: boolean;
  status: string;
}

export interface OptionRow {
  id: number;
  name: string;
  fee: number;
  deposit: number;
}

export interface RegionRow {
  id: number;
  name: string;
  parent_name: string | null;
}

/** A 동 a listing can be placed at. */
export interface Place {
  code: string;
  lat: number;
  lng: number;
  region_id: number;
}

export interface NewImage {
  path: string;
  mime: string;
  width: number | null;
  height: number | null;
}

// ---- fragments shared with search --------------------------------------------------------------

/**
 * The owner's rating (rt: one aggregate over the owners `lenders` yields, not a subquery per row)
 * and their 인증 of the listing's 동 (mv: at most one row, (member_id, code) is unique), joined to
 * posts `p`. Both are judged at `now`, the app's clock.
 */
export const ownerTrustJoins = (lenders: Sql, now: Date) => sql`LEFT JOIN (${lenderRatings(lenders, now)}) rt ON rt.lender_id = p.author_id
  LEFT JOIN member_neighbourhoods mv ON mv.member_id = p.author_id AND mv.code = p.neighbourhood_code`;
/** The columns of ownerTrustJoins: owner_rating, owner_review_count, owner_verified (a valid 동네 인증). */
export const ownerTrustColumns = (now: Date) => sql`rt.rating AS owner_rating, coalesce(rt.review_count, 0) AS owner_review_count,
  coalesce(mv.verified_at > ${now}::timestamptz - make_interval(days => ${VERIFY_VALID_DAYS}), false) AS owner_verified`;

/** What cards are measured from (distance) and judged at (released reviews, 인증 validity). */
export interface CardContext {
  point: Point | null;
  now: Date;
}

/**
 * Listing cards (ListRow) of one page. `page` picks the rows: a SELECT of `p.id, p.author_id` from
 * posts p with the filters, order and limit, touching only the listing's own columns, so a radius
 * or a filter that keeps thousands of candidates sorts them cheaply. The cards' heavier parts
 * (thumbnail, regions, favourites, distance, the owner's rating and 인증) are then computed for the
 * page's rows only, in `order` (alias p; none: any order). Used by the feed and by search.
 */
export function cardsQuery(page: Sql, order: Sql | null, ctx: CardContext): Sql {
  const key = ctx.point ? pointKey('p', ctx.point) : null;
  return sql`WITH page AS MATERIALIZED (${page})
  SELECT p.id, p.title, p.fee, p.deposit, p.created_at, p.listed_at::text AS listed_key,
    p.banned_at IS NOT NULL AS banned, p.paused_at IS NOT NULL AS paused, p.author_id,
    (SELECT m.nickname FROM members m WHERE m.id = p.author_id) AS nickname,
    c.id AS category_id, c.name AS category_name, pc.id AS parent_id, pc.name AS parent_name,
    (SELECT count(*)::int FROM favorites f WHERE f.post_id = p.id) AS favorite_count,
    (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
       ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS thumb,
    reg.regions,
    p.neighbourhood_code, (SELECT nb.name FROM neighbourhoods nb WHERE nb.code = p.neighbourhood_code) AS neighbourhood_name,
    ${key ? keyToMetres(key) : sql`NULL::float8`} AS distance_m, ${key ?? sql`NULL::float8`} AS distance_key,
    ${ownerTrustColumns(ctx.now)}
  -- members and neighbourhoods are looked up by key in subqueries: fewer relations in the join
  -- search (planning this statement took longer than running it; a NOT NULL foreign key, so no row is lost)
  FROM page JOIN posts p ON p.id = page.id
    JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
    -- the page's regions in one join (a subquery per card hashed the whole regions table for each card)
    LEFT JOIN (SELECT pr.post_id, array_agg(coalesce(rp.name || ' ', '') || r.name ORDER BY rp.sort_order NULLS FIRST, r.sort_order, r.id) AS regions
      FROM page pg JOIN post_regions pr ON pr.post_id = pg.id JOIN regions r ON r.id = pr.region_id LEFT JOIN regions rp ON rp.id = r.parent_id
      GROUP BY pr.post_id) reg ON reg.post_id = p.id
    ${ownerTrustJoins(sql`SELECT author_id FROM page`, ctx.now)}
  ${order ? sql`ORDER BY ${order}` : sql.empty()}`;
}

/** The listing's title or content contains the text (case-insensitive): the stored character bigrams
 *  (migration 200, GIN) narrow to candidates, ILIKE decides. The one "contains" rule of GET /posts'
 *  keyword filter and search's keyword branch. */
export function containsText(alias: string, text: string): Sql {
  const a = sql.raw(alias);
  return sql`${a}.search_bigrams @> text_bigram_codes(${text}::text) AND (${a}.title || ' ' || ${a}.content) ILIKE ${`%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`;
}

/** Each word must appear in the title or content. */
export function keywordFilter(keyword: string, alias = 'p'): Sql | null {
  const words = keyword.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  if (!words.length) return null;
  return sql.join(words.map((w) => containsText(alias, w)), ' AND ');
}

// ---- the feed's orders and positions ------------------------------------------------------------

export type Sort = 'newest' | 'fee_asc' | 'fee_desc' | 'distance';
/** Where a page ends: the sort key and id of its last card. */
export interface Position {
  s: Sort;
  k: string | number;
  id: number;
}

/** A list's order over posts p; by distance it is the nearest-first walk of the GiST index. */
export function orderOf(sort: Sort, point: Point | null): Sql {
  if (sort === 'distance') return sql`${pointKey('p', point!)} ASC, p.id ASC`;
  if (sort === 'newest') return sql`p.listed_at DESC, p.id DESC`;
  if (sort === 'fee_asc') return sql`p.fee ASC, p.id ASC`;
  return sql`p.fee DESC, p.id DESC`;
}

function after(c: Position, point: Point | null): Sql {
  if (c.s === 'distance') return sql`(${pointKey('p', point!)}, p.id) > (${c.k}::float8, ${c.id}::bigint)`;
  if (c.s === 'newest') return sql`(p.listed_at, p.id) < (${c.k}::timestamptz, ${c.id}::bigint)`;
  if (c.s === 'fee_asc') return sql`(p.fee, p.id) > (${c.k}::int, ${c.id}::bigint)`;
  return sql`(p.fee, p.id) < (${c.k}::int, ${c.id}::bigint)`;
}

/** The position a card ends a page at, for the next cursor. */
export const positionOf = (sort: Sort, r: ListRow): Position => ({
  s: sort,
  k: sort === 'newest' ? r.listed_key : sort === 'distance' ? r.distance_key! : r.fee,
  id: r.id,
});

// ---- the repository -----------------------------------------------------------------------------

// ---- WHERE pieces of the listing lists (alias p), kept here so the services hold no SQL

/** GET /posts: listed (or, for an admin asking, also banned) listings matching the filters, seen by the viewer. */
export function listConditions(query: ListQuery, opts: { viewerId?: number; includeBanned: boolean; point: Point | null }): Sql[] {
  const where: Sql[] = [opts.includeBanned ? sql`p.deleted_at IS NULL` : sql.raw(listedPostCondition('p'))];
  const kw = query.keyword ? keywordFilter(query.keyword) : null;
  if (kw) where.push(kw);
  if (query.categoryId) where.push(categoryFilter([query.categoryId]));
  if (query.regionId) where.push(regionFilter([query.regionId]));
  if (query.minFee !== undefined) where.push(sql`p.fee >= ${query.minFee}`);
  if (query.maxFee !== undefined) where.push(sql`p.fee <= ${query.maxFee}`);
  if (query.authorId) where.push(sql`p.author_id = ${query.authorId}`);
  where.push(visibleToViewer(opts.viewerId));
  if (query.radiusKm && opts.point) where.push(withinRadius('p', opts.point, query.radiusKm));
  return where;
}

/** The member's own listings, banned ones included, deleted ones not. */
export const ownListings = (memberId: number): Sql[] => [sql`p.author_id = ${memberId}`, sql`p.deleted_at IS NULL`];

/** Public listings the member marked as favourite. */
export const favouriteCards = (memberId: number): Sql[] => [
  sql.raw(publicPostCondition('p')),
  visibleToViewer(memberId),
  sql`EXISTS (SELECT 1 FROM favorites fv WHERE fv.post_id = p.id AND fv.member_id = ${memberId})`,
];

export function postsRepository(db: Queryable) {
  return {
    /** true once any listing exists (the demo seed runs only on an empty app) */
    hasAny: async () => (await db.one(sql`SELECT 1 FROM posts LIMIT 1`)) !== undefined,
    // reference data an edit is checked against
    category: (id: number) =>
      db.one<{ id: number; has_children: boolean }>(sql`SELECT id, EXISTS (SELECT 1 FROM categories ch WHERE ch.parent_id = c.id) AS has_children
        FROM categories c WHERE id = ${id}`),
    countRegions: async (ids: number[]) =>
      (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions WHERE id = ANY(${ids}::bigint[])`))!.n,
    /** the member's 동네 in their order */
    placesOf: (memberId: number) =>
      db.query<Place & { position: number }>(sql`SELECT n.code, n.lat, n.lng, n.region_id, mn.position
        FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
        WHERE mn.member_id = ${memberId} ORDER BY mn.position`),
    place: (code: string) => db.one<Place>(sql`SELECT code, lat, lng, region_id FROM neighbourhoods WHERE code = ${code}`),

    // ---- one listing's rows
    /** `lock`: FOR UPDATE, inside an edit's transaction */
    state: (id: number, opts: { lock?: boolean; includeDeleted?: boolean } = {}) =>
      db.one<PostStateRow>(sql`SELECT id, author_id, deleted_at, banned_at, paused_at, bumped_at, neighbourhood_code FROM posts
        WHERE id = ${id} ${opts.includeDeleted ? sql.empty() : sql`AND deleted_at IS NULL`} ${opts.lock ? sql`FOR UPDATE` : sql.empty()}`),
    images: (postId: number) => db.query<ImageRow>(sql`SELECT id, original_path, thumb_path, detail_path, width, height, is_primary, status
      FROM post_images WHERE post_id = ${postId} ORDER BY sort_order, id`),
    liveOptions: (postId: number) =>
      db.query<OptionRow>(sql`SELECT id, name, fee, deposit FROM post_options WHERE post_id = ${postId} AND deleted_at IS NULL ORDER BY sort_order, id`),
    regions: (postId: number) =>
      db.query<RegionRow>(sql`SELECT r.id, r.name, rp.name AS parent_name FROM post_regions pr JOIN regions r ON r.id = pr.region_id
        LEFT JOIN regions rp ON rp.id = r.parent_id WHERE pr.post_id = ${postId} ORDER BY rp.sort_order NULLS FIRST, r.sort_order, r.id`),
    /** owner-blocked days from a date on (the detail page's calendar) */
    blockedDaysFrom: async (postId: number, from: string) =>
      (await db.query<{ day: string }>(sql`SELECT day::text AS day FROM post_blocked_dates WHERE post_id = ${postId} AND day >= ${from} ORDER BY day`))
        .map((r) => r.day),
    /** `now`: the app's clock, what the owner's rating and 인증 are judged at */
    detail: (id: number, viewerId: number | undefined, now: Date) =>
      db.one<DetailRow>(sql`SELECT p.id, p.author_id, p.title, p.content, p.fee, p.deposit, p.weekly_fee, p.monthly_fee,
          p.instant_booking, p.cancellation_policy, p.receive_method, p.return_method, p.return_address,
          p.neighbourhood_code, p.category_id, p.deleted_at, p.banned_at, p.ban_reason, p.paused_at, p.bumped_at,
          p.embedding_status, p.created_at, p.updated_at,
          EXISTS (SELECT 1 FROM moderation_cases mc WHERE mc.target_type = 'POST' AND mc.target_id = p.id AND mc.status = 'OPEN') AS review_requested,
          ${sql.raw(publicPostCondition('p'))} AS public, ${visibleToViewer(viewerId)} AS unblocked, m.nickname, m.avatar_path,
          ${ownerTrustColumns(now)}, nb.name AS neighbourhood_name,
          c.name AS category_name, pc.id AS parent_id, pc.name AS parent_name,
          (SELECT count(*)::int FROM favorites f WHERE f.post_id = p.id) AS favorite_count,
          EXISTS (SELECT 1 FROM favorites f WHERE f.post_id = p.id AND f.member_id = ${viewerId ?? 0}) AS is_favorite
        FROM posts p JOIN members m ON m.id = p.author_id
        JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
        LEFT JOIN neighbourhoods nb ON nb.code = p.neighbourhood_code
        ${ownerTrustJoins(sql`SELECT author_id FROM posts WHERE id = ${id}`, now)}
        WHERE p.id = ${id}`),
    /** the public may see it (not deleted, not banned, owner not banned) */
    isPublic: async (id: number) => !!(await db.one(sql`SELECT 1 FROM posts p WHERE p.id = ${id} AND ${sql.raw(publicPostCondition('p'))}`)),
    publicAuthor: (id: number) =>
      db.one<{ author_id: number }>(sql`SELECT p.author_id FROM posts p WHERE p.id = ${id} AND ${sql.raw(publicPostCondition('p'))}`),
    /** the member borrows it in one of these statuses (exact places are shared from approval on) */
    hasReservationOf: async (postId: number, borrowerId: number, statuses: readonly Status[]) =>
      !!(await db.one(sql`SELECT 1 FROM reservations WHERE post_id = ${postId} AND borrower_id = ${borrowerId}
        AND status IN ${sql.raw(statusListSql(statuses))} LIMIT 1`)),

    // ---- writing a listing
    insert: async (authorId: number, data: PostData, place: Place | null) =>
      (await db.one<{ id: number }>(sql`INSERT INTO posts (author_id, title, content, category_id, fee, deposit, weekly_fee, monthly_fee,
          instant_booking, cancellation_policy, receive_method, return_method, return_address, neighbourhood_code, lat, lng)
        VALUES (${authorId}, ${data.title.trim()}, ${data.content}, ${data.categoryId}, ${data.fee}, ${data.deposit},
          ${data.weeklyFee ?? null}, ${data.monthlyFee ?? null}, ${data.instantBooking ?? false}, ${data.cancellationPolicy ?? DEFAULT_POLICY},
          ${data.receiveMethod}, ${data.returnMethod}, ${data.returnAddress ?? null}, ${place?.code ?? null}, ${place?.lat ?? null}, ${place?.lng ?? null})
        RETURNING id`))!.id,
    /** the edit's new fields; the embedding goes back to the queue */
    update: (id: number, data: PostData, place: Place | null) =>
      db.query(sql`UPDATE posts SET title = ${data.title.trim()}, content = ${data.content}, category_id = ${data.categoryId}, fee = ${data.fee},
          deposit = ${data.deposit}, weekly_fee = ${data.weeklyFee ?? null}, monthly_fee = ${data.monthlyFee ?? null},
          instant_booking = ${data.instantBooking ?? false}, cancellation_policy = ${data.cancellationPolicy ?? DEFAULT_POLICY},
          receive_method = ${data.receiveMethod}, return_method = ${data.returnMethod},
          return_address = ${data.returnAddress ?? null}, neighbourhood_code = ${place?.code ?? null}, lat = ${place?.lat ?? null},
          lng = ${place?.lng ?? null}, updated_at = now(),
          embedding_status = 'WAIT', embedding_attempts = 0, embedding_error = NULL,
          embedding_claimed_at = NULL, embedding_next_attempt_at = NULL
        WHERE id = ${id} AND deleted_at IS NULL`),
    /** regions and blocked dates, replaced as a whole */
    replaceParts: async (postId: number, regionIds: number[], blockedDates: string[]) => {
      await db.query(sql`DELETE FROM post_regions WHERE post_id = ${postId}`);
      await db.query(sql`DELETE FROM post_blocked_dates WHERE post_id = ${postId}`);
      await db.query(sql`INSERT INTO post_regions (post_id, region_id) SELECT ${postId}, unnest(${regionIds}::bigint[])`);
      if (blockedDates.length) {
        await db.query(sql`INSERT INTO post_blocked_dates (post_id, day) SELECT ${postId}, unnest(${blockedDates}::date[])`);
      }
    },
    insertOption: async (postId: number, o: { name: string; fee: number; deposit: number }, sort: number) =>
      (await db.one<{ id: number }>(sql`INSERT INTO post_options (post_id, name, fee, deposit, sort_order)
        VALUES (${postId}, ${o.name.trim()}, ${o.fee}, ${o.deposit}, ${sort}) RETURNING id`))!.id,
    /** moves an option unchanged in name, fee and deposit; false when it changed (or is not this listing's) */
    keepOption: async (postId: number, o: { id: number; name: string; fee: number; deposit: number }, sort: number) =>
      !!(await db.one(sql`UPDATE post_options SET sort_order = ${sort}
        WHERE id = ${o.id} AND post_id = ${postId} AND name = ${o.name.trim()} AND fee = ${o.fee} AND deposit = ${o.deposit} AND deleted_at IS NULL
        RETURNING id`)),
    /** soft-deletes the options not kept: past reservations keep pointing at the old rows */
    retireOptionsExcept: (postId: number, keptIds: number[]) =>
      db.query(sql`UPDATE post_options SET deleted_at = now() WHERE post_id = ${postId} AND deleted_at IS NULL AND NOT (id = ANY(${keptIds}::bigint[]))`),
    insertImage: (postId: number, img: NewImage, sort: number, primary: boolean) =>
      db.query(sql`INSERT INTO post_images (post_id, original_path, mime, width, height, is_primary, sort_order)
        VALUES (${postId}, ${img.path}, ${img.mime}, ${img.width}, ${img.height}, ${primary}, ${sort})`),
    placeImage: (imageId: number, sort: number, primary: boolean) =>
      db.query(sql`UPDATE post_images SET sort_order = ${sort}, is_primary = ${primary} WHERE id = ${imageId}`),
    deleteImages: (ids: number[]) => db.query(sql`DELETE FROM post_images WHERE id = ANY(${ids}::bigint[])`),
    /** pause (a time) or resume (null); false when it already was in that state */
    setPaused: async (id: number, at: Date | null) =>
      !!(await db.one(sql`UPDATE posts SET paused_at = ${at}, updated_at = now()
        WHERE id = ${id} AND deleted_at IS NULL AND paused_at IS ${at ? sql`NULL` : sql`NOT NULL`} RETURNING id`)),
    /**
     * Bumps to the top of the newest feed when the last bump is older than `notBefore` (one
     * conditional UPDATE, so two bumps at once cannot both pass); null when too soon.
     */
    bump: (id: number, at: Date, notBefore: Date) =>
      db.one<{ bumped_at: Date }>(sql`UPDATE posts SET bumped_at = ${at}
        WHERE id = ${id} AND deleted_at IS NULL AND (bumped_at IS NULL OR bumped_at <= ${notBefore}) RETURNING bumped_at`),
    /**
     * The owner of a banned listing asks for another look: the listing's open case in the admin
     * moderation queue (one per target), opened or refreshed with the owner's note.
     */
    requestReview: (id: number, note: string, at: Date) =>
      db.query(sql`INSERT INTO moderation_cases (target_type, target_id, report_count, score, note, created_at, updated_at)
        VALUES ('POST', ${id}, 0, 0, ${note}, ${at}, ${at})
        ON CONFLICT (target_type, target_id) WHERE status = 'OPEN'
        DO UPDATE SET note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`),
    softDelete: (id: number) => db.query(sql`UPDATE posts SET deleted_at = now(), updated_at = now() WHERE id = ${id} AND deleted_at IS NULL`),

    // ---- lists
    /** one page of cards matching every condition, in the order, after the position; limit + 1 rows */
    cards: (opts: { where: Sql[]; sort: Sort; after: Position | null; limit: number } & CardContext) => {
      const where = [...opts.where];
      if (opts.sort === 'distance') where.push(sql`p.earth IS NOT NULL`);
      if (opts.after) where.push(after(opts.after, opts.point));
      const order = orderOf(opts.sort, opts.point);
      return db.query<ListRow>(cardsQuery(sql`SELECT p.id, p.author_id FROM posts p
        WHERE ${where.length ? sql.join(where, ' AND ') : sql`true`}
        ORDER BY ${order} LIMIT ${opts.limit + 1}`, order, opts));
    },

    // ---- favorites (one member's changes serialised by a lock on their member row)
    lockMember: (memberId: number) => db.query(sql`SELECT 1 FROM members WHERE id = ${memberId} FOR NO KEY UPDATE`),
    isFavorite: async (memberId: number, postId: number) =>
      !!(await db.one(sql`SELECT 1 FROM favorites WHERE member_id = ${memberId} AND post_id = ${postId}`)),
    addFavorite: (memberId: number, postId: number) =>
      db.query(sql`INSERT INTO favorites (member_id, post_id) VALUES (${memberId}, ${postId}) ON CONFLICT DO NOTHING`),
    removeFavorite: (memberId: number, postId: number) =>
      db.query(sql`DELETE FROM favorites WHERE member_id = ${memberId} AND post_id = ${postId}`),
    favoriteCount: async (postId: number) =>
      (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM favorites WHERE post_id = ${postId}`))!.n,

    // ---- purge
    /** soft-deleted before the cutoff and never reserved */
    purgeCandidates: (cutoff: Date, limit: number) =>
      db.query<{ id: number }>(sql`SELECT p.id FROM posts p WHERE p.deleted_at IS NOT NULL AND p.deleted_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.post_id = p.id) ORDER BY p.id LIMIT ${limit}`),
    hardDelete: (id: number) => db.query(sql`DELETE FROM posts WHERE id = ${id} AND deleted_at IS NOT NULL`),
    /** every stored file a listing image or an avatar points at */
    referencedFiles: async () =>
      new Set((await db.query<{ p: string }>(sql`SELECT original_path AS p FROM post_images
        UNION ALL SELECT thumb_path FROM post_images WHERE thumb_path IS NOT NULL
        UNION ALL SELECT detail_path FROM post_images WHERE detail_path IS NOT NULL
        UNION ALL SELECT avatar_path FROM members WHERE avatar_path IS NOT NULL`)).map((r) => r.p)),
  };
}

export type PostsRepository = ReturnType<typeof postsRepository>;
