-- Listing controls: the owner pauses a listing (숨기기: out of the feed, search and similar listings,
-- its reservations carry on) and bumps it (끌어올리기: back to the top of the newest feed, at most once
-- per 3 days). The newest feed orders by listed_at: the last bump, else the creation.
ALTER TABLE posts ADD COLUMN paused_at timestamptz;
ALTER TABLE posts ADD COLUMN bumped_at timestamptz;
ALTER TABLE posts ADD COLUMN listed_at timestamptz GENERATED ALWAYS AS (coalesce(bumped_at, created_at)) STORED;
CREATE INDEX posts_listed ON posts (listed_at DESC, id DESC) WHERE deleted_at IS NULL AND paused_at IS NULL;
