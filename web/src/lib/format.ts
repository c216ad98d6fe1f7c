// Display formats: money in 원, calendar dates in Asia/Seoul, relative times in Korean.

import { addDays, rentalDays, seoulDate as serverSeoulDate } from '../../../server/src/lib/dates.ts';

export const TIME_ZONE = 'Asia/Seoul';

const wonFormat = new Intl.NumberFormat('ko-KR');
export const won = (n: number) => `${wonFormat.format(n)}원`;

/** 'YYYY-MM-DD' of an instant (now by default), as a calendar date in Seoul: the server's rule. */
export const seoulDate = (at: Date = new Date()): string => serverSeoulDate(at);

/** '2025년 3월 7일' */
export function koreanDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}년 ${m}월 ${d}일`;
}

/** '2025년 3월 7일', or '2025년 3월 7일 ~ 2025년 3월 9일' for a rental period. */
export const koreanDateRange = (start: string, end: string) => (start === end ? koreanDate(start) : `${koreanDate(start)} ~ ${koreanDate(end)}`);

/** The Seoul calendar day of an instant, as '2025년 3월 7일'. */
export const koreanDayOf = (iso: string) => koreanDate(seoulDate(new Date(iso)));

export function relativeTime(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return '방금 전';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}분 전`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}시간 전`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days}일 전`;
  if (days < 365) return `${Math.floor(days / 30)}달 전`;
  return `${Math.floor(days / 365)}년 전`;
}

export const METHOD_LABELS: Record<string, string> = {
  DIRECT: '직거래',
  DELIVERY: '택배',
  ANY: '직거래·택배 모두',
};
export const methodLabel = (m: string) => METHOD_LABELS[m] ?? m;

// Calendar arithmetic on 'YYYY-MM-DD' strings and a rental's day count (both ends inclusive): the server's.
export { addDays, rentalDays };

/** Compresses sorted dates into runs: ['3/1–3/3', '3/7']. */
export function dateRuns(days: string[]): { start: string; end: string }[] {
  const sorted = [...new Set(days)].sort();
  const runs: { start: string; end: string }[] = [];
  for (const day of sorted) {
    const last = runs[runs.length - 1];
    if (last && addDays(last.end, 1) === day) last.end = day;
    else runs.push({ start: day, end: day });
  }
  return runs;
}

export function shortDate(ymd: string): string {
  const [, m, d] = ymd.split('-').map(Number);
  return `${m}/${d}`;
}

/** '3/7', or '3/7~3/9' */
export const shortDateRange = (start: string, end: string) => (start === end ? shortDate(start) : `${shortDate(start)}~${shortDate(end)}`);
