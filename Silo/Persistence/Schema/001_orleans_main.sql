-- The query catalogue of the Orleans ADO.NET providers: each provider reads its keys once, when it initialises,
-- and runs the stored text with its own parameters (orleans-facts.md §1.1). The capability scripts that follow
-- upsert their keys here, so re-running a script replaces the query texts with the current ones.
--
-- Every script in this folder is idempotent and runs inside one transaction under an advisory lock
-- (SchemaMigrator), so it may run at every start and from several silos at once.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
