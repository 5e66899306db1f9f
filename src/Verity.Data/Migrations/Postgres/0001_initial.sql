CREATE TABLE users (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    role character varying(20) NOT NULL,
    password_hash text,
    pseudonym character varying(40) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_users" PRIMARY KEY (id)
);

CREATE TABLE api_tokens (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_api_tokens" PRIMARY KEY (id),
    CONSTRAINT "FK_api_tokens_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE projects (
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    kind character varying(20) NOT NULL,
    overlap integer NOT NULL,
    rationale_required boolean NOT NULL,
    rationale_min_chars integer NOT NULL,
    guideline_version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_projects" PRIMARY KEY (id),
    CONSTRAINT "FK_projects_users_owner_id" FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE guideline_versions (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    version integer NOT NULL,
    markdown text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_guideline_versions" PRIMARY KEY (id),
    CONSTRAINT "FK_guideline_versions_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT
);

CREATE TABLE items (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    external_id character varying(200) NOT NULL,
    prompt text NOT NULL,
    responses_json text NOT NULL,
    metadata_json text NOT NULL,
    submitted_count integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_items" PRIMARY KEY (id),
    CONSTRAINT "FK_items_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT
);

CREATE TABLE assignments (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    item_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    shown_order_json character varying(1000) NOT NULL,
    leased_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    submitted_at timestamp with time zone,
    CONSTRAINT "PK_assignments" PRIMARY KEY (id),
    CONSTRAINT "FK_assignments_items_item_id" FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assignments_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_assignments_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE annotations (
    id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    project_id uuid NOT NULL,
    item_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    guideline_version integer NOT NULL,
    shown_order_json character varying(1000) NOT NULL,
    answer_json text NOT NULL,
    rationale text,
    seconds_spent double precision NOT NULL,
    idempotency_key character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_annotations" PRIMARY KEY (id),
    CONSTRAINT "FK_annotations_assignments_assignment_id" FOREIGN KEY (assignment_id) REFERENCES assignments (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_items_item_id" FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_annotations_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_annotations_annotator_id_idempotency_key" ON annotations (annotator_id, idempotency_key);

CREATE UNIQUE INDEX "IX_annotations_assignment_id" ON annotations (assignment_id);

CREATE INDEX "IX_annotations_item_id" ON annotations (item_id);

CREATE INDEX "IX_annotations_project_id_item_id" ON annotations (project_id, item_id);

CREATE UNIQUE INDEX "IX_api_tokens_token_hash" ON api_tokens (token_hash);

CREATE INDEX "IX_api_tokens_user_id" ON api_tokens (user_id);

CREATE INDEX "IX_assignments_annotator_id" ON assignments (annotator_id);

CREATE UNIQUE INDEX "IX_assignments_item_id_annotator_id" ON assignments (item_id, annotator_id);

CREATE INDEX "IX_assignments_project_id_annotator_id" ON assignments (project_id, annotator_id);

CREATE UNIQUE INDEX "IX_guideline_versions_project_id_version" ON guideline_versions (project_id, version);

CREATE UNIQUE INDEX "IX_items_project_id_external_id" ON items (project_id, external_id);

CREATE INDEX "IX_projects_owner_id" ON projects (owner_id);

CREATE UNIQUE INDEX "IX_users_name" ON users (name);

CREATE UNIQUE INDEX "IX_users_pseudonym" ON users (pseudonym);

-- Annotations are append-only: corrections are new rows, never edits.
CREATE FUNCTION annotations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'annotations are append-only';
END;
$$;

CREATE TRIGGER annotations_no_update BEFORE UPDATE OR DELETE ON annotations
    FOR EACH ROW EXECUTE FUNCTION annotations_append_only();
