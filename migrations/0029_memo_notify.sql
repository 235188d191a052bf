-- store: on PostgreSQL, a commit that changes a table read through Database::query_memoised
-- announces itself on the channel "coalition_memo"; each server listens and drops the rows it
-- keeps (store/postgresql_database.cpp). Only these tables announce: a notifying commit takes
-- PostgreSQL's notification lock, which would serialise every commit of a busy table (sign-ups).
-- A new memoised query must read only these tables, or add its own here.
-- SQLite needs none of it: its kept rows are checked against the WAL index header.
-- dialect: postgresql
CREATE FUNCTION coalition_memo_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('coalition_memo', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER organisations_revision_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON organisations_revision FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
CREATE TRIGGER process_revision_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON process_revision FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
CREATE TRIGGER statement_revision_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON statement_revision FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
CREATE TRIGGER archive_revisions_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON archive_revisions FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
CREATE TRIGGER lists_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lists FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
CREATE TRIGGER list_roles_memo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON list_roles FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify();
-- dialect: all
