-- archive search: a match found by the text index is kept or dropped by its list, date and
-- attachments. Read from archive_messages' own rows, each match was a page of its own among the
-- raw bytes and bodies (200,000 messages: 32,000 matches of a common word took 76 ms warm,
-- 560 ms cold, to filter to one list); this narrow index holds them densely (20 ms). SQLite is
-- told to use it (INDEXED BY in archive::search), since it prefers the rowid for id = ?.
CREATE INDEX archive_messages_search_keys
    ON archive_messages (id, list_id, date, attachment_count);
