-- publications: news posts and position papers written by admins, kept as drafts until published
-- (published_at set; unpublishing clears it), every saved text kept as a numbered revision, and the
-- record of statements delivered on the coalition's behalf at meetings. A publication may belong to
-- a process (its slug, owned by processes). publications/publication_store.cpp is the only code
-- that reads or writes these tables.

CREATE TABLE publications (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,                 -- news position-paper
    title TEXT NOT NULL,
    language TEXT NOT NULL,             -- one of the six UN languages
    process_slug TEXT NOT NULL,         -- processes' slug, or ''
    summary TEXT NOT NULL,
    markdown TEXT NOT NULL,
    published_at BIGINT,                -- NULL: a draft (never published, or unpublished)
    edited_at BIGINT,                   -- the text's last change while it was published
    revision BIGINT NOT NULL,           -- the number of the newest publication_revisions row
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX publications_by_date ON publications (published_at);

CREATE TABLE publication_revisions (
    publication_id BIGINT NOT NULL REFERENCES publications (id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    markdown TEXT NOT NULL,
    actor TEXT NOT NULL,                -- accounts::Actor::label()
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (publication_id, number)
);

CREATE TABLE delivered_statements (
    id {{ID}},
    publication_id BIGINT NOT NULL REFERENCES publications (id),
    speaker TEXT NOT NULL,
    organisation_id BIGINT,             -- accounts' organisation, or NULL
    milestone_id BIGINT,                -- processes' milestone, or NULL (then meeting names it)
    meeting TEXT NOT NULL,
    delivered_on TEXT NOT NULL,         -- YYYY-MM-DD
    link TEXT NOT NULL,                 -- the recording or transcript, or ''
    created_at BIGINT NOT NULL
);

CREATE INDEX delivered_statements_by_publication ON delivered_statements (publication_id);
