-- archive (issue #7): every archived message's original bytes (base64, as list_posts keeps them)
-- and the fields parsed from them; threads; the Message-IDs each message refers to, so that a
-- late parent finds the children that arrived before it.
CREATE TABLE archive_threads (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    subject TEXT NOT NULL DEFAULT '',
    base_subject TEXT NOT NULL DEFAULT '',  -- archive::base_subject(subject): joins orphans
    first_message BIGINT,
    started_at BIGINT NOT NULL,
    last_activity BIGINT NOT NULL,
    message_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX archive_threads_list_activity ON archive_threads (list_id, last_activity);
CREATE INDEX archive_threads_list_subject ON archive_threads (list_id, base_subject);

CREATE TABLE archive_messages (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES archive_threads (id),
    post_id BIGINT,                        -- list_posts.id when it came through the list
    message_id TEXT NOT NULL,              -- without <>
    message_id_assigned INTEGER NOT NULL DEFAULT 0,
    date BIGINT NOT NULL,
    date_is_fallback INTEGER NOT NULL DEFAULT 0,
    author_name TEXT NOT NULL DEFAULT '',
    author_email TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    in_reply_to TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',         -- References, space-separated, oldest first
    body_text TEXT NOT NULL DEFAULT '',
    attachment_count INTEGER NOT NULL DEFAULT 0,
    parseable INTEGER NOT NULL DEFAULT 1,
    raw TEXT NOT NULL,                     -- base64 of the original bytes
    archived_at BIGINT NOT NULL,
    UNIQUE (list_id, message_id)
);
CREATE INDEX archive_messages_thread ON archive_messages (thread_id, date);
CREATE INDEX archive_messages_list_date ON archive_messages (list_id, date);
CREATE INDEX archive_messages_message_id ON archive_messages (message_id);

CREATE TABLE archive_attachments (
    message_id BIGINT NOT NULL REFERENCES archive_messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes TEXT NOT NULL,                   -- base64
    PRIMARY KEY (message_id, position)
);

-- One row per Message-ID a message names in In-Reply-To/References.
CREATE TABLE archive_references (
    list_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL REFERENCES archive_messages (id) ON DELETE CASCADE,
    referenced TEXT NOT NULL,
    PRIMARY KEY (message_id, referenced)
);
CREATE INDEX archive_references_referenced ON archive_references (list_id, referenced);
