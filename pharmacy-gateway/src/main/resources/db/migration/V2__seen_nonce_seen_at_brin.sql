-- seen_at serves only the scheduled purge (DELETE ... WHERE seen_at < ...). Rows arrive in time
-- order (seen_at is the insert's now()), so a BRIN index finds the expired ones as well as the
-- btree did, and costs next to nothing per insert, where the btree added an index entry to every
-- nonce of every POS request (docs/performance.md, session 14).
DROP INDEX seen_nonce_seen_at;
CREATE INDEX seen_nonce_seen_at ON seen_nonce USING brin (seen_at);
