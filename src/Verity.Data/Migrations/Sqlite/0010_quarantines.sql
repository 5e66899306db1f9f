-- An owner's or admin's decision to hold an annotator's labels out of a project's labels and exports, with the reason.
-- Append-only: a later restoration lifts it, and both stay on record.
CREATE TABLE "quarantines" (
    "id" TEXT NOT NULL CONSTRAINT "PK_quarantines" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "decided_by_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_quarantines_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quarantines_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quarantines_users_decided_by_id" FOREIGN KEY ("decided_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_quarantines_annotator_id" ON "quarantines" ("annotator_id");

CREATE INDEX "IX_quarantines_decided_by_id" ON "quarantines" ("decided_by_id");

CREATE INDEX "IX_quarantines_project_id_annotator_id" ON "quarantines" ("project_id", "annotator_id");
