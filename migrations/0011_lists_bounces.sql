-- lists: bounce scores per member, as Mailman keeps them. score_milli is the score in thousandths
-- (a hard bounce adds 1000, a soft one 500; the threshold is 5000), counted at most once a day.
-- At the threshold delivery is disabled and the member is warned (warnings_sent, a week apart);
-- after the last warning the member is removed. A row older than a week without bounces decays.
CREATE TABLE list_bounce_scores (
    member_id BIGINT PRIMARY KEY REFERENCES list_members (id) ON DELETE CASCADE,
    list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    score_milli BIGINT NOT NULL DEFAULT 0,
    bounces INTEGER NOT NULL DEFAULT 0,   -- every bounce received, counted or not
    last_bounce_at BIGINT NOT NULL,
    delivery_disabled INTEGER NOT NULL DEFAULT 0,
    disabled_at BIGINT,
    warnings_sent INTEGER NOT NULL DEFAULT 0,
    last_warning_at BIGINT,
    last_diagnostic TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE INDEX list_bounce_scores_list ON list_bounce_scores (list_id, delivery_disabled);
