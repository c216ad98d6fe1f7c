-- E-mail (issue 12 point 8): verified addresses, single-use links, mail copies of notifications, and
-- the outbox the mail-send job delivers from (so no request ever waits for an SMTP server).

-- When the member proved the address (a verification or password-reset link); null = not yet.
ALTER TABLE members ADD COLUMN IF NOT EXISTS email_verified_at timestamptz;
-- Opt-in: a mail copy of important notifications (sent only to a verified address).
ALTER TABLE members ADD COLUMN IF NOT EXISTS mail_notifications boolean NOT NULL DEFAULT false;

-- Links sent by mail. Only the SHA-256 of the token is stored: a copy of the database cannot be used to
-- reset anyone's password. A token is used once (used_at) and only before expires_at.
CREATE TABLE IF NOT EXISTS email_tokens (
  id         bigserial PRIMARY KEY,
  member_id  bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS email_tokens_member ON email_tokens (member_id, purpose) WHERE used_at IS NULL;

-- Mails waiting for (or done with) delivery. The body of a sent mail is cleared: a reset link must not
-- outlive its delivery in the database.
CREATE TABLE IF NOT EXISTS mail_outbox (
  id              bigserial PRIMARY KEY,
  to_address      text NOT NULL,
  subject         text NOT NULL,
  body            text NOT NULL,
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- a SENDING row whose worker died is taken over after this
  lease_until     timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');
