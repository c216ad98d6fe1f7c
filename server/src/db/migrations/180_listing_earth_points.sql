-- A listing's earth point, stored (issue 10: radius queries within 2× of the same query without one).
-- Radius and distance conditions used to call ll_to_earth() and earth_distance() on every candidate
-- row; both are SQL functions the planner does not inline, about 40 µs a row on PGlite, so a 10 km
-- radius spent most of its time there. With the point stored, the radius test is the GiST box test
-- plus one C operator (cube <->, the chord, compared with the radius's chord), and distance order is
-- a nearest-neighbour walk of the index.
-- A trigger fills it rather than a generated column: a restore loads rows with an empty search_path,
-- where ll_to_earth() cannot find earth(); triggers are created after the data, so nothing is
-- re-evaluated there.
ALTER TABLE posts ADD COLUMN earth cube;

CREATE FUNCTION posts_set_earth() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.earth := CASE WHEN NEW.lat IS NULL OR NEW.lng IS NULL THEN NULL ELSE ll_to_earth(NEW.lat, NEW.lng)::cube END;
  RETURN NEW;
END $$;
CREATE TRIGGER posts_earth BEFORE INSERT OR UPDATE OF lat, lng, earth ON posts
  FOR EACH ROW EXECUTE FUNCTION posts_set_earth();

UPDATE posts SET earth = ll_to_earth(lat, lng)::cube WHERE lat IS NOT NULL;

DROP INDEX posts_earth;
CREATE INDEX posts_earth ON posts USING gist (earth) WHERE deleted_at IS NULL;
