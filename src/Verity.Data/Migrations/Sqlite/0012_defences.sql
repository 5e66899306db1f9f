-- Each project may tune its defences against annotators who poison labels on purpose; null keeps the defaults (on),
-- so existing projects are defended too.
ALTER TABLE "projects" ADD COLUMN "defences_json" TEXT NULL;
