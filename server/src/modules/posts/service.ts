// Listings: create/edit/delete with images, options, regions and blocked dates; list, detail, favorites.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../../http/errors.ts';
import { compileBounded } from '../../http/validation.ts';
import type { AuthMember } from '../../http/auth.ts';
import { categoryFilter, regionFilter } from '../catalog/service.ts';
import { storeAll } from '../images/multipart.ts';
import { MAX_IMAGES, mediaUrl, removeFiles, type StoredImage } from '../images/service.ts';
import { unavailableDates } from '../reservations/availability.ts';
import { addDays, isValidDate, seoulDate } from '../../lib/dates.ts';
import { publicPostCondition } from './visibility.ts';
import { PostCreateData, PostUpdateData, type ListQuery, type PostData, type PostListItem } from './schemas.ts';
import { decodeCursor, encodeCursor, iso } from '../../http/wire.ts';
import { trustOf } from '../trust/score.ts';
import { assertInKorea, roundDistanceKm, VERIFY_VALID_DAYS, type Point } from '../neighbourhoods/geo.ts';
import { distanceFrom, withinRadius } from '../neighbourhoods/repository.ts';
import { firstNeighbourhoodOf } from '../neighbourhoods/service.ts';
import { visibleToViewer } from '../blocks/repository.ts';
import { lenderRatingColumns } from '../trust/repository.ts';
import { mayReadExactPlace } from './places.ts';

const validators = { create: compileBounded(PostCreateData), update: compileBounded(PostUpdateData) };

/** Parses and validates the JSON `data` part against its TypeBox schema. */
export function parsePostData(raw: string | undefined, kind: 'create' | 'update'): PostData {
  if (raw === undefined) throw badRequest('DATA_REQUIRED', 'data 필드(JSON)가 필요합니다');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('INVALID_JSON', 'data 필드가 올바른 JSON이 아닙니다');
  }
  const errors = validators[kind].errors(value);
  if (errors) {
    const first = errors[0];
    throw badRequest('VALIDATION_FAILED', `입력값이 올바르지 않습니다 (data${first?.instancePath ?? ''}: ${first?.message ?? ''})`, { errors });
  }
  return value as PostData;
}

// ---- cursor paging -------------------------------------------------------------------------

type Sort = 'newest' | 'fee_asc' | 'fee_desc' | 'distance';
interface Cursor {
  s: Sort;
  k: string | number;
  id: number;
}
function decodeSortCursor(raw: string, sort: Sort): Cursor {
  const keyOk = (k: unknown) =>
    sort === 'newest' ? typeof k === 'string' && !Number.isNaN(Date.parse(k)) : sort === 'distance' ? Number.isFinite(k) : Number.isInteger(k);
  return decodeCursor<Cursor>(
    raw,
    (c) => c.s === sort && keyOk(c.k) && Number.isInteger(c.id),
    '페이지 커서가 올바르지 않습니다 (정렬을 바꾸면 처음부터 다시 요청하세요)',
  );
}

const ORDER: Record<Exclude<Sort, 'distance'>, Sql> = {
  newest: sql`p.created_at DESC, p.id DESC`,
  fee_asc: sql`p.fee ASC, p.id ASC`,
  fee_desc: sql`p.fee DESC, p.id DESC`,
};
function afterCursor(c: Cursor, point: Point | null): Sql {
  if (c.s === 'distance') return sql`(${distanceFrom('p', point!)}, p.id) > (${c.k}::float8, ${c.id}::bigint)`;
  if (c.s === 'newest') return sql`(p.created_at, p.id) < (${c.k}::timestamptz, ${c.id}::bigint)`;
  if (c.s === 'fee_asc') return sql`(p.fee, p.id) > (${c.k}::int, ${c.id}::bigint)`;
  return sql`(p.fee, p.id) < (${c.k}::int, ${c.id}::bigint)`;
}

