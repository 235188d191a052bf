-- processes: the UN and related governance processes the coalition follows, their milestones and
-- the history of every change (shown on the process page and in /processes/feed.atom).
-- processes/process_store.cpp is the only code that reads or writes these tables. Documents and
-- their revisions, followers and reminders come later in their own tables, keyed by process_id
-- and milestone_id.

CREATE TABLE processes (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL,             -- un-process forum meeting-series consultation
    convenor TEXT NOT NULL,
    description TEXT NOT NULL,      -- Markdown
    links TEXT NOT NULL,            -- JSON array of {"title", "url"}
    status TEXT NOT NULL,           -- upcoming active concluded
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A start and an optional end, each either a date (start_time NULL) or a local wall time with
-- its IANA zone; *_utc is the instant (for a date: midnight UTC of that day), for sorting.
-- date_precision: day, or month / year for sourced facts known only that far (date on the 1st).
CREATE TABLE process_milestones (
    id {{ID}},
    process_id BIGINT NOT NULL REFERENCES processes (id),
    uid TEXT UNIQUE,                -- stable key of imported data (iCalendar UID); NULL: "milestone-<id>"
    kind TEXT NOT NULL,             -- consultation-opens deadline meeting negotiation-round adoption report other
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,       -- YYYY-MM-DD (local date of a date-time)
    start_time TEXT,                -- HH:MM, NULL for a date
    start_zone TEXT,                -- IANA zone, NULL for a date
    start_utc BIGINT NOT NULL,
    end_date TEXT,
    end_time TEXT,
    end_zone TEXT,
    end_utc BIGINT,
    date_precision TEXT NOT NULL DEFAULT 'day',
    tentative INTEGER NOT NULL DEFAULT 0,
    location_kind TEXT NOT NULL,    -- none in-person online hybrid
    location TEXT NOT NULL,         -- city, venue
    links TEXT NOT NULL,            -- JSON array of {"title", "url"}
    notes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX process_milestones_process ON process_milestones (process_id, start_utc);
CREATE INDEX process_milestones_start ON process_milestones (start_utc);

-- Every change: who, when, what (a JSON object of the fields changed: {"field": [old, new]}).
CREATE TABLE process_history (
    id {{ID}},
    process_id BIGINT NOT NULL REFERENCES processes (id),
    milestone_id BIGINT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,            -- accounts::Actor::label()
    action TEXT NOT NULL,           -- process.create process.update milestone.create milestone.update
    summary TEXT NOT NULL,          -- one English line: "Deadline moved", the milestone title
    changes TEXT NOT NULL
);
CREATE INDEX process_history_process ON process_history (process_id, at);
CREATE INDEX process_history_at ON process_history (at);

-- Raised with every change, so a server may keep the processes in memory.
CREATE TABLE process_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO process_revision (id, revision) VALUES (1, 0);
