// The caller's next steps on a reservation: exactly the statuses in `allowedActions` (the server's
// table decides), each with the inputs it needs (reason, or carrier + tracking number), and the
// payment step for whoever confirms payment under the configured provider.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  requiredFields, useChangeStatus, useConfirmPayment, useMyPayoutAccount, useSavePayoutAccount, useTransferSent,
  type ReservationDetail, type Status,
} from '../../api/reservations.ts';
import { FormError } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { won } from '../../lib/format.ts';

interface ActionText {
  label: string;
  /** a quieter, destructive-looking button */
  danger?: boolean;
  confirm?: string;
  reasonPlaceholder?: string;
}

/** Button text for moving from → to (the same target can mean different things from different statuses). */
function actionText(from: Status, to: Status): ActionText {
  switch (to) {
    case 'PENDING_PAYMENT': return { label: '예약 승인' };
    case 'REJECTED': return { label: '거절', danger: true, reasonPlaceholder: '거절하는 이유를 알려 주세요 (예: 그 날은 사용 예정이에요)' };
    case 'CANCELLED': return { label: '예약 취소', danger: true, reasonPlaceholder: '취소하는 이유를 알려 주세요' };
    case 'SHIPPING': return { label: '발송 정보 입력' };
    case 'INSPECTING_RENTAL': return { label: from === 'SHIPPING' ? '물건 도착 · 검수 시작' : '물건 전달 · 검수 시작' };
    case 'RENTING': return { label: '검수 완료 · 대여 시작' };
    case 'PENDING_RETURN':
      return from === 'INSPECTING_RENTAL'
        ? { label: '검수 실패 · 돌려보내기', danger: true, reasonPlaceholder: '어떤 문제가 있었는지 적어 주세요' }
        : { label: '반납하기' };
    case 'RETURNING': return { label: '반납 발송 정보 입력' };
    case 'INSPECTING_RETURN': return { label: '반납 물건 받음 · 검수 시작' };
    case 'RETURN_COMPLETED': return { label: '반납 검수 완료' };
    case 'PENDING_REFUND': return { label: '보증금 환급 진행' };
    case 'REFUND_COMPLETED': return { label: '보증금 환급 완료' };
    case 'LOST_OR_UNRETURNED': return { label: '분실 · 미반납 신고', danger: true };
    case 'CLAIMING': return { label: '손해 청구', danger: true, reasonPlaceholder: '청구 사유와 금액을 적어 주세요' };
    case 'CLAIM_COMPLETED': return { label: '청구 완료' };
    default: return { label: to };
  }
}

const CARRIERS = ['CJ대한통운', '우체국택배', '한진택배', '롯데택배', '로젠택배', '편의점택배(GS)', '편의점택배(CU)', '기타'];

export function StatusActions({ r }: { r: ReservationDetail }) {
  const [open, setOpen] = useState<Status | null>(null);
  const change = useChangeStatus(r.id);
  const simple = r.allowedActions.filter((to) => requiredFields(r.status, to).length === 0);
  const withInput = r.allowedActions.filter((to) => requiredFields(r.status, to).length > 0);
  // the primary step first, destructive ones last
  const ordered = [...simple, ...withInput].sort((a, b) => Number(!!actionText(r.status, a).danger) - Number(!!actionText(r.status, b).danger));

  return (
    <div className="status-actions" data-testid="status-actions">
      <div className="status-action-buttons">
        {ordered.map((to) => {
          const t = actionText(r.status, to);
          const needsInput = requiredFields(r.status, to).length > 0;
          return (
            <button key={to} type="button" disabled={change.isPending}
              className={`btn ${t.danger ? 'btn-danger-ghost' : 'btn-primary'}${open === to ? ' pressed' : ''}`}
              aria-expanded={needsInput ? open === to : undefined}
              onClick={() => {
                change.reset();
                if (needsInput) setOpen(open === to ? null : to);
                else change.mutate({ status: to });
              }}>{t.label}</button>
          );
        })}
      </div>
      {open && r.allowedActions.includes(open) && (
        <TransitionForm key={open} from={r.status} to={open} pending={change.isPending} note={open === 'CANCELLED' ? cancelNote(r) : null}
          onCancel={() => setOpen(null)}
          onSubmit={(fields) => change.mutate({ status: open, ...fields }, { onSuccess: () => setOpen(null) })} />
      )}
      <FormError error={change.error} />
    </div>
  );
}

