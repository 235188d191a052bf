-- lists: digests sent. One row per digest (numbered per list: volume = the UTC year it was sent,
-- issue from 1 within the volume), written in the same transaction that queues its mails in
-- mail_outbox, so a digest is never sent twice: two servers racing for the same issue collide on
-- the UNIQUE constraint and the loser's transaction (mails included) is rolled back.
CREATE TABLE list_digests (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    volume INTEGER NOT NULL,
    issue INTEGER NOT NULL,
    last_post_id BIGINT NOT NULL,         -- the newest post it holds
    post_count INTEGER NOT NULL,
    size_bytes BIGINT NOT NULL,           -- the posts' sizes added up
    recipients INTEGER NOT NULL,          -- mails queued (members on digest delivery then)
    sent_at BIGINT NOT NULL,
    UNIQUE (list_id, volume, issue)
);
CREATE INDEX list_digests_list ON list_digests (list_id, sent_at);

-- Which digest carried each accepted post. A post held for days and approved after a later post
-- was digested still goes into the next digest (the next digest takes every accepted post not
-- listed here), and never into two (post_id is unique).
CREATE TABLE list_digest_posts (
    post_id BIGINT NOT NULL UNIQUE REFERENCES list_posts (id) ON DELETE CASCADE,
    digest_id BIGINT NOT NULL REFERENCES list_digests (id) ON DELETE CASCADE
);
CREATE INDEX list_digest_posts_digest ON list_digest_posts (digest_id);

-- Digests look for posts accepted since the last digest.
CREATE INDEX list_posts_list_decided ON list_posts (list_id, state, decided_at);
