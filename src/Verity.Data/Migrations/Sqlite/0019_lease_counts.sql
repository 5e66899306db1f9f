-- Each real item counts its open leases on its own row, so choosing the next item no longer counts assignments per
-- candidate. Every open lease is counted at first, lapsed ones too: the earliest expiry tells the lease queries to
-- recount the item from its assignments, which drops the lapsed ones.
ALTER TABLE "items" ADD COLUMN "leased_count" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "items" ADD COLUMN "lease_expires_at" TEXT NULL;

UPDATE "items" SET
    "leased_count" = (SELECT count(*) FROM "assignments" a WHERE a."item_id" = "items"."id" AND NOT a."is_repeat" AND a."submitted_at" IS NULL),
    "lease_expires_at" = (SELECT min(a."expires_at") FROM "assignments" a WHERE a."item_id" = "items"."id" AND NOT a."is_repeat" AND a."submitted_at" IS NULL)
WHERE NOT "is_gold" AND "id" IN (SELECT "item_id" FROM "assignments" WHERE "submitted_at" IS NULL AND NOT "is_repeat");
