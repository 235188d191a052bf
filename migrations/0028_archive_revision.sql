-- archive: one revision counter per list, raised by archive::store in the transaction that
-- archives a message (and so re-threads whatever it links). A server that keeps rendered thread
-- pages reads only this row per request to learn whether any server or command archived a
-- message in the list since (web/pages/archive_pages.cpp). No row reads as revision 0.
CREATE TABLE archive_revisions (
    list_id BIGINT PRIMARY KEY REFERENCES lists (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL
);
