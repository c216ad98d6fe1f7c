-- Chat (SPEC §7): one room per (listing, borrower); messages carry a per-room sequence number and a
-- client-supplied id so a retried send is stored once; read pointers per member give unread counts.

CREATE TABLE chat_rooms (
  id              bigserial PRIMARY KEY,
  post_id         bigint NOT NULL REFERENCES posts(id),
  lender_id       bigint NOT NULL REFERENCES members(id),
  borrower_id     bigint NOT NULL REFERENCES members(id),
  -- the sequence of the newest message; bumped under the row lock in the sending transaction
  last_seq        bigint NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, borrower_id),
  CHECK (lender_id <> borrower_id)
);

CREATE TABLE chat_members (
  room_id       bigint NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,
  member_id     bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  last_read_seq bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, member_id)
);
CREATE INDEX chat_members_member ON chat_members (member_id);

CREATE TABLE chat_messages (
  id         bigserial PRIMARY KEY,
  room_id    bigint NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,
  seq        bigint NOT NULL,
  sender_id  bigint NOT NULL REFERENCES members(id),
  client_id  uuid NOT NULL,
  content    text NOT NULL CHECK (length(content) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (room_id, seq),
  UNIQUE (room_id, sender_id, client_id)
);
CREATE INDEX chat_messages_content_trgm ON chat_messages USING gin (content gin_trgm_ops);

-- "is there already an unread chat notification for this room" (one notification per unread burst)
CREATE INDEX notifications_unread_target ON notifications (member_id, target_type, target_id) WHERE read_at IS NULL;
