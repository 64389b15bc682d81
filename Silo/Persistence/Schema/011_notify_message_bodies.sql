-- Bodies are dropped before their rows (Notify:Retention:Bodies): the record keeps its outcome, the content goes.
-- The record's JSON carries bodyDroppedAt as the source of truth; this column copies it so the retention pass walks
-- only the rows that still have a body, oldest first, however many dropped ones lie before them.
ALTER TABLE notify_message ADD COLUMN IF NOT EXISTS body_dropped_at timestamptz NULL;

CREATE INDEX IF NOT EXISTS ix_notify_message_body_kept ON notify_message (created_at) WHERE body_dropped_at IS NULL;
