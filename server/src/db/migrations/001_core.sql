-- Core schema: members, sessions, catalog trees, listings (posts) and their parts, favorites, notifications.
-- Extensions (pg_trgm, btree_gist, vector) are created by the migration runner before any file.

CREATE TABLE categories (
  id         bigserial PRIMARY KEY,
  parent_id  bigint REFERENCES categories(id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  sort_order int NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX categories_name_per_parent ON categories (coalesce(parent_id, 0), name);

CREATE TABLE regions (
  id         bigserial PRIMARY KEY,
  parent_id  bigint REFERENCES regions(id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  sort_order int NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX regions_name_per_parent ON regions (coalesce(parent_id, 0), name);

CREATE TABLE members (
  id            bigserial PRIMARY KEY,
  email         text NOT NULL UNIQUE,          -- stored lower-cased
  password_hash text NOT NULL,
  nickname      text NOT NULL UNIQUE,
  role          text NOT NULL DEFAULT 'USER' CHECK (role IN ('USER', 'ADMIN')),
  phone         text,
  address       text,
  region_id     bigint REFERENCES regions(id),
  avatar_path   text,
  banned_at     timestamptz,
  ban_reason    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Session store of embedded mode (server mode keeps sessions in Redis).
CREATE TABLE sessions (
  id         text PRIMARY KEY,
  member_id  bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

CREATE TABLE posts (
  id                        bigserial PRIMARY KEY,
  author_id                 bigint NOT NULL REFERENCES members(id),
  title                     text NOT NULL,
  content                   text NOT NULL,
  category_id               bigint NOT NULL REFERENCES categories(id),
  fee                       integer NOT NULL CHECK (fee >= 0),
  deposit                   integer NOT NULL CHECK (deposit >= 0),
  receive_method            text NOT NULL CHECK (receive_method IN ('DIRECT', 'DELIVERY', 'ANY')),
  return_method             text NOT NULL CHECK (return_method IN ('DIRECT', 'DELIVERY', 'ANY')),
  return_address            text,
  banned_at                 timestamptz,
  deleted_at                timestamptz,      -- soft delete: reservations keep pointing here
  embedding_status          text NOT NULL DEFAULT 'WAIT' CHECK (embedding_status IN ('WAIT', 'PENDING', 'DONE', 'FAILED')),
  embedding_version         integer NOT NULL DEFAULT 0,
  embedding_attempts        integer NOT NULL DEFAULT 0,
  embedding_error           text,
  embedding_claimed_at      timestamptz,
  embedding_next_attempt_at timestamptz,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX posts_feed ON posts (created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX posts_category ON posts (category_id);
CREATE INDEX posts_embedding_wait ON posts (embedding_status) WHERE embedding_status IN ('WAIT', 'PENDING');

CREATE TABLE post_regions (
  post_id   bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  region_id bigint NOT NULL REFERENCES regions(id),
  PRIMARY KEY (post_id, region_id)
);
CREATE INDEX post_regions_region ON post_regions (region_id);

-- Options are soft-deleted on edit so past reservations keep their reference.
CREATE TABLE post_options (
  id         bigserial PRIMARY KEY,
  post_id    bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  name       text NOT NULL,
  fee        integer NOT NULL CHECK (fee >= 0),
  deposit    integer NOT NULL CHECK (deposit >= 0),
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
CREATE INDEX post_options_post ON post_options (post_id);

CREATE TABLE post_images (
  id            bigserial PRIMARY KEY,
  post_id       bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  original_path text NOT NULL,
  thumb_path    text,
  detail_path   text,
  mime          text NOT NULL,
  width         integer,
  height        integer,
  is_primary    boolean NOT NULL DEFAULT false,
  sort_order    integer NOT NULL DEFAULT 0,
  status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'READY', 'FAILED')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_images_post ON post_images (post_id, sort_order);

CREATE TABLE post_blocked_dates (
  post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  day     date NOT NULL,
  PRIMARY KEY (post_id, day)
);

CREATE TABLE favorites (
  member_id  bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  post_id    bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, post_id)
);
CREATE INDEX favorites_post ON favorites (post_id);

CREATE TABLE notifications (
  id          bigserial PRIMARY KEY,
  member_id   bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  type        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL DEFAULT '',
  target_type text,
  target_id   bigint,
  read_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_member ON notifications (member_id, id DESC);
CREATE INDEX notifications_read_old ON notifications (read_at) WHERE read_at IS NOT NULL;
