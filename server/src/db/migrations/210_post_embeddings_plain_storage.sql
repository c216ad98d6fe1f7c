-- requires: vector
-- A 512-d vector is 2,056 bytes, just over the TOAST threshold: stored EXTENDED, every vector was
-- run through pglz on write (floats barely compress) and detoasted on every read of an exact scan
-- (measured 4x slower over 2,000 vectors). PLAIN keeps it inline, three to four rows per page.
-- Rows written before keep their old form until re-embedded; nothing else changes.
ALTER TABLE post_embeddings ALTER COLUMN embedding SET STORAGE PLAIN;