interface ListRow {
  id: number;
  title: string;
  fee: number;
  deposit: number;
  created_at: Date;
  created_key: string;
  banned: boolean;
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
  owner_rating: number | null;
  owner_review_count: number;
  owner_verified: boolean;
}

/** The owner has a valid 동네 인증 of the listing's 동 (the badge on cards and the listing page). */
export const ownerVerified = (alias: string) => sql`EXISTS (SELECT 1 FROM member_neighbourhoods mv
  WHERE mv.member_id = ${sql.raw(alias)}.author_id AND mv.code = ${sql.raw(alias)}.neighbourhood_code
    AND mv.verified_at > now() - make_interval(days => ${VERIFY_VALID_DAYS}))`;

/**
 * SELECT list of a listing card; `p` is the posts alias. Reused by search for its result items.
 * With a point, each card carries its distance from it (metres, rounded by toListItem).
 */
export const listItemSelect = (point?: Point | null) => sql`p.id, p.title, p.fee, p.deposit, p.created_at, p.created_at::text AS created_key,
  p.banned_at IS NOT NULL AS banned, m.id AS author_id, m.nickname,
  c.id AS category_id, c.name AS category_name, pc.id AS parent_id, pc.name AS parent_name,
  (SELECT count(*)::int FROM favorites f WHERE f.post_id = p.id) AS favorite_count,
  (SELECT coalesce(i.thumb_path, i.original_path) FROM post_images i WHERE i.post_id = p.id
     ORDER BY i.is_primary DESC, i.sort_order, i.id LIMIT 1) AS thumb,
  (SELECT array_agg(coalesce(rp.name || ' ', '') || r.name ORDER BY rp.sort_order NULLS FIRST, r.sort_order, r.id)
     FROM post_regions pr JOIN regions r ON r.id = pr.region_id LEFT JOIN regions rp ON rp.id = r.parent_id
     WHERE pr.post_id = p.id) AS regions,
  p.neighbourhood_code, (SELECT nb.name FROM neighbourhoods nb WHERE nb.code = p.neighbourhood_code) AS neighbourhood_name,
  ${point ? distanceFrom('p', point) : sql`NULL::float8`} AS distance_m,
  ${lenderRatingColumns('m.id')},
  ${ownerVerified('p')} AS owner_verified`;
export const LIST_ITEM_SELECT = listItemSelect();
export const LIST_ITEM_FROM = sql`posts p JOIN members m ON m.id = p.author_id
  JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id`;


export function toListItem(r: ListRow): PostListItem {
  return {
    id: r.id,
    title: r.title,
    fee: r.fee,
    deposit: r.deposit,
    thumbnailUrl: mediaUrl(r.thumb),
    regions: r.regions ?? [],
    category: { id: r.category_id, name: r.category_name, parent: r.parent_id ? { id: r.parent_id, name: r.parent_name! } : null },
    createdAt: iso(r.created_at),
    favoriteCount: r.favorite_count,
    author: { id: r.author_id, nickname: r.nickname, rating: r.owner_rating, reviewCount: r.owner_review_count },
    neighbourhood: r.neighbourhood_code ? { code: r.neighbourhood_code, name: r.neighbourhood_name!, verified: r.owner_verified } : null,
    distanceKm: roundDistanceKm(r.distance_m),
    banned: r.banned,
  };
}

