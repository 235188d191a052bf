-- mail: a message may be queued to be composed when it is sent (mail::Outbox::enqueue of an
-- OutgoingMessage): `draft` holds its JSON and `bytes` stays empty until then. Empty for a
-- message queued already composed.
ALTER TABLE mail_outbox ADD COLUMN draft TEXT NOT NULL DEFAULT '';
