-- mail: the durable outbox. One row per outgoing message, written in the transaction that caused
-- it and claimed by an OutboxWorker with a lease (claimed_until), see src/mail/outbox.hpp.
CREATE TABLE mail_outbox (
    id {{ID}},
    mail_from TEXT NOT NULL,
    recipients TEXT NOT NULL,             -- Envelope recipients, one per line.
    needs_smtputf8 INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL,             -- Without angle brackets.
    subject TEXT NOT NULL,                -- UTF-8, for the admin page.
    bytes TEXT NOT NULL,                  -- The whole RFC 5322 message, CRLF line ends.
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,  -- Claims so far, the current one included.
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,                 -- NULL when nobody holds it.
    claimed_by TEXT,
    last_reply TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

-- claim_due scans only the pending rows, in due order.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE state = 'pending';