/** One page of listing cards matching every condition, in the given order, after the cursor. */
export async function listPosts(
  q: Queryable,
  opts: { where: Sql[]; sort?: Sort; cursor?: string; limit?: number; point?: Point | null },
): Promise<{ items: PostListItem[]; nextCursor: string | null }> {
  const sort = opts.sort ?? 'newest';
  const point = opts.point ?? null;
  if (sort === 'distance' && !point) throw badRequest('POINT_REQUIRED', '거리순 정렬에는 near=me 또는 lat/lng가 필요합니다');
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 50);
  const where = [...opts.where];
  if (sort === 'distance') where.push(sql`p.lat IS NOT NULL`);
  if (opts.cursor) where.push(afterCursor(decodeSortCursor(opts.cursor, sort), point));
  const order = sort === 'distance' ? sql`${distanceFrom('p', point!)} ASC, p.id ASC` : ORDER[sort];
  const rows = await q.query<ListRow>(sql`SELECT ${listItemSelect(point)} FROM ${LIST_ITEM_FROM}
    WHERE ${where.length ? sql.join(where, ' AND ') : sql`true`}
    ORDER BY ${order} LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const key = (r: ListRow) => (sort === 'newest' ? r.created_key : sort === 'distance' ? r.distance_m! : r.fee);
  const nextCursor = rows.length > limit && last ? encodeCursor({ s: sort, k: key(last), id: last.id }) : null;
  return { items: page.map(toListItem), nextCursor };
}

/** Each word must appear in the title or content (ILIKE, served by the trigram index). */
export function keywordFilter(keyword: string, alias = 'p'): Sql | null {
  const words = keyword.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  if (!words.length) return null;
  const a = sql.raw(alias);
  return sql.join(
    words.map((w) => sql`(${a}.title || ' ' || ${a}.content) ILIKE ${'%' + w.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%'}`),
    ' AND ',
  );
}

// ---- service -------------------------------------------------------------------------------

interface PostRow {
  id: number;
  author_id: number;
  deleted_at: Date | null;
  banned_at: Date | null;
  neighbourhood_code: string | null;
}

interface Place {
  code: string;
  lat: number;
  lng: number;
  region_id: number;
}

interface ImageRow {
  id: number;
  original_path: string;
  thumb_path: string | null;
  detail_path: string | null;
  width: number | null;
  height: number | null;
  is_primary: boolean;
  status: string;
}

