-- The workbench keeps what annotators type. A draft is the unsubmitted answer of one lease, replaced as it is typed
-- and deleted on submit or skip; an expired lease renewed for the same annotator gets it back.
CREATE TABLE drafts (
    assignment_id uuid NOT NULL,
    answer_json text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_drafts" PRIMARY KEY (assignment_id),
    CONSTRAINT "FK_drafts_assignments_assignment_id" FOREIGN KEY (assignment_id) REFERENCES assignments (id) ON DELETE RESTRICT
);

-- A skip ends a lease without an answer, with one of the project's reasons; it counts towards nothing, and the item
-- goes back to the pool for everyone but the annotator who skipped it.
CREATE TABLE skips (
    id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    project_id uuid NOT NULL,
    item_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    reason character varying(60) NOT NULL,
    note text,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_skips" PRIMARY KEY (id),
    CONSTRAINT "FK_skips_assignments_assignment_id" FOREIGN KEY (assignment_id) REFERENCES assignments (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_skips_items_item_id" FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_skips_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_skips_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_skips_assignment_id" ON skips (assignment_id);

CREATE INDEX "IX_skips_annotator_id" ON skips (annotator_id);

CREATE INDEX "IX_skips_item_id" ON skips (item_id);

CREATE INDEX "IX_skips_project_id_reason" ON skips (project_id, reason);

-- Undo: an annotator's change to an answer just submitted is a new annotation of the same lease that names the one it
-- supersedes (annotations stay append-only); only an annotation nothing supersedes counts.
ALTER TABLE annotations ADD COLUMN supersedes_id uuid NULL;

ALTER TABLE annotations ADD CONSTRAINT "FK_annotations_annotations_supersedes_id" FOREIGN KEY (supersedes_id) REFERENCES annotations (id) ON DELETE RESTRICT;

DROP INDEX "IX_annotations_assignment_id";

CREATE INDEX "IX_annotations_assignment_id" ON annotations (assignment_id);

CREATE UNIQUE INDEX "IX_annotations_supersedes_id" ON annotations (supersedes_id);
