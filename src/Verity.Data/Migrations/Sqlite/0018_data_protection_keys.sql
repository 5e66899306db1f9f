-- The data-protection key ring (sign-in cookies, antiforgery tokens) lives in the database, so several nodes on one
-- database accept each other's cookies, and a reinstalled node keeps its users signed in.
CREATE TABLE "data_protection_keys" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_protection_keys" PRIMARY KEY,
    "friendly_name" TEXT NOT NULL,
    "xml" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
