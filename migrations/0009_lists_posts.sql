-- lists: every message that reached a list's posting address (or was posted from the web), kept
-- from the moment the LMTP 250 is given: intake commits the row before answering. `raw` holds the
-- original bytes, base64-encoded (TEXT on both backends; mail may hold 8-bit and NUL bytes). The
-- archive (issue #7) reads accepted posts from here; delivery and digests start from here too.
CREATE TABLE list_posts (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,             -- without <>; assigned when missing (message_id_assigned)
    message_id_assigned INTEGER NOT NULL DEFAULT 0,
    envelope_sender TEXT NOT NULL DEFAULT '',
    author_email TEXT NOT NULL DEFAULT '',          -- From: address, as written (NFC)
    author_canonical TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',               -- decoded (RFC 2047), NFC
    size_bytes BIGINT NOT NULL,
    raw TEXT NOT NULL,                    -- base64 of the bytes as received
    decorated TEXT NOT NULL DEFAULT '',   -- base64 of the bytes as delivered (once accepted)
    source TEXT NOT NULL,                 -- lmtp / inject / web
    state TEXT NOT NULL,                  -- held / accepted / rejected / discarded
    hold_reason TEXT NOT NULL DEFAULT '', -- rule name: nonmember, moderated, emergency, size, …
    hold_detail TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',  -- moderator's address, or 'rules'
    decision_reason TEXT NOT NULL DEFAULT '',
    received_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX list_posts_list_state ON list_posts (list_id, state, received_at);
CREATE INDEX list_posts_message_id ON list_posts (list_id, message_id);

-- Senders a moderator chose to always accept (Mailman's "approve and add to accept list").
CREATE TABLE list_accepted_senders (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    email_canonical TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    UNIQUE (list_id, email_canonical)
);
