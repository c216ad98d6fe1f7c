// The price of a rental: ONE place for the rule (requests, edits and the UI's breakdown read it).
import type { PriceColumns } from './repository.ts';

export interface PricedListing {
  fee: number;
  deposit: number;
}

/** (listing fee + options' fees) × days + deposits. */
export function priceOf(listing: PricedListing, options: { fee: number; deposit: number }[], days: number): PriceColumns {
  const optionsDailyFee = options.reduce((s, o) => s + o.fee, 0);
  const optionsDeposit = options.reduce((s, o) => s + o.deposit, 0);
  const rentalFee = (listing.fee + optionsDailyFee) * days;
  return {
    days, dailyFee: listing.fee, optionsDailyFee, rentalFee, deposit: listing.deposit, optionsDeposit,
    total: rentalFee + listing.deposit + optionsDeposit,
  };
}
