-- 동네 (issue 10): 읍·면·동 under the 시군구 of the regions tree, each with a point (WGS84). The rows
-- come from migration 111 (data/regions-kr/dongs.tsv). Distances use cube + earthdistance, shipped by
-- both PGlite and PostgreSQL's contrib, with GiST indexes on ll_to_earth(lat, lng).
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

CREATE TABLE neighbourhoods (
  code      text PRIMARY KEY CHECK (code ~ '^[0-9]{10}$'),  -- 행정기관코드
  region_id bigint NOT NULL REFERENCES regions(id),         -- the 시군구
  district  text,                                            -- 일반구 inside a 시 (분당구), else NULL
  name      text NOT NULL,
  lat       double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng       double precision NOT NULL CHECK (lng BETWEEN -180 AND 180)
);
CREATE INDEX neighbourhoods_region ON neighbourhoods (region_id);
CREATE INDEX neighbourhoods_earth ON neighbourhoods USING gist (ll_to_earth(lat, lng));
CREATE INDEX neighbourhoods_name_trgm ON neighbourhoods USING gin (name gin_trgm_ops);

-- 내 동네: one or two per member (position 1 is the default for listings and near=me).
CREATE TABLE member_neighbourhoods (
  member_id   bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  position    smallint NOT NULL CHECK (position IN (1, 2)),
  code        text NOT NULL REFERENCES neighbourhoods(code),
  verified_at timestamptz,                                   -- 동네 인증; valid for 30 days
  PRIMARY KEY (member_id, position),
  UNIQUE (member_id, code)
);

-- A listing is located at one of its owner's 동네; lat/lng copy that 동's point (never an address).
ALTER TABLE posts ADD COLUMN neighbourhood_code text REFERENCES neighbourhoods(code);
ALTER TABLE posts ADD COLUMN lat double precision;
ALTER TABLE posts ADD COLUMN lng double precision;
ALTER TABLE posts ADD CONSTRAINT posts_point_with_neighbourhood
  CHECK ((neighbourhood_code IS NULL) = (lat IS NULL) AND (lat IS NULL) = (lng IS NULL));
CREATE INDEX posts_earth ON posts USING gist (ll_to_earth(lat, lng)) WHERE lat IS NOT NULL AND deleted_at IS NULL;

-- 차단: either direction hides listings and refuses new chats and requests.
CREATE TABLE member_blocks (
  blocker_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  blocked_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX member_blocks_blocked ON member_blocks (blocked_id);

-- Reviews both ways: the lender reviews the borrower once per reservation.
CREATE TABLE borrower_reviews (
  id                  bigserial PRIMARY KEY,
  reservation_id      bigint NOT NULL UNIQUE REFERENCES reservations(id),
  post_id             bigint NOT NULL REFERENCES posts(id),
  author_id           bigint NOT NULL REFERENCES members(id),   -- the lender
  borrower_id         bigint NOT NULL REFERENCES members(id),
  care_score          smallint NOT NULL CHECK (care_score BETWEEN 1 AND 5),
  punctuality_score   smallint NOT NULL CHECK (punctuality_score BETWEEN 1 AND 5),
  communication_score smallint NOT NULL CHECK (communication_score BETWEEN 1 AND 5),
  comment             text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX borrower_reviews_borrower ON borrower_reviews (borrower_id, id DESC);
