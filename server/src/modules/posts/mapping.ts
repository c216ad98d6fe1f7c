// Rows to API responses: the listing card and the listing page.
import { iso, isoOrNull } from '../../http/wire.ts';
import { mediaUrl } from '../images/service.ts';
import { roundDistanceKm } from '../neighbourhoods/geo.ts';
import type { Trust } from '../trust/score.ts';
import { POLICY_TABLE, policyLines } from '../reservations/cancellation.ts';
import type { DetailRow, ImageRow, ListRow, OptionRow, RegionRow } from './repository.ts';
import { BUMP_INTERVAL_MS, type PostListItem } from './schemas.ts';

/** When the listing may be bumped again (null: never bumped, may bump now). */
export const nextBumpOf = (bumpedAt: Date | null): string | null =>
  bumpedAt ? iso(new Date(new Date(bumpedAt).getTime() + BUMP_INTERVAL_MS)) : null;

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
    paused: r.paused,
  };
}

export interface DetailParts {
  images: ImageRow[];
  options: OptionRow[];
  regions: RegionRow[];
  blockedDates: string[];
  trust: Trust;
  /** the return address may be shown to this viewer */
  exactPlace: boolean;
  viewerId: number | undefined;
  /** the owner or an admin: sees the ban reason and the owner's controls */
  staff: boolean;
}

export function toDetail(p: DetailRow, parts: DetailParts) {
  const category = { id: p.category_id, name: p.category_name, parent: p.parent_id ? { id: p.parent_id, name: p.parent_name! } : null };
  return {
    id: p.id,
    title: p.title,
    content: p.content,
    fee: p.fee,
    deposit: p.deposit,
    weeklyFee: p.weekly_fee,
    monthlyFee: p.monthly_fee,
    instantBooking: p.instant_booking,
    cancellation: { policy: p.cancellation_policy, label: POLICY_TABLE[p.cancellation_policy].label, rules: policyLines(p.cancellation_policy) },
    receiveMethod: p.receive_method,
    returnMethod: p.return_method,
    returnAddress: parts.exactPlace ? p.return_address : null,
    neighbourhood: p.neighbourhood_code ? { code: p.neighbourhood_code, name: p.neighbourhood_name!, verified: p.owner_verified } : null,
    category,
    categoryPath: [...(category.parent ? [category.parent] : []), { id: category.id, name: category.name }],
    regions: parts.regions.map((r) => ({ id: r.id, name: r.name, parentName: r.parent_name })),
    images: parts.images.map((i) => ({
      id: i.id,
      isPrimary: i.is_primary,
      status: i.status,
      originalUrl: mediaUrl(i.original_path)!,
      thumbUrl: mediaUrl(i.thumb_path ?? i.original_path)!,
      detailUrl: mediaUrl(i.detail_path ?? i.original_path)!,
      width: i.width,
      height: i.height,
    })),
    options: parts.options.map((o) => ({ id: o.id, name: o.name, fee: o.fee, deposit: o.deposit })),
    blockedDates: parts.blockedDates,
    owner: {
      id: p.author_id, nickname: p.nickname, avatarUrl: mediaUrl(p.avatar_path),
      rating: p.owner_rating, reviewCount: p.owner_review_count, trust: parts.trust,
    },
    favoriteCount: p.favorite_count,
    isFavorite: p.is_favorite,
    isOwner: parts.viewerId === p.author_id,
    banned: p.banned_at !== null,
    banReason: parts.staff ? p.ban_reason : null,
    reviewRequested: parts.staff && p.review_requested,
    paused: p.paused_at !== null,
    bumpedAt: parts.staff ? isoOrNull(p.bumped_at) : null,
    nextBumpAt: parts.staff ? nextBumpOf(p.bumped_at) : null,
    embeddingStatus: p.embedding_status,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
  };
}
