-- processes: people who follow processes by e-mail, the reminders and weekly digests sent to them,
-- and (accounts) the API tokens that let an admin write through /api/v1.
-- processes/follower_store.cpp is the only code that reads or writes the process_* tables below;
-- accounts/api_tokens.cpp the only one for api_tokens.

-- One follower an address (canonical form unique). Their two secret URLs (manage page, personal
-- calendar) are derived from the installation's processes token secret and token_salt; only the
-- hashes are kept, for look-ups.
CREATE TABLE process_followers (
    id {{ID}},
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL UNIQUE,
    user_id BIGINT,                 -- set when a signed-in user followed
    language TEXT NOT NULL,         -- i18n tag of their mails
    time_zone TEXT NOT NULL,        -- IANA zone of their weekly digest and whole-day reminders
    reminder_days TEXT NOT NULL,    -- "14,3,1": days before a deadline
    token_salt TEXT NOT NULL,
    manage_token_hash TEXT NOT NULL UNIQUE,
    calendar_token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE process_follows (
    follower_id BIGINT NOT NULL REFERENCES process_followers (id),
    process_id BIGINT NOT NULL REFERENCES processes (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (follower_id, process_id)
);
CREATE INDEX process_follows_process ON process_follows (process_id);

-- Double opt-in of an address: the token's hash, what confirming it does (process ids "3,7"),
-- single use (used_at) and expiring.
CREATE TABLE process_follow_confirmations (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    process_ids TEXT NOT NULL,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX process_follow_confirmations_email ON process_follow_confirmations (email_canonical, created_at);

-- One row a reminder sent: inserted (ON CONFLICT DO NOTHING) in the transaction that queues the
-- mail, so several servers on one database send each reminder once. deadline_utc is the instant
-- of the deadline the reminder was for: a moved deadline is a new key and is reminded again.
CREATE TABLE process_reminders_sent (
    follower_id BIGINT NOT NULL,
    milestone_id BIGINT NOT NULL,
    deadline_utc BIGINT NOT NULL,
    offset_days INTEGER NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (follower_id, milestone_id, deadline_utc, offset_days)
);

-- One row a weekly "coming up" digest: week_start is the day number (days since 1970-01-01) of
-- the Monday of the week, in the follower's zone.
CREATE TABLE process_digests_sent (
    follower_id BIGINT NOT NULL,
    week_start BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (follower_id, week_start)
);

-- Bearer tokens for the JSON API (`coalition token create --user EMAIL`); only the hash is kept.
CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
