-- No statement of this service reads settlements by pharmacy or by person and day: every read is by
-- setl_id or msg_id (CLM-01, CLM-14, CLM-15, the query API). The two indexes only cost every settlement
-- insert two more b-tree entries on the database, which is the busiest process under load
-- (docs/performance.md, step 30). The declarations (SET-01, not built yet) add the index their own query needs.
DROP INDEX IF EXISTS settlement_pharmacy_day;
DROP INDEX IF EXISTS settlement_person_day;
