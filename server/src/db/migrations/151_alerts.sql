-- Alerts: saved searches / keyword alerts (키워드 알림) and "tell me when these dates are free" (빈 날짜 알림).

-- A saved search: the query with optional filters; a radius is measured from the point the member's
-- first 동네 had when the alert was saved.
CREATE TABLE alerts (
  id          bigserial PRIMARY KEY,
  member_id   bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  query       text NOT NULL CHECK (length(query) BETWEEN 1 AND 100),
  category_id bigint REFERENCES categories(id),
  region_id   bigint REFERENCES regions(id),
  min_fee     int,
  max_fee     int,
  radius_km   int,
  lat         float8,
  lng         float8,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((radius_km IS NULL) = (lat IS NULL) AND (lat IS NULL) = (lng IS NULL))
);
CREATE INDEX alerts_member ON alerts (member_id, id DESC);

-- One notification per alert and listing, however often the listing is edited.
CREATE TABLE alert_hits (
  alert_id   bigint NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  post_id    bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, post_id)
);

-- Listings created or edited since the last matching pass (the queue of the alerts-match job).
CREATE TABLE alert_checks (
  post_id   bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
  queued_at timestamptz NOT NULL DEFAULT now()
);

-- 빈 날짜 알림: dates of a listing that were taken when asked; notified once when they are all free.
CREATE TABLE date_alerts (
  id          bigserial PRIMARY KEY,
  member_id   bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  post_id     bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  start_date  date NOT NULL,
  end_date    date NOT NULL CHECK (end_date >= start_date),
  created_at  timestamptz NOT NULL DEFAULT now(),
  notified_at timestamptz,
  UNIQUE (member_id, post_id, start_date, end_date)
);
CREATE INDEX date_alerts_waiting ON date_alerts (post_id) WHERE notified_at IS NULL;
