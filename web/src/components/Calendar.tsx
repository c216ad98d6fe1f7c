// A month calendar over 'YYYY-MM-DD' dates (Asia/Seoul). Read-only it shows unavailable days;
// with onToggle the owner blocks days. Booking (date ranges) will reuse it through dayClass/onDayClick.
import { useState } from 'react';
import { addDays, seoulDate } from '../lib/format.ts';
import { ChevronLeftIcon, ChevronRightIcon } from './Icons.tsx';

const WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];

function monthStart(ymd: string) {
  return `${ymd.slice(0, 7)}-01`;
}
function shiftMonth(first: string, months: number) {
  const d = new Date(`${first}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function Calendar({ marked, onDayClick, dayClass, minDate, initialMonth, months = 1, legend }: {
  /** days shown as unavailable/blocked */
  marked: Set<string>;
  onDayClick?: (day: string) => void;
  /** extra class per day (e.g. a selected range) */
  dayClass?: (day: string) => string;
  /** days before this are disabled (default: today in Seoul) */
  minDate?: string;
  /** a day in the month shown first (default: this month), e.g. the start of a request being edited */
  initialMonth?: string;
  months?: number;
  legend?: string;
}) {
  const today = seoulDate();
  const min = minDate ?? today;
  const [first, setFirst] = useState(monthStart(initialMonth && initialMonth > today ? initialMonth : today));
  const canGoBack = first > monthStart(today);
  return (
    <div className="calendar">
      <div className="calendar-nav">
        <button type="button" className="icon-btn" aria-label="이전 달" disabled={!canGoBack} onClick={() => setFirst(shiftMonth(first, -1))}>
          <ChevronLeftIcon size={20} />
        </button>
        <button type="button" className="icon-btn" aria-label="다음 달" onClick={() => setFirst(shiftMonth(first, 1))}>
          <ChevronRightIcon size={20} />
        </button>
      </div>
      <div className="calendar-months">
        {Array.from({ length: months }, (_, i) => shiftMonth(first, i)).map((m) => (
          <Month key={m} first={m} today={today} min={min} marked={marked} onDayClick={onDayClick} dayClass={dayClass} />
        ))}
      </div>
      {legend && <p className="calendar-legend"><span className="legend-swatch" /> {legend}</p>}
    </div>
  );
}

function Month({ first, today, min, marked, onDayClick, dayClass }: {
  first: string; today: string; min: string; marked: Set<string>;
  onDayClick?: (day: string) => void; dayClass?: (day: string) => string;
}) {
  const [y, m] = first.split('-').map(Number);
  const lead = new Date(`${first}T00:00:00Z`).getUTCDay();
  const days: string[] = [];
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1)) days.push(d);
  const title = `${y}년 ${m}월`;
  // A plain group of day buttons, not role="grid": a grid promises arrow-key navigation over rows and cells
  // that this calendar does not have (axe: aria-required-children). Weekday headers are visual only; each
  // day reads as "12월 3일" (the month and 일 are for screen readers, the number is what is seen).
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
    <div className="calendar-month" role="group" aria-label={title}>
      <div className="calendar-title" aria-hidden="true">{title}</div>
      <div className="calendar-grid">
        {WEEKDAYS.map((w, i) => <div key={w} className={`calendar-weekday${i === 0 ? ' sun' : ''}`} aria-hidden="true">{w}</div>)}
        {/* biome-ignore lint/suspicious/noArrayIndexKey: leading blank cells have no identity of their own; their position is the key */}
        {Array.from({ length: lead }, (_, i) => <div key={`lead${i}`} />)}
        {days.map((day) => {
          const past = day < min;
          const isMarked = marked.has(day);
          const cls = ['calendar-day', past && 'past', isMarked && 'marked', day === today && 'today', dayClass?.(day)]
            .filter(Boolean).join(' ');
          const label = (
            <>
              <span className="sr-only">{Number(day.slice(5, 7))}월 </span>{Number(day.slice(8))}
              <span className="sr-only">일{isMarked ? ' (불가)' : ''}</span>
            </>
          );
          return onDayClick ? (
            <button key={day} type="button" className={cls} disabled={past} aria-pressed={isMarked}
              data-day={day} onClick={() => onDayClick(day)}>{label}</button>
          ) : (
            <div key={day} className={cls} data-day={day}>{label}</div>
          );
        })}
      </div>
    </div>
  );
}
