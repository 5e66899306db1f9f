-- An item in a slice that adversaries were caught attacking is decided under a stricter overlap: its contested
-- labels get more annotators. Set and cleared by the quality pass.
ALTER TABLE items ADD COLUMN recheck boolean NOT NULL DEFAULT false;