/** What cancelling now means for the money, under the reservation's cancellation policy (the server's figure). */
function cancelNote(r: ReservationDetail): string {
  const back = r.cancellation.refundIfCancelledNow;
  if (back === null) return '아직 결제 전이라 취소해도 비용이 없어요.';
  return `지금 취소하면 ${won(back)}을 돌려${r.myRole === 'BORROWER' ? '받아요' : '드려요'} (취소 정책: ${r.cancellation.label}${r.myRole === 'LENDER' ? ', 빌려주는 분이 취소하면 전액 환불' : ''}).`;
}

function TransitionForm({ from, to, pending, note, onSubmit, onCancel }: {
  from: Status; to: Status; pending: boolean; note: string | null;
  onSubmit: (f: { reason?: string; carrier?: string; trackingNumber?: string }) => void;
  onCancel: () => void;
}) {
  const fields = requiredFields(from, to);
  const t = actionText(from, to);
  const [reason, setReason] = useState('');
  const [carrier, setCarrier] = useState(CARRIERS[0]);
  const [tracking, setTracking] = useState('');
  const trackingOk = /^[0-9A-Za-z-]+$/.test(tracking.trim());
  const ready = fields.every((f) => (f === 'reason' ? reason.trim() : carrier && trackingOk));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    onSubmit(fields.includes('reason') ? { reason: reason.trim() } : { carrier, trackingNumber: tracking.trim() });
  };
  return (
    <form className="transition-form form" onSubmit={submit} aria-label={t.label}>
      {note && <p className="field-hint" data-testid="transition-note">{note}</p>}
      {fields.includes('reason') && (
        <label className="field">
          <span className="field-label">사유</span>
          {/* biome-ignore lint/a11y/noAutofocus: the field appears only after the user pressed a button to open it, so focusing it is what the user asked for */}
          <textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t.reasonPlaceholder} autoFocus />
        </label>
      )}
      {fields.includes('shipment') && (
        <div className="field-row">
          <label className="field">
            <span className="field-label">택배사</span>
            <select className="select" value={carrier} onChange={(e) => setCarrier(e.target.value)}>
              {CARRIERS.map((c) => <option key={c}>{c}</option>)}
            </select>
          </label>
          <label className="field">
            <span className="field-label">운송장 번호</span>
            <input value={tracking} inputMode="numeric" maxLength={40} onChange={(e) => setTracking(e.target.value)}
              // biome-ignore lint/a11y/noAutofocus: the field appears only after the user pressed a button to open it, so focusing it is what the user asked for
              onKeyDown={blockEnterWhileComposing} placeholder="숫자와 - 만" autoFocus />
          </label>
        </div>
      )}
      {fields.includes('shipment') && tracking && !trackingOk && <p className="field-hint bad">운송장 번호는 숫자, 영문, - 만 쓸 수 있어요</p>}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>닫기</button>
        <button type="submit" className={`btn ${t.danger ? 'btn-danger' : 'btn-primary'}`} disabled={!ready || pending}>{t.label} 확정</button>
      </div>
    </form>
  );
}

