-- The date filter of search and the feed finds the listings blocked in a range once per query
-- (reservations/repository.ts availableBetween): by day, not by listing.
CREATE INDEX post_blocked_dates_day ON post_blocked_dates (day);
