// The reviews of a settled reservation, both ways: each party writes theirs once (the borrower scores
// the listing and lender, the lender scores the borrower), blind — the other's review shows once both
// wrote one or 7 days passed (server: reviews/blind.ts). The lender replies to the borrower's review.
import { useState, type FormEvent } from 'react';
import type { ReservationDetail } from '../../api/reservations.ts';
import {
  BORROWER_SCORE_FIELDS, SCORE_FIELDS, useCreateBorrowerReview, useCreateReview, useReservationReviews,
} from '../../api/reviews.ts';
import { BorrowerReviewItem, ReviewItem } from '../../components/Reviews.tsx';
import { StarInput } from '../../components/Stars.tsx';
import { FormError, Spinner } from '../../components/ui.tsx';
import { koreanDayOf } from '../../lib/format.ts';

export function ReviewBlock({ r }: { r: ReservationDetail }) {
  const party = r.myRole === 'BORROWER' || r.myRole === 'LENDER';
  const reviews = useReservationReviews(r.id, r.reviewable && party);
  if (!r.reviewable || !party) return null;
  const iBorrowed = r.myRole === 'BORROWER';
  const other = iBorrowed ? r.lender.nickname : r.borrower.nickname;
  const data = reviews.data;
  const sealedOther = data && (iBorrowed ? data.sealed.fromLender : data.sealed.fromBorrower);
  const mine = data && (iBorrowed ? data.fromBorrower : data.fromLender);
  const theirs = data && (iBorrowed ? data.fromLender : data.fromBorrower);
  return (
    <section className="reservation-section" data-testid="review-block">
      <h2>후기</h2>
      {reviews.isPending ? <Spinner /> : !data ? <FormError error={reviews.error} /> : (
        <>
          {data.canWrite && (iBorrowed ? <LenderReviewForm reservationId={r.id} who={other} /> : <BorrowerReviewForm reservationId={r.id} who={other} />)}
          {mine && <h3 className="review-block-title">내가 쓴 후기</h3>}
          {data.fromBorrower && mine === data.fromBorrower && <ReviewItem review={data.fromBorrower} />}
          {data.fromLender && mine === data.fromLender && <BorrowerReviewItem review={data.fromLender} />}
          <h3 className="review-block-title">{other}님이 쓴 후기</h3>
          {theirs ? (iBorrowed ? data.fromLender && <BorrowerReviewItem review={data.fromLender} /> : data.fromBorrower && <ReviewItem review={data.fromBorrower} />)
            : sealedOther ? (
              <p className="muted" data-testid="review-sealed">
                {other}님이 후기를 남겼어요. {data.canWrite ? '내 후기를 쓰면 바로 볼 수 있어요' : '곧 공개돼요'}
                {data.releaseAt && ` (늦어도 ${koreanDayOf(data.releaseAt)}에 공개)`}.
              </p>
            ) : <p className="muted">아직 {other}님이 후기를 남기지 않았어요.</p>}
        </>
      )}
    </section>
  );
}

/** The borrower reviews the listing and its lender. */
function LenderReviewForm({ reservationId, who }: { reservationId: number; who: string }) {
  const create = useCreateReview(reservationId);
  return <ScoreForm fields={SCORE_FIELDS} who={who} pending={create.isPending} error={create.error}
    onSubmit={(scores, comment) => create.mutate({ ...scores, comment })} />;
}

/** The lender reviews the borrower. */
function BorrowerReviewForm({ reservationId, who }: { reservationId: number; who: string }) {
  const create = useCreateBorrowerReview(reservationId);
  return <ScoreForm fields={BORROWER_SCORE_FIELDS} who={who} pending={create.isPending} error={create.error}
    onSubmit={(scores, comment) => create.mutate({ ...scores, comment })} />;
}

/** Three 1–5 scores and a comment; written once, then sealed from the other side until released. */
function ScoreForm<K extends string>({ fields, who, pending, error, onSubmit }: {
  fields: readonly { readonly key: K; readonly label: string }[];
  who: string;
  pending: boolean;
  error: unknown;
  onSubmit: (scores: Record<K, number>, comment: string) => void;
}) {
  const [scores, setScores] = useState(() => Object.fromEntries(fields.map((f) => [f.key, 0])) as Record<K, number>);
  const [comment, setComment] = useState('');
  const ready = fields.every((f) => scores[f.key] >= 1) && comment.trim().length > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) onSubmit(scores, comment.trim());
  };
  return (
    <form className="form review-form" onSubmit={submit} aria-label="후기 작성">
      <p className="muted">{who}님과의 거래는 어떠셨나요? 후기는 한 번만 쓸 수 있고, {who}님도 후기를 쓰거나 7일이 지나면 서로 공개돼요.</p>
      {fields.map((f) => (
        <StarInput key={f.key} label={f.label} value={scores[f.key]} onChange={(n) => setScores((s) => ({ ...s, [f.key]: n }))} />
      ))}
      <label className="field">
        <span className="field-label">후기</span>
        <textarea rows={4} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)}
          placeholder="물건 상태, 약속 시간, 친절함 등 다음 이웃에게 도움이 되는 이야기를 들려주세요" />
      </label>
      <FormError error={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={!ready || pending}>후기 등록</button>
    </form>
  );
}
