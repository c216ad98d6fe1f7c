-- requires: vector
-- One vector per listing, written in the transaction that marks it DONE; gone with the listing.
-- Dimension 512 = the built-in local embedder. An OpenAI-compatible model with another dimension
-- gets its own table post_embeddings_d<dims> (same shape, created by the worker at start, see
-- modules/embeddings/store.ts): HNSW needs a fixed dimension per index, so one table per dimension.
CREATE TABLE post_embeddings (
  post_id     bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
  embedder_id text NOT NULL,
  embedding   vector(512) NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_embeddings_hnsw ON post_embeddings USING hnsw (embedding vector_cosine_ops);
