-- The tables of the pgbench model of Verity's hot path: items with a lease counter and an open-items index, leases and
-- answers. 200,000 items of overlap 3 last far longer than a 30-second run.
CREATE TABLE pb_items (
    id bigserial PRIMARY KEY,
    project_id int NOT NULL,
    position bigint NOT NULL,
    target_overlap int NOT NULL,
    submitted_count int NOT NULL DEFAULT 0,
    leased_count int NOT NULL DEFAULT 0,
    prompt text NOT NULL
);
CREATE TABLE pb_leases (
    id bigserial PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES pb_items (id),
    annotator int NOT NULL,
    leased_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    submitted_at timestamptz
);
CREATE TABLE pb_answers (
    id bigserial PRIMARY KEY,
    lease_id bigint NOT NULL REFERENCES pb_leases (id),
    answer text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ON pb_leases (item_id);
CREATE INDEX ON pb_answers (lease_id);
CREATE INDEX pb_items_open ON pb_items (project_id, position) WHERE submitted_count + leased_count < target_overlap;
INSERT INTO pb_items (project_id, position, target_overlap, prompt)
SELECT 1, n, 3, 'Which answer to question ' || n || ' is better?' FROM generate_series(1, 200000) AS n;
VACUUM ANALYZE pb_items;
