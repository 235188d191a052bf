-- signon: signatures of a versioned text (the Statement of Purpose, later joint responses), their
-- one-time tokens, and the DNS proofs of signing organisations. Times are Unix seconds (BIGINT),
-- booleans INTEGER 0/1. Tokens are stored only as hex BLAKE2b hashes (core::hash_token).
-- signon/signature_store.cpp is the only code that reads or writes these tables.

CREATE TABLE signatures (
    id {{ID}},
    campaign TEXT NOT NULL,                 -- "statement", "response-12"
    version_hash TEXT NOT NULL,             -- hex SHA-256 of the version signed
    kind TEXT NOT NULL,                     -- individual / organisation
    status TEXT NOT NULL,                   -- pending / confirmed / … / erased
    verification TEXT NOT NULL DEFAULT 'none',
    name TEXT NOT NULL,                     -- NFC; the person (or the organisation's representative)
    email TEXT NOT NULL,                    -- core::Email::unicode(); '' once erased
    dedup_key TEXT NOT NULL,                -- canonical address without its +tag; 'erased:ID' once erased
    email_domain TEXT NOT NULL,             -- A-label of the address's domain (limits, bursts, cancel)
    country TEXT NOT NULL,                  -- ISO alpha-2: the individual's, or the organisation's
    region TEXT NOT NULL,                   -- ICANN region id derived from country
    affiliation TEXT NOT NULL DEFAULT '',
    show_publicly INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    organisation_name TEXT NOT NULL DEFAULT '',
    organisation_domain TEXT NOT NULL DEFAULT '',        -- U-label
    organisation_domain_ascii TEXT NOT NULL DEFAULT '',  -- A-label (verification, DNS proof)
    stakeholder_group TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    client_address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    published_at BIGINT,
    log_index BIGINT,                       -- of its "signature.published" log event
    receipt_sent INTEGER NOT NULL DEFAULT 0,
    notices_sent INTEGER NOT NULL DEFAULT 0,  -- duplicate-submission notices mailed
    moderation_note TEXT NOT NULL DEFAULT '',
    dns_challenge TEXT NOT NULL DEFAULT '', -- the TXT value an organisation may publish
    -- The public list: 1 while published and shown (organisations, and individuals who agreed),
    -- and not superseded by the same signer's signature of a later version.
    listed INTEGER NOT NULL DEFAULT 0,
    superseded INTEGER NOT NULL DEFAULT 0,
    sort_name TEXT NOT NULL DEFAULT '',     -- lower-cased shown name, for sorting
    search_text TEXT NOT NULL DEFAULT '',   -- lower-cased shown name and organisation, for search
    UNIQUE (dedup_key, campaign, version_hash)
);
-- Totals (covering), the moderation queue and the public breakdown read by status.
CREATE INDEX signatures_status ON signatures (campaign, status, kind, show_publicly, superseded);
-- The public list (partial: pending sign-ups on the hot path never touch them).
CREATE INDEX signatures_list_published ON signatures (campaign, published_at, id) WHERE listed = 1;
CREATE INDEX signatures_list_name ON signatures (campaign, sort_name, id) WHERE listed = 1;
CREATE INDEX signatures_list_country ON signatures (campaign, country, sort_name) WHERE listed = 1;
-- Bursts (by client address, e-mail domain or country within a time window) and bulk
-- cancellation: one covering index in time order, so a burst query reads only the window's
-- index entries. One index, not one per key: every index costs a page write per sign-up, and
-- sign-up is the launch-day hot path.
CREATE INDEX signatures_created ON signatures
    (campaign, created_at, client_address, email_domain, country, status);
-- Receipts still to send.
CREATE INDEX signatures_receipts ON signatures (log_index) WHERE receipt_sent = 0 AND log_index IS NOT NULL;

CREATE TABLE signature_tokens (
    token_hash TEXT PRIMARY KEY,
    signature_id BIGINT NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,                  -- confirm / withdraw / dns
    created_at BIGINT NOT NULL,
    expires_at BIGINT,                      -- NULL: does not expire
    used_at BIGINT                          -- confirm tokens are single use
);
CREATE INDEX signature_tokens_signature ON signature_tokens (signature_id);

-- What each campaign is called in mails and where its pages live, as the last sign() saw it, so
-- that a confirmation, a moderation decision or a receipt can link back after a restart.
CREATE TABLE signature_campaigns (
    campaign TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    base_url TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
