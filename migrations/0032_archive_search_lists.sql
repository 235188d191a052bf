-- archive search: each message's list as a term of the text index ("§§" and the list's id, a
-- token no query word can produce), so that a search in one list is the intersection of the
-- word's matches and the list's inside the index. Filtered afterwards by list_id, a common word at
-- 200,000 messages in 20 lists was looked up and scored 100,000 times to keep 5,000 of them.
--
-- SQLite: a contentless FTS5 table cannot gain a column, nor its rows be rewritten without the
-- tokens they were indexed with: it is made again, empty, with a third column `list` (weighted
-- 0 in bm25), and archive::search::finish_rebuild() indexes the messages up to last_id again,
-- in batches that each commit their progress, when the server or `coalition migrate` starts.
-- dialect: sqlite
DROP TABLE archive_search;
CREATE VIRTUAL TABLE archive_search USING fts5(subject, body, list, content = '', tokenize = 'ascii');
CREATE TABLE archive_search_rebuild (
    next_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL
);
INSERT INTO archive_search_rebuild (next_id, last_id)
    SELECT 1, MAX(id) FROM archive_messages HAVING COUNT(*) > 0;
-- PostgreSQL: the term is added to each stored tsvector (no position: it is never ranked).
-- dialect: postgresql
UPDATE archive_search s
   SET document = s.document || array_to_tsvector(ARRAY['§§' || m.list_id])
  FROM archive_messages m
 WHERE m.id = s.message_id;
