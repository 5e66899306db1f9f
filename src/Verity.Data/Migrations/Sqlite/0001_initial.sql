CREATE TABLE "users" (
    "id" TEXT NOT NULL CONSTRAINT "PK_users" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "password_hash" TEXT NULL,
    "pseudonym" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL CONSTRAINT "PK_api_tokens" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_api_tokens_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE "projects" (
    "id" TEXT NOT NULL CONSTRAINT "PK_projects" PRIMARY KEY,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "overlap" INTEGER NOT NULL,
    "rationale_required" INTEGER NOT NULL,
    "rationale_min_chars" INTEGER NOT NULL,
    "guideline_version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_projects_users_owner_id" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE "guideline_versions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_guideline_versions" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "markdown" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_guideline_versions_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT
);

CREATE TABLE "items" (
    "id" TEXT NOT NULL CONSTRAINT "PK_items" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "responses_json" TEXT NOT NULL,
    "metadata_json" TEXT NOT NULL,
    "submitted_count" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_items_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT
);

CREATE TABLE "assignments" (
    "id" TEXT NOT NULL CONSTRAINT "PK_assignments" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "shown_order_json" TEXT NOT NULL,
    "leased_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "submitted_at" TEXT NULL,
    CONSTRAINT "FK_assignments_items_item_id" FOREIGN KEY ("item_id") REFERENCES "items" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assignments_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assignments_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE "annotations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_annotations" PRIMARY KEY,
    "assignment_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "annotator_id" TEXT NOT NULL,
    "guideline_version" INTEGER NOT NULL,
    "shown_order_json" TEXT NOT NULL,
    "answer_json" TEXT NOT NULL,
    "rationale" TEXT NULL,
    "seconds_spent" REAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_annotations_assignments_assignment_id" FOREIGN KEY ("assignment_id") REFERENCES "assignments" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_items_item_id" FOREIGN KEY ("item_id") REFERENCES "items" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_users_annotator_id" FOREIGN KEY ("annotator_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_annotations_annotator_id_idempotency_key" ON "annotations" ("annotator_id", "idempotency_key");

CREATE UNIQUE INDEX "IX_annotations_assignment_id" ON "annotations" ("assignment_id");

CREATE INDEX "IX_annotations_item_id" ON "annotations" ("item_id");

CREATE INDEX "IX_annotations_project_id_item_id" ON "annotations" ("project_id", "item_id");

CREATE UNIQUE INDEX "IX_api_tokens_token_hash" ON "api_tokens" ("token_hash");

CREATE INDEX "IX_api_tokens_user_id" ON "api_tokens" ("user_id");

CREATE INDEX "IX_assignments_annotator_id" ON "assignments" ("annotator_id");

CREATE UNIQUE INDEX "IX_assignments_item_id_annotator_id" ON "assignments" ("item_id", "annotator_id");

CREATE INDEX "IX_assignments_project_id_annotator_id" ON "assignments" ("project_id", "annotator_id");

CREATE UNIQUE INDEX "IX_guideline_versions_project_id_version" ON "guideline_versions" ("project_id", "version");

CREATE UNIQUE INDEX "IX_items_project_id_external_id" ON "items" ("project_id", "external_id");

CREATE INDEX "IX_projects_owner_id" ON "projects" ("owner_id");

CREATE UNIQUE INDEX "IX_users_name" ON "users" ("name");

CREATE UNIQUE INDEX "IX_users_pseudonym" ON "users" ("pseudonym");

-- Annotations are append-only: corrections are new rows, never edits.
CREATE TRIGGER "annotations_no_update" BEFORE UPDATE ON "annotations"
BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

CREATE TRIGGER "annotations_no_delete" BEFORE DELETE ON "annotations"
BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
