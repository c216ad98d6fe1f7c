-- Search and embeddings (issue 3): keyword trigram indexes and the embedding worker's bookkeeping.
-- Vectors live in post_embeddings (021, only where pgvector exists).

-- Which embedder produced the DONE state (model + dimensions + version). A different id at worker
-- start sends every DONE/FAILED listing back to WAIT so the whole catalogue is re-embedded.
-- On a Postgres without pgvector the worker still claims and embeds (the claim pattern is the same),
-- records DONE + embedding_model here and discards the vector: semantic search reports itself off.
ALTER TABLE posts ADD COLUMN embedding_model text;

-- Keyword search: trigram indexes serve ILIKE '%term%' and word_similarity (<%) on Korean text.
-- The expression matches posts.keywordFilter and search's keyword branch: (title || ' ' || content).
CREATE INDEX IF NOT EXISTS posts_text_trgm ON posts USING gin ((title || ' ' || content) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS posts_title_trgm ON posts USING gin (title gin_trgm_ops);

-- The worker's queue: WAIT rows due now, PENDING rows whose lease may have expired.
CREATE INDEX IF NOT EXISTS posts_embedding_queue ON posts (embedding_status, embedding_next_attempt_at, id)
  WHERE embedding_status IN ('WAIT', 'PENDING');
