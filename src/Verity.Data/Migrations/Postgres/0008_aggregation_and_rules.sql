-- Each project names its aggregation method and may set its own quality rules; annotators' measures and the
-- fitted label model are computed in the background and kept here, so pages, exports and the submission path read
-- them instead of recomputing them from every annotation.
ALTER TABLE projects ADD aggregation text NOT NULL DEFAULT '';

ALTER TABLE projects ADD rules_json text NULL;

-- Existing projects get their kind's default, which is what their labels were meant to follow.
UPDATE projects SET aggregation = CASE
    WHEN kind = 'classification' AND rubric_json LIKE '%"multiLabel":true%' THEN 'trust-weighted'
    WHEN kind IN ('pairwise', 'classification') THEN 'dawid-skene'
    WHEN kind IN ('rating', 'ranking') THEN 'trust-weighted'
    ELSE '' END;

CREATE TABLE annotator_quality (
    project_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    weight double precision NOT NULL,
    status text NOT NULL,
    matrix_json text NULL,
    report_json text NOT NULL,
    CONSTRAINT "PK_annotator_quality" PRIMARY KEY (project_id, annotator_id),
    CONSTRAINT "FK_annotator_quality_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_annotator_quality_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_annotator_quality_annotator_id" ON annotator_quality (annotator_id);

CREATE TABLE project_quality (
    project_id uuid NOT NULL,
    stamp text NOT NULL,
    classes_json text NULL,
    prior_json text NULL,
    computed_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_project_quality" PRIMARY KEY (project_id),
    CONSTRAINT "FK_project_quality_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT
);
