-- processes: list threads linked to a milestone (issue #6 "Pages": links both ways between a
-- milestone and the list threads about it). A link names one archived message (the one the admin
-- pasted: a permalink, an /r/ URL or a Message-ID); the thread is the one that message is in when
-- the page is shown, so a thread that merges with another keeps its links. processes must not
-- read archive's tables: list_id and archive_message_id are the archive's ids, resolved by the web
-- edge. processes/process_store.cpp is the only code that reads or writes this table.

CREATE TABLE process_milestone_threads (
    milestone_id BIGINT NOT NULL REFERENCES process_milestones (id),
    position INTEGER NOT NULL,          -- the order the admin typed them in
    list_id BIGINT NOT NULL,            -- lists' id of the list the message is archived in
    archive_message_id BIGINT NOT NULL, -- archive_messages.id (the permalink /lists/NAME/m/ID)
    message_id TEXT NOT NULL,           -- its Message-ID without <>, for the history
    PRIMARY KEY (milestone_id, archive_message_id)
);
CREATE INDEX process_milestone_threads_message ON process_milestone_threads (archive_message_id);
