-- Repeats: an item an annotator already answered is served to them once more, later, to measure self-consistency.
-- The one-lease-per-item-and-annotator rule becomes one per item, annotator and kind of lease.
ALTER TABLE assignments ADD COLUMN is_repeat boolean NOT NULL DEFAULT false;

DROP INDEX "IX_assignments_item_id_annotator_id";

CREATE UNIQUE INDEX "IX_assignments_item_id_annotator_id_is_repeat" ON assignments (item_id, annotator_id, is_repeat);

ALTER TABLE projects ADD COLUMN repeat_rate double precision NOT NULL DEFAULT 0;

ALTER TABLE projects ADD COLUMN repeat_delay_minutes integer NOT NULL DEFAULT 1440;
