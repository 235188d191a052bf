-- lists: mailing lists, their owners and moderators, members and pending confirmations.
-- Times are Unix seconds (BIGINT), booleans INTEGER 0/1. Tokens are stored only as hex BLAKE2b
-- hashes. Addresses are kept as given (NFC) for people and canonical (core::Email::canonical)
-- for uniqueness and look-ups; domains as U-label (people) and A-label (matching).

CREATE TABLE lists (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,            -- local part of the posting address: [a-z0-9._-]
    domain TEXT NOT NULL,                 -- U-label
    domain_ascii TEXT NOT NULL,           -- A-label: what addresses are matched by
    display_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    posting_policy TEXT NOT NULL,         -- members / anyone / moderated
    nonmember_policy TEXT NOT NULL,       -- hold / reject / discard / accept
    subject_prefix TEXT NOT NULL DEFAULT '',
    footer TEXT NOT NULL DEFAULT '',
    max_message_bytes BIGINT NOT NULL,
    archive_visibility TEXT NOT NULL,     -- public / members / none
    digest_enabled INTEGER NOT NULL,
    digest_period TEXT NOT NULL,          -- daily / weekly / monthly
    digest_size_threshold_bytes BIGINT NOT NULL,
    reply_to_policy TEXT NOT NULL,        -- none / list / explicit
    reply_to_address TEXT NOT NULL DEFAULT '',
    emergency_moderation INTEGER NOT NULL DEFAULT 0,
    dmarc_mitigation TEXT NOT NULL,       -- munge-when-needed / always / never
    preferred_language TEXT NOT NULL DEFAULT 'en',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX lists_address ON lists (name, domain_ascii);

-- Owners and moderators: addresses, not accounts (they need not have one).
CREATE TABLE list_roles (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    role TEXT NOT NULL,                   -- owner / moderator
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    UNIQUE (list_id, role, email_canonical)
);
CREATE INDEX list_roles_email ON list_roles (email_canonical);

-- One row per (list, address), kept after unsubscription so the roster shows every state.
-- token_salt keys the member's one-click unsubscribe and preferences tokens (derived with the
-- installation's lists secret); their hashes are here for look-up.
CREATE TABLE list_members (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,                  -- pending / subscribed / unsubscribed
    delivery_mode TEXT NOT NULL,          -- regular / digest / none
    language TEXT NOT NULL DEFAULT 'en',
    source TEXT NOT NULL,                 -- web / mail / admin
    token_salt TEXT NOT NULL,
    unsubscribe_token_hash TEXT NOT NULL UNIQUE,
    preferences_token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    subscribed_at BIGINT,
    unsubscribed_at BIGINT,
    UNIQUE (list_id, email_canonical)
);
CREATE INDEX list_members_state ON list_members (list_id, state, delivery_mode);
CREATE INDEX list_members_email ON list_members (email_canonical);

-- Double opt-in: a token mailed to the address, confirmed on the web or by replying to
-- NAME-confirm+TOKEN@DOMAIN.
CREATE TABLE list_confirmations (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES list_members (id) ON DELETE CASCADE,
    action TEXT NOT NULL,                 -- subscribe / unsubscribe
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX list_confirmations_member ON list_confirmations (member_id);

-- One row per mail a visitor caused (confirmation or notice), for the rate limit; kept an hour.
CREATE TABLE list_mail_requests (
    id {{ID}},
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    email_canonical TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX list_mail_requests_email ON list_mail_requests (list_id, email_canonical, created_at);
