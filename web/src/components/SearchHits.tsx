// Search hits as listing cards, each with a small "왜 찾았나요" line: the query words found in the
// listing and/or how close its meaning is (cosine similarity from the vector search).
import type { MatchInfo, SearchHit } from '../api/search.ts';
import { PostCard } from './PostCard.tsx';

export function WhyMatched({ match }: { match: MatchInfo }) {
  const terms = match.keyword?.terms ?? [];
  // a hit from the filters alone (no query) has nothing to explain
  if (!match.keyword && !match.semantic) return null;
  return (
    <p className="why-matched" data-testid="why-matched">
      <span className="why-label">왜 찾았나요</span>
      {terms.length > 0 && <span className="why-part">키워드 {terms.map((t) => <mark key={t}>{t}</mark>)}</span>}
      {match.keyword && terms.length === 0 && <span className="why-part">비슷한 철자</span>}
      {match.semantic && <span className="why-part">의미 유사도 {match.semantic.similarity.toFixed(2)}</span>}
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
