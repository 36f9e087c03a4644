-- The windows' reads all start from a terminal, a person or a pharmacy (their btree indexes, newest
-- first). With a btree on occurred_at beside them, the generic plan of a prepared window read
-- guessed a narrow time range and walked that index backwards for every terminal, filtering out
-- every other terminal's rows: AUD-07's marks read cost 18 ms per poll at 350/s and a third of the
-- database's time (docs/performance.md, tuning step 13). occurred_at serves only the purge
-- (DELETE ... WHERE occurred_at < $1) now, which a BRIN index does as well for rows that arrive in
-- about time order, at a fraction of a btree's cost per insert, and which no plan can use for order.
DROP INDEX recent_settlement_occurred;
CREATE INDEX recent_settlement_occurred ON recent_settlement USING brin (occurred_at);
