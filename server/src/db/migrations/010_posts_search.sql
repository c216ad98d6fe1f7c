-- Listing list/search support: keyword ILIKE over title + content (trigram), fee sort, renditions queue,
-- and the purge job's scan of old soft-deleted posts.
CREATE INDEX IF NOT EXISTS posts_text_trgm ON posts USING gin ((title || ' ' || content) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS posts_fee ON posts (fee, id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS posts_deleted ON posts (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS post_images_pending ON post_images (id) WHERE status = 'PENDING';
