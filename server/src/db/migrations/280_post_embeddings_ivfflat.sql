-- requires: vector
-- The vector index becomes IVFFlat (was HNSW, migrations 021/230). At 100k listings with hundreds of
-- near-copies of each kind of thing, the HNSW walk stayed inside one family of near-duplicates and
-- missed the nearest family entirely for some queries: recall@10 0.932 over 116 queries at pgvector's
-- widest beam (ef_search 1,000; the branch 13.1 ms p50), 0.880 with m = 32; IVFFlat with √n lists, 10
-- probed: 0.988 (7.6 ms), built in 20 s instead of 115 s (README's Smart search). IVFFlat's lists are fitted to the
-- vectors present when it is built, so it starts here with one list (an exact scan, right for a small
-- catalogue) and embeddings/vector-index.ts rebuilds it with √n lists once the catalogue has grown,
-- and when a tenth of the vectors were written after its build (vector_index_builds keeps when).
DROP INDEX IF EXISTS post_embeddings_hnsw;
CREATE INDEX post_embeddings_ivf ON post_embeddings USING ivfflat (embedding vector_cosine_ops) WITH (lists = 1);
-- (its lists are the index's own reloptions)
CREATE TABLE vector_index_builds (
  table_name text PRIMARY KEY,
  built_at   timestamptz NOT NULL
);
