-- The workforce: tracks with hourly rates, the qualifications that let a person work in a track at a tier, the
-- history of every change of them with its reason, and assessments (one attempt each) that qualify people.
-- Money is exact decimal text, never REAL.
CREATE TABLE "tracks" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tracks" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "hourly_rate" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "position" INTEGER NOT NULL
);

INSERT INTO "tracks" ("id", "name", "hourly_rate", "currency", "position") VALUES
    ('general', 'General', '20.0', 'USD', 1),
    ('multilingual', 'Multilingual', '20.0', 'USD', 2),
    ('coding', 'Coding', '40.0', 'USD', 3),
    ('stem', 'STEM', '40.0', 'USD', 4),
    ('professional', 'Professional', '50.0', 'USD', 5);

CREATE TABLE "qualifications" (
    "user_id" TEXT NOT NULL,
    "track_id" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "qualified_at" TEXT NOT NULL,
    CONSTRAINT "PK_qualifications" PRIMARY KEY ("user_id", "track_id"),
    CONSTRAINT "FK_qualifications_tracks_track_id" FOREIGN KEY ("track_id") REFERENCES "tracks" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_qualifications_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_qualifications_track_id" ON "qualifications" ("track_id");

CREATE TABLE "tier_changes" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tier_changes" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "track_id" TEXT NOT NULL,
    "from_tier" INTEGER NULL,
    "to_tier" INTEGER NULL,
    "reason" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "by_user_id" TEXT NULL,
    CONSTRAINT "FK_tier_changes_tracks_track_id" FOREIGN KEY ("track_id") REFERENCES "tracks" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_tier_changes_users_by_user_id" FOREIGN KEY ("by_user_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_tier_changes_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_tier_changes_by_user_id" ON "tier_changes" ("by_user_id");

CREATE INDEX "IX_tier_changes_track_id" ON "tier_changes" ("track_id");

CREATE INDEX "IX_tier_changes_user_id_at" ON "tier_changes" ("user_id", "at");

-- Annotators who existed before tracks keep working as before: qualified for General at the first tier. The ids are
-- random UUIDs in the text form the application writes.
INSERT INTO "qualifications" ("user_id", "track_id", "tier", "qualified_at")
    SELECT "id", 'general', 1, "created_at" FROM "users" WHERE "role" = 'annotator';

INSERT INTO "tier_changes" ("id", "user_id", "track_id", "from_tier", "to_tier", "reason", "at", "by_user_id")
    SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
           "id", 'general', NULL, 1, 'Qualified as an annotator who existed before tracks.', "created_at", NULL
    FROM "users" WHERE "role" = 'annotator';

-- Applicants say who they are and which tracks they want.
ALTER TABLE "users" ADD COLUMN "background" TEXT NULL;
ALTER TABLE "users" ADD COLUMN "applied_tracks" TEXT NOT NULL DEFAULT '';

-- A project is work or an assessment for a track, and may be open only to some tracks from some tier.
ALTER TABLE "projects" ADD COLUMN "purpose" TEXT NOT NULL DEFAULT 'work';
ALTER TABLE "projects" ADD COLUMN "assessment_track_id" TEXT NULL CONSTRAINT "FK_projects_tracks_assessment_track_id" REFERENCES "tracks" ("id") ON DELETE RESTRICT;
ALTER TABLE "projects" ADD COLUMN "pass_score" REAL NULL;
ALTER TABLE "projects" ADD COLUMN "time_limit_minutes" INTEGER NULL;
ALTER TABLE "projects" ADD COLUMN "access_tracks" TEXT NOT NULL DEFAULT '';
ALTER TABLE "projects" ADD COLUMN "min_tier" INTEGER NOT NULL DEFAULT 1;

CREATE INDEX "IX_projects_assessment_track_id" ON "projects" ("assessment_track_id");

-- One attempt per person and assessment, enforced here so that two starts from two browsers cannot both succeed;
-- an operator's reset keeps the old attempt and allows a new one.
CREATE TABLE "assessment_attempts" (
    "id" TEXT NOT NULL CONSTRAINT "PK_assessment_attempts" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "deadline_at" TEXT NOT NULL,
    "score" REAL NULL,
    "passed" INTEGER NULL,
    "decided_at" TEXT NULL,
    "reset_at" TEXT NULL,
    "reset_by_id" TEXT NULL,
    "reset_reason" TEXT NULL,
    CONSTRAINT "FK_assessment_attempts_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_attempts_users_reset_by_id" FOREIGN KEY ("reset_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_attempts_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_assessment_attempts_project_id_user_id" ON "assessment_attempts" ("project_id", "user_id") WHERE reset_at IS NULL;

CREATE INDEX "IX_assessment_attempts_reset_by_id" ON "assessment_attempts" ("reset_by_id");

CREATE INDEX "IX_assessment_attempts_user_id" ON "assessment_attempts" ("user_id");

-- A reviewer's score of one free-text assessment answer against the question's rubric.
CREATE TABLE "assessment_scores" (
    "id" TEXT NOT NULL CONSTRAINT "PK_assessment_scores" PRIMARY KEY,
    "annotation_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "note" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_assessment_scores_annotations_annotation_id" FOREIGN KEY ("annotation_id") REFERENCES "annotations" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_scores_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_scores_users_reviewer_id" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_assessment_scores_annotation_id" ON "assessment_scores" ("annotation_id");

CREATE INDEX "IX_assessment_scores_project_id" ON "assessment_scores" ("project_id");

CREATE INDEX "IX_assessment_scores_reviewer_id" ON "assessment_scores" ("reviewer_id");
