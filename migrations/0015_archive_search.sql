-- archive search (issue #7): one row per archived message, holding the words our own tokenizer
-- (archive/tokenizer.cpp) made of its subject and text: surface forms, then "§"-marked stems.
-- Both backends receive the same normalised tokens, so they match the same messages.
--
-- SQLite: a contentless FTS5 table (the tokens are not stored twice) keyed by
-- archive_messages.id (rowid). The 'ascii' tokenizer splits only at ASCII spaces and punctuation
-- and passes every other byte through, so it keeps our tokens exactly (unicode61 would split
-- "§run" and re-fold what we already folded). Contentless rows can only be deleted with the
-- tokens they were indexed with: index() recomputes them from the archive_messages row, whose
-- text never changes once archived. Deleting archive_messages rows (nothing does yet) leaves
-- their index rows behind; searches join archive_messages, so those never show, and ids are
-- never reused (AUTOINCREMENT).
-- dialect: sqlite
CREATE VIRTUAL TABLE archive_search USING fts5(subject, body, content = '', tokenize = 'ascii');
-- archive::search::index() receives only a Connection, which does not tell its dialect: it asks.
CREATE VIEW archive_search_engine AS SELECT 'fts5' AS name;
-- PostgreSQL: a tsvector built from our tokens as a literal (no text search parser or
-- dictionary runs on it), subject positions weighted A, with a GIN index.
-- dialect: postgresql
CREATE TABLE archive_search (
    message_id BIGINT PRIMARY KEY REFERENCES archive_messages (id) ON DELETE CASCADE,
    document tsvector NOT NULL
);
CREATE INDEX archive_search_document ON archive_search USING GIN (document);
CREATE VIEW archive_search_engine AS SELECT 'tsvector' AS name;
