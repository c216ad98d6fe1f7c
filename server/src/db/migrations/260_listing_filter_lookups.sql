-- What the listing filters exclude is looked up once per query (posts/visibility.ts, reservations/
-- repository.ts availableBetween: NOT IN subqueries): the banned members, and the days blocked in a
-- range, each from an index of its own instead of a scan of every member or every blocked day.
CREATE INDEX members_banned ON members (id) WHERE banned_at IS NOT NULL;
CREATE INDEX post_blocked_dates_day ON post_blocked_dates (day);
