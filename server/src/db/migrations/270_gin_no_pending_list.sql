-- The GIN indexes read by every search write new entries straight into the index instead of into a
-- pending list. With fastupdate (PostgreSQL's default) inserts and updates append to a list that every
-- scan of the index reads in full until VACUUM merges it; the embedded database runs no autovacuum,
-- so it merged only when the list reached gin_pending_list_limit (4 MB, ~2,000 listings' row versions).
-- At 100k listings, 1,000 new listings left 2 MB in it: the keyword branch took p50 4.3 ms, p95 7–13 ms,
-- and 3.1 / 4.1 ms once merged. A listing's writes cost ~1 ms more each (insert, claim, embedded).
ALTER INDEX posts_text_regions SET (fastupdate = off);
ALTER INDEX search_vocab_roman_trgm SET (fastupdate = off);
SELECT gin_clean_pending_list('posts_text_regions'::regclass);
SELECT gin_clean_pending_list('search_vocab_roman_trgm'::regclass);