/** PENDING_PAYMENT: the party who confirms payment gets the button; the other one is told what happens. */
export function PaymentStep({ r }: { r: ReservationDetail }) {
  const confirm = useConfirmPayment(r.id);
  const transferSent = useTransferSent(r.id);
  if (r.status !== 'PENDING_PAYMENT') return null;
  const direct = r.payment.provider === 'direct';
  const chat = r.chatRoomId ? <Link className="btn btn-block" to={`/chats/${r.chatRoomId}`}>채팅으로 이야기하기</Link> : null;
  if (r.payment.canConfirm && direct) {
    return (
      <div className="payment-step" data-testid="payment-step">
        {r.payment.transferSentAt
          ? <p><strong>{r.borrower.nickname}</strong>님이 <strong>{won(r.payment.amount)}</strong>을 송금했다고 알려 왔어요. 계좌에 들어왔는지 확인해 주세요.</p>
          : <p><strong>{r.borrower.nickname}</strong>님이 대여료와 보증금 <strong>{won(r.payment.amount)}</strong>을 보내면 입금을 확인해 주세요.</p>}
        <button type="button" className="btn btn-primary btn-block" disabled={confirm.isPending} onClick={() => confirm.mutate(undefined)}>
          입금 확인 (결제 완료)
        </button>
        <FormError error={confirm.error} />
        <PayoutAccountEditor />
        {chat}
      </div>
    );
  }
  if (r.payment.canConfirm) {
    return (
      <div className="payment-step" data-testid="payment-step">
        <p>결제할 금액 <strong>{won(r.payment.amount)}</strong> (주문번호 {r.payment.orderId})</p>
        <p className="muted">카드 결제창은 토스페이먼츠 연동이 설정된 서버에서 열려요. 결제가 승인되면 서버가 결제 완료로 바꿔요.</p>
      </div>
    );
  }
  if (direct && r.myRole === 'BORROWER') {
    const account = r.payment.payoutAccount;
    return (
      <div className="payment-step" data-testid="payment-step">
        <p>승인되었어요! {r.lender.nickname}님께 <strong>{won(r.payment.amount)}</strong>을 보내 주세요. 빌려주는 분이 입금을 확인하면 수령 대기로 바뀌어요.</p>
        {account ? (
          <dl className="payout-account" data-testid="payout-account">
            <dt>은행</dt><dd>{account.bank}</dd>
            <dt>계좌번호</dt><dd>{account.accountNumber}</dd>
            <dt>예금주</dt><dd>{account.holder}</dd>
          </dl>
        ) : (
          <p className="muted">빌려주는 분이 아직 계좌를 등록하지 않았어요. 채팅으로 받을 방법을 물어보세요.</p>
        )}
        {r.payment.transferSentAt ? (
          <p className="field-hint" role="status">송금했다고 알렸어요. 빌려주는 분의 입금 확인을 기다리고 있어요.</p>
        ) : (
          <button type="button" className="btn btn-primary btn-block" disabled={!r.payment.canMarkTransferSent || transferSent.isPending}
            onClick={() => transferSent.mutate()}>
            송금했어요
          </button>
        )}
        <FormError error={transferSent.error} />
        {chat}
      </div>
    );
  }
  return (
    <div className="payment-step" data-testid="payment-step">
      {direct ? <p className="muted">{r.borrower.nickname}님의 입금을 기다리고 있어요.</p> : <p className="muted">빌리는 분의 결제를 기다리고 있어요.</p>}
      {chat}
    </div>
  );
}

/** The lender's payout account, editable where it is needed: on the payment step. */
function PayoutAccountEditor() {
  const current = useMyPayoutAccount();
  const save = useSavePayoutAccount();
  const [editing, setEditing] = useState(false);
  const [bank, setBank] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [holder, setHolder] = useState('');
  const account = current.data?.account;
  if (current.isLoading) return null;
  if (account && !editing) {
    return (
      <p className="muted" data-testid="my-payout-account">
        입금 계좌: {account.bank} {account.accountNumber} ({account.holder}){' '}
        <button type="button" className="btn btn-small" onClick={() => {
          setBank(account.bank); setAccountNumber(account.accountNumber); setHolder(account.holder); setEditing(true);
        }}>바꾸기</button>
      </p>
    );
  }
  const ready = bank.trim() && holder.trim() && /^[0-9][0-9-]{4,28}[0-9]$/.test(accountNumber.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    save.mutate({ bank: bank.trim(), accountNumber: accountNumber.trim(), holder: holder.trim() }, { onSuccess: () => setEditing(false) });
  };
  return (
    <form className="form payout-form" onSubmit={submit} aria-label="입금 계좌 등록">
      <p className="muted">입금 계좌를 등록하면 승인된 예약의 빌리는 분에게만 보여요.</p>
      <label className="field"><span className="field-label">은행</span>
        <input value={bank} maxLength={30} onChange={(e) => setBank(e.target.value)} placeholder="예: 국민은행" /></label>
      <label className="field"><span className="field-label">계좌번호</span>
        <input value={accountNumber} inputMode="numeric" maxLength={30} onChange={(e) => setAccountNumber(e.target.value)} placeholder="숫자와 - 만" /></label>
      <label className="field"><span className="field-label">예금주</span>
        <input value={holder} maxLength={30} onChange={(e) => setHolder(e.target.value)} /></label>
      <button type="submit" className="btn btn-block" disabled={!ready || save.isPending}>계좌 저장</button>
      <FormError error={save.error} />
    </form>
  );
}
