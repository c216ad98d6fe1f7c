-- Title words of edited listings reach the typo vocabulary through a row trigger that fires only when
-- the title changed (WHEN is checked without calling the function). The statement trigger of 100
-- joined the old and new transition tables, which have no statistics: on a bulk UPDATE of 100k posts
-- the planner picked a nested loop over them and the statement never finished (2.4 TB of temp reads).
DROP TRIGGER IF EXISTS posts_search_vocab_upd ON posts;

CREATE OR REPLACE FUNCTION search_vocab_edit() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO search_vocab (term, roman)
      SELECT DISTINCT w, hangul_roman(w) FROM title_words(NEW.title) AS w
      ON CONFLICT (term) DO NOTHING;
    RETURN NULL;
  END $$;

CREATE TRIGGER posts_search_vocab_upd AFTER UPDATE OF title ON posts
  FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION search_vocab_edit();