export function postsService(deps: Deps) {
  const { db } = deps;
  const storage = deps.storage;

  async function assertInput(data: PostData) {
    const cat = await db.one<{ id: number; has_children: boolean }>(
      'SELECT id, EXISTS (SELECT 1 FROM categories ch WHERE ch.parent_id = c.id) AS has_children FROM categories c WHERE id = $1',
      [data.categoryId],
    );
    if (!cat) throw badRequest('UNKNOWN_CATEGORY', '존재하지 않는 카테고리입니다');
    if (cat.has_children) throw badRequest('CATEGORY_NOT_LEAF', '하위 카테고리를 선택해 주세요');
    const found = await db.query<{ id: number }>('SELECT id FROM regions WHERE id = ANY($1::bigint[])', [data.regionIds]);
    if (found.length !== data.regionIds.length) throw badRequest('UNKNOWN_REGION', '존재하지 않는 지역이 포함되어 있습니다');
    const badDay = (data.blockedDates ?? []).find((d) => !isValidDate(d));
    if (badDay) throw badRequest('INVALID_DATE', `날짜가 올바르지 않습니다: ${badDay}`);
  }

  function assertImageCount(total: number, primaryIndex: number | undefined) {
    if (total < 1) throw badRequest('IMAGE_REQUIRED', '이미지를 1장 이상 올려 주세요');
    if (total > MAX_IMAGES) throw badRequest('TOO_MANY_IMAGES', `이미지는 최대 ${MAX_IMAGES}장까지 올릴 수 있습니다`);
    if (primaryIndex !== undefined && primaryIndex >= total) {
      throw badRequest('INVALID_PRIMARY', `대표 이미지 번호(primaryIndex)는 0–${total - 1} 사이여야 합니다`);
    }
  }

  /**
   * Where a listing is: the 동네 asked for (must be one of the owner's), else the one it had (edit),
   * else the owner's first 동네, else nowhere (an owner without 동네).
   */
  async function placeFor(ownerId: number, code: string | undefined, current: string | null = null): Promise<Place | null> {
    const mine = await db.query<Place & { position: number }>(
      `SELECT n.code, n.lat, n.lng, n.region_id, mn.position FROM member_neighbourhoods mn JOIN neighbourhoods n ON n.code = mn.code
       WHERE mn.member_id = $1 ORDER BY mn.position`,
      [ownerId],
    );
    if (code) {
      const hit = mine.find((m) => m.code === code);
      if (hit) return hit;
      if (!(await db.one('SELECT 1 FROM neighbourhoods WHERE code = $1', [code]))) {
        throw badRequest('UNKNOWN_NEIGHBOURHOOD', `존재하지 않는 동네 코드입니다: ${code}`);
      }
      throw badRequest('NOT_MY_NEIGHBOURHOOD', '게시글 위치는 내 동네 중에서 고를 수 있습니다');
    }
    if (current) return (await db.one<Place>('SELECT code, lat, lng, region_id FROM neighbourhoods WHERE code = $1', [current])) ?? null;
    return mine[0] ?? null;
  }

  async function insertParts(tx: Queryable, postId: number, data: PostData, place: Place | null = null) {
    // the 동's 시군구 is always among the listing's regions, so region filters find it
    const regionIds = place && !data.regionIds.includes(place.region_id) ? [...data.regionIds, place.region_id] : data.regionIds;
    await tx.query(sql`INSERT INTO post_regions (post_id, region_id) SELECT ${postId}, unnest(${regionIds}::bigint[])`);
    for (const d of data.blockedDates ?? []) await tx.query('INSERT INTO post_blocked_dates (post_id, day) VALUES ($1, $2)', [postId, d]);
  }

  async function insertImages(tx: Queryable, postId: number, images: StoredImage[], firstSort: number, primarySort: number) {
    for (const [i, img] of images.entries()) {
      const sort = firstSort + i;
      await tx.query(
        'INSERT INTO post_images (post_id, original_path, mime, width, height, is_primary, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [postId, img.path, img.mime, img.width, img.height, sort === primarySort, sort],
      );
    }
  }

  /**
   * What an edit may do given the listing's current rows: owner only, not while banned, image ids and
   * option ids of this listing, 1–MAX_IMAGES images after the edit. `lock`: inside the edit's
   * transaction, the listing's row is locked first so concurrent edits check one after another.
   */
  async function checkEdit(q: Queryable, member: AuthMember, id: number, data: PostData, newFiles: number, lock: boolean) {
    const post = await q.one<PostRow>(
      `SELECT id, author_id, deleted_at, banned_at, neighbourhood_code FROM posts WHERE id = $1 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!post) throw notFound('게시글');
    if (post.author_id !== member.id) throw forbidden('본인 게시글만 수정할 수 있습니다');
    // a hidden listing stays as the admin saw it (an edit used to be saved, then answered 404)
    if (post.banned_at) throw conflict('POST_BANNED', '관리자가 숨긴 게시글은 수정할 수 없습니다');
    const existing = await q.query<ImageRow>('SELECT * FROM post_images WHERE post_id = $1 ORDER BY sort_order, id', [id]);
    const keepIds = data.keepImageIds ?? existing.map((i) => i.id);
    const unknown = keepIds.filter((k) => !existing.some((e) => e.id === k));
    if (unknown.length) throw badRequest('UNKNOWN_IMAGE', `이 게시글의 이미지가 아닙니다: ${unknown.join(', ')}`);
    assertImageCount(keepIds.length + newFiles, data.primaryIndex);
    const currentOptions = await q.query<{ id: number }>('SELECT id FROM post_options WHERE post_id = $1 AND deleted_at IS NULL', [id]);
    const unknownOption = (data.options ?? []).find((o) => o.id && !currentOptions.some((c) => c.id === o.id));
    if (unknownOption) throw badRequest('UNKNOWN_OPTION', `이 게시글의 옵션이 아닙니다: ${unknownOption.id}`);
    return { keepIds, existing, post };
  }

  async function loadPost(id: number): Promise<PostRow> {
    const p = await db.one<PostRow>('SELECT id, author_id, deleted_at, banned_at, neighbourhood_code FROM posts WHERE id = $1', [id]);
    if (!p || p.deleted_at) throw notFound('게시글');
    return p;
  }

  return {
    async create(member: AuthMember, data: PostData, files: Buffer[]) {
      assertImageCount(files.length, data.primaryIndex);
      await assertInput(data);
      const place = await placeFor(member.id, data.neighbourhoodCode);
      const stored = await storeAll(storage, files);
      try {
        const id = await db.transaction(async (tx) => {
          const row = await tx.one<{ id: number }>(
            `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, return_address,
               neighbourhood_code, lat, lng)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
            [member.id, data.title.trim(), data.content, data.categoryId, data.fee, data.deposit, data.receiveMethod, data.returnMethod, data.returnAddress ?? null,
              place?.code ?? null, place?.lat ?? null, place?.lng ?? null],
          );
          const postId = row!.id;
          await insertParts(tx, postId, data, place);
          for (const [i, o] of (data.options ?? []).entries()) {
            await tx.query('INSERT INTO post_options (post_id, name, fee, deposit, sort_order) VALUES ($1, $2, $3, $4, $5)', [postId, o.name.trim(), o.fee, o.deposit, i]);
          }
          await insertImages(tx, postId, stored, 0, data.primaryIndex ?? 0);
          return postId;
        });
        deps.signals.emit('post-changed', id);
        return id;
      } catch (err) {
        await removeFiles(storage, stored.map((s) => s.path));
        throw err;
      }
    },

    /**
     * Replaces regions, options, images and blocked dates as sent; re-queues the embedding.
     * The rules that depend on the listing's current rows (owner, not banned, image limit, which
     * image/option ids exist) are checked twice with one function: before the upload is stored (a
     * quick answer) and again inside the transaction with the listing's row locked, which is the
     * check that counts: two edits at once cannot both add images past the limit.
     */
    async update(member: AuthMember, id: number, data: PostData, files: Buffer[]) {
      const { post } = await checkEdit(db, member, id, data, files.length, false);
      await assertInput(data);
      const place = await placeFor(member.id, data.neighbourhoodCode, post.neighbourhood_code);

      const stored = await storeAll(storage, files);
      const primary = data.primaryIndex ?? 0;
      let removed: ImageRow[] = [];
      try {
        await db.transaction(async (tx) => {
          const { keepIds, existing } = await checkEdit(tx, member, id, data, files.length, true);
          removed = existing.filter((e) => !keepIds.includes(e.id));
          await tx.query(
            `UPDATE posts SET title = $2, content = $3, category_id = $4, fee = $5, deposit = $6, receive_method = $7,
               return_method = $8, return_address = $9, neighbourhood_code = $10, lat = $11, lng = $12, updated_at = now(),
               embedding_status = 'WAIT', embedding_attempts = 0, embedding_error = NULL,
               embedding_claimed_at = NULL, embedding_next_attempt_at = NULL
             WHERE id = $1 AND deleted_at IS NULL`,
            [id, data.title.trim(), data.content, data.categoryId, data.fee, data.deposit, data.receiveMethod, data.returnMethod, data.returnAddress ?? null,
              place?.code ?? null, place?.lat ?? null, place?.lng ?? null],
          );
          await tx.query('DELETE FROM post_regions WHERE post_id = $1', [id]);
          await tx.query('DELETE FROM post_blocked_dates WHERE post_id = $1', [id]);
          await insertParts(tx, id, data, place);

          // Options: a kept, unchanged option keeps its id; anything removed or changed is soft-deleted
          // (past reservations keep pointing at the old row) and changed ones are inserted anew.
          const keptOptionIds: number[] = [];
          for (const [i, o] of (data.options ?? []).entries()) {
            if (o.id) {
              const same = await tx.one(
                'UPDATE post_options SET sort_order = $5 WHERE id = $1 AND post_id = $6 AND name = $2 AND fee = $3 AND deposit = $4 AND deleted_at IS NULL RETURNING id',
                [o.id, o.name.trim(), o.fee, o.deposit, i, id],
              );
              if (same) {
                keptOptionIds.push(o.id);
                continue;
              }
            }
            const row = await tx.one<{ id: number }>(
              'INSERT INTO post_options (post_id, name, fee, deposit, sort_order) VALUES ($1, $2, $3, $4, $5) RETURNING id',
              [id, o.name.trim(), o.fee, o.deposit, i],
            );
            keptOptionIds.push(row!.id);
          }
          await tx.query(
            'UPDATE post_options SET deleted_at = now() WHERE post_id = $1 AND deleted_at IS NULL AND NOT (id = ANY($2::bigint[]))',
            [id, keptOptionIds],
          );

          if (removed.length) await tx.query('DELETE FROM post_images WHERE id = ANY($1::bigint[])', [removed.map((r) => r.id)]);
          for (const [i, keepId] of keepIds.entries()) {
            await tx.query('UPDATE post_images SET sort_order = $2, is_primary = $3 WHERE id = $1', [keepId, i, i === primary]);
          }
          await insertImages(tx, id, stored, keepIds.length, primary);
        });
      } catch (err) {
        await removeFiles(storage, stored.map((s) => s.path));
        throw err;
      }
      await removeFiles(storage, removed.flatMap((r) => [r.original_path, r.thumb_path, r.detail_path]));
      deps.signals.emit('post-changed', id);
    },

    /** Soft delete: reservations, chats and reviews keep pointing at the row; the purge job removes it later. */
    async remove(member: AuthMember, id: number) {
      const post = await loadPost(id);
      if (post.author_id !== member.id && member.role !== 'ADMIN') throw forbidden('본인 게시글만 삭제할 수 있습니다');
      await db.query('UPDATE posts SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL', [id]);
      deps.signals.emit('post-changed', id);
    },

    async list(query: ListQuery, viewer: AuthMember | null) {
      const where: Sql[] = [];
      where.push(viewer?.role === 'ADMIN' && query.includeBanned ? sql`p.deleted_at IS NULL` : sql.raw(publicPostCondition('p')));
      if (query.keyword) {
        const kw = keywordFilter(query.keyword);
        if (kw) where.push(kw);
      }
      if (query.categoryId) where.push(categoryFilter([query.categoryId]));
      if (query.regionId) where.push(regionFilter([query.regionId]));
      if (query.minFee !== undefined) where.push(sql`p.fee >= ${query.minFee}`);
      if (query.maxFee !== undefined) where.push(sql`p.fee <= ${query.maxFee}`);
      if (query.authorId) where.push(sql`p.author_id = ${query.authorId}`);
      where.push(visibleToViewer(viewer?.id));
      const point = await pointOfQuery(db, query, viewer);
      if (query.radiusKm) where.push(withinRadius('p', point!, query.radiusKm));
      return listPosts(db, { where, sort: query.sort, cursor: query.cursor, limit: query.limit, point });
    },

    /** The caller's own listings, banned ones included (flagged), deleted ones not. */
    my(member: AuthMember, page: { cursor?: string; limit?: number }) {
      return listPosts(db, { where: [sql`p.author_id = ${member.id}`, sql`p.deleted_at IS NULL`], ...page });
    },

    favorites(member: AuthMember, page: { cursor?: string; limit?: number }) {
      return listPosts(db, {
        where: [sql.raw(publicPostCondition('p')), visibleToViewer(member.id),
          sql`EXISTS (SELECT 1 FROM favorites fv WHERE fv.post_id = p.id AND fv.member_id = ${member.id})`],
        ...page,
      });
    },

    async detail(id: number, viewer: AuthMember | null) {
      const p = await db.one(
        sql`SELECT p.*, ${sql.raw(publicPostCondition('p'))} AS public, ${visibleToViewer(viewer?.id)} AS unblocked, m.nickname, m.avatar_path,
              ${lenderRatingColumns('m.id')}, ${ownerVerified('p')} AS owner_verified,
              (SELECT nb.name FROM neighbourhoods nb WHERE nb.code = p.neighbourhood_code) AS neighbourhood_name,
              c.name AS category_name, pc.id AS parent_id, pc.name AS parent_name,
              (SELECT count(*)::int FROM favorites f WHERE f.post_id = p.id) AS favorite_count,
              EXISTS (SELECT 1 FROM favorites f WHERE f.post_id = p.id AND f.member_id = ${viewer?.id ?? 0}) AS is_favorite
            FROM posts p JOIN members m ON m.id = p.author_id
            JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
            WHERE p.id = ${id}`,
      );
      const admin = viewer?.role === 'ADMIN';
      if (!p || p.deleted_at || (!p.public && !admin) || (!p.unblocked && !admin)) throw notFound('게시글');
      const exactPlace = await mayReadExactPlace(db, { id: p.id, author_id: p.author_id }, viewer);
      const [images, options, regions, blockedDates] = await Promise.all([
        db.query<ImageRow>('SELECT * FROM post_images WHERE post_id = $1 ORDER BY sort_order, id', [id]),
        db.query('SELECT id, name, fee, deposit FROM post_options WHERE post_id = $1 AND deleted_at IS NULL ORDER BY sort_order, id', [id]),
        db.query(
          `SELECT r.id, r.name, rp.name AS parent_name FROM post_regions pr JOIN regions r ON r.id = pr.region_id
           LEFT JOIN regions rp ON rp.id = r.parent_id WHERE pr.post_id = $1 ORDER BY rp.sort_order NULLS FIRST, r.sort_order, r.id`,
          [id],
        ),
        unavailableBlockedFrom(db, id, seoulDate(deps.clock.now())),
      ]);
      const category = { id: p.category_id, name: p.category_name, parent: p.parent_id ? { id: p.parent_id, name: p.parent_name } : null };
      return {
        id: p.id,
        title: p.title,
        content: p.content,
        fee: p.fee,
        deposit: p.deposit,
        receiveMethod: p.receive_method,
        returnMethod: p.return_method,
        returnAddress: exactPlace ? p.return_address : null,
        neighbourhood: p.neighbourhood_code ? { code: p.neighbourhood_code, name: p.neighbourhood_name, verified: p.owner_verified } : null,
        category,
        categoryPath: [...(category.parent ? [category.parent] : []), { id: category.id, name: category.name }],
        regions: regions.map((r) => ({ id: r.id, name: r.name, parentName: r.parent_name })),
        images: images.map((i) => ({
          id: i.id,
          isPrimary: i.is_primary,
          status: i.status,
          originalUrl: mediaUrl(i.original_path)!,
          thumbUrl: mediaUrl(i.thumb_path ?? i.original_path)!,
          detailUrl: mediaUrl(i.detail_path ?? i.original_path)!,
          width: i.width,
          height: i.height,
        })),
        options: options.map((o) => ({ id: o.id, name: o.name, fee: o.fee, deposit: o.deposit })),
        blockedDates,
        owner: {
          id: p.author_id, nickname: p.nickname, avatarUrl: mediaUrl(p.avatar_path),
          rating: p.owner_rating, reviewCount: p.owner_review_count, trust: await trustOf(db, p.author_id, deps.clock.now()),
        },
        favoriteCount: p.favorite_count,
        isFavorite: p.is_favorite,
        isOwner: viewer?.id === p.author_id,
        banned: p.banned_at !== null,
        embeddingStatus: p.embedding_status,
        createdAt: iso(p.created_at),
        updatedAt: iso(p.updated_at),
      };
    },

    async unavailable(id: number, from?: string, to?: string) {
      const p = await db.one(sql`SELECT 1 FROM posts p WHERE p.id = ${id} AND ${sql.raw(publicPostCondition('p'))}`);
      if (!p) throw notFound('게시글');
      for (const d of [from, to]) if (d && !isValidDate(d)) throw badRequest('INVALID_DATE', `날짜가 올바르지 않습니다: ${d}`);
      const start = from ?? seoulDate(deps.clock.now());
      const end = to ?? addDays(start, 365);
      if (end < start) throw badRequest('INVALID_RANGE', '종료일이 시작일보다 빠릅니다');
      return unavailableDates(db, id, start, end);
    },

    /**
     * Sets the caller's favorite: true adds it, false removes it (PUT/DELETE, idempotent), undefined
     * flips it (the old toggle). One member's favorite changes run one at a time (their member row is
     * locked for the transaction), so concurrent toggles each see the previous one's result.
     */
    async setFavorite(member: AuthMember, id: number, want?: boolean) {
      return db.transaction(async (tx) => {
        const p = await tx.one<{ author_id: number }>(
          sql`SELECT p.author_id FROM posts p WHERE p.id = ${id} AND ${sql.raw(publicPostCondition('p'))}`,
        );
        if (!p) throw notFound('게시글');
        if (p.author_id === member.id) throw conflict('OWN_POST', '내 게시글은 찜할 수 없습니다');
        await tx.query('SELECT 1 FROM members WHERE id = $1 FOR NO KEY UPDATE', [member.id]);
        const has = !!(await tx.one('SELECT 1 FROM favorites WHERE member_id = $1 AND post_id = $2', [member.id, id]));
        const favorited = want ?? !has;
        if (favorited && !has) await tx.query('INSERT INTO favorites (member_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [member.id, id]);
        if (!favorited && has) await tx.query('DELETE FROM favorites WHERE member_id = $1 AND post_id = $2', [member.id, id]);
        const count = await tx.one<{ n: number }>('SELECT count(*)::int AS n FROM favorites WHERE post_id = $1', [id]);
        return { favorited, favoriteCount: count!.n };
      });
    },
  };
}

