-- requires: vector
-- The HNSW graph is rebuilt with ef_construction 128 (was pgvector's default 64): at 100k listings with
-- hundreds of near-copies of each kind of thing, recall@10 of the walk against an exact scan was
-- 0.97–1.00 in three of four builds (0.81–0.95 at 64) and 0.87 in the fourth, for a build ~1.3x as long
-- (README's search bench). An existing catalogue pays that build once, here.
-- post_embeddings_updated: the newest vectors are scanned exactly beside the walk (search/service.ts
-- vectorRank), so a listing is found as soon as its vector is written however the graph linked it;
-- this index finds them without reading the table. Tables of other dimensions get theirs, and the
-- new ef_construction for graphs built from then on, from ensureVectorTable.
DROP INDEX IF EXISTS post_embeddings_hnsw;
CREATE INDEX post_embeddings_hnsw ON post_embeddings USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 128);
CREATE INDEX post_embeddings_updated ON post_embeddings (updated_at);
