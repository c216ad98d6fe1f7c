-- Reviews of finished rentals (one per reservation) with one lender reply, and cached summaries.

CREATE TABLE reviews (
  id              bigserial PRIMARY KEY,
  reservation_id  bigint NOT NULL REFERENCES reservations(id),
  post_id         bigint NOT NULL REFERENCES posts(id),
  author_id       bigint NOT NULL REFERENCES members(id),   -- the borrower
  lender_id       bigint NOT NULL REFERENCES members(id),   -- the listing's owner, reviewed as lender
  equipment_score smallint NOT NULL CHECK (equipment_score BETWEEN 1 AND 5),
  kindness_score  smallint NOT NULL CHECK (kindness_score BETWEEN 1 AND 5),
  response_score  smallint NOT NULL CHECK (response_score BETWEEN 1 AND 5),
  comment         text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
  reply           text CHECK (length(reply) BETWEEN 1 AND 1000),
  replied_at      timestamptz,
  banned_at       timestamptz,
  ban_reason      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- bumped by reply, ban and unban: part of the summary cache key
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reviews_once_per_reservation UNIQUE (reservation_id)
);
CREATE INDEX reviews_post ON reviews (post_id, id DESC);
CREATE INDEX reviews_lender ON reviews (lender_id, id DESC);
CREATE INDEX reviews_author ON reviews (author_id);

-- One cached summary text per target. `fingerprint` (visible count + last change + provider) is
-- recomputed on read; a mismatch means a review was added, replied to, banned or unbanned.
CREATE TABLE review_summaries (
  target_type  text NOT NULL CHECK (target_type IN ('POST', 'MEMBER')),
  target_id    bigint NOT NULL,
  fingerprint  text NOT NULL,
  review_count integer NOT NULL,
  source       text NOT NULL CHECK (source IN ('AI', 'EXTRACTIVE')),
  text         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (target_type, target_id)
);
