// Card lists (feed, my listings, favorites): the page cursor of each sort, and the point distances
// and radii are measured from. Search reuses pointOfQuery and the card mapping.
import type { Queryable } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { badRequest, unauthorized } from '../../http/errors.ts';
import type { AuthMember } from '../../http/auth.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { assertInKorea, type Point } from '../neighbourhoods/geo.ts';
import { firstNeighbourhoodOf } from '../neighbourhoods/service.ts';
import { toListItem } from './mapping.ts';
import { positionOf, postsRepository, type Position, type Sort } from './repository.ts';
import type { PostListItem } from './schemas.ts';

/** A cursor is only good for the sort it was made for. */
function decodePosition(raw: string, sort: Sort): Position {
  const keyOk = (k: unknown) =>
    sort === 'newest' ? typeof k === 'string' && !Number.isNaN(Date.parse(k)) : sort === 'distance' ? Number.isFinite(k) : Number.isInteger(k);
  return decodeCursor<Position>(
    raw,
    (c) => c.s === sort && keyOk(c.k) && Number.isInteger(c.id),
    '페이지 커서가 올바르지 않습니다 (정렬을 바꾸면 처음부터 다시 요청하세요)',
  );
}

/** One page of listing cards matching every condition, in the given order, after the cursor. */
export async function listPosts(
  q: Queryable,
  opts: { where: Sql[]; sort?: Sort; cursor?: string; limit?: number; point?: Point | null; now: Date },
): Promise<{ items: PostListItem[]; nextCursor: string | null }> {
  const sort = opts.sort ?? 'newest';
  const point = opts.point ?? null;
  if (sort === 'distance' && !point) throw badRequest('POINT_REQUIRED', '거리순 정렬에는 near=me 또는 lat/lng가 필요합니다');
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 50);
  const after = opts.cursor ? decodePosition(opts.cursor, sort) : null;
  const rows = await postsRepository(q).cards({ where: opts.where, sort, after, point, limit, now: opts.now });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(positionOf(sort, last)) : null;
  return { items: page.map(toListItem), nextCursor };
}

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
