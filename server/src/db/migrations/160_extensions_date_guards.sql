-- Rental extensions and date guards (issue 12 point 3).

-- When the borrower got the item (first move into INSPECTING_RENTAL or RENTING): the return steps may
-- not come before it (reservations/status.ts date guards). Existing rentals take it from their history.
ALTER TABLE reservations ADD COLUMN picked_up_at timestamptz;
UPDATE reservations r SET picked_up_at = l.at
FROM (SELECT reservation_id, min(created_at) AS at FROM reservation_status_log
      WHERE to_status IN ('INSPECTING_RENTAL', 'RENTING') GROUP BY reservation_id) l
WHERE l.reservation_id = r.id;

-- A borrower's request to move the end date of a running rental later. The lender decides; on approval
-- the reservation's end_date changes under the same exclusion constraint (reservations_no_double_booking).
CREATE TABLE reservation_extensions (
  id              bigserial PRIMARY KEY,
  reservation_id  bigint NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
  from_end_date   date NOT NULL,                                  -- the end date when asked
  to_end_date     date NOT NULL,
  extra_fee       bigint NOT NULL CHECK (extra_fee >= 0),         -- price(start..to) - price(start..from), pricing.ts
  reason          text,                                           -- the lender's reason for a rejection
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (to_end_date > from_end_date),
  CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
-- one pending request per reservation; the database is the final word when two arrive together
CREATE UNIQUE INDEX reservation_extensions_one_pending ON reservation_extensions (reservation_id) WHERE status = 'PENDING';
CREATE INDEX reservation_extensions_reservation ON reservation_extensions (reservation_id, id DESC);

-- the history records the extension steps (from = to, like TRANSFER_SENT)
ALTER TABLE reservation_status_log DROP CONSTRAINT reservation_status_log_event_check;
ALTER TABLE reservation_status_log ADD CONSTRAINT reservation_status_log_event_check CHECK (event IN (
  'TRANSFER_SENT', 'EXTENSION_REQUESTED', 'EXTENSION_APPROVED', 'EXTENSION_REJECTED', 'EXTENSION_WITHDRAWN'));
