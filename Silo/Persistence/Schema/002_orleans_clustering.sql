-- Orleans ADO.NET clustering (membership). Contract: orleans-facts.md §1.2.
-- DeploymentId is ClusterOptions.ClusterId. The version row is the table's optimistic-concurrency token: every
-- membership write names the version it read and succeeds only if it is still current, bumping it by one.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    -- SiloStatus: 0 None, 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Inserts a member and bumps the table version, both or neither; returns 1 on success, 0 when the version the
-- caller read is stale or the member already exists. The version row is locked first, only if it still holds
-- the expected version (READ COMMITTED re-checks the predicate after waiting on a concurrent writer), so no step
-- needs undoing and nothing relies on PL/pgSQL assertions being enabled.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    _deployment_id   text,
    _address         text,
    _port            integer,
    _generation      integer,
    _silo_name       text,
    _host_name       text,
    _status          integer,
    _proxy_port      integer,
    _start_time      timestamptz,
    _i_am_alive_time timestamptz,
    _version         integer)
RETURNS integer
LANGUAGE plpgsql AS
$fn$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable v
    WHERE v.DeploymentId = _deployment_id AND v.Version = _version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (_deployment_id, _address, _port, _generation, _silo_name, _host_name, _status, _proxy_port, _start_time, _i_am_alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = _deployment_id;
    RETURN 1;
END
$fn$;

-- Updates a member's status, suspicions and heartbeat and bumps the table version, both or neither; returns 1 on
-- success, 0 when the version is stale or the member is missing. Same locking scheme as the insert.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    _deployment_id   text,
    _address         text,
    _port            integer,
    _generation      integer,
    _status          integer,
    _suspect_times   text,
    _i_am_alive_time timestamptz,
    _version         integer)
RETURNS integer
LANGUAGE plpgsql AS
$fn$
BEGIN
    PERFORM 1
    FROM OrleansMembershipVersionTable v
    WHERE v.DeploymentId = _deployment_id AND v.Version = _version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable m
    SET Status = _status, SuspectTimes = _suspect_times, IAmAliveTime = _i_am_alive_time
    WHERE m.DeploymentId = _deployment_id AND m.Address = _address AND m.Port = _port AND m.Generation = _generation;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = _deployment_id;
    RETURN 1;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey',
    -- One boolean cell: 1 when this call created the cluster's version row.
    $q$
    WITH created AS
    (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM created;
    $q$
),
(
    'InsertMembershipKey',
    $q$
    SELECT orleans_insert_membership(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
    $q$
),
(
    'UpdateMembershipKey',
    $q$
    SELECT orleans_update_membership(
        @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
    $q$
),
(
    'UpdateIAmAlivetimeKey',
    -- The heartbeat: one row, no version change, no result read.
    $q$
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
    $q$
),
(
    'MembershipReadRowKey',
    -- Always at least the version row: member columns are NULL when the member is absent.
    $q$
    SELECT
        v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    'MembershipReadAllKey',
    $q$
    SELECT
        v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    'GatewaysQueryKey',
    $q$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
    $q$
),
(
    'DeleteMembershipTableEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
    $q$
),
(
    'CleanupDefunctSiloEntriesKey',
    -- Bulk fallback: only Dead members whose start and last heartbeat are both older than the cutoff, so a live
    -- silo that is merely shutting down or slow to heartbeat is never removed.
    $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
        AND Status = 6
        AND IAmAliveTime < @IAmAliveTime
        AND StartTime < @IAmAliveTime;
    $q$
),
(
    'CleanupDefunctSiloEntryKey',
    -- Per-entry cleanup (preferred by Orleans 10.4.2 when present): delete one Dead member only if it is still
    -- exactly as the caller read it; the table version is deliberately left alone.
    $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
        AND Address = @Address AND Port = @Port AND Generation = @Generation
        AND Status = 6
        AND StartTime = @StartTime
        AND IAmAliveTime = @IAmAliveTime
        AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '');
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
