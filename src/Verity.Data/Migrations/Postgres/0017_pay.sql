-- Pay. A project may set its own hourly rate (null: the track's) and its expected task time, which caps the time paid
-- for a task submitted without a browser's measurement. Each annotation records the active seconds it is paid for.
ALTER TABLE projects ADD COLUMN hourly_rate numeric(12,2) NULL;

ALTER TABLE projects ADD COLUMN expected_task_minutes integer NOT NULL DEFAULT 10;

ALTER TABLE annotations ADD COLUMN active_seconds integer NULL;

-- The ledger: time entries written with the annotation they pay, adjustments and bonuses by an operator with a reason.
-- Money is exact numeric, never floating point. Entries are never changed or removed: a mistake is corrected by a new
-- entry. A payout lists the entries it paid; the entry is the key of payout_entries, so no entry is paid twice.
CREATE TABLE payouts (
    id uuid NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    by_user_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_payouts" PRIMARY KEY (id),
    CONSTRAINT "FK_payouts_users_by_user_id" FOREIGN KEY (by_user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE ledger_entries (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    project_id uuid,
    track_id character varying(40),
    annotation_id uuid,
    seconds integer NOT NULL,
    hourly_rate numeric(12,2),
    multiplier numeric(6,3),
    amount numeric(12,2) NOT NULL,
    currency character varying(3) NOT NULL,
    reason character varying(500),
    corrects_id uuid,
    by_user_id uuid,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ledger_entries" PRIMARY KEY (id),
    CONSTRAINT "FK_ledger_entries_annotations_annotation_id" FOREIGN KEY (annotation_id) REFERENCES annotations (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_ledger_entries_corrects_id" FOREIGN KEY (corrects_id) REFERENCES ledger_entries (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_projects_project_id" FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_tracks_track_id" FOREIGN KEY (track_id) REFERENCES tracks (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_users_by_user_id" FOREIGN KEY (by_user_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE payout_entries (
    entry_id uuid NOT NULL,
    payout_id uuid NOT NULL,
    CONSTRAINT "PK_payout_entries" PRIMARY KEY (entry_id),
    CONSTRAINT "FK_payout_entries_ledger_entries_entry_id" FOREIGN KEY (entry_id) REFERENCES ledger_entries (id) ON DELETE RESTRICT,
    CONSTRAINT "FK_payout_entries_payouts_payout_id" FOREIGN KEY (payout_id) REFERENCES payouts (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_ledger_entries_annotation_id" ON ledger_entries (annotation_id);

CREATE INDEX "IX_ledger_entries_by_user_id" ON ledger_entries (by_user_id);

CREATE INDEX "IX_ledger_entries_corrects_id" ON ledger_entries (corrects_id);

CREATE INDEX "IX_ledger_entries_created_at" ON ledger_entries (created_at);

CREATE INDEX "IX_ledger_entries_project_id" ON ledger_entries (project_id);

CREATE INDEX "IX_ledger_entries_track_id" ON ledger_entries (track_id);

CREATE INDEX "IX_ledger_entries_user_id_created_at" ON ledger_entries (user_id, created_at);

CREATE INDEX "IX_payout_entries_payout_id" ON payout_entries (payout_id);

CREATE INDEX "IX_payouts_by_user_id" ON payouts (by_user_id);

CREATE INDEX "IX_payouts_period_start" ON payouts (period_start);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER payouts_append_only BEFORE UPDATE OR DELETE ON payouts
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER payout_entries_append_only BEFORE UPDATE OR DELETE ON payout_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
