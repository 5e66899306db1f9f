-- Serving policies: each project orders its open items by import, by a random walk per annotator, or least certain
-- label first. Projects made before this kept the import order they were served in.
ALTER TABLE "projects" ADD COLUMN "serving_policy" TEXT NOT NULL DEFAULT 'import-order';

-- Each item's place in import order (ids made in the same millisecond do not sort by it), its fixed random key (new items derive it from their id; existing ones draw it once here), how certain its
-- label is now, and a model's scores for it.
-- Items already stored keep position 0 and their id order, as they were served.
ALTER TABLE "items" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "items" ADD COLUMN "serve_key" REAL NOT NULL DEFAULT 0;

ALTER TABLE "items" ADD COLUMN "certainty" REAL NOT NULL DEFAULT 0;

ALTER TABLE "items" ADD COLUMN "scores_json" TEXT NULL;

UPDATE "items" SET "serve_key" = (random() & 9007199254740991) / 9007199254740992.0, "certainty" = coalesce("confidence", 0);

-- The scores in force when each lease was served.
ALTER TABLE "assignments" ADD COLUMN "served_scores_json" TEXT NULL;

-- The open items once per serving order, so choosing the next item never scans the project.
CREATE INDEX "IX_items_open_by_position" ON "items" ("project_id", "position", "id") WHERE NOT is_gold AND submitted_count < target_overlap;

CREATE INDEX "IX_items_open_by_serve_key" ON "items" ("project_id", "serve_key") WHERE NOT is_gold AND submitted_count < target_overlap;

CREATE INDEX "IX_items_open_by_certainty" ON "items" ("project_id", "certainty", "serve_key") WHERE NOT is_gold AND submitted_count < target_overlap;
