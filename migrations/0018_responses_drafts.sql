-- responses: joint responses being drafted. A response answers a consultation (a process milestone,
-- or its own deadline and link), has editors chosen by an admin and partner organisations it is
-- opened to. Its text is a sequence of anchored blocks (headings and paragraphs): a block row is
-- one wording of one anchor and is never changed; a version lists the block rows it is made of, in
-- order, and is identified by the SHA-256 of its canonical text. Comments and amendments point at
-- an anchor. responses/response_store.cpp is the only code that reads or writes these tables.

CREATE TABLE responses (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    milestone_id BIGINT,            -- processes' milestone (a consultation's deadline), or NULL
    deadline_date TEXT,             -- own deadline when there is no milestone: local date,
    deadline_time TEXT,             -- HH:MM,
    deadline_zone TEXT,             -- IANA zone,
    deadline_utc BIGINT,            -- and the instant
    link TEXT NOT NULL,             -- the consultation's page, or ''
    status TEXT NOT NULL,           -- draft open-for-endorsement published
    next_anchor BIGINT NOT NULL,    -- anchors handed out so far ("p-1", "s-2", …)
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE response_editors (
    response_id BIGINT NOT NULL REFERENCES responses (id),
    user_id BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (response_id, user_id)
);

CREATE TABLE response_partners (
    response_id BIGINT NOT NULL REFERENCES responses (id),
    organisation_id BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (response_id, organisation_id)
);

CREATE TABLE response_blocks (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    anchor TEXT NOT NULL,           -- stable across versions: "p-7", "s-2"
    kind TEXT NOT NULL,             -- heading paragraph
    level INTEGER NOT NULL,         -- 1–6 for a heading, 0 for a paragraph
    body TEXT NOT NULL,             -- Markdown as written (canonical: NFC, LF, no trailing spaces)
    created_at BIGINT NOT NULL
);
CREATE INDEX response_blocks_anchor ON response_blocks (response_id, anchor);

CREATE TABLE response_versions (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    number INTEGER NOT NULL,        -- 1, 2, …
    hash TEXT NOT NULL,             -- hex SHA-256 of the canonical text
    reason TEXT NOT NULL,           -- why: "Amendment 4 accepted", an editor's note
    amendment_id BIGINT,            -- the amendment accepted or merged, if any
    actor TEXT NOT NULL,            -- accounts::Actor::label()
    author_user_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (response_id, number)
);

CREATE TABLE response_version_blocks (
    version_id BIGINT NOT NULL REFERENCES response_versions (id),
    position INTEGER NOT NULL,
    block_id BIGINT NOT NULL REFERENCES response_blocks (id),
    PRIMARY KEY (version_id, position)
);

CREATE TABLE response_comments (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    anchor TEXT NOT NULL,
    version_number INTEGER NOT NULL, -- the version the author was reading
    parent_id BIGINT,               -- a reply: the top-level comment it answers
    author_user_id BIGINT NOT NULL,
    body TEXT NOT NULL,             -- plain text
    created_at BIGINT NOT NULL
);
CREATE INDEX response_comments_response ON response_comments (response_id, id);

CREATE TABLE response_amendments (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    anchor TEXT NOT NULL,
    base_block_id BIGINT NOT NULL,  -- the wording it replaces; stale when the anchor moved on
    wording TEXT NOT NULL,          -- '' proposes deleting the paragraph
    reason TEXT NOT NULL,
    author_user_id BIGINT NOT NULL,
    state TEXT NOT NULL,            -- open accepted rejected merged
    editor_note TEXT NOT NULL,
    decided_by BIGINT,
    decided_at BIGINT,
    version_number INTEGER,         -- the version an acceptance or merge made
    created_at BIGINT NOT NULL
);
CREATE INDEX response_amendments_response ON response_amendments (response_id, id);
