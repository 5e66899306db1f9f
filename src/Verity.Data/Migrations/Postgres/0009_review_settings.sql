-- The review queue: a project sends a random share of annotations to reviewers (besides the flagged, escalated and
-- least confident) and may let reviewers see who answered. Annotations are append-only, so whether one is in the
-- sample is drawn once and stored when it is inserted; existing annotations were never drawn and stay out.
ALTER TABLE projects ADD COLUMN review_sample_rate double precision NOT NULL DEFAULT 0;

ALTER TABLE projects ADD COLUMN reviewers_see_annotators boolean NOT NULL DEFAULT false;

ALTER TABLE annotations ADD COLUMN review_sampled boolean NOT NULL DEFAULT false;
