// "비슷한 물건" on a listing page: its nearest public listings (by meaning, or by title words where
// semantic search is unavailable) as a horizontal, swipeable row. Hidden when there are none.
import { Link } from 'react-router';
import { useSimilarPosts } from '../api/search.ts';
import { won } from '../lib/format.ts';
import { ImageIcon } from './Icons.tsx';

export function SimilarPosts({ postId }: { postId: number }) {
  const { data } = useSimilarPosts(postId);
  // a side section: while loading, on error or with no neighbours it simply is not there
  if (!data?.items.length) return null;
  return (
    <section className="detail-section similar" aria-labelledby="similar-title">
      <h2 id="similar-title">비슷한 물건</h2>
      <ul className="similar-row" data-testid="similar-posts">
        {data.items.map(({ listing }) => (
          <li key={listing.id}>
            <Link to={`/posts/${listing.id}`} className="similar-card">
              <div className="similar-thumb">
                {listing.thumbnailUrl ? <img src={listing.thumbnailUrl} alt="" loading="lazy" decoding="async" />
                  : <span className="thumb-placeholder"><ImageIcon size={22} /></span>}
              </div>
              <p className="similar-title">{listing.title}</p>
              <p className="similar-price"><strong>{won(listing.fee)}</strong><span className="per-day"> / 일</span></p>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
