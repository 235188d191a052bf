-- archive: an orphan joins the latest thread with its base subject that was active within a
-- window around its date (archive_store::thread_by_subject). Indexed by subject alone, the planner
-- preferred walking every thread of the list active in the window (the index on last_activity
-- gives the ORDER BY): a quarter of an import's writer time at 20,000 messages. With the
-- activity after the subject, one index range holds exactly the candidates, newest last.
CREATE INDEX archive_threads_list_subject_activity
    ON archive_threads (list_id, base_subject, last_activity);
DROP INDEX archive_threads_list_subject;
