// The body of a reservation request, shared by booking on the listing page and by the borrower's
// edit while the request waits for approval: dates on the availability calendar (unavailable days
// greyed, one-day rentals allowed), options, how to receive/return (address for delivery) and a live
// price breakdown with the server's formula. useRequestDraft holds the choices; RequestFields shows them.
import { josa } from 'es-hangul';
import { Fragment, useMemo, useState } from 'react';
import { priceLines, unitsSummary } from '../../../server/src/modules/reservations/pricing.ts';
import { useMe } from '../api/members.ts';
import { useUnavailableDates, type Method, type PostDetail } from '../api/posts.ts';
import { quote, type DealMethod, type PriceBreakdown, type ReservationRequest } from '../api/reservations.ts';
import { addDays, koreanDate, koreanDateRange, methodLabel, seoulDate, won } from '../lib/format.ts';
import { Calendar } from './Calendar.tsx';
import { ErrorBox, Spinner } from './ui.tsx';

/** The only method when the listing allows one, else the borrower's choice (DIRECT first). */
const initialMethod = (m: Method): DealMethod => (m === 'DELIVERY' ? 'DELIVERY' : 'DIRECT');

export type RequestDraft = ReturnType<typeof useRequestDraft>;

/** Choices of a request; `initial` is an existing request being edited. */
export function useRequestDraft(post: PostDetail, initial?: ReservationRequest) {
  const { data: me } = useMe();
  const unavailable = useUnavailableDates(post.id);
  const blocked = useMemo(() => new Set(unavailable.data?.dates ?? []), [unavailable.data]);

  const [start, setStart] = useState<string | null>(initial?.startDate ?? null);
  const [end, setEnd] = useState<string | null>(initial?.endDate ?? null);
  const [pickingEnd, setPickingEnd] = useState(false);
  const [dateError, setDateError] = useState('');
  const [optionIds, setOptionIds] = useState<number[]>(
    // options the owner removed since the request cannot be kept
    initial?.optionIds?.filter((id) => post.options.some((o) => o.id === id)) ?? [],
  );
  const [receiveMethod, setReceiveMethod] = useState<DealMethod>(initial?.receiveMethod ?? initialMethod(post.receiveMethod));
  const [returnMethod, setReturnMethod] = useState<DealMethod>(initial?.returnMethod ?? initialMethod(post.returnMethod));
  const [address, setAddress] = useState<string | null>(initial?.address ?? null);
  const addressValue = address ?? me?.address ?? '';

  /** first unavailable day within [from, to], if any */
  const firstBlocked = (from: string, to: string) => {
    for (let d = from; d <= to; d = addDays(d, 1)) if (blocked.has(d)) return d;
    return null;
  };

  const onDay = (day: string) => {
    setDateError('');
    if (blocked.has(day)) return setDateError(`${josa(koreanDate(day), '은/는')} 예약할 수 없는 날이에요`);
    if (pickingEnd && start && day >= start) {
      const hit = firstBlocked(start, day);
      if (hit) return setDateError(`기간 중 ${josa(koreanDate(hit), '은/는')} 예약할 수 없어요. 다른 기간을 골라 주세요`);
      setEnd(day);
      setPickingEnd(false);
      return;
    }
    setStart(day);
    setEnd(day); // a one-day rental until an end day is picked
    setPickingEnd(true);
  };

  const dayClass = (day: string) => {
    const cls: string[] = [];
    if (blocked.has(day)) cls.push('unavailable');
    if (start && end && day >= start && day <= end) cls.push('in-range');
    if (day === start) cls.push('range-start');
    if (day === end) cls.push('range-end');
    return cls.join(' ');
  };

  const chosenOptions = post.options.filter((o) => optionIds.includes(o.id));
  const price = start && end ? quote(post, chosenOptions, start, end) : null;

  /** The request body, or null (with the reason shown) while no dates are picked. */
  const toRequest = (): ReservationRequest | null => {
    if (!start || !end) {
      setDateError('대여 시작일과 종료일을 달력에서 골라 주세요');
      return null;
    }
    return {
      startDate: start, endDate: end, optionIds, receiveMethod, returnMethod,
      address: receiveMethod === 'DELIVERY' ? addressValue.trim() : undefined,
    };
  };

  return {
    post, unavailable, start, end, pickingEnd, dateError, onDay, dayClass, price,
    optionIds, setOptionIds, receiveMethod, setReceiveMethod, returnMethod, setReturnMethod, addressValue, setAddress,
    toRequest,
  };
}

