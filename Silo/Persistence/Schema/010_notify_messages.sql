-- Send records: one row per accepted message, written by MessageGrain at each state transition
-- (PostgresMessageRecordStore). `record` is the whole MessageRecord as JSON and the source of truth on read; the
-- other columns copy the fields that queries filter or sort on, so operators can also read them with psql.
-- channel holds the lower-case channel name ('email', 'sms', ...), status the MessageStatus name ('Sent', ...).

CREATE TABLE IF NOT EXISTS notify_message
(
    id                      text COLLATE "C" NOT NULL,
    channel                 text        NOT NULL,
    status                  text        NOT NULL,
    source                  text        NOT NULL,
    sender                  text        NOT NULL,
    priority                smallint    NOT NULL, -- BK-CI's value: -1 low, 0 normal, 1 high
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    next_attempt_at         timestamptz NULL,
    completed_at            timestamptz NULL,
    content_md5             text        NOT NULL,
    frequency_limit_minutes integer     NOT NULL,
    delay_seconds           integer     NOT NULL,
    attempts                integer     NOT NULL,
    retry_count             integer     NOT NULL,
    last_error              text        NULL,
    possible_duplicate      boolean     NOT NULL,
    request_id              text        NULL,
    -- Every receiver as written and every address it resolved to, normalised per channel.
    receiver_keys           text[]      NOT NULL,
    record                  jsonb       NOT NULL,
    version                 integer     NOT NULL,

    CONSTRAINT pk_notify_message PRIMARY KEY (id)
);

-- Lists are newest first; id breaks ties the same way the embedded store does (ordinal, hence COLLATE "C").
CREATE INDEX IF NOT EXISTS ix_notify_message_created_at ON notify_message (created_at DESC, id DESC);

-- "Everything sent to X": receiver filters use array containment.
CREATE INDEX IF NOT EXISTS ix_notify_message_receiver_keys ON notify_message USING gin (receiver_keys);

-- The sweep for messages whose next attempt is overdue looks only at messages still in flight, a small set.
CREATE INDEX IF NOT EXISTS ix_notify_message_overdue ON notify_message (next_attempt_at)
    WHERE status IN ('Pending', 'Sending', 'Retrying');
