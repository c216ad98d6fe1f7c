// 상태 기록 and 보증금 청구 on a reservation: photos and the category checklist at hand-over and at the
// return inspection, the lender's itemised claim, the borrower's answer per item, and the refund that follows.
// What may be done now comes from the server (`can`), so the rules live in one place.
import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { STAGE_LABELS, useAnswerClaim, useClaim, useCondition, useRecordCondition, type ConditionView, type Stage } from '../../api/inspections.ts';
import type { ReservationDetail } from '../../api/reservations.ts';
import { won } from '../../lib/format.ts';

const DECISION_LABELS = { PENDING: '답변 대기', ACCEPTED: '차감', DISPUTED: '이의 제기 · 관리자 검토 중', REJECTED: '차감 안 함' } as const;

export function ConditionBlock({ r }: { r: ReservationDetail }) {
  const party = r.myRole === 'BORROWER' || r.myRole === 'LENDER';
  const { data } = useCondition(r.id, party);
  if (!party || !data) return null;
  const nothingYet = data.records.length === 0 && !data.claim && data.can.record.length === 0 && !data.can.claim;
  if (nothingYet) return null;
  return (
    <section className="reservation-section condition" aria-label="상태 기록" data-testid="condition-block">
      <h2>상태 기록</h2>
      {data.records.map((rec) => (
        <article key={rec.id} className="condition-record" data-testid="condition-record" data-stage={rec.stage}>
          <h3>{STAGE_LABELS[rec.stage]} · {rec.authorId === r.borrower.id ? r.borrower.nickname : r.lender.nickname}님 기록</h3>
          <ul className="condition-checklist">
            {rec.checklist.map((c) => (
              <li key={c.label} className={c.ok ? 'ok' : 'bad'}>
                <span aria-hidden="true">{c.ok ? '✓' : '!'}</span> {c.label}{c.ok ? '' : ' — 문제 있음'}{c.note ? ` (${c.note})` : ''}
              </li>
            ))}
          </ul>
          {rec.note && <p className="condition-note">{rec.note}</p>}
          <div className="condition-photos">
            {rec.photos.map((p, i) => (
              <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.url} width={p.width} height={p.height} alt={`${STAGE_LABELS[rec.stage]} 상태 사진 ${i + 1}`} loading="lazy" />
              </a>
            ))}
          </div>
        </article>
      ))}
      {data.can.record.map((stage) => <RecordForm key={stage} reservationId={r.id} stage={stage} checklist={data.checklist} />)}
      <ClaimPart r={r} view={data} />
    </section>
  );
}

function RecordForm({ reservationId, stage, checklist }: { reservationId: number; stage: Stage; checklist: string[] }) {
  const save = useRecordCondition(reservationId);
  const [answers, setAnswers] = useState(() => checklist.map(() => ({ ok: true, note: '' })));
  const [photos, setPhotos] = useState<File[]>([]);
  const [note, setNote] = useState('');
  const set = (i: number, patch: Partial<{ ok: boolean; note: string }>) => setAnswers((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <form className="condition-form" aria-label={`${STAGE_LABELS[stage]} 상태 기록`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ stage, photos, note: note.trim() || undefined, checklist: answers.map((a) => ({ ok: a.ok, ...(a.note.trim() ? { note: a.note.trim() } : {}) })) });
      }}>
      <h3>{STAGE_LABELS[stage]} 상태 기록 남기기</h3>
      <p className="muted">사진과 점검 결과는 두 사람만 볼 수 있고, 나중에 보증금 청구의 근거가 돼요.</p>
      <fieldset>
        <legend>점검 항목</legend>
        {checklist.map((label, i) => (
          <div key={label} className="condition-check">
            <label><input type="checkbox" checked={answers[i].ok} onChange={(e) => set(i, { ok: e.target.checked })} /> {label}</label>
            {!answers[i].ok && (
              <input type="text" aria-label={`${label} 문제 설명`} maxLength={200} placeholder="어떤 문제인지 적어 주세요" value={answers[i].note}
                onChange={(e) => set(i, { note: e.target.value })} />
            )}
          </div>
        ))}
      </fieldset>
      <label>상태 사진 (1–10장)
        <input type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => setPhotos([...(e.currentTarget.files ?? [])].slice(0, 10))} />
      </label>
      {photos.length > 0 && <p className="muted">{photos.length}장 선택됨</p>}
      <label>메모 (선택)<textarea maxLength={1000} rows={2} value={note} onChange={(e) => setNote(e.target.value)} /></label>
      {save.error && <p className="form-error" role="alert">{errorMessage(save.error)}</p>}
      <button type="submit" className="btn btn-primary btn-block" disabled={save.isPending || photos.length === 0}>
        {save.isPending ? '올리는 중…' : '상태 기록 남기기'}
      </button>
    </form>
  );
}

