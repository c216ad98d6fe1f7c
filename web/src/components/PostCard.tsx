// A listing in a list: photo, title, place, time and price, like a second-hand market row/card.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { PostListItem } from '../api/posts.ts';
import { relativeTime, won } from '../lib/format.ts';
import { HeartIcon, ImageIcon } from './Icons.tsx';
import { Place, Rating } from './Trust.tsx';

/** `note`: an extra line under the price (search shows why the listing matched). */
export function PostCard({ post, note }: { post: PostListItem; note?: ReactNode }) {
  // "서울특별시 마포구" → "마포구": cards are narrow; the detail page shows the full names
  const first = post.regions[0]?.split(' ').pop() ?? '';
  const place = post.regions.length > 1 ? `${first} 외 ${post.regions.length - 1}곳` : first;
  return (
    <Link to={`/posts/${post.id}`} className="post-card" data-testid="post-card">
      <div className="post-card-thumb">
        {post.thumbnailUrl ? (
          <img src={post.thumbnailUrl} alt="" loading="lazy" decoding="async" />
        ) : (
          <span className="thumb-placeholder"><ImageIcon size={28} /></span>
        )}
        {post.banned && <span className="badge badge-danger post-card-badge">정지됨</span>}
        {!post.banned && post.paused && <span className="badge badge-soft post-card-badge" data-testid="paused-badge">숨김</span>}
      </div>
      <div className="post-card-body">
        <h3 className="post-card-title">{post.title}</h3>
        <p className="post-card-meta">
          {post.neighbourhood ? <Place place={post.neighbourhood} distanceKm={post.distanceKm} /> : place && <span>{place}</span>}
          <span>{relativeTime(post.createdAt)}</span>
        </p>
        <p className="post-card-price">
          <strong>{won(post.fee)}</strong><span className="per-day"> / 일</span>
        </p>
        <p className="post-card-foot">
          <span className="muted">보증금 {won(post.deposit)}</span>
          <Rating rating={post.author.rating} count={post.author.reviewCount} />
          {post.favoriteCount > 0 && (
            <span className="post-card-fav"><HeartIcon size={14} /> {post.favoriteCount}</span>
          )}
        </p>
        {note}
      </div>
    </Link>
  );
}

export function PostGrid({ posts }: { posts: PostListItem[] }) {
  return (
    <div className="post-grid">
      {posts.map((p) => <PostCard key={p.id} post={p} />)}
    </div>
  );
}
