// Trust beside a member: the 매너온도-style score (formula: server/src/modules/trust/score.ts),
// rating and reply habits; and the 동 of a listing with its distance and 인증 badge.
import type { Trust } from '../api/neighbourhoods.ts';
import type { PlaceRef } from '../api/posts.ts';

export function TrustScore({ trust }: { trust: Trust }) {
  const warm = trust.score >= 36.5;
  return (
    <span className={`trust-score ${warm ? 'trust-warm' : 'trust-cool'}`} data-testid="trust-score" title="신뢰 온도: 36.5℃에서 시작해 후기·거래·응답으로 오르내려요">
      {trust.score.toFixed(1)}℃
    </span>
  );
}

export function TrustFacts({ trust }: { trust: Trust }) {
  return (
    <span className="trust-facts muted">
      {trust.responseRate !== null && <span>응답률 {trust.responseRate}%</span>}
      {trust.typicalReply && <span>{trust.typicalReply}</span>}
      <span>거래 {trust.completedRentals}회</span>
    </span>
  );
}

export function Rating({ rating, count }: { rating: number | null; count: number }) {
  if (!count || rating === null) return <span className="muted rating-none">후기 없음</span>;
  return <span className="rating" data-testid="rating">★ {rating.toFixed(1)} <span className="muted">({count})</span></span>;
}

export function formatKm(km: number): string {
  return km < 10 ? `${km.toFixed(1)}km` : `${Math.round(km)}km`;
}

export function Place({ place, distanceKm }: { place: PlaceRef | null; distanceKm?: number | null }) {
  if (!place) return null;
  return (
    <span className="place" data-testid="place">
      {place.name}
      {place.verified && <span className="badge badge-verified" title="작성자가 이 동네를 인증했어요">인증</span>}
      {distanceKm != null && <span className="distance" data-testid="distance"> · {formatKm(distanceKm)}</span>}
    </span>
  );
}
