-- Typo tolerance for keyword search (issue 13): '탠트' → '텐트', '캠팽' → '캠핑'.
-- Syllable trigrams cannot see that 탠 and 텐 differ in one vowel, so words are compared by their
-- romanised jamo ('텐트' → 'tentu', '탠트' → 'taentu') under pg_trgm. Romanisation keeps the text
-- ASCII, so pg_trgm splits and ranks it identically in PGlite and in any server PostgreSQL whatever
-- its locale. search_vocab holds every word of every listing title (kept by the statement triggers
-- below); search/keyword.ts asks it for the closest known word when a query word matches nothing,
-- and checks the candidates' jamo edit distance before using one.

CREATE OR REPLACE FUNCTION hangul_roman(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
  SELECT coalesce(string_agg(
    CASE WHEN c BETWEEN 44032 AND 55203 THEN
      (ARRAY['g','kk','n','d','tt','r','m','b','pp','s','ss','','j','jj','ch','k','t','p','h'])[(c - 44032) / 588 + 1]
      || (ARRAY['a','ae','ya','yae','eo','e','yeo','ye','o','wa','wae','oe','yo','u','wo','we','wi','yu','eu','ui','i'])[((c - 44032) % 588) / 28 + 1]
      || (ARRAY['','k','kk','ks','n','nj','nh','t','l','lk','lm','lb','ls','lt','lp','lh','m','p','ps','s','ss','ng','j','ch','k','t','p','h'])[(c - 44032) % 28 + 1]
    ELSE chr(c) END, '' ORDER BY i), '')
  FROM (SELECT i, ascii(substr(lower(t), i, 1)) AS c FROM generate_series(1, char_length(t)) AS i) s
  $$;

CREATE TABLE IF NOT EXISTS search_vocab (
  term  text PRIMARY KEY,
  roman text NOT NULL
);
CREATE INDEX IF NOT EXISTS search_vocab_roman_trgm ON search_vocab USING gin (roman gin_trgm_ops);

-- The words of a title: lower-cased runs of Hangul syllables, Latin letters and digits, ≥ 2 characters.
CREATE OR REPLACE FUNCTION title_words(t text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT DISTINCT w FROM regexp_split_to_table(lower(t), '[^0-9a-z가-힣]+') AS w WHERE char_length(w) >= 2 AND char_length(w) <= 30 $$;

CREATE OR REPLACE FUNCTION search_vocab_add() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_vocab (term, roman)
      SELECT DISTINCT w, hangul_roman(w) FROM new_posts, LATERAL title_words(new_posts.title) AS w
      ON CONFLICT (term) DO NOTHING;
    RETURN NULL;
  END $$;

-- On update only rows whose title changed (the embedding worker updates posts all the time).
CREATE OR REPLACE FUNCTION search_vocab_edit() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_vocab (term, roman)
      SELECT DISTINCT w, hangul_roman(w)
      FROM new_posts JOIN old_posts ON old_posts.id = new_posts.id AND old_posts.title IS DISTINCT FROM new_posts.title,
        LATERAL title_words(new_posts.title) AS w
      ON CONFLICT (term) DO NOTHING;
    RETURN NULL;
  END $$;

-- Statement-level: a bulk insert of 100k listings adds its words in one statement, not 100k.
-- (Words of deleted or edited-away titles stay: a correction to a word nobody uses any more finds
-- nothing and the query simply has no keyword hit for it.)
DROP TRIGGER IF EXISTS posts_search_vocab_ins ON posts;
CREATE TRIGGER posts_search_vocab_ins AFTER INSERT ON posts
  REFERENCING NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION search_vocab_add();
DROP TRIGGER IF EXISTS posts_search_vocab_upd ON posts;
CREATE TRIGGER posts_search_vocab_upd AFTER UPDATE ON posts
  REFERENCING OLD TABLE AS old_posts NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION search_vocab_edit();

INSERT INTO search_vocab (term, roman)
  SELECT DISTINCT w, hangul_roman(w) FROM posts, LATERAL title_words(posts.title) AS w
  ON CONFLICT (term) DO NOTHING;
