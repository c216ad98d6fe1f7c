// Search hits as listing cards, each with a small "왜 찾았나요" line in plain words from the server
// ("'텐트'가 들어 있어요", "찾는 용도와 비슷해요"); the scores behind them stay in the API.
import type { MatchInfo, SearchHit } from '../api/search.ts';
import { PostCard } from './PostCard.tsx';

export function WhyMatched({ match }: { match: MatchInfo }) {
  // a hit from the filters alone (no query) has nothing to explain
  if (!match.reasons.length) return null;
  return (
    <p className="why-matched" data-testid="why-matched">
      <span className="why-label">왜 찾았나요</span>
      {match.reasons.map((r) => <span key={r} className="why-part">{r}</span>)}
    </p>
  );
}

export function HitGrid({ hits }: { hits: SearchHit[] }) {
  return (
    <div className="post-grid">
      {hits.map((h) => <PostCard key={h.listing.id} post={h.listing} note={<WhyMatched match={h.match} />} />)}
    </div>
  );
}
