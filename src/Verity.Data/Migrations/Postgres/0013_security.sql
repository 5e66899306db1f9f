-- Accounts can be disabled, and repeated failed sign-ins make the account wait longer before the next check.
ALTER TABLE users ADD COLUMN disabled_at timestamp with time zone NULL;
ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN sign_in_blocked_until timestamp with time zone NULL;

-- Tokens have a name, scopes, an expiry, a last use and can be revoked. Existing tokens keep every scope of their role.
ALTER TABLE api_tokens ADD COLUMN name character varying(100) NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN scopes character varying(200) NOT NULL DEFAULT 'annotate review projects export admin';
ALTER TABLE api_tokens ADD COLUMN expires_at timestamp with time zone NULL;
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamp with time zone NULL;
ALTER TABLE api_tokens ADD COLUMN revoked_at timestamp with time zone NULL;

-- Browser sign-ins live on the server, so ending one ends the cookie's access at once.
CREATE TABLE sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NULL,
    CONSTRAINT "PK_sessions" PRIMARY KEY (id),
    CONSTRAINT "FK_sessions_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX "IX_sessions_user_id" ON sessions (user_id);

-- Security-relevant events; nothing in Verity may edit or remove them.
CREATE TABLE audit_events (
    id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    kind character varying(50) NOT NULL,
    actor_id uuid NULL,
    actor_name character varying(100) NULL,
    project_id uuid NULL,
    subject character varying(200) NULL,
    detail text NULL,
    address character varying(64) NULL,
    CONSTRAINT "PK_audit_events" PRIMARY KEY (id)
);

CREATE INDEX "IX_audit_events_created_at" ON audit_events (created_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
