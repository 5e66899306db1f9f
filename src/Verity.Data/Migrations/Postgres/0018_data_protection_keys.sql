-- The data-protection key ring (sign-in cookies, antiforgery tokens) lives in the database, so several nodes on one
-- database accept each other's cookies, and a reinstalled node keeps its users signed in.
CREATE TABLE data_protection_keys (
    id uuid NOT NULL,
    friendly_name character varying(200) NOT NULL,
    xml text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_data_protection_keys" PRIMARY KEY (id)
);
