-- Orleans ADO.NET grain storage. Contract: orleans-facts.md §1.3.
-- A row's identity is (service, state name, key); Orleans computes both hashes. graintypestring holds the
-- [PersistentState] name, not the grain class. The extension holds string keys whole, so it is text: a long key
-- must not fail a write on an arbitrary varchar limit.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring text         NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NULL
);

-- At most one row per identity, so two activations racing to write a state for the first time cannot both insert
-- (the shipped schema has no such constraint). The hashes lead so this index also serves every lookup. The
-- strings enter as md5 digests to stay under the btree row-size limit; the IS NULL flag makes a NULL extension
-- (every non-string key) equal to itself and distinct from an empty one.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity ON OrleansStorage
(
    grainidhash,
    graintypehash,
    grainidn0,
    grainidn1,
    serviceid,
    (md5(graintypestring)),
    (md5(coalesce(grainidextensionstring, ''))),
    (grainidextensionstring IS NULL)
);

-- Writes one state and returns its new version in one row: 1 for a first write, version + 1 for a replacement.
-- On conflict the row carries NULL (first write lost to another) or the unchanged version (stale etag), which
-- Orleans turns into InconsistentStateException.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        text,
    _grainidextensionstring text,
    _serviceid              text,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql AS
$fn$
DECLARE
    _written integer;
BEGIN
    IF _grainstateversion IS NULL THEN
        INSERT INTO OrleansStorage AS s
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
             serviceid, payloadbinary, modifiedon, version)
        VALUES
            (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring, _grainidextensionstring,
             _serviceid, _payloadbinary, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING s.version INTO _written;
    ELSE
        UPDATE OrleansStorage AS s
        SET payloadbinary = _payloadbinary, modifiedon = now(), version = s.version + 1
        WHERE s.grainidhash = _grainidhash
            AND s.graintypehash = _graintypehash
            AND s.grainidn0 = _grainidn0
            AND s.grainidn1 = _grainidn1
            AND s.serviceid = _serviceid
            AND s.graintypestring = _graintypestring
            AND s.grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
            AND s.version = _grainstateversion
        RETURNING s.version INTO _written;
        IF NOT FOUND THEN
            _written := _grainstateversion;
        END IF;
    END IF;

    RETURN QUERY SELECT _written;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    $q$
    SELECT payloadbinary AS PayloadBinary, version AS Version
    FROM OrleansStorage
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND serviceid = @ServiceId
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString;
    $q$
),
(
    'WriteToStorageKey',
    $q$
    SELECT newgrainstateversion AS NewGrainStateVersion
    FROM writetostorage(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
        @ServiceId, @GrainStateVersion, @PayloadBinary);
    $q$
),
(
    'ClearStorageKey',
    -- Keeps the row with a NULL payload so the version keeps counting; no row back means a stale etag.
    $q$
    UPDATE OrleansStorage
    SET payloadbinary = NULL, modifiedon = now(), version = version + 1
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND serviceid = @ServiceId
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
        AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;
    $q$
),
(
    'DeleteStorageKey',
    -- Used only with DeleteStateOnClear; no row back means a stale etag.
    $q$
    DELETE FROM OrleansStorage
    WHERE grainidhash = @GrainIdHash
        AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND serviceid = @ServiceId
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
        AND version = @GrainStateVersion
    RETURNING version + 1 AS NewGrainStateVersion;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
