-- Keyword search for Korean: a character-bigram GIN index. Most Korean words are two syllables
-- ('텐트', '드릴'), and pg_trgm cannot use its index for ILIKE '%텐트%' (a 2-character pattern has no
-- full trigram, so the trigram GIN scan returns every row and the filter rechecks the whole table).
-- Bigrams of the listing text contain every bigram of a term that occurs in it, so
-- `text_bigrams(text) @> text_bigrams(term)` narrows to candidates through the index and the
-- ILIKE recheck keeps the meaning exact. The expression must match search/service.ts exactly.
CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(s.l, i, 2)), '{}')
        FROM (SELECT lower(t) AS l) s, generate_series(1, char_length(s.l) - 1) AS i $$;
CREATE INDEX IF NOT EXISTS posts_text_bigrams ON posts USING gin (text_bigrams(title || ' ' || content));
