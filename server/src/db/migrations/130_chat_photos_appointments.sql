-- Chat photos and 약속 (issue 12 point 2). A message is text, a photo (stored privately under
-- storage key chat/…, served only to the room's members) or a 약속 card (a meeting time and place the
-- other side accepts; reminded an hour before).

CREATE TABLE chat_appointments (
  id                bigserial PRIMARY KEY,
  room_id           bigint NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,
  proposer_id       bigint NOT NULL REFERENCES members(id),
  meet_at           timestamptz NOT NULL,
  place             text NOT NULL CHECK (length(place) BETWEEN 1 AND 100),
  neighbourhood_code text REFERENCES neighbourhoods(code),
  status            text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'ACCEPTED')),
  accepted_at       timestamptz,
  reminded_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_appointments_room ON chat_appointments (room_id);
-- the reminder job's candidates: accepted, not yet reminded, by meeting time
CREATE INDEX chat_appointments_due ON chat_appointments (meet_at) WHERE status = 'ACCEPTED' AND reminded_at IS NULL;

ALTER TABLE chat_messages
  ADD COLUMN kind text NOT NULL DEFAULT 'TEXT' CHECK (kind IN ('TEXT', 'PHOTO', 'APPOINTMENT')),
  ADD COLUMN photo_path text,
  ADD COLUMN photo_width int,
  ADD COLUMN photo_height int,
  ADD COLUMN appointment_id bigint REFERENCES chat_appointments(id),
  ADD CONSTRAINT chat_messages_kind_fields CHECK (
    (kind = 'PHOTO') = (photo_path IS NOT NULL) AND (kind = 'APPOINTMENT') = (appointment_id IS NOT NULL));
