-- Reservations (the rental lifecycle, SPEC §5), their status log and payments.
-- Rental dates are Asia/Seoul calendar dates, both ends inclusive.

CREATE TABLE reservations (
  id                     bigserial PRIMARY KEY,
  post_id                bigint NOT NULL REFERENCES posts(id),
  borrower_id            bigint NOT NULL REFERENCES members(id),
  lender_id              bigint NOT NULL REFERENCES members(id),  -- the listing's owner at request time
  status                 text NOT NULL DEFAULT 'PENDING_APPROVAL' CHECK (status IN (
                           'PENDING_APPROVAL', 'PENDING_PAYMENT', 'PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL',
                           'RENTING', 'PENDING_RETURN', 'RETURNING', 'INSPECTING_RETURN', 'RETURN_COMPLETED',
                           'PENDING_REFUND', 'REFUND_COMPLETED', 'LOST_OR_UNRETURNED', 'CLAIMING', 'CLAIM_COMPLETED',
                           'REJECTED', 'CANCELLED', 'EXPIRED')),
  start_date             date NOT NULL,
  end_date               date NOT NULL,
  receive_method         text NOT NULL CHECK (receive_method IN ('DIRECT', 'DELIVERY')),
  return_method          text NOT NULL CHECK (return_method IN ('DIRECT', 'DELIVERY')),
  address                text,                                    -- delivery address (DELIVERY receive only)
  -- price breakdown, fixed at request/edit time (원)
  days                   integer NOT NULL CHECK (days >= 1),
  daily_fee              bigint NOT NULL,                         -- listing fee per day
  options_daily_fee      bigint NOT NULL,                         -- Σ option fees per day
  rental_fee             bigint NOT NULL,                         -- (daily_fee + options_daily_fee) × days
  deposit                bigint NOT NULL,                         -- listing deposit
  options_deposit        bigint NOT NULL,                         -- Σ option deposits
  total_amount           bigint NOT NULL,                         -- rental_fee + deposit + options_deposit
  receive_carrier        text,
  receive_tracking_no    text,
  return_carrier         text,
  return_tracking_no     text,
  status_changed_at      timestamptz NOT NULL DEFAULT now(),
  return_reminded_at     timestamptz,                             -- the day-before reminder was sent
  overdue_notified_at    timestamptz,                             -- the overdue notice was sent
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (start_date <= end_date),
  CHECK ((receive_method = 'DELIVERY') = (address IS NOT NULL)),
  -- No double booking, ever: these statuses hold the dates (reservations/status.ts HOLDING_STATUSES,
  -- a test compares both). A request (PENDING_APPROVAL) holds nothing; approval makes it hold.
  CONSTRAINT reservations_no_double_booking EXCLUDE USING gist (
    post_id WITH =, daterange(start_date, end_date, '[]') WITH &&
  ) WHERE (status IN ('PENDING_PAYMENT', 'PENDING_PICKUP', 'SHIPPING', 'INSPECTING_RENTAL', 'RENTING',
                      'PENDING_RETURN', 'RETURNING', 'INSPECTING_RETURN'))
);
CREATE INDEX reservations_borrower ON reservations (borrower_id, id DESC);
CREATE INDEX reservations_lender ON reservations (lender_id, post_id, id DESC);
CREATE INDEX reservations_post_dates ON reservations (post_id, start_date, end_date);
CREATE INDEX reservations_status ON reservations (status, status_changed_at);

-- Options chosen, copied at request time so later edits of the listing do not change the price.
CREATE TABLE reservation_options (
  reservation_id bigint NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
  option_id      bigint NOT NULL REFERENCES post_options(id),
  name           text NOT NULL,
  fee            bigint NOT NULL,
  deposit        bigint NOT NULL,
  PRIMARY KEY (reservation_id, option_id)
);

CREATE TABLE reservation_status_log (
  id              bigserial PRIMARY KEY,
  reservation_id  bigint NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
  from_status     text,                                          -- null for the request itself
  to_status       text NOT NULL,
  actor_role      text NOT NULL CHECK (actor_role IN ('BORROWER', 'LENDER', 'SYSTEM')),
  actor_id        bigint REFERENCES members(id),                 -- null for SYSTEM
  reason          text,
  carrier         text,
  tracking_number text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservation_status_log_reservation ON reservation_status_log (reservation_id, id);

-- A confirmed payment (one per reservation). Only the server writes here, after the provider says DONE.
CREATE TABLE payments (
  id              bigserial PRIMARY KEY,
  reservation_id  bigint NOT NULL UNIQUE REFERENCES reservations(id),
  provider        text NOT NULL CHECK (provider IN ('direct', 'toss')),
  order_id        text NOT NULL UNIQUE,
  payment_key     text UNIQUE,                                   -- Toss paymentKey; null for direct
  amount          bigint NOT NULL,
  method          text,
  confirmed_by    bigint REFERENCES members(id),
  approved_at     timestamptz NOT NULL,
  raw             jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);
