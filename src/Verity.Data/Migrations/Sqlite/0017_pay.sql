-- Pay. A project may set its own hourly rate (null: the track's) and its expected task time, which caps the time paid
-- for a task submitted without a browser's measurement. Each annotation records the active seconds it is paid for.
ALTER TABLE "projects" ADD COLUMN "hourly_rate" TEXT NULL;

ALTER TABLE "projects" ADD COLUMN "expected_task_minutes" INTEGER NOT NULL DEFAULT 10;

ALTER TABLE "annotations" ADD COLUMN "active_seconds" INTEGER NULL;

-- The ledger: time entries written with the annotation they pay, adjustments and bonuses by an operator with a reason.
-- Money is exact decimal text, never REAL. Entries are never changed or removed: a mistake is corrected by a new entry.
-- A payout lists the entries it paid; the entry is the key of payout_entries, so no entry is paid twice.
CREATE TABLE "payouts" (
    "id" TEXT NOT NULL CONSTRAINT "PK_payouts" PRIMARY KEY,
    "period_start" TEXT NOT NULL,
    "period_end" TEXT NOT NULL,
    "by_user_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_payouts_users_by_user_id" FOREIGN KEY ("by_user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE "ledger_entries" (
    "id" TEXT NOT NULL CONSTRAINT "PK_ledger_entries" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "project_id" TEXT NULL,
    "track_id" TEXT NULL,
    "annotation_id" TEXT NULL,
    "seconds" INTEGER NOT NULL,
    "hourly_rate" TEXT NULL,
    "multiplier" TEXT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NULL,
    "corrects_id" TEXT NULL,
    "by_user_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "FK_ledger_entries_annotations_annotation_id" FOREIGN KEY ("annotation_id") REFERENCES "annotations" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_ledger_entries_corrects_id" FOREIGN KEY ("corrects_id") REFERENCES "ledger_entries" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_projects_project_id" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_tracks_track_id" FOREIGN KEY ("track_id") REFERENCES "tracks" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_users_by_user_id" FOREIGN KEY ("by_user_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ledger_entries_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE "payout_entries" (
    "entry_id" TEXT NOT NULL CONSTRAINT "PK_payout_entries" PRIMARY KEY,
    "payout_id" TEXT NOT NULL,
    CONSTRAINT "FK_payout_entries_ledger_entries_entry_id" FOREIGN KEY ("entry_id") REFERENCES "ledger_entries" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_payout_entries_payouts_payout_id" FOREIGN KEY ("payout_id") REFERENCES "payouts" ("id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_ledger_entries_annotation_id" ON "ledger_entries" ("annotation_id");

CREATE INDEX "IX_ledger_entries_by_user_id" ON "ledger_entries" ("by_user_id");

CREATE INDEX "IX_ledger_entries_corrects_id" ON "ledger_entries" ("corrects_id");

CREATE INDEX "IX_ledger_entries_created_at" ON "ledger_entries" ("created_at");

CREATE INDEX "IX_ledger_entries_project_id" ON "ledger_entries" ("project_id");

CREATE INDEX "IX_ledger_entries_track_id" ON "ledger_entries" ("track_id");

CREATE INDEX "IX_ledger_entries_user_id_created_at" ON "ledger_entries" ("user_id", "created_at");

CREATE INDEX "IX_payout_entries_payout_id" ON "payout_entries" ("payout_id");

CREATE INDEX "IX_payouts_by_user_id" ON "payouts" ("by_user_id");

CREATE INDEX "IX_payouts_period_start" ON "payouts" ("period_start");

CREATE TRIGGER "ledger_entries_no_update" BEFORE UPDATE ON "ledger_entries"
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TRIGGER "ledger_entries_no_delete" BEFORE DELETE ON "ledger_entries"
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TRIGGER "payouts_no_update" BEFORE UPDATE ON "payouts"
BEGIN SELECT RAISE(ABORT, 'payouts are append-only'); END;

CREATE TRIGGER "payouts_no_delete" BEFORE DELETE ON "payouts"
BEGIN SELECT RAISE(ABORT, 'payouts are append-only'); END;

CREATE TRIGGER "payout_entries_no_update" BEFORE UPDATE ON "payout_entries"
BEGIN SELECT RAISE(ABORT, 'payouts are append-only'); END;

CREATE TRIGGER "payout_entries_no_delete" BEFORE DELETE ON "payout_entries"
BEGIN SELECT RAISE(ABORT, 'payouts are append-only'); END;
