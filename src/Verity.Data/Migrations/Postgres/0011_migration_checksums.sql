-- Each applied migration's SHA-256, so a migration edited after it was applied is caught at start-up instead of
-- leaving databases that ran the old text and databases that ran the new one apart. The migrator fills the column
-- for the migrations applied before it existed.
ALTER TABLE schema_migrations ADD COLUMN checksum text;