/** Owner-blocked days from a date on (the detail page's calendar). */
const unavailableBlockedFrom = (q: Queryable, postId: number, from: string) =>
  q.query<{ day: string }>('SELECT day::text AS day FROM post_blocked_dates WHERE post_id = $1 AND day >= $2 ORDER BY day', [postId, from]).then((r) =>
    r.map((x) => x.day),
  );

export type PostsService = ReturnType<typeof postsService>;

/**
 * The point a list is measured from: near=me (the caller's first 동네) or lat/lng; null without one.
 * A radius needs a point.
 */
export async function pointOfQuery(
  q: Queryable,
  query: { near?: 'me'; lat?: number; lng?: number; radiusKm?: number },
  viewer: AuthMember | null,
): Promise<Point | null> {
  if (query.near && (query.lat !== undefined || query.lng !== undefined)) {
    throw badRequest('POINT_CONFLICT', 'near=me와 lat/lng는 함께 쓸 수 없습니다');
  }
  if ((query.lat === undefined) !== (query.lng === undefined)) throw badRequest('POINT_INCOMPLETE', 'lat과 lng는 함께 보내 주세요');
  let point: Point | null = null;
  if (query.near === 'me') {
    if (!viewer) throw unauthorized('near=me는 로그인 후 쓸 수 있습니다');
    point = await firstNeighbourhoodOf(q, viewer.id);
    if (!point) throw badRequest('NO_NEIGHBOURHOOD', '먼저 내 동네를 설정해 주세요');
  } else if (query.lat !== undefined && query.lng !== undefined) {
    point = { lat: query.lat, lng: query.lng };
    assertInKorea(point);
  }
  if (query.radiusKm && !point) throw badRequest('POINT_REQUIRED', '반경(radiusKm)에는 near=me 또는 lat/lng가 필요합니다');
  return point && { lat: point.lat, lng: point.lng };
}
