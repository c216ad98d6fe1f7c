-- Hostile users and races (issue 9): case-insensitive nicknames, the reporter facts the auto-ban
-- weighs, the admin queue for doubtful report cases, and Toss captures kept apart from the status change.

-- 1. Nicknames are unique regardless of case (the availability check always compared lower()).
-- Existing case-only duplicates: the oldest account keeps its nickname, every later one gets
-- "_<id>" appended (shortened to stay within 20 characters), retried until no one has it.
DO $$
DECLARE
  d record;
  candidate text;
  attempt int;
BEGIN
  FOR d IN
    SELECT id, nickname FROM (
      SELECT id, nickname, row_number() OVER (PARTITION BY lower(nickname) ORDER BY id) AS n FROM members
    ) ranked WHERE n > 1 ORDER BY id
  LOOP
    attempt := 0;
    LOOP
      candidate := left(d.nickname, 20 - length('_' || d.id::text || repeat('_', attempt))) || '_' || d.id::text || repeat('_', attempt);
      EXIT WHEN NOT EXISTS (SELECT 1 FROM members WHERE lower(nickname) = lower(candidate));
      attempt := attempt + 1;
    END LOOP;
    UPDATE members SET nickname = candidate, updated_at = now() WHERE id = d.id;
  END LOOP;
END $$;
ALTER TABLE members DROP CONSTRAINT IF EXISTS members_nickname_key;
CREATE UNIQUE INDEX IF NOT EXISTS members_nickname_lower ON members (lower(nickname));

-- 2. Where an account was signed up from (client address as Fastify resolved it). The auto-ban
-- treats reporters from one address as one voice. NULL for accounts older than this column.
ALTER TABLE members ADD COLUMN IF NOT EXISTS signup_ip text;
CREATE INDEX IF NOT EXISTS members_signup_ip ON members (signup_ip) WHERE signup_ip IS NOT NULL;

-- 3. The admin queue: a target with enough reports whose reporters lack standing or are related
-- is not banned by the job but waits here for a person. One open case per target.
CREATE TABLE IF NOT EXISTS moderation_cases (
  id            bigserial PRIMARY KEY,
  target_type   text NOT NULL CHECK (target_type IN ('POST', 'MEMBER', 'REVIEW')),
  target_id     bigint NOT NULL,
  status        text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'BANNED', 'DISMISSED')),
  report_count  int NOT NULL,
  score         numeric(6, 2) NOT NULL,   -- the weighted count of independent reporters with standing
  note          text NOT NULL,            -- why the job did not decide (Korean, for the admin)
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  closed_by     bigint REFERENCES members(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS moderation_cases_open_target ON moderation_cases (target_type, target_id) WHERE status = 'OPEN';
CREATE INDEX IF NOT EXISTS moderation_cases_status ON moderation_cases (status, id DESC);

-- 4. What Toss confirmed, written in its own transaction before the reservation's status change is
-- attempted: money taken at Toss is never lost in a rollback. A capture whose reservation can no
-- longer be paid is cancelled through Toss's cancel API (retried by a job until it succeeds).
-- status: CAPTURED (confirmed at Toss, not yet applied), APPLIED (the reservation is paid with it),
-- CANCEL_PENDING (must be refunded; the job retries), CANCELLED (refunded at Toss).
CREATE TABLE IF NOT EXISTS payment_captures (
  id               bigserial PRIMARY KEY,
  reservation_id   bigint NOT NULL REFERENCES reservations(id),
  provider         text NOT NULL CHECK (provider IN ('toss')),
  payment_key      text NOT NULL UNIQUE,
  order_id         text NOT NULL,
  amount           bigint NOT NULL,
  method           text,
  approved_at      timestamptz NOT NULL,
  raw              jsonb,
  confirmed_by     bigint REFERENCES members(id),
  status           text NOT NULL DEFAULT 'CAPTURED' CHECK (status IN ('CAPTURED', 'APPLIED', 'CANCEL_PENDING', 'CANCELLED')),
  cancel_reason    text,
  cancel_attempts  int NOT NULL DEFAULT 0,
  last_error       text,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payment_captures_work ON payment_captures (status, next_attempt_at) WHERE status IN ('CAPTURED', 'CANCEL_PENDING');
