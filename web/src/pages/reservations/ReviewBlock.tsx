// The review part of a reservation: the borrower's form once reviewable (three 1–5 scores + comment),
// the written review afterwards, and the lender's reply form under it.
import { useState, type FormEvent } from 'react';
import type { ReservationDetail } from '../../api/reservations.ts';
import { SCORE_FIELDS, useCreateReview, useReservationReview, type ReviewInput } from '../../api/reviews.ts';
import { ReviewItem } from '../../components/Reviews.tsx';
import { StarInput } from '../../components/Stars.tsx';
import { FormError, Spinner } from '../../components/ui.tsx';

export function ReviewBlock({ r }: { r: ReservationDetail }) {
  const party = r.myRole === 'BORROWER' || r.myRole === 'LENDER';
  const review = useReservationReview(r.post.id, r.id, r.reviewId, r.reviewable && party);
  if (!r.reviewable || !party) return null;
  return (
    <section className="reservation-section">
      <h2>후기</h2>
      {review.isPending ? <Spinner /> : review.data ? (
        <ReviewItem review={review.data} />
      ) : r.myRole === 'BORROWER' ? (
        <ReviewForm reservationId={r.id} postId={r.post.id} lender={r.lender.nickname} />
      ) : (
        <p className="muted">아직 {r.borrower.nickname}님이 후기를 남기지 않았어요.</p>
      )}
    </section>
  );
}

function ReviewForm({ reservationId, postId, lender }: { reservationId: number; postId: number; lender: string }) {
  const create = useCreateReview(reservationId, postId);
  const [scores, setScores] = useState({ equipmentScore: 0, kindnessScore: 0, responseScore: 0 });
  const [comment, setComment] = useState('');
  const ready = Object.values(scores).every((s) => s >= 1) && comment.trim().length > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const body: ReviewInput = { ...scores, comment: comment.trim() };
    create.mutate(body);
  };
  return (
    <form className="form review-form" onSubmit={submit} aria-label="후기 작성">
      <p className="muted">{lender}님과의 거래는 어떠셨나요? 후기는 한 번만 쓸 수 있어요.</p>
      {SCORE_FIELDS.map((f) => (
        <StarInput key={f.key} label={f.label} value={scores[f.key]} onChange={(n) => setScores((s) => ({ ...s, [f.key]: n }))} />
      ))}
      <label className="field">
        <span className="field-label">후기</span>
        <textarea rows={4} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)}
          placeholder="물건 상태, 약속 시간, 친절함 등 다음 이웃에게 도움이 되는 이야기를 들려주세요" />
      </label>
      <FormError error={create.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={!ready || create.isPending}>후기 등록</button>
    </form>
  );
}
