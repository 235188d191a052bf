-- archive (PostgreSQL): the large columns of the archive — each message's original bytes and
-- text, each attachment's bytes — as an import writes and analyses them.
--
-- Compressed with lz4 instead of pglz when stored out of line (TOAST): pglz was a third of the
-- server's time to insert an import's messages; lz4 took 28 % less time for the same 200,000
-- messages (COPY of the same rows, 12.0 s → 8.6 s) and stores them 6 % larger. Rows stored before
-- keep pglz: both are read alike. A server built without lz4 keeps pglz.
--
-- No statistics: nothing is ever looked up or sorted by them, and ANALYZE read (and decompressed)
-- a sample of 30,000 of them for each — the importer's analyses took a fifth of an import of
-- 200,000 messages, autovacuum's more of the server's time beside it.
--
-- The list column's statistics from a sample of 3,000 rows (a target of 10, not 100): an import
-- analyses it when it ends, so that a search in the list it filled is planned for the list's
-- size (archive_store::analyse_lists), in 80 ms instead of 270 at 200,000 messages. With more
-- lists than 10, the others are estimated alike from what the ten most common leave.
-- dialect: postgresql
ALTER TABLE archive_messages
    ALTER COLUMN raw SET STATISTICS 0,
    ALTER COLUMN body_text SET STATISTICS 0,
    ALTER COLUMN list_id SET STATISTICS 10;
ALTER TABLE archive_attachments ALTER COLUMN bytes SET STATISTICS 0;
DO $$
BEGIN
    ALTER TABLE archive_messages
        ALTER COLUMN raw SET COMPRESSION lz4,
        ALTER COLUMN body_text SET COMPRESSION lz4;
    ALTER TABLE archive_attachments ALTER COLUMN bytes SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available: archive texts stay compressed with pglz';
END
$$;
