-- Every task kind: a rubric per project, reference material per item, flags and escalation per annotation,
-- and a record of which guideline version each annotator has opened.
ALTER TABLE projects ADD COLUMN rubric_json text NOT NULL DEFAULT '{}';

ALTER TABLE items ADD COLUMN reference text;

ALTER TABLE annotations ADD COLUMN flags_json text NOT NULL DEFAULT '[]';

ALTER TABLE annotations ADD COLUMN escalated boolean NOT NULL DEFAULT false;

CREATE INDEX "IX_annotations_project_id_escalated" ON annotations (project_id, escalated);

CREATE TABLE guideline_acks (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    version integer NOT NULL,
    acknowledged_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_guideline_acks" PRIMARY KEY (id),
    CONSTRAINT "FK_guideline_acks_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_guideline_acks_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_guideline_acks_annotator_id" ON guideline_acks (annotator_id);

CREATE UNIQUE INDEX "IX_guideline_acks_project_id_annotator_id_version" ON guideline_acks (project_id, annotator_id, version);
