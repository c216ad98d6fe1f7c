-- Direct payment that works (issue 12 point 1): the lender's payout account, shown only to the
-- borrower of an approved reservation, and the borrower's "송금했어요" mark.
CREATE TABLE payout_accounts (
  member_id      bigint PRIMARY KEY REFERENCES members(id),
  bank           text NOT NULL,
  account_number text NOT NULL,
  holder         text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE reservations ADD COLUMN transfer_sent_at timestamptz;

-- The history also records steps that are not status changes (e.g. TRANSFER_SENT); from = to for those.
ALTER TABLE reservation_status_log ADD COLUMN event text CHECK (event IN ('TRANSFER_SENT'));
