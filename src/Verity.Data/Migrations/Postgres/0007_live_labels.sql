-- Live labels and dynamic overlap: each item keeps its current label and confidence, updated on every
-- submission, and how many annotations it needs now (the project's overlap, or less or more when dynamic).
ALTER TABLE items ADD COLUMN target_overlap integer NOT NULL DEFAULT 0;

ALTER TABLE items ADD COLUMN label text;

ALTER TABLE items ADD COLUMN confidence double precision;

UPDATE items SET target_overlap = (SELECT overlap FROM projects WHERE projects.id = items.project_id);

ALTER TABLE projects ADD COLUMN dynamic_max integer NOT NULL DEFAULT 0;

ALTER TABLE projects ADD COLUMN target_confidence double precision NOT NULL DEFAULT 0.95;
