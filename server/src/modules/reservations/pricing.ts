// The price of a rental: ONE place for the rule. Requests, edits and extensions charge it, the listing
// form checks weekly/monthly prices with it and the booking box shows its breakdown live — the web app
// imports this very file, so it must stay free of server-only imports.
import { won } from '../../lib/money.ts';

export const WEEK_DAYS = 7;
export const MONTH_DAYS = 30;

export interface PricedListing {
  /** per day */
  fee: number;
  deposit: number;
  /** per 7 days (optional) */
  weeklyFee?: number | null;
  /** per 30 days (optional) */
  monthlyFee?: number | null;
}

export interface PricedOption {
  fee: number;
  deposit: number;
}

/** A rental's price with its breakdown (the reservation's price columns). */
export interface PriceColumns {
  days: number;
  dailyFee: number;
  weeklyFee: number | null;
  monthlyFee: number | null;
  /** 30-day units charged at the monthly price */
  months: number;
  /** 7-day units charged at the weekly price */
  weeks: number;
  /** days charged at the daily price (what months and weeks leave) */
  extraDays: number;
  /** the item's own fee: months × monthly + weeks × weekly + extraDays × daily */
  itemFee: number;
  optionsDailyFee: number;
  /** itemFee + options' daily fees × days */
  rentalFee: number;
  deposit: number;
  optionsDeposit: number;
  total: number;
}

/** Days a choice of months and weeks leaves to the daily price (none when they cover the rental). */
export const extraDaysOf = (days: number, months: number, weeks: number) => Math.max(0, days - months * MONTH_DAYS - weeks * WEEK_DAYS);

/**
 * The cheapest way to pay for `days` with months, weeks and days. A unit may cover more days than are
 * left (6 days cost at most one week): so a longer rental never costs less than a shorter one, and an
 * extension's difference is never negative. Ties go to fewer months, then fewer weeks.
 */
export function cheapestUnits(listing: PricedListing, days: number): { months: number; weeks: number; extraDays: number; itemFee: number } {
  const monthly = listing.monthlyFee ?? null;
  const weekly = listing.weeklyFee ?? null;
  let best = { months: 0, weeks: 0, extraDays: days, itemFee: listing.fee * days };
  for (let months = 0; months <= (monthly === null ? 0 : Math.ceil(days / MONTH_DAYS)); months++) {
    const left = Math.max(0, days - months * MONTH_DAYS);
    for (let weeks = 0; weeks <= (weekly === null ? 0 : Math.ceil(left / WEEK_DAYS)); weeks++) {
      const extraDays = extraDaysOf(days, months, weeks);
      const itemFee = months * (monthly ?? 0) + weeks * (weekly ?? 0) + extraDays * listing.fee;
      if (itemFee < best.itemFee) best = { months, weeks, extraDays, itemFee };
    }
  }
  return best;
}

/** The cheapest combination of the item's prices, plus options' daily fees × days, plus deposits. */
export function priceOf(listing: PricedListing, options: PricedOption[], days: number): PriceColumns {
  const units = cheapestUnits(listing, days);
  const optionsDailyFee = options.reduce((s, o) => s + o.fee, 0);
  const optionsDeposit = options.reduce((s, o) => s + o.deposit, 0);
  const rentalFee = units.itemFee + optionsDailyFee * days;
  return {
    days, dailyFee: listing.fee, weeklyFee: listing.weeklyFee ?? null, monthlyFee: listing.monthlyFee ?? null, ...units,
    optionsDailyFee, rentalFee, deposit: listing.deposit, optionsDeposit,
    total: rentalFee + listing.deposit + optionsDeposit,
  };
}


/**
 * What is wrong with a listing's weekly/monthly prices, or null: a week must cost more than a day and
 * less than 7 days; a month more than a week (or a day) and less than 30 days (the same rule as the
 * posts table's checks).
 */
export function longTermFeeProblem(l: PricedListing): { code: string; detail: string } | null {
  const { fee } = l;
  const weekly = l.weeklyFee ?? null;
  const monthly = l.monthlyFee ?? null;
  if (weekly !== null) {
    if (weekly >= fee * WEEK_DAYS) {
      return { code: 'WEEKLY_FEE_TOO_HIGH', detail: `주 요금은 하루 요금의 7배(${won(fee * WEEK_DAYS)})보다 낮아야 해요` };
    }
    if (weekly <= fee) return { code: 'WEEKLY_FEE_TOO_LOW', detail: `주 요금은 하루 요금(${won(fee)})보다 높아야 해요` };
  }
  if (monthly !== null) {
    if (monthly >= fee * MONTH_DAYS) {
      return { code: 'MONTHLY_FEE_TOO_HIGH', detail: `월 요금은 하루 요금의 30배(${won(fee * MONTH_DAYS)})보다 낮아야 해요` };
    }
    const floor = weekly ?? fee;
    if (monthly <= floor) {
      return { code: 'MONTHLY_FEE_TOO_LOW', detail: `월 요금은 ${weekly !== null ? '주' : '하루'} 요금(${won(floor)})보다 높아야 해요` };
    }
  }
  return null;
}

/** The item-fee lines of a breakdown in Korean, e.g. ["1주 요금 × 1", "하루 요금 × 2일"]. */
export function priceLines(p: Pick<PriceColumns, 'months' | 'weeks' | 'extraDays' | 'dailyFee' | 'weeklyFee' | 'monthlyFee'>) {
  const lines: { label: string; amount: number }[] = [];
  if (p.months) lines.push({ label: `한 달 요금 ${won(p.monthlyFee ?? 0)} × ${p.months}`, amount: p.months * (p.monthlyFee ?? 0) });
  if (p.weeks) lines.push({ label: `1주 요금 ${won(p.weeklyFee ?? 0)} × ${p.weeks}`, amount: p.weeks * (p.weeklyFee ?? 0) });
  if (p.extraDays || !lines.length) lines.push({ label: `하루 요금 ${won(p.dailyFee)} × ${p.extraDays}일`, amount: p.extraDays * p.dailyFee });
  return lines;
}

/** The units in a few words, e.g. "1주 요금 + 2일", "한 달 요금", "3일". */
export function unitsSummary(p: Pick<PriceColumns, 'months' | 'weeks' | 'extraDays'>) {
  const parts: string[] = [];
  if (p.months) parts.push(`${p.months === 1 ? '한 달' : `${p.months}달`} 요금`);
  if (p.weeks) parts.push(`${p.weeks}주 요금`);
  if (p.extraDays || !parts.length) parts.push(`${p.extraDays}일`);
  return parts.join(' + ');
}
