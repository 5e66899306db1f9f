-- An owner's or admin's decision to hold an annotator's labels out of a project's labels and exports, with the reason.
-- Append-only: a later restoration lifts it, and both stay on record.
CREATE TABLE quarantines (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    annotator_id uuid NOT NULL,
    decided_by_id uuid NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_quarantines" PRIMARY KEY (id),
    CONSTRAINT "FK_quarantines_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_quarantines_users_annotator_id" FOREIGN KEY (annotator_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_quarantines_users_decided_by_id" FOREIGN KEY (decided_by_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_quarantines_annotator_id" ON quarantines (annotator_id);

CREATE INDEX "IX_quarantines_decided_by_id" ON quarantines (decided_by_id);

CREATE INDEX "IX_quarantines_project_id_annotator_id" ON quarantines (project_id, annotator_id);
