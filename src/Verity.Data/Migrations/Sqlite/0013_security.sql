-- Accounts can be disabled, and repeated failed sign-ins make the account wait longer before the next check.
ALTER TABLE "users" ADD COLUMN "disabled_at" TEXT NULL;
ALTER TABLE "users" ADD COLUMN "failed_sign_ins" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "users" ADD COLUMN "sign_in_blocked_until" TEXT NULL;

-- Tokens have a name, scopes, an expiry, a last use and can be revoked. Existing tokens keep every scope of their role.
ALTER TABLE "api_tokens" ADD COLUMN "name" TEXT NOT NULL DEFAULT '';
ALTER TABLE "api_tokens" ADD COLUMN "scopes" TEXT NOT NULL DEFAULT 'annotate review projects export admin';
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" TEXT NULL;
ALTER TABLE "api_tokens" ADD COLUMN "last_used_at" TEXT NULL;
ALTER TABLE "api_tokens" ADD COLUMN "revoked_at" TEXT NULL;

-- Browser sign-ins live on the server, so ending one ends the cookie's access at once.
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_sessions" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "last_seen_at" TEXT NOT NULL,
    "ended_at" TEXT NULL,
    CONSTRAINT "FK_sessions_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE INDEX "IX_sessions_user_id" ON "sessions" ("user_id");

-- Security-relevant events; nothing in Verity may edit or remove them.
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL CONSTRAINT "PK_audit_events" PRIMARY KEY,
    "created_at" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" TEXT NULL,
    "actor_name" TEXT NULL,
    "project_id" TEXT NULL,
    "subject" TEXT NULL,
    "detail" TEXT NULL,
    "address" TEXT NULL
);

CREATE INDEX "IX_audit_events_created_at" ON "audit_events" ("created_at");

CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events"
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events"
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
