-- responses: announcements of a joint response on a mailing list (issue #5) — the draft opened for
-- comments, a new version, or the call for endorsement — posted through the list's own pipeline as
-- the editor who chose it. One row per announcement: the event, the version it named, the list
-- (its id and its name at that moment, so the history survives a renamed list), the list post it
-- became (lists' id; NULL when the list's rules took nothing) and what the list did with it.
-- responses/announcements_store.cpp is the only code that reads or writes this table.

CREATE TABLE response_announcements (
    id {{ID}},
    response_id BIGINT NOT NULL REFERENCES responses (id),
    event TEXT NOT NULL,             -- draft version endorsement
    version_number INTEGER NOT NULL, -- the version announced (the frozen one for endorsement)
    list_id BIGINT NOT NULL,         -- lists' id
    list_name TEXT NOT NULL,         -- the list's name when announced
    post_id BIGINT,                  -- lists' post, or NULL
    outcome TEXT NOT NULL,           -- accepted held rejected discarded
    user_id BIGINT NOT NULL,         -- the editor
    actor TEXT NOT NULL,             -- accounts::Actor::label()
    subject TEXT NOT NULL,           -- the subject as posted
    announced_at BIGINT NOT NULL
);
CREATE INDEX response_announcements_response ON response_announcements (response_id, id);
