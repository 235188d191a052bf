-- lists: delivery of accepted posts. One job per post, written by intake in the transaction that
-- accepts it; the worker claims it with a lease (renewed as it goes), snapshots the recipients in
-- batches of members by id (member_cursor: every member with a smaller or equal id has its row,
-- written in the same transaction as the cursor), and records each recipient's outcome batch by
-- batch. A pending row is sent again after a crash, so at most the batches in flight repeat.
CREATE TABLE list_deliveries (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL UNIQUE REFERENCES list_posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,           -- the post's acceptance: later members do not get it
    member_cursor BIGINT NOT NULL DEFAULT 0,
    snapshot_done INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,      -- when the job has work (again: retries wait here)
    claimed_by TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT                    -- every recipient sent or failed
);
CREATE INDEX list_deliveries_due ON list_deliveries (finished_at, next_attempt_at);

-- One row per recipient of a delivery, from the snapshot on.
CREATE TABLE list_delivery_recipients (
    delivery_id BIGINT NOT NULL REFERENCES list_deliveries (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES list_members (id) ON DELETE CASCADE,
    email TEXT NOT NULL,                  -- the member's address at the snapshot
    state TEXT NOT NULL,                  -- pending / sent / failed
    attempts INTEGER NOT NULL DEFAULT 0,  -- transactions tried (4xx answers counted)
    next_attempt_at BIGINT NOT NULL,
    first_failure_at BIGINT,              -- the first 4xx: give_up_after counts from here
    last_reply TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, member_id)
);
CREATE INDEX list_delivery_recipients_due
    ON list_delivery_recipients (delivery_id, state, next_attempt_at);
