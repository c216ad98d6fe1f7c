-- Pricing and policy (issue 12 point 5): optional weekly (7 days) and monthly (30 days) prices, the
-- instant-booking switch and the cancellation policy of a listing. A reservation keeps what it was
-- booked under (the prices, the units charged and the policy), so a later edit of the listing changes
-- nothing for it. The rules themselves live in reservations/pricing.ts and reservations/cancellation.ts;
-- the checks below only keep impossible rows out.

ALTER TABLE posts ADD COLUMN weekly_fee integer;
ALTER TABLE posts ADD COLUMN monthly_fee integer;
ALTER TABLE posts ADD COLUMN instant_booking boolean NOT NULL DEFAULT false;
ALTER TABLE posts ADD COLUMN cancellation_policy text NOT NULL DEFAULT 'flexible'
  CHECK (cancellation_policy IN ('flexible', 'moderate', 'strict'));
-- a week costs more than a day and less than 7 days; a month more than a week (or a day) and less than 30 days
ALTER TABLE posts ADD CONSTRAINT posts_weekly_fee CHECK (weekly_fee IS NULL OR (weekly_fee > fee AND weekly_fee < 7 * fee));
ALTER TABLE posts ADD CONSTRAINT posts_monthly_fee
  CHECK (monthly_fee IS NULL OR (monthly_fee > coalesce(weekly_fee, fee) AND monthly_fee < 30 * fee));

ALTER TABLE reservations ADD COLUMN weekly_fee bigint;                 -- the listing's weekly price at request time
ALTER TABLE reservations ADD COLUMN monthly_fee bigint;                -- … and monthly price
ALTER TABLE reservations ADD COLUMN months integer NOT NULL DEFAULT 0 CHECK (months >= 0); -- 30-day units charged
ALTER TABLE reservations ADD COLUMN weeks integer NOT NULL DEFAULT 0 CHECK (weeks >= 0);   -- 7-day units charged
ALTER TABLE reservations ADD COLUMN cancellation_policy text NOT NULL DEFAULT 'flexible'
  CHECK (cancellation_policy IN ('flexible', 'moderate', 'strict'));
-- what a paid cancel gives back (decided once, in the cancel's transaction; null: not a paid cancel)
ALTER TABLE reservations ADD COLUMN cancel_refund bigint CHECK (cancel_refund >= 0);

-- the part of the payment a refund gives back at the provider (null: all of it)
ALTER TABLE payment_captures ADD COLUMN cancel_amount bigint CHECK (cancel_amount >= 0);
