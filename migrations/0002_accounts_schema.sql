-- accounts: organisations, users, sign-in links, sessions and the audit log.
-- Times are Unix seconds (BIGINT). Tokens are stored only as hex BLAKE2b hashes.

CREATE TABLE organisations (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,              -- ISO 3166-1 alpha-2
    region TEXT NOT NULL,               -- ICANN region id, derived from country
    stakeholder_group TEXT NOT NULL,
    website TEXT,
    domain TEXT,                        -- U-label, for people
    domain_ascii TEXT UNIQUE,           -- A-label: what uniqueness compares
    status TEXT NOT NULL,               -- member / candidate / former
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_region ON organisations (region);
CREATE INDEX organisations_stakeholder_group ON organisations (stakeholder_group);

CREATE TABLE users (
    id {{ID}},
    email TEXT NOT NULL,                -- as given
    email_canonical TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,                 -- admin / moderator / member
    organisation_id BIGINT REFERENCES organisations (id),
    password_hash TEXT,                 -- argon2id, encoded; NULL = no password
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sign_in_tokens (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX sign_in_tokens_user ON sign_in_tokens (user_id);

-- One row per link requested, for the rate limit; kept for an hour.
CREATE TABLE sign_in_requests (
    id {{ID}},
    email_canonical TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sign_in_requests_email ON sign_in_requests (email_canonical, created_at);

CREATE TABLE sessions (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    touched_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- No foreign key on actor_user_id: the log outlives whatever it mentions.
CREATE TABLE audit_log (
    id {{ID}},
    created_at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,                -- "user:12" or "cli"
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);
