-- Review: a reviewer accepts, rejects (the item returns to the pool, the annotation stops counting) or corrects
-- (the reviewer's answer is a new annotation that names the one it corrects).
CREATE TABLE "reviews" (
    "id" TEXT NOT NULL CONSTRAINT "PK_reviews" PRIMARY KEY,
    "annotation_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "feedback" TEXT NULL,
    "correction_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_reviews_annotations_annotation_id" FOREIGN KEY ("annotation_id") REFERENCES "annotations" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_reviews_annotations_correction_id" FOREIGN KEY ("correction_id") REFERENCES "annotations" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_reviews_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_reviews_users_reviewer_id" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_reviews_annotation_id" ON "reviews" ("annotation_id");

CREATE INDEX "IX_reviews_correction_id" ON "reviews" ("correction_id");

CREATE INDEX "IX_reviews_project_id" ON "reviews" ("project_id");

CREATE INDEX "IX_reviews_reviewer_id" ON "reviews" ("reviewer_id");

ALTER TABLE "assignments" ADD COLUMN "rejected" INTEGER NOT NULL DEFAULT 0;
