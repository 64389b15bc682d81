-- Orleans ADO.NET reminders. Contract: orleans-facts.md §1.4.
-- GrainId is GrainId.ToString() ("type/key"); it is text because grain keys here can carry caller-supplied ids
-- longer than the shipped 150 characters. GrainHash is GrainId.GetUniformHashCode() as a signed integer.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      text           NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL, -- milliseconds
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Every silo refreshes its slices of the hash ring by GrainHash range (dozens of queries per refresh), which
-- would otherwise scan the whole service's reminders each time.
CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

-- Registers or replaces a reminder; a new one starts at version 0, each replacement adds 1. Returns the version.
CREATE OR REPLACE FUNCTION upsert_reminder_row(
    _service_id    text,
    _grain_id      text,
    _reminder_name text,
    _start_time    timestamptz,
    _period        bigint,
    _grain_hash    integer)
RETURNS integer
LANGUAGE sql AS
$fn$
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (_service_id, _grain_id, _reminder_name, _start_time, _period, _grain_hash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime,
            Period = EXCLUDED.Period,
            GrainHash = EXCLUDED.GrainHash,
            Version = r.Version + 1
    RETURNING r.Version;
$fn$;

-- Deletes a reminder only at the version the caller holds; returns the number of rows deleted (0 or 1).
CREATE OR REPLACE FUNCTION delete_reminder_row(
    _service_id    text,
    _grain_id      text,
    _reminder_name text,
    _version       integer)
RETURNS integer
LANGUAGE sql AS
$fn$
    WITH deleted AS
    (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = _service_id AND GrainId = _grain_id AND ReminderName = _reminder_name AND Version = _version
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted;
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    $q$
    SELECT upsert_reminder_row(@ServiceId, @GrainId, @ReminderName, @StartTime, CAST(@Period AS bigint), @GrainHash) AS Version;
    $q$
),
(
    'ReadReminderRowsKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
    $q$
),
(
    'ReadReminderRowKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
    $q$
),
(
    'ReadRangeRows1Key',
    -- A ring slice that does not wrap: (BeginHash, EndHash].
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
    $q$
),
(
    'ReadRangeRows2Key',
    -- A slice that wraps past the top of the ring: (BeginHash, max] and [min, EndHash].
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
    $q$
),
(
    'DeleteReminderRowKey',
    $q$
    SELECT delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
    $q$
),
(
    'DeleteReminderRowsKey',
    $q$
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
