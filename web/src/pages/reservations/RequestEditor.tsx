// The borrower changes a request while it waits for approval (SPEC §5): the same fields as booking,
// filled with the request, against the listing's current options and free dates. The server re-checks
// everything; its Korean refusal is shown as is.
import type { FormEvent } from 'react';
import { usePost, type PostDetail } from '../../api/posts.ts';
import { useEditReservation, type ReservationDetail } from '../../api/reservations.ts';
import { RequestFields, useRequestDraft } from '../../components/RequestFields.tsx';
import { ErrorBox, FormError, Spinner } from '../../components/ui.tsx';

/** Only the borrower, only while PENDING_APPROVAL (the server refuses anything else). */
export const canEditRequest = (r: ReservationDetail) => r.myRole === 'BORROWER' && r.status === 'PENDING_APPROVAL';

export function RequestEditor({ r, onClose }: { r: ReservationDetail; onClose: () => void }) {
  const post = usePost(r.post.id);
  if (post.isPending) return <Spinner />;
  if (post.error) return <ErrorBox error={post.error} onRetry={() => post.refetch()} />;
  return <EditForm r={r} post={post.data} onClose={onClose} />;
}

function EditForm({ r, post, onClose }: { r: ReservationDetail; post: PostDetail; onClose: () => void }) {
  const edit = useEditReservation(r.id);
  const draft = useRequestDraft(post, {
    startDate: r.startDate, endDate: r.endDate, optionIds: r.options.map((o) => o.id),
    receiveMethod: r.receiveMethod, returnMethod: r.returnMethod, address: r.address ?? undefined,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const request = draft.toRequest();
    // a refusal may be about days taken meanwhile: the calendar catches up
    if (request) edit.mutate(request, { onSuccess: onClose, onError: () => void draft.unavailable.refetch() });
  };
  return (
    <form className="form request-editor" onSubmit={submit} aria-label="예약 요청 수정">
      <RequestFields draft={draft} />
      <FormError error={edit.error} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>닫기</button>
        <button type="submit" className="btn btn-primary" disabled={edit.isPending}>수정 저장</button>
      </div>
    </form>
  );
}
