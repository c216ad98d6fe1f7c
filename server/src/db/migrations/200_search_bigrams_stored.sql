-- Keyword search at 100k listings (issue 13 point 9).
-- The character bigrams of a listing's text become a stored generated column of int codes, indexed
-- by GIN, replacing 022's expression index over text_bigrams():
--  - computed once per insert or title/content edit. The expression index recomputed its function
--    for every new row version — and the embedding worker writes two versions of every listing
--    (claim, finish), none of them HOT because the queue's indexes cover the status — and again for
--    every candidate a bitmap scan rechecked. A stored column is recomputed only when title or
--    content change, and a recheck reads the array.
--  - a bigram is one int: (code point of the first character & 0xFFFF) << 16 | (second's & 0xFFFF).
--    Exact for every character of the Basic Multilingual Plane (Hangul, Latin, digits); characters
--    beyond it may collide, which only adds candidates — ILIKE decides the match. Half the size of a
--    text[] of bigrams (no per-element header, no TOAST), and no hash function whose output could
--    change with the server version. Repeats are kept: GIN dedups its keys, `@>` ignores them, and
--    the loop without DISTINCT was measured 2–3x faster than 022's array_agg(DISTINCT …).
-- GET /posts?keyword= and search's keyword branch both match terms through this column
-- (posts/repository.ts containsText), so the two trigram indexes over the text go as well: nothing
-- searches by trigram any more, and each cost a GIN insert on every row version.
DROP INDEX IF EXISTS posts_text_bigrams;
DROP INDEX IF EXISTS posts_text_trgm;
DROP INDEX IF EXISTS posts_title_trgm;
DROP FUNCTION IF EXISTS text_bigrams(text);

CREATE OR REPLACE FUNCTION text_bigram_codes(t text) RETURNS int[]
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
  DECLARE
    c text[] := string_to_array(lower(t), NULL);
    codes int[] := '{}';
    prev int;
    cur int;
  BEGIN
    FOR i IN 1 .. coalesce(cardinality(c), 0) LOOP
      cur := ascii(c[i]) & 65535;
      IF i > 1 THEN codes := codes || ((prev << 16) | cur); END IF;
      prev := cur;
    END LOOP;
    RETURN codes;
  END $$;

ALTER TABLE posts ADD COLUMN search_bigrams int[] GENERATED ALWAYS AS (text_bigram_codes(title || ' ' || content)) STORED;
CREATE INDEX posts_search_bigrams ON posts USING gin (search_bigrams);

-- search_vocab (100): romanise each new word once, not once per title it appears in.
CREATE OR REPLACE FUNCTION search_vocab_add() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_vocab (term, roman)
      SELECT w, hangul_roman(w) FROM (SELECT DISTINCT w FROM new_posts, LATERAL title_words(new_posts.title) AS w) s
      WHERE NOT EXISTS (SELECT 1 FROM search_vocab v WHERE v.term = s.w)
      ON CONFLICT (term) DO NOTHING;
    RETURN NULL;
  END $$;
