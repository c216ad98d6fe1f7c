// Reviews of a listing or a member: the summary (averages, count, AI/extractive text) and the list,
// each review with the lender's reply (or a reply form for that lender) and a report button.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMe } from '../api/members.ts';
import {
  BORROWER_SCORE_FIELDS, SCORE_FIELDS, useBorrowerReviews, useReplyReview, useReviews, useReviewSummary,
  type BorrowerReview, type Review, type ReviewTarget,
} from '../api/reviews.ts';
import { pageItems } from '../api/paging.ts';
import { relativeTime } from '../lib/format.ts';
import { ReportButton } from './ReportDialog.tsx';
import { Stars } from './Stars.tsx';
import { Avatar, ErrorBox, FormError, LoadMore, Spinner } from './ui.tsx';

/** Summary + list, as one section (listing detail, member profile). */
export function ReviewsSection({ target, id, title = '후기' }: { target: ReviewTarget; id: number; title?: string }) {
  const summary = useReviewSummary(target, id);
  return (
    <section className="reviews-section" data-testid="reviews">
      <h2 className="reviews-title">
        {title} {summary.data && summary.data.count > 0 && <span className="muted">{summary.data.count}</span>}
      </h2>
      {summary.isPending ? <Spinner /> : summary.error ? <ErrorBox error={summary.error} /> : summary.data.count === 0 ? (
        <p className="muted">아직 후기가 없어요.</p>
      ) : (
        <>
          <div className="review-summary">
            <div className="review-overall">
              <strong>{summary.data.averages.overall?.toFixed(1)}</strong>
              <Stars value={summary.data.averages.overall} size={16} />
              <span className="muted">후기 {summary.data.count}개</span>
            </div>
            <dl className="review-averages">
              {SCORE_FIELDS.map((f) => (
                <div key={f.key}>
                  <dt>{f.label}</dt>
                  <dd><Stars value={summary.data.averages[f.avg]} /> {summary.data.averages[f.avg]?.toFixed(1) ?? '-'}</dd>
                </div>
              ))}
            </dl>
          </div>
          {summary.data.summary.source !== 'NONE' && (
            <p className="review-ai-summary">
              <span className="badge badge-soft">{summary.data.summary.source === 'AI' ? 'AI 요약' : '후기 요약'}</span>
              {summary.data.summary.text}
            </p>
          )}
          <ReviewList target={target} id={id} />
        </>
      )}
    </section>
  );
}

function ReviewList({ target, id }: { target: ReviewTarget; id: number }) {
  const query = useReviews(target, id);
  if (query.isPending) return <Spinner />;
  if (query.isError && !query.data) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const reviews = pageItems(query.data);
  return (
    <>
      <ul className="review-list">
        {reviews.map((r) => <li key={r.id}><ReviewItem review={r} showPost={target === 'members'} /></li>)}
      </ul>
      <LoadMore query={query} />
    </>
  );
}

/** The frame both kinds of review share: author, stars, age, the listing, the score line and the comment. */
function ReviewCard({ review, scoreLine, showPost, testId, headExtra, flag, children }: {
  review: Pick<Review, 'author' | 'overallScore' | 'createdAt' | 'post' | 'comment'>;
  scoreLine: string;
  showPost: boolean;
  testId: string;
  headExtra?: ReactNode;
  flag?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <article className="review-item" data-testid={testId}>
      <header className="review-head">
        <Avatar url={review.author.avatarUrl} name={review.author.nickname} size={36} />
        <div className="review-head-text">
          <Link to={`/members/${review.author.id}`}><strong>{review.author.nickname}</strong></Link>
          <span className="muted"><Stars value={review.overallScore} size={12} /> {review.overallScore.toFixed(1)} · {relativeTime(review.createdAt)}</span>
        </div>
        {headExtra}
      </header>
      {flag}
      {showPost && <Link className="review-post" to={`/posts/${review.post.id}`}>{review.post.title}</Link>}
      <p className="review-scores muted">{scoreLine}</p>
      <p className="review-comment">{review.comment}</p>
      {children}
    </article>
  );
}

export function ReviewItem({ review, showPost = false }: { review: Review; showPost?: boolean }) {
  const { data: me } = useMe();
  const canReply = !!me && me.id === review.lenderId && !review.reply;
  return (
    <ReviewCard
      review={review} showPost={showPost} testId="review-item"
      scoreLine={SCORE_FIELDS.map((f) => `${f.label} ${review[f.key]}`).join(' · ')}
      headExtra={me && me.id !== review.author.id && <ReportButton targetType="REVIEW" targetId={review.id} className="btn btn-small btn-ghost review-report" />}
      flag={review.banned && <p className="badge badge-danger">숨김 처리된 후기</p>}
    >
      {review.reply && (
        <div className="review-reply">
          <strong>빌려준 분의 답글</strong>
          <p>{review.reply.content}</p>
        </div>
      )}
      {canReply && <ReplyForm reviewId={review.id} />}
    </ReviewCard>
  );
}

/** The lender answers a review once. */
export function ReplyForm({ reviewId }: { reviewId: number }) {
  const [open, setOpen] = useState(false);
  const [content, setContent] = useState('');
  const reply = useReplyReview();
  if (!open) return <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>답글 달기</button>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!content.trim()) return;
    reply.mutate({ reviewId, content: content.trim() });
  };
  return (
    <form className="reply-form" onSubmit={submit}>
      <label className="field">
        <span className="field-label">답글 (한 번만 쓸 수 있어요)</span>
        <textarea rows={2} maxLength={1000} value={content} onChange={(e) => setContent(e.target.value)} placeholder="후기에 고마움을 전해 보세요" />
      </label>
      <FormError error={reply.error} />
      <div className="dialog-actions">
        <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>취소</button>
        <button type="submit" className="btn btn-small btn-primary" disabled={reply.isPending || !content.trim()}>답글 등록</button>
      </div>
    </form>
  );
}

/** The lender's review of a borrower (물건 관리 · 시간 약속 · 소통). */
export function BorrowerReviewItem({ review, showPost = false }: { review: BorrowerReview; showPost?: boolean }) {
  return (
    <ReviewCard
      review={review} showPost={showPost} testId="borrower-review-item"
      scoreLine={BORROWER_SCORE_FIELDS.map((f) => `${f.label} ${review[f.key]}`).join(' · ')}
    />
  );
}

/** Reviews a member received from lenders, as borrower (member profile). */
export function BorrowerReviewsSection({ memberId, title }: { memberId: number; title: string }) {
  const query = useBorrowerReviews(memberId);
  const reviews = pageItems(query.data);
  return (
    <section className="reviews-section" data-testid="borrower-reviews">
      <h2 className="reviews-title">{title} {reviews.length > 0 && <span className="muted">{reviews.length}{query.hasNextPage ? '+' : ''}</span>}</h2>
      {query.isPending ? <Spinner /> : query.isError && !query.data ? <ErrorBox error={query.error} onRetry={() => query.refetch()} />
        : reviews.length === 0 ? <p className="muted">아직 후기가 없어요.</p> : (
          <>
            <ul className="review-list">
              {reviews.map((r) => <li key={r.id}><BorrowerReviewItem review={r} showPost /></li>)}
            </ul>
            <LoadMore query={query} />
          </>
        )}
    </section>
  );
}
