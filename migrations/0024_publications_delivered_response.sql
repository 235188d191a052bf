-- publications: a delivered statement may name the published joint response it carried (issue #5).
-- The response's slug and its title as they were when recorded ('' for none); responses owns the
-- response itself, so this is a reference by slug, checked against the published responses when
-- the delivery is recorded. publications/publication_store.cpp reads and writes these columns.

ALTER TABLE delivered_statements ADD COLUMN response_slug TEXT NOT NULL DEFAULT '';
ALTER TABLE delivered_statements ADD COLUMN response_title TEXT NOT NULL DEFAULT '';
