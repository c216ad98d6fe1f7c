// Listing photos: swipe (scroll-snap) on phones, arrows and thumbnails on larger screens.
import { useRef, useState } from 'react';
import type { PostImage } from '../api/posts.ts';
import { ChevronLeftIcon, ChevronRightIcon, ImageIcon } from './Icons.tsx';

export function ImageGallery({ images, title }: { images: PostImage[]; title: string }) {
  // primary first, then in the owner's order
  const ordered = [...images].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
  const track = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);

  const go = (i: number) => {
    const el = track.current;
    if (!el) return;
    const next = Math.max(0, Math.min(ordered.length - 1, i));
    el.scrollTo({ left: next * el.clientWidth, behavior: 'smooth' });
    setCurrent(next);
  };

  if (ordered.length === 0) {
    return <div className="gallery gallery-empty"><ImageIcon size={40} /></div>;
  }
  return (
    <div className="gallery">
      <div className="gallery-track" ref={track}
        onScroll={(e) => setCurrent(Math.round(e.currentTarget.scrollLeft / Math.max(1, e.currentTarget.clientWidth)))}>
        {ordered.map((img, i) => (
          <div className="gallery-slide" key={img.id}>
            <img src={img.detailUrl} alt={`${title} 사진 ${i + 1}`} loading={i === 0 ? 'eager' : 'lazy'} data-testid="gallery-image" />
          </div>
        ))}
      </div>
      {ordered.length > 1 && (
        <>
          <button type="button" className="gallery-arrow left" aria-label="이전 사진" disabled={current === 0} onClick={() => go(current - 1)}>
            <ChevronLeftIcon />
          </button>
          <button type="button" className="gallery-arrow right" aria-label="다음 사진" disabled={current === ordered.length - 1} onClick={() => go(current + 1)}>
            <ChevronRightIcon />
          </button>
          <div className="gallery-dots" aria-hidden="true">
            {ordered.map((img, i) => <span key={img.id} className={i === current ? 'on' : ''} />)}
          </div>
          <span className="gallery-count">{current + 1} / {ordered.length}</span>
        </>
      )}
    </div>
  );
}
