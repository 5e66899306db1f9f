-- Reviewers review only the projects they are assigned to. Every reviewer there is when this runs keeps the projects
-- there are, so an upgrade takes nobody's work away; owners narrow it from then on.
CREATE TABLE project_reviewers (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    reviewer_id uuid NOT NULL,
    assigned_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_project_reviewers" PRIMARY KEY (id),
    CONSTRAINT "FK_project_reviewers_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_project_reviewers_users_reviewer_id" FOREIGN KEY (reviewer_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_project_reviewers_reviewer_id" ON project_reviewers (reviewer_id);

CREATE UNIQUE INDEX "IX_project_reviewers_project_id_reviewer_id" ON project_reviewers (project_id, reviewer_id);

INSERT INTO project_reviewers (id, project_id, reviewer_id, assigned_at)
SELECT gen_random_uuid(), p.id, u.id, now() FROM projects p CROSS JOIN users u WHERE u.role = 'reviewer';

-- Secrets the server keeps in its database so every node agrees, e.g. the key that makes each project's pseudonyms.
CREATE TABLE server_secrets (
    name character varying(100) NOT NULL,
    value text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_server_secrets" PRIMARY KEY (name)
);

-- The stored measures name annotators by their old, global pseudonyms; dropping them makes the next look at each
-- project measure it again under the project's own.
DELETE FROM annotator_quality;
DELETE FROM project_quality;
