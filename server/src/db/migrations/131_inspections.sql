-- Condition records and itemised claims (issue 12 point 4). At hand-over (PICKUP) and at the return
-- inspection (RETURN) a party records photos (stored privately under inspections/…) and the listing
-- category's checklist. A claim lists deductions from the deposit item by item; the borrower accepts or
-- disputes each; disputed claims wait for an admin. Refund = deposit − accepted deductions.

CREATE TABLE condition_records (
  id             bigserial PRIMARY KEY,
  reservation_id bigint NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
  stage          text NOT NULL CHECK (stage IN ('PICKUP', 'RETURN')),
  author_id      bigint NOT NULL REFERENCES members(id),
  -- [{label, ok, note}] in the order of the category's checklist
  checklist      jsonb NOT NULL,
  note           text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reservation_id, stage)
);

CREATE TABLE condition_photos (
  id         bigserial PRIMARY KEY,
  record_id  bigint NOT NULL REFERENCES condition_records(id) ON DELETE CASCADE,
  path       text NOT NULL,
  width      int NOT NULL,
  height     int NOT NULL,
  sort_order int NOT NULL
);
CREATE INDEX condition_photos_record ON condition_photos (record_id, sort_order);

CREATE TABLE damage_claims (
  id             bigserial PRIMARY KEY,
  reservation_id bigint NOT NULL UNIQUE REFERENCES reservations(id) ON DELETE CASCADE,
  -- OPEN: waiting for the borrower; SETTLED: every item answered, none disputed, or decided by an admin;
  -- DISPUTED: the borrower disputed an item, waiting in the admin queue
  status         text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'SETTLED', 'DISPUTED')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  answered_at    timestamptz,
  decided_at     timestamptz,
  decided_by     bigint REFERENCES members(id) ON DELETE SET NULL
);
CREATE INDEX damage_claims_disputed ON damage_claims (id DESC) WHERE status = 'DISPUTED';

CREATE TABLE claim_items (
  id          bigserial PRIMARY KEY,
  claim_id    bigint NOT NULL REFERENCES damage_claims(id) ON DELETE CASCADE,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
  amount      bigint NOT NULL CHECK (amount > 0),
  -- ACCEPTED items are deducted; DISPUTED ones are not unless an admin upholds them (then ACCEPTED)
  decision    text NOT NULL DEFAULT 'PENDING' CHECK (decision IN ('PENDING', 'ACCEPTED', 'DISPUTED', 'REJECTED')),
  sort_order  int NOT NULL
);
CREATE INDEX claim_items_claim ON claim_items (claim_id, sort_order);
