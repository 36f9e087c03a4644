-- A burst (AUD-07) or a spiking day (AUD-08) keeps its one alert (DOMAIN.md §5) and every further
-- settlement of the pattern is appended to it: the intake updates amount, window_end and seen_count
-- of the same few hundred alert rows in every poll. The btree on (window_start, window_end) made each
-- of those updates a new row version with an entry in all six indexes (window_end changes every
-- time), so the table and its indexes grew with every append and the update cost 18 ms a poll at
-- 500/s after a few minutes (docs/performance.md, tuning step 22). A BRIN index does not stop a
-- heap-only (HOT) update (PostgreSQL 16+), and room left on each page lets the new version stay
-- beside the old one. The auditors' from/to filter (AlertStore.list) walks alert_detected newest
-- first and filters on the window, as it did before for any query that also names a pharmacy.
DROP INDEX alert_window;
CREATE INDEX alert_window ON alert USING brin (window_start, window_end);
ALTER TABLE alert SET (fillfactor = 70);
