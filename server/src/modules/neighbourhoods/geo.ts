// Places and distances: the one home of the 동네 rules (Korea bounds, allowed radii, 인증 distance and
// validity, distance rounding). The SQL (earthdistance, GiST-indexed) is in repository.ts.
import { badRequest } from '../../http/errors.ts';

/** A box around the Republic of Korea incl. 제주, 울릉도 and 독도 (a position outside is refused). */
export const KOREA = { minLat: 33.0, maxLat: 38.9, minLng: 124.5, maxLng: 132.0 };
/** Radii a feed or search may ask for (km). */
export const RADII_KM = [1, 3, 5, 10, 20] as const;
export type RadiusKm = (typeof RADII_KM)[number];
/** 동네 인증: the browser's position must be this close to the 동's point. */
export const VERIFY_WITHIN_KM = 3;
/** 동네 인증 stays valid this long. */
export const VERIFY_VALID_DAYS = 30;

export interface Point {
  lat: number;
  lng: number;
}

export function assertInKorea(p: Point): void {
  if (p.lat < KOREA.minLat || p.lat > KOREA.maxLat || p.lng < KOREA.minLng || p.lng > KOREA.maxLng) {
    throw badRequest('OUTSIDE_KOREA', '대한민국 안의 위치만 사용할 수 있습니다');
  }
}

/**
 * What a client may learn of a distance: 100 m steps under 10 km, whole km beyond, never below 0.1 km
 * (so nobody learns that a listing sits exactly at their own 동's point).
 */
export function roundDistanceKm(meters: number | null | undefined): number | null {
  if (meters == null || !Number.isFinite(meters)) return null;
  const km = meters / 1000;
  if (km >= 10) return Math.round(km);
  return Math.max(0.1, Math.round(km * 10) / 10);
}

/** Whether a 동네 인증 made at `verifiedAt` still counts at `now`. */
export function isVerified(verifiedAt: Date | string | null | undefined, now: Date): boolean {
  if (!verifiedAt) return false;
  return now.getTime() - new Date(verifiedAt).getTime() < VERIFY_VALID_DAYS * 86_400_000;
}
