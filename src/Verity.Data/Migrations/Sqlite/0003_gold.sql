-- Gold items: a hidden expected answer per item, served at a project's gold rate (and first, as calibration),
-- and each annotation's score against it.
ALTER TABLE "items" ADD COLUMN "is_gold" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "items" ADD COLUMN "gold_json" TEXT NULL;

ALTER TABLE "items" ADD COLUMN "gold_explanation" TEXT NULL;

CREATE INDEX "IX_items_project_id_is_gold" ON "items" ("project_id", "is_gold");

ALTER TABLE "projects" ADD COLUMN "gold_rate" REAL NOT NULL DEFAULT 0;

ALTER TABLE "projects" ADD COLUMN "gold_feedback" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "projects" ADD COLUMN "calibration_items" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "annotations" ADD COLUMN "gold_score" REAL NULL;
