-- lists: digests go out through the delivery engine, as posts do. Each digest is stored once per
-- format (an edition: the MIME digest for members on "digest", the RFC 1153 text for members on
-- "digest-plain"), and one delivery job per edition fans it out to those members in the same
-- batches, over the same connections, with the same VERP and personal headers, retries, bounces
-- and crash recovery as a post. A job now carries a post or an edition: post_id becomes
-- nullable and edition_id is added.
CREATE TABLE list_digest_editions (
    id {{ID}},
    digest_id BIGINT NOT NULL REFERENCES list_digests (id) ON DELETE CASCADE,
    delivery_mode TEXT NOT NULL,          -- digest / digest-plain: the members who receive it
    bytes TEXT NOT NULL,                  -- base64 of the message before the personal headers
    created_at BIGINT NOT NULL,
    UNIQUE (digest_id, delivery_mode)
);

-- dialect: postgresql
ALTER TABLE list_deliveries ALTER COLUMN post_id DROP NOT NULL;
ALTER TABLE list_deliveries ADD COLUMN edition_id BIGINT UNIQUE
    REFERENCES list_digest_editions (id) ON DELETE CASCADE;
-- dialect: sqlite
-- SQLite cannot drop a NOT NULL: both tables are rebuilt (the recipients first, so that dropping
-- the old jobs cascades to nothing); renaming updates the recipients' foreign key.
CREATE TABLE list_deliveries_next (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    post_id BIGINT UNIQUE REFERENCES list_posts (id) ON DELETE CASCADE,
    edition_id BIGINT UNIQUE REFERENCES list_digest_editions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    member_cursor BIGINT NOT NULL DEFAULT 0,
    snapshot_done INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT
);
INSERT INTO list_deliveries_next (id, list_id, post_id, created_at, member_cursor, snapshot_done,
    next_attempt_at, claimed_by, lease_until, finished_at)
    SELECT id, list_id, post_id, created_at, member_cursor, snapshot_done, next_attempt_at,
    claimed_by, lease_until, finished_at FROM list_deliveries;
CREATE TABLE list_delivery_recipients_next (
    delivery_id BIGINT NOT NULL REFERENCES list_deliveries_next (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES list_members (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    first_failure_at BIGINT,
    last_reply TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, member_id)
);
INSERT INTO list_delivery_recipients_next (delivery_id, member_id, email, state, attempts,
    next_attempt_at, first_failure_at, last_reply, updated_at)
    SELECT delivery_id, member_id, email, state, attempts, next_attempt_at, first_failure_at,
    last_reply, updated_at FROM list_delivery_recipients;
DROP TABLE list_delivery_recipients;
DROP TABLE list_deliveries;
ALTER TABLE list_deliveries_next RENAME TO list_deliveries;
ALTER TABLE list_delivery_recipients_next RENAME TO list_delivery_recipients;
CREATE INDEX list_deliveries_due ON list_deliveries (finished_at, next_attempt_at);
CREATE INDEX list_delivery_recipients_due
    ON list_delivery_recipients (delivery_id, state, next_attempt_at);
-- dialect: all
