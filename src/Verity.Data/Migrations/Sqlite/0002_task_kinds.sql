-- Every task kind: a rubric per project, reference material per item, flags and escalation per annotation,
-- and a record of which guideline version each annotator has opened.
ALTER TABLE "projects" ADD COLUMN "rubric_json" TEXT NOT NULL DEFAULT '{}';

ALTER TABLE "items" ADD COLUMN "reference" TEXT NULL;

ALTER TABLE "annotations" ADD COLUMN "flags_json" TEXT NOT NULL DEFAULT '[]';

ALTER TABLE "annotations" ADD COLUMN "escalated" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "IX_annotations_project_id_escalated" ON "annotations" ("project_id", "escalated");

CREATE TABLE "guideline_acks" (
    "id" TEXT NOT NULL CONSTRAINT "PK_guideline_acks" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "acknowledged_at" TEXT NOT NULL,
    CONSTRAINT "FK_guideline_acks_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_guideline_acks_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_guideline_acks_annotator_id" ON "guideline_acks" ("annotator_id");

CREATE UNIQUE INDEX "IX_guideline_acks_project_id_annotator_id_version" ON "guideline_acks" ("project_id", "annotator_id", "version");
