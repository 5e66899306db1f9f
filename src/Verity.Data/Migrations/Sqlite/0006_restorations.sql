-- An admin's decision to restore an annotator whom a project's rules removed; rules then leave them active.
CREATE TABLE "restorations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_restorations" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "admin_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_restorations_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_restorations_users_admin_id" FOREIGN KEY ("admin_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_restorations_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_restorations_admin_id" ON "restorations" ("admin_id");

CREATE INDEX "IX_restorations_annotator_id" ON "restorations" ("annotator_id");

CREATE INDEX "IX_restorations_project_id_annotator_id" ON "restorations" ("project_id", "annotator_id");
