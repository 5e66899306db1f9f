-- Each project names its aggregation method and may set its own quality rules; annotators' measures and the
-- fitted label model are computed in the background and kept here, so pages, exports and the submission path read
-- them instead of recomputing them from every annotation.
ALTER TABLE "projects" ADD COLUMN "aggregation" TEXT NOT NULL DEFAULT '';

ALTER TABLE "projects" ADD COLUMN "rules_json" TEXT NULL;

-- Existing projects get their kind's default, which is what their labels were meant to follow.
UPDATE "projects" SET "aggregation" = CASE
    WHEN "kind" = 'classification' AND "rubric_json" LIKE '%"multiLabel":true%' THEN 'trust-weighted'
    WHEN "kind" IN ('pairwise', 'classification') THEN 'dawid-skene'
    WHEN "kind" IN ('rating', 'ranking') THEN 'trust-weighted'
    ELSE '' END;

CREATE TABLE "annotator_quality" (
    "project_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "weight" REAL NOT NULL,
    "status" TEXT NOT NULL,
    "matrix_json" TEXT NULL,
    "report_json" TEXT NOT NULL,
    CONSTRAINT "PK_annotator_quality" PRIMARY KEY ("project_id", "annotator_id"),
    CONSTRAINT "FK_annotator_quality_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_annotator_quality_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_annotator_quality_annotator_id" ON "annotator_quality" ("annotator_id");

CREATE TABLE "project_quality" (
    "project_id" TEXT NOT NULL CONSTRAINT "PK_project_quality" PRIMARY KEY,
    "stamp" TEXT NOT NULL,
    "classes_json" TEXT NULL,
    "prior_json" TEXT NULL,
    "computed_at" TEXT NOT NULL,
    CONSTRAINT "FK_project_quality_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT
);
