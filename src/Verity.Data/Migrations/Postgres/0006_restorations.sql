-- An admin's decision to restore an annotator whom a project's rules removed; rules then leave them active.
CREATE TABLE restorations (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    admin_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_restorations" PRIMARY KEY (id),
    CONSTRAINT "FK_restorations_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_restorations_users_admin_id" FOREIGN KEY (admin_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_restorations_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_restorations_admin_id" ON restorations (admin_id);

CREATE INDEX "IX_restorations_annotator_id" ON restorations (annotator_id);

CREATE INDEX "IX_restorations_project_id_annotator_id" ON restorations (project_id, annotator_id);