export function RequestFields({ draft }: { draft: RequestDraft }) {
  const { post, start, end, price, unavailable } = draft;
  return (
    <>
      <div className="field">
        <span className="field-label">대여 기간</span>
        <p className="booking-dates" aria-live="polite" data-testid="booking-dates">
          {start && end
            ? <>{koreanDateRange(start, end)} <b>({price?.days}일)</b></>
            : <span className="muted">시작일을 눌러 주세요</span>}
          {draft.pickingEnd && <span className="field-hint muted"> · 종료일을 누르세요 (하루만 빌리면 그대로)</span>}
        </p>
        {unavailable.isPending ? <Spinner /> : unavailable.error ? <ErrorBox error={unavailable.error} /> : (
          <div className="booking-calendar">
            <Calendar marked={EMPTY} onDayClick={draft.onDay} dayClass={draft.dayClass} minDate={seoulDate()} initialMonth={start ?? undefined} />
            <p className="calendar-legend">
              <span className="legend-swatch unavailable" /> 예약 불가
              <span className="legend-swatch selected" /> 선택한 기간
            </p>
          </div>
        )}
        {draft.dateError && <p className="form-error" role="alert">{draft.dateError}</p>}
      </div>

      {post.options.length > 0 && (
        <fieldset className="field booking-options">
          <legend className="field-label">추가 옵션</legend>
          {post.options.map((o) => (
            <label key={o.id} className="check-row">
              <input type="checkbox" checked={draft.optionIds.includes(o.id)}
                onChange={(e) => draft.setOptionIds((ids) => (e.target.checked ? [...ids, o.id] : ids.filter((x) => x !== o.id)))} />
              <span className="check-name">{o.name}</span>
              <span className="muted">+{won(o.fee)}/일{o.deposit > 0 && ` · 보증금 +${won(o.deposit)}`}</span>
            </label>
          ))}
        </fieldset>
      )}

      <MethodChoice name="receive" label="받는 방법" allowed={post.receiveMethod} value={draft.receiveMethod} onChange={draft.setReceiveMethod} />
      {draft.receiveMethod === 'DELIVERY' && (
        <label className="field">
          <span className="field-label">받을 주소</span>
          <input value={draft.addressValue} maxLength={200} onChange={(e) => draft.setAddress(e.target.value)} placeholder="택배로 받을 주소" required />
        </label>
      )}
      <MethodChoice name="return" label="돌려주는 방법" allowed={post.returnMethod} value={draft.returnMethod} onChange={draft.setReturnMethod} />

      {price && <PriceTable price={price} />}
      <CancellationPolicyNote policy={post.cancellation} />
    </>
  );
}

const EMPTY = new Set<string>();

function MethodChoice({ name, label, allowed, value, onChange }: {
  name: string; label: string; allowed: Method; value: DealMethod; onChange: (m: DealMethod) => void;
}) {
  if (allowed !== 'ANY') {
    return (
      <div className="field">
        <span className="field-label">{label}</span>
        <p>{methodLabel(allowed)}</p>
      </div>
    );
  }
  return (
    <fieldset className="field">
      <legend className="field-label">{label}</legend>
      <div className="segmented two">
        {(['DIRECT', 'DELIVERY'] as const).map((m) => (
          <label key={m} className={value === m ? 'on' : ''}>
            <input type="radio" name={name} value={m} checked={value === m} onChange={() => onChange(m)} />
            {methodLabel(m)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The cheapest months/weeks/days of the item (pricing.ts), options × days and deposits — shown the same
 * way before booking and on a reservation.
 */
export function PriceTable({ price }: { price: PriceBreakdown }) {
  return (
    <dl className="price-table" data-testid="price-table">
      {(price.months > 0 || price.weeks > 0) && (
        <dd className="price-note" data-testid="price-units">{price.days}일 = {unitsSummary(price)} (가장 싼 조합)</dd>
      )}
      {priceLines(price).map((l) => <Fragment key={l.label}><dt>{l.label}</dt><dd>{won(l.amount)}</dd></Fragment>)}
      {price.optionsDailyFee > 0 && <><dt>옵션 {won(price.optionsDailyFee)} × {price.days}일</dt><dd>{won(price.optionsDailyFee * price.days)}</dd></>}
      <dt>보증금</dt><dd>{won(price.deposit)}</dd>
      {price.optionsDeposit > 0 && <><dt>옵션 보증금</dt><dd>{won(price.optionsDeposit)}</dd></>}
      <dt className="price-total">합계</dt><dd className="price-total" data-testid="price-total">{won(price.total)}</dd>
      <dd className="price-note">보증금 {won(price.deposit + price.optionsDeposit)}은 반납 확인 후 돌려받아요.</dd>
    </dl>
  );
}

/** The listing's (or reservation's) cancellation policy in plain words, shown before booking and on a reservation. */
export function CancellationPolicyNote({ policy }: { policy: { label: string; rules: string[] } }) {
  return (
    <div className="policy-note" data-testid="cancellation-policy">
      <p className="field-label">취소 정책: {policy.label}</p>
      <ul className="muted">{policy.rules.map((line) => <li key={line}>{line}</li>)}</ul>
    </div>
  );
}
