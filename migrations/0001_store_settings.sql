-- Site-wide settings as key/value text, e.g. the generated site secret.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
