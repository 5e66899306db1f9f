-- One annotator's next and submit as Verity does them, in two transactions: pick the first open item nobody holds and
-- lease it, then store the answer and count it. One pgbench "transaction" of this script is one submission.
\set annotator random(1, 1000000000)
BEGIN;
WITH picked AS (
    SELECT id FROM pb_items WHERE project_id = 1 AND submitted_count + leased_count < target_overlap
    ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE pb_items i SET leased_count = leased_count + 1 FROM picked WHERE i.id = picked.id RETURNING i.id AS item \gset
INSERT INTO pb_leases (item_id, annotator, leased_at, expires_at) VALUES (:item, :annotator, now(), now() + interval '15 minutes') RETURNING id AS lease \gset
COMMIT;
BEGIN;
UPDATE pb_items SET leased_count = leased_count - 1, submitted_count = submitted_count + 1 WHERE id = :item;
UPDATE pb_leases SET submitted_at = now() WHERE id = :lease;
INSERT INTO pb_answers (lease_id, answer, created_at) VALUES (:lease, '{"choice":"a","strength":2}', now());
COMMIT;
