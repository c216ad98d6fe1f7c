// Calendar dates in Asia/Seoul ('YYYY-MM-DD'): rentals, blocked days, "today" — Seoul's, whatever the server's zone.

const seoulFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Seoul calendar date at instant `now`, e.g. 2026-03-01T15:30Z → '2026-03-02'. */
export function seoulDate(now: Date): string {
  return seoulFormat.format(now);
}

/** true for a real calendar date in 'YYYY-MM-DD' form (2027-02-29 is not). */
export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days of a rental, both ends inclusive: a one-day rental has start = end. */
export function rentalDays(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A calendar date as Korean text: '2026-12-05' → '12월 5일'. */
export const koreanDay = (date: string) => `${Number(date.slice(5, 7))}월 ${Number(date.slice(8, 10))}일`;
