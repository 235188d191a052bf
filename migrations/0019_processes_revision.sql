-- processes: when the newest change was committed, beside the revision counter that every change
-- raises in its own transaction (processes/process_store.cpp raise_revision). The iCalendar feeds
-- send it as Last-Modified; 0 until the first change after this migration.

ALTER TABLE process_revision ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0;