function ClaimPart({ r, view }: { r: ReservationDetail; view: ConditionView }) {
  const { claim, deposit } = view;
  return (
    <>
      {claim && (
        <div className="condition-claim" data-testid="condition-claim" data-status={claim.status}>
          <h3>보증금 차감 청구</h3>
          <ul>
            {claim.items.map((i) => (
              <li key={i.id}>{i.description} · {won(i.amount)} <span className="muted">({DECISION_LABELS[i.decision]})</span></li>
            ))}
          </ul>
          {view.can.answer && <AnswerForm reservationId={r.id} items={claim.items} />}
        </div>
      )}
      {view.can.claim && <ClaimForm reservationId={r.id} max={deposit.total} />}
      {(claim || deposit.deductions > 0) && (
        <p className="condition-refund" data-testid="condition-refund">
          보증금 {won(deposit.total)} − 차감 {won(deposit.deductions)} = 돌려받을 보증금 <strong>{won(deposit.refund)}</strong>
        </p>
      )}
    </>
  );
}

function ClaimForm({ reservationId, max }: { reservationId: number; max: number }) {
  const claim = useClaim(reservationId);
  const [rows, setRows] = useState([{ description: '', amount: '' }]);
  const items = rows.filter((x) => x.description.trim() && Number(x.amount) > 0).map((x) => ({ description: x.description.trim(), amount: Number(x.amount) }));
  const total = items.reduce((s, i) => s + i.amount, 0);
  return (
    <form className="condition-form" aria-label="보증금 차감 청구" onSubmit={(e) => { e.preventDefault(); claim.mutate(items); }}>
      <h3>보증금 차감 청구</h3>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are only ever appended, never removed or reordered, so the index is stable
        <div key={i} className="claim-row">
          <input type="text" aria-label={`청구 항목 ${i + 1}`} placeholder="예: 플라이 찢어짐 수선비" maxLength={200} value={row.description}
            onChange={(e) => setRows((rs) => rs.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))} />
          <input type="number" inputMode="numeric" min={1} aria-label={`청구 금액 ${i + 1}`} placeholder="금액(원)" value={row.amount}
            onChange={(e) => setRows((rs) => rs.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))} />
        </div>
      ))}
      {rows.length < 10 && <button type="button" className="btn btn-small btn-ghost" onClick={() => setRows((rs) => [...rs, { description: '', amount: '' }])}>항목 추가</button>}
      <p className="muted">합계 {won(total)} / 보증금 {won(max)}</p>
      {claim.error && <p className="form-error" role="alert">{errorMessage(claim.error)}</p>}
      <button type="submit" className="btn btn-primary btn-block" disabled={claim.isPending || items.length === 0 || total > max}>청구하기</button>
    </form>
  );
}

function AnswerForm({ reservationId, items }: { reservationId: number; items: { id: number; description: string }[] }) {
  const answer = useAnswerClaim(reservationId);
  const [accepts, setAccepts] = useState<Record<number, boolean>>(() => Object.fromEntries(items.map((i) => [i.id, true])));
  return (
    <form className="condition-form" aria-label="청구에 답하기"
      onSubmit={(e) => { e.preventDefault(); answer.mutate(items.map((i) => ({ itemId: i.id, accept: accepts[i.id] }))); }}>
      {items.map((i) => (
        <fieldset key={i.id} className="claim-answer">
          <legend>{i.description}</legend>
          <label><input type="radio" name={`answer-${i.id}`} checked={accepts[i.id]} onChange={() => setAccepts((a) => ({ ...a, [i.id]: true }))} /> 수락</label>
          <label><input type="radio" name={`answer-${i.id}`} checked={!accepts[i.id]} onChange={() => setAccepts((a) => ({ ...a, [i.id]: false }))} /> 이의 제기</label>
        </fieldset>
      ))}
      {answer.error && <p className="form-error" role="alert">{errorMessage(answer.error)}</p>}
      <button type="submit" className="btn btn-primary btn-block" disabled={answer.isPending}>답변 보내기</button>
    </form>
  );
}
