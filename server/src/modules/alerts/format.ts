// Dates in alert texts, e.g. "12월 5일" or "12월 5일–12월 6일".
import { koreanDay } from '../../lib/dates.ts';

export const shortRange = (start: string, end: string) => (start === end ? koreanDay(start) : `${koreanDay(start)}–${koreanDay(end)}`);
