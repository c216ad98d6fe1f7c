-- Reports on listings, members and reviews; the moderation log; a reason for listing bans.

ALTER TABLE posts ADD COLUMN IF NOT EXISTS ban_reason text;

-- One report per reporter and target. target_id points into posts, members or reviews
-- depending on target_type (no foreign key: the target may be soft-deleted later).
-- status: PENDING (waiting), RESOLVED (the target was banned), DISMISSED (an admin found nothing).
-- Only PENDING reports count towards the automatic ban, so an unbanned target starts afresh.
CREATE TABLE reports (
  id          bigserial PRIMARY KEY,
  reporter_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  target_type text NOT NULL CHECK (target_type IN ('POST', 'MEMBER', 'REVIEW')),
  target_id   bigint NOT NULL,
  reason      text NOT NULL CHECK (reason IN ('SPAM', 'FRAUD', 'INAPPROPRIATE', 'PROHIBITED_ITEM', 'ABUSE', 'OTHER')),
  detail      text NOT NULL DEFAULT '' CHECK (length(detail) <= 1000),
  status      text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RESOLVED', 'DISMISSED')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  CONSTRAINT reports_once_per_reporter UNIQUE (reporter_id, target_type, target_id)
);
CREATE INDEX reports_target ON reports (target_type, target_id, created_at);
CREATE INDEX reports_pending ON reports (created_at) WHERE status = 'PENDING';

-- Every ban and unban, by an admin (actor_id) or by the report job (actor_id NULL).
CREATE TABLE moderation_actions (
  id          bigserial PRIMARY KEY,
  target_type text NOT NULL CHECK (target_type IN ('POST', 'MEMBER', 'REVIEW')),
  target_id   bigint NOT NULL,
  action      text NOT NULL CHECK (action IN ('BAN', 'UNBAN')),
  reason      text NOT NULL DEFAULT '',
  actor_id    bigint REFERENCES members(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_target ON moderation_actions (target_type, target_id, id DESC);
