// Booking on the listing page: pick dates on the availability calendar (unavailable days greyed,
// one-day rentals allowed), options, how to receive/return (address for delivery), a live price
// breakdown with the server's formula, then "예약 요청". The owner sees the listing's received requests.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/members.ts';
import { useUnavailableDates, type Method, type PostDetail } from '../api/posts.ts';
import {
  flattenReservations, quote, useCreateReservation, useReceivedReservations, type DealMethod, type PriceBreakdown, type Reservation,
} from '../api/reservations.ts';
import { addDays, koreanDate, methodLabel, seoulDate, won } from '../lib/format.ts';
import { Calendar } from './Calendar.tsx';
import { ReservationCard } from './ReservationCard.tsx';
import { EmptyState, ErrorBox, FormError, Spinner } from './ui.tsx';

export function BookingPanel({ post }: { post: PostDetail }) {
  if (post.isOwner) return <OwnerReservations postId={post.id} />;
  return <BookingForm post={post} />;
}

/** The only method when the listing allows one, else the borrower's choice (DIRECT first). */
const initialMethod = (m: Method): DealMethod => (m === 'DELIVERY' ? 'DELIVERY' : 'DIRECT');

function BookingForm({ post }: { post: PostDetail }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const unavailable = useUnavailableDates(post.id);
  const create = useCreateReservation();
  const blocked = useMemo(() => new Set(unavailable.data?.dates ?? []), [unavailable.data]);

  const [start, setStart] = useState<string | null>(null);
  const [end, setEnd] = useState<string | null>(null);
  const [pickingEnd, setPickingEnd] = useState(false);
  const [dateError, setDateError] = useState('');
  const [optionIds, setOptionIds] = useState<number[]>([]);
  const [receiveMethod, setReceiveMethod] = useState<DealMethod>(initialMethod(post.receiveMethod));
  const [returnMethod, setReturnMethod] = useState<DealMethod>(initialMethod(post.returnMethod));
  const [address, setAddress] = useState<string | null>(null);
  const [done, setDone] = useState<Reservation | null>(null);
  const addressValue = address ?? me?.address ?? '';

  /** first unavailable day within [from, to], if any */
  const firstBlocked = (from: string, to: string) => {
    for (let d = from; d <= to; d = addDays(d, 1)) if (blocked.has(d)) return d;
    return null;
  };

  const onDay = (day: string) => {
    setDateError('');
    if (blocked.has(day)) return setDateError(`${koreanDate(day)}은(는) 예약할 수 없는 날이에요`);
    if (pickingEnd && start && day >= start) {
      const hit = firstBlocked(start, day);
      if (hit) return setDateError(`기간 중 ${koreanDate(hit)}은(는) 예약할 수 없어요. 다른 기간을 골라 주세요`);
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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    if (!start || !end) return setDateError('대여 시작일과 종료일을 달력에서 골라 주세요');
    create.mutate(
      {
        postId: post.id, startDate: start, endDate: end, optionIds, receiveMethod, returnMethod,
        address: receiveMethod === 'DELIVERY' ? addressValue.trim() : undefined,
      },
      { onSuccess: setDone },
    );
  };

  if (done) {
    return (
      <section className="detail-section booking" id="booking">
        <div className="booking-done" role="status" data-testid="booking-done">
          <p className="booking-done-title">예약 요청을 보냈어요</p>
          <p className="muted">
            {koreanDate(done.startDate)}{done.startDate !== done.endDate && ` ~ ${koreanDate(done.endDate)}`} · 합계 {won(done.price.total)}
            <br />{done.lender.nickname}님이 승인하면 알려 드릴게요.
          </p>
          <div className="booking-done-actions">
            <Link className="btn btn-primary" to={`/reservations/${done.id}`}>예약 상세 보기</Link>
            <Link className="btn" to="/reservations">보낸 예약</Link>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className="detail-section booking" id="booking">
      <h2>예약하기</h2>
      {post.banned ? <p className="muted">이용이 제한된 게시글은 예약할 수 없어요.</p> : (
        <form className="form" onSubmit={submit}>
          <div className="field">
            <span className="field-label">대여 기간</span>
            <p className="booking-dates" aria-live="polite" data-testid="booking-dates">
              {start && end
                ? <>{koreanDate(start)}{start !== end && ` ~ ${koreanDate(end)}`} <b>({price?.days}일)</b></>
                : <span className="muted">시작일을 눌러 주세요</span>}
              {pickingEnd && <span className="field-hint muted"> · 종료일을 누르세요 (하루만 빌리면 그대로)</span>}
            </p>
            {unavailable.isPending ? <Spinner /> : unavailable.error ? <ErrorBox error={unavailable.error} /> : (
              <div className="booking-calendar">
                <Calendar marked={EMPTY} onDayClick={onDay} dayClass={dayClass} minDate={seoulDate()} />
                <p className="calendar-legend">
                  <span className="legend-swatch unavailable" /> 예약 불가
                  <span className="legend-swatch selected" /> 선택한 기간
                </p>
              </div>
            )}
            {dateError && <p className="form-error" role="alert">{dateError}</p>}
          </div>

          {post.options.length > 0 && (
            <fieldset className="field booking-options">
              <legend className="field-label">추가 옵션</legend>
              {post.options.map((o) => (
                <label key={o.id} className="check-row">
                  <input type="checkbox" checked={optionIds.includes(o.id)}
                    onChange={(e) => setOptionIds((ids) => (e.target.checked ? [...ids, o.id] : ids.filter((x) => x !== o.id)))} />
                  <span className="check-name">{o.name}</span>
                  <span className="muted">+{won(o.fee)}/일{o.deposit > 0 && ` · 보증금 +${won(o.deposit)}`}</span>
                </label>
              ))}
            </fieldset>
          )}

          <MethodChoice name="receive" label="받는 방법" allowed={post.receiveMethod} value={receiveMethod} onChange={setReceiveMethod} />
          {receiveMethod === 'DELIVERY' && (
            <label className="field">
              <span className="field-label">받을 주소</span>
              <input value={addressValue} maxLength={200} onChange={(e) => setAddress(e.target.value)} placeholder="택배로 받을 주소" required />
            </label>
          )}
          <MethodChoice name="return" label="돌려주는 방법" allowed={post.returnMethod} value={returnMethod} onChange={setReturnMethod} />

          {price && <PriceTable price={price} />}
          <FormError error={create.error} />
          <button type="submit" className="btn btn-primary btn-large btn-block" disabled={create.isPending}>
            {me ? '예약 요청' : '로그인하고 예약하기'}
          </button>
        </form>
      )}
    </section>
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

/** (fee + options) × days + deposits — shown the same way before booking and on a reservation. */
export function PriceTable({ price }: { price: PriceBreakdown }) {
  return (
    <dl className="price-table" data-testid="price-table">
      <dt>대여료 {won(price.dailyFee)} × {price.days}일</dt><dd>{won(price.dailyFee * price.days)}</dd>
      {price.optionsDailyFee > 0 && <><dt>옵션 {won(price.optionsDailyFee)} × {price.days}일</dt><dd>{won(price.optionsDailyFee * price.days)}</dd></>}
      <dt>보증금</dt><dd>{won(price.deposit)}</dd>
      {price.optionsDeposit > 0 && <><dt>옵션 보증금</dt><dd>{won(price.optionsDeposit)}</dd></>}
      <dt className="price-total">합계</dt><dd className="price-total" data-testid="price-total">{won(price.total)}</dd>
      <dd className="price-note">보증금 {won(price.deposit + price.optionsDeposit)}은 반납 확인 후 돌려받아요.</dd>
    </dl>
  );
}

/** For the owner: this listing's requests and rentals, newest first. */
function OwnerReservations({ postId }: { postId: number }) {
  const query = useReceivedReservations(postId);
  const items = flattenReservations(query.data);
  const waiting = query.data?.pages[0]?.counts.PENDING_APPROVAL ?? 0;
  return (
    <section className="detail-section" id="booking" data-testid="owner-reservations">
      <h2>받은 예약 {waiting > 0 && <span className="count-pill">승인 대기 {waiting}</span>}</h2>
      {query.isPending ? <Spinner /> : query.error ? <ErrorBox error={query.error} /> : items.length === 0 ? (
        <EmptyState title="아직 받은 예약이 없어요" />
      ) : (
        <>
          <div className="reservation-list">{items.slice(0, 5).map((r) => <ReservationCard key={r.id} r={r} />)}</div>
          <Link className="btn btn-block" to={`/reservations?tab=received&post=${postId}`}>이 물건의 예약 모두 보기</Link>
        </>
      )}
    </section>
  );
}
