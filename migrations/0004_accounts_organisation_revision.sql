-- accounts: the revision of the organisations table, one counter that every insert into and
-- update of organisations raises in the same transaction (accounts/organisation_store.cpp). A
-- server keeps the organisations in memory and reads only this row per request to learn whether
-- any server or command changed one since; see Organisations::directory().
CREATE TABLE organisations_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- Exactly one row.
    revision BIGINT NOT NULL
);
INSERT INTO organisations_revision (id, revision) VALUES (1, 0);
