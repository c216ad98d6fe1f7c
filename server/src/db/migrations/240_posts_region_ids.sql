-- posts.region_ids: the regions a listing is offered in, copied from post_regions (still the source,
-- with its foreign keys) by statement triggers, and indexed by GIN. The region filter of search, the
-- feed and alerts tests this column: a keyword term's bitmap is ANDed with the region's before any
-- listing is read, and the HNSW walk checks a listing's regions on the row it already fetched. Before,
-- each listing a term matched was read and probed in post_regions although a city-wide filter passes
-- one in ten (100k bench: ~1,000 probes per term and per walk).
ALTER TABLE posts ADD COLUMN region_ids bigint[] NOT NULL DEFAULT '{}';

-- the one copy rule: these listings' region_ids := their post_regions, sorted; a listing whose copy is
-- already right is not rewritten (a bulk import can write region_ids with the listing)
CREATE FUNCTION copy_post_regions(listing_ids bigint[]) RETURNS void
  LANGUAGE sql AS $$
    UPDATE posts p SET region_ids = r.ids
      FROM (SELECT u.id, coalesce((SELECT array_agg(pr.region_id ORDER BY pr.region_id) FROM post_regions pr
              WHERE pr.post_id = u.id), '{}') AS ids FROM unnest(listing_ids) AS u(id)) r
      WHERE p.id = r.id AND p.region_ids IS DISTINCT FROM r.ids
  $$;
SELECT copy_post_regions(ARRAY(SELECT DISTINCT post_id FROM post_regions));
CREATE INDEX posts_region_ids ON posts USING gin (region_ids);

-- the changed posts' ids as an array (a join with a transition table has no statistics: see 220)
CREATE FUNCTION post_regions_copy() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN PERFORM copy_post_regions(ARRAY(SELECT DISTINCT post_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN PERFORM copy_post_regions(ARRAY(SELECT DISTINCT post_id FROM old_rows));
    ELSE PERFORM copy_post_regions(ARRAY(SELECT post_id FROM old_rows UNION SELECT post_id FROM new_rows));
    END IF;
    RETURN NULL;
  END $$;

CREATE TRIGGER post_regions_copy_ins AFTER INSERT ON post_regions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_regions_copy();
CREATE TRIGGER post_regions_copy_del AFTER DELETE ON post_regions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION post_regions_copy();
CREATE TRIGGER post_regions_copy_upd AFTER UPDATE ON post_regions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_regions_copy();
