-- SanctionRequested carries the behaviour the case confirmed, so the agreement service derives the
-- AGR-09 termination ground from data rather than from the reason's wording.
ALTER TABLE sanction ADD COLUMN category TEXT;
