-- responses: the endorsement half of joint responses. Editors freeze a version and open it for
-- endorsement until a deadline (a round; freezing a new version during the window is a new round,
-- the newest one applies). Each member organisation gives one answer, bound to the SHA-256 of the
-- frozen text it answered; an answer naming an earlier hash "endorsed an earlier version".
-- Reminders to organisations that have not answered are recorded once per round, organisation
-- and offset (UNIQUE: exactly once, even with several servers). Publication keeps the endorsers
-- as they were named at that moment, each with the index of its transparency-log leaf.
-- responses/endorsement_store.cpp is the only code that reads or writes these tables.

CREATE TABLE response_rounds (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    version_number INTEGER NOT NULL, -- the frozen version
    version_hash TEXT NOT NULL,      -- its SHA-256 (hex)
    deadline_date TEXT NOT NULL,     -- local date,
    deadline_time TEXT NOT NULL,     -- HH:MM,
    deadline_zone TEXT NOT NULL,     -- IANA zone,
    deadline_utc BIGINT NOT NULL,    -- and the instant answers stop
    actor TEXT NOT NULL,             -- accounts::Actor::label() of the editor who froze it
    frozen_at BIGINT NOT NULL
);
CREATE INDEX response_rounds_response ON response_rounds (response_id, id);

CREATE TABLE response_answers (
    response_id BIGINT NOT NULL REFERENCES responses (id),
    organisation_id BIGINT NOT NULL,
    answer TEXT NOT NULL,            -- endorse abstain object
    reason TEXT NOT NULL,            -- for the editors only; '' when none
    version_number INTEGER NOT NULL,
    version_hash TEXT NOT NULL,      -- the frozen text answered
    user_id BIGINT NOT NULL,         -- the representative who answered
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (response_id, organisation_id)
);

-- The language a representative last answered in: their reminders and requests to re-confirm.
CREATE TABLE response_member_languages (
    user_id BIGINT PRIMARY KEY,
    language TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE response_reminders_sent (
    round_id BIGINT NOT NULL REFERENCES response_rounds (id),
    organisation_id BIGINT NOT NULL,
    offset_days INTEGER NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, organisation_id, offset_days)
);

CREATE TABLE response_publications (
    response_id BIGINT PRIMARY KEY REFERENCES responses (id),
    version_number INTEGER NOT NULL,
    version_hash TEXT NOT NULL,
    actor TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE INDEX response_publications_at ON response_publications (published_at);

CREATE TABLE response_endorsers (
    response_id BIGINT NOT NULL REFERENCES responses (id),
    organisation_id BIGINT NOT NULL,
    name TEXT NOT NULL,              -- as at publication
    slug TEXT NOT NULL,
    country TEXT NOT NULL,           -- ISO 3166-1 alpha-2
    stakeholder_group TEXT NOT NULL, -- accounts' id: "technical-community"
    log_index BIGINT NOT NULL,       -- its leaf in signon's transparency log
    PRIMARY KEY (response_id, organisation_id)
);
