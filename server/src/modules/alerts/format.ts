// Dates in alert texts, e.g. "12월 5일" or "12월 5일–12월 6일".
const day = (d: string) => `${Number(d.slice(5, 7))}월 ${Number(d.slice(8, 10))}일`;
export const shortRange = (start: string, end: string) => (start === end ? day(start) : `${day(start)}–${day(end)}`);
