-- statement: the published versions of the Statement of Purpose, their texts (the authoritative
-- one and translations into the six UN languages), the one working draft, and a revision counter.
-- A version never changes once published: its hash is the hex SHA-256 of its authoritative
-- canonical text. statement/statement_store.cpp is the only code that reads or writes these tables.

CREATE TABLE statement_versions (
    id {{ID}},
    number BIGINT NOT NULL UNIQUE,          -- 1, 2, … in publication order
    hash TEXT NOT NULL UNIQUE,              -- hex SHA-256 of the authoritative canonical text
    language TEXT NOT NULL,                 -- the authoritative language: ar zh en fr ru es
    published_at BIGINT NOT NULL
);

CREATE TABLE statement_texts (
    version_id BIGINT NOT NULL REFERENCES statement_versions (id),
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    markdown TEXT NOT NULL,                 -- canonical text (statement::canonical_text)
    authoritative INTEGER NOT NULL DEFAULT 0,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (version_id, language)
);

-- The working draft: at most one row.
CREATE TABLE statement_draft (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    title TEXT NOT NULL,
    markdown TEXT NOT NULL,
    language TEXT NOT NULL,
    saved_at BIGINT NOT NULL
);

-- Raised in the same transaction as every publication and translation, so a server may keep the
-- versions in memory and read only this row per request to learn whether anything changed.
CREATE TABLE statement_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- Exactly one row.
    revision BIGINT NOT NULL
);
INSERT INTO statement_revision (id, revision) VALUES (1, 0);
