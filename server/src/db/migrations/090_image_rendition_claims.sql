-- Renditions are made once per image by whichever instance claims it (FOR UPDATE SKIP LOCKED):
-- a claim older than the lease is taken over (a crashed worker loses nothing); attempts are counted
-- and the last error kept, so a broken image stops being retried (index: post_images_pending, 010).
ALTER TABLE post_images
  ADD COLUMN rendition_claimed_at timestamptz,
  ADD COLUMN rendition_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN rendition_error text;
