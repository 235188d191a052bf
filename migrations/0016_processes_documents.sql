-- processes: the negotiated texts of a process — documents (a draft, an outcome, an elements
-- paper…) and their numbered revisions ("Zero draft", "Rev.1", …) with the full text, compared
-- paragraph by paragraph on the pages (texts/). processes/document_store.cpp is the only code
-- that reads or writes these tables. Additions are recorded in process_history
-- ("document.create", "document.revision") with document_id set.

CREATE TABLE process_documents (
    id {{ID}},
    process_id BIGINT NOT NULL REFERENCES processes (id),
    slug TEXT NOT NULL,             -- unique within the process; part of the URL
    title TEXT NOT NULL,
    kind TEXT NOT NULL,             -- draft outcome elements-paper report other
    url TEXT NOT NULL,              -- where it is published, or ''
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (process_id, slug)
);

CREATE TABLE process_document_revisions (
    id {{ID}},
    document_id BIGINT NOT NULL REFERENCES process_documents (id),
    number INTEGER NOT NULL,        -- 1, 2, … in the order added; part of the URL
    label TEXT NOT NULL,            -- "Zero draft", "Rev.1"
    issued_on TEXT NOT NULL,        -- YYYY-MM-DD
    format TEXT NOT NULL,           -- text markdown
    body TEXT NOT NULL,             -- NFC, LF line breaks
    created_at BIGINT NOT NULL,
    UNIQUE (document_id, number)
);

ALTER TABLE process_history ADD COLUMN document_id BIGINT;
