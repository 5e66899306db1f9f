-- The workforce: tracks with hourly rates, the qualifications that let a person work in a track at a tier, the
-- history of every change of them with its reason, and assessments (one attempt each) that qualify people.
CREATE TABLE tracks (
    id character varying(40) NOT NULL,
    name character varying(100) NOT NULL,
    hourly_rate numeric(12,2) NOT NULL,
    currency character varying(3) NOT NULL,
    position integer NOT NULL,
    CONSTRAINT "PK_tracks" PRIMARY KEY (id)
);

INSERT INTO tracks (id, name, hourly_rate, currency, position) VALUES
    ('general', 'General', 20.00, 'USD', 1),
    ('multilingual', 'Multilingual', 20.00, 'USD', 2),
    ('coding', 'Coding', 40.00, 'USD', 3),
    ('stem', 'STEM', 40.00, 'USD', 4),
    ('professional', 'Professional', 50.00, 'USD', 5);

CREATE TABLE qualifications (
    user_id uuid NOT NULL,
    track_id character varying(40) NOT NULL,
    tier integer NOT NULL,
    qualified_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_qualifications" PRIMARY KEY (user_id, track_id),
    CONSTRAINT "FK_qualifications_tracks_track_id" FOREIGN KEY (track_id) REFERENCES tracks (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_qualifications_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_qualifications_track_id" ON qualifications (track_id);

CREATE TABLE tier_changes (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    track_id character varying(40) NOT NULL,
    from_tier integer,
    to_tier integer,
    reason character varying(500) NOT NULL,
    at timestamp with time zone NOT NULL,
    by_user_id uuid,
    CONSTRAINT "PK_tier_changes" PRIMARY KEY (id),
    CONSTRAINT "FK_tier_changes_tracks_track_id" FOREIGN KEY (track_id) REFERENCES tracks (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_tier_changes_users_by_user_id" FOREIGN KEY (by_user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_tier_changes_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_tier_changes_by_user_id" ON tier_changes (by_user_id);

CREATE INDEX "IX_tier_changes_track_id" ON tier_changes (track_id);

CREATE INDEX "IX_tier_changes_user_id_at" ON tier_changes (user_id, at);

-- Annotators who existed before tracks keep working as before: qualified for General at the first tier.
INSERT INTO qualifications (user_id, track_id, tier, qualified_at)
    SELECT id, 'general', 1, created_at FROM users WHERE role = 'annotator';

INSERT INTO tier_changes (id, user_id, track_id, from_tier, to_tier, reason, at, by_user_id)
    SELECT gen_random_uuid(), id, 'general', NULL, 1, 'Qualified as an annotator who existed before tracks.', created_at, NULL
    FROM users WHERE role = 'annotator';

-- Applicants say who they are and which tracks they want.
ALTER TABLE users ADD COLUMN background text NULL;
ALTER TABLE users ADD COLUMN applied_tracks character varying(400) NOT NULL DEFAULT '';

-- A project is work or an assessment for a track, and may be open only to some tracks from some tier.
ALTER TABLE projects ADD COLUMN purpose character varying(20) NOT NULL DEFAULT 'work';
ALTER TABLE projects ADD COLUMN assessment_track_id character varying(40) NULL;
ALTER TABLE projects ADD COLUMN pass_score double precision NULL;
ALTER TABLE projects ADD COLUMN time_limit_minutes integer NULL;
ALTER TABLE projects ADD COLUMN access_tracks character varying(400) NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN min_tier integer NOT NULL DEFAULT 1;

ALTER TABLE projects ADD CONSTRAINT "FK_projects_tracks_assessment_track_id" FOREIGN KEY (assessment_track_id) REFERENCES tracks (id) ON DELETE RESTRICT;

CREATE INDEX "IX_projects_assessment_track_id" ON projects (assessment_track_id);

-- One attempt per person and assessment, enforced here so that two starts from two browsers cannot both succeed;
-- an operator's reset keeps the old attempt and allows a new one.
CREATE TABLE assessment_attempts (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    started_at timestamp with time zone NOT NULL,
    deadline_at timestamp with time zone NOT NULL,
    score double precision,
    passed boolean,
    decided_at timestamp with time zone,
    reset_at timestamp with time zone,
    reset_by_id uuid,
    reset_reason character varying(500),
    CONSTRAINT "PK_assessment_attempts" PRIMARY KEY (id),
    CONSTRAINT "FK_assessment_attempts_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_attempts_users_reset_by_id" FOREIGN KEY (reset_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_attempts_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_assessment_attempts_project_id_user_id" ON assessment_attempts (project_id, user_id) WHERE reset_at IS NULL;

CREATE INDEX "IX_assessment_attempts_reset_by_id" ON assessment_attempts (reset_by_id);

CREATE INDEX "IX_assessment_attempts_user_id" ON assessment_attempts (user_id);

-- A reviewer's score of one free-text assessment answer against the question's rubric.
CREATE TABLE assessment_scores (
    id uuid NOT NULL,
    annotation_id uuid NOT NULL,
    project_id uuid NOT NULL,
    reviewer_id uuid NOT NULL,
    score double precision NOT NULL,
    note character varying(2000),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_assessment_scores" PRIMARY KEY (id),
    CONSTRAINT "FK_assessment_scores_annotations_annotation_id" FOREIGN KEY (annotation_id) REFERENCES annotations (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_scores_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assessment_scores_users_reviewer_id" FOREIGN KEY (reviewer_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_assessment_scores_annotation_id" ON assessment_scores (annotation_id);

CREATE INDEX "IX_assessment_scores_project_id" ON assessment_scores (project_id);

CREATE INDEX "IX_assessment_scores_reviewer_id" ON assessment_scores (reviewer_id);
