-- archive (PostgreSQL): the large texts of the archive — each message's original bytes, its text
-- and its attachments — compressed with lz4 instead of pglz when they are stored out of line
-- (TOAST). pglz was a third of the server's time to insert an import's messages; lz4 took 28 %
-- less time for the same 200,000 messages (bench: COPY of the same rows, 12.0 s → 8.6 s) and
-- stores them 6 % larger. Rows stored before keep pglz: both are read alike. A server built
-- without lz4 keeps pglz (feature_not_supported).
-- dialect: postgresql
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
