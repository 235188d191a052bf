#pragma once
// archive: the SQL of archive_messages, archive_threads, archive_attachments and
// archive_references (migration 0014), parameterised, the same text on SQLite and PostgreSQL.
// Private to archive/. Writers run on the caller's Connection (its transaction); readers on the
// Database's reader connections. Every text written must be valid UTF-8 without NUL (PostgreSQL
// refuses anything else); bytes are written base64.

#include "archive/message.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coalition::archive::archive_store {

struct Existing {
    MessageId id;
    ThreadId thread;
};

// The message a list already holds under `message_id`.
std::optional<Existing> find(store::Connection& connection, std::int64_t list_id,
                             std::string_view message_id);

// What a list holds of a message and of the ids it names (References and In-Reply-To): the
// message itself when the list has it already; else the threads it belongs to by its links —
// those of the named messages the list holds, and of the messages that name it or name one of
// the same ids the list lacks (a late parent, siblings under a missing parent). Threads oldest
// (started_at, then id) first, each once. With `subject` (for a message that names no other),
// and when there are no such threads, also the list's thread of base subject subject->base
// active within subject->window seconds of subject->date (the most recently active) — asked in
// the same statement on PostgreSQL, one round trip less for each such message.
struct SubjectProbe {
    std::string_view base;
    std::int64_t date = 0;
    std::int64_t window = 0;
};
struct Links {
    std::optional<Existing> existing;
    std::vector<ThreadId> threads;
    std::optional<ThreadId> by_subject;  // Only with `subject`, and `threads` empty.
};
Links links(store::Connection& connection, std::int64_t list_id, std::string_view message_id,
            const std::vector<std::string>& named,
            const std::optional<SubjectProbe>& subject = std::nullopt);

ThreadId create_thread(store::Connection& connection, std::int64_t list_id, std::int64_t date);

// Ids taken ahead, a few hundred at a time, from the archive tables' sequences (PostgreSQL), so
// that an importer places a batch's threads and messages (placement.hpp) before it writes them. Ids
// a rolled-back batch took are skipped, as PostgreSQL's own sequences skip them.
class ReservedIds {
public:
    ThreadId next_thread(store::Connection& connection);
    MessageId next_message(store::Connection& connection);

private:
    static std::int64_t next(store::Connection& connection, std::string_view table,
                             std::vector<std::int64_t>& reserve);
    std::vector<std::int64_t> threads_;  // Handed out from the back.
    std::vector<std::int64_t> messages_;
};

// A thread's summary row, as store() keeps it (count_into_thread, refresh_thread).
struct ThreadRow {
    ThreadId id;
    std::string subject;
    std::string base_subject;
    std::optional<MessageId> first_message;  // nullopt before its first message is counted.
    std::int64_t started_at = 0;
    std::int64_t last_activity = 0;
    std::int64_t message_count = 0;
};

// What a list holds that bears on placing a batch of messages (archive/placement.hpp), read in
// one statement: the messages stored under `ids` (the batch's Message-IDs and those they name);
// the threads of the messages naming one of `ids` the list does not hold; and the threads whose
// base subject is one of `bases` active within [from, until]. `threads` has the row of each.
struct Known {
    std::unordered_map<std::string, Existing> held;
    std::unordered_map<std::string, std::vector<ThreadId>> namers;
    std::unordered_map<std::int64_t, ThreadRow> threads;
};
// PostgreSQL only (an importer's batch; on SQLite store() asks links() for each message).
Known known(store::Connection& connection, std::int64_t list_id,
            const std::vector<std::string>& ids, const std::vector<std::string>& bases,
            std::int64_t from, std::int64_t until);

// A batch placed in memory (placement.hpp) is written with a few statements of arrays
// (PostgreSQL only), made ahead of the transaction that runs them with
// Connection::execute_later. Rows as store() writes them; `raw` as stored_raw. A Message-ID the
// list holds already fails the transaction.
using Writes = std::vector<store::Statement>;
struct MessageToWrite {
    const ArchivedMessage* message;  // With its id and thread.
    std::string_view raw;
    const std::vector<std::string>* named;  // Every id it names (archive_references).
};
void insert_threads(Writes& writes, std::int64_t list_id, const std::vector<ThreadRow>& threads);
// With their attachments and the ids they name.
void insert_messages(Writes& writes, std::int64_t list_id,
                     const std::vector<MessageToWrite>& messages);
// What a stored thread gained: `added` messages, the latest dated `latest`, the earliest
// (`earliest_date`, `earliest`, its subject and base subject) — applied as count_into_thread
// applies each message, so that a concurrent writer's counts add up.
struct ThreadGrowth {
    ThreadId id;
    std::int64_t added = 0;
    std::int64_t latest = 0;
    std::int64_t earliest_date = 0;
    MessageId earliest;
    std::string subject;
    std::string base_subject;
};
void grow_threads(Writes& writes, const std::vector<ThreadGrowth>& growths);

// Moves every message of `from` into `into` and deletes `from`.
void merge_thread(store::Connection& connection, ThreadId from, ThreadId into);

// The original bytes as the row keeps them (base64: PostgreSQL's text holds no NUL or invalid
// UTF-8). Separate from insert_message so that an import encodes off the writer thread.
std::string stored_raw(std::string_view raw);

// Inserts the message row (message.id, message.raw and attachments ignored: `raw` is
// stored_raw(the original bytes)); nullopt when the list already had this Message-ID (a
// concurrent insert won: nothing written).
std::optional<MessageId> insert_message(store::Connection& connection,
                                        const ArchivedMessage& message, std::string_view raw,
                                        std::optional<std::int64_t> post_id);
void insert_attachments(store::Connection& connection, MessageId message,
                        const std::vector<Attachment>& attachments);
void insert_references(store::Connection& connection, std::int64_t list_id, MessageId message,
                       const std::vector<std::string>& referenced);
void delete_thread(store::Connection& connection, ThreadId thread);

// Counts `message` (already inserted with this thread) into its thread's summary; `base` is
// base_subject(message.subject).
void count_into_thread(store::Connection& connection, ThreadId thread,
                       const ArchivedMessage& message, std::string_view base);
// Recomputes a thread's summary from its messages (after a merge).
void refresh_thread(store::Connection& connection, ThreadId thread);

// Raises the list's archive revision (archive_revisions; the first raise makes it 1). Called last
// in store(), so the row lock PostgreSQL takes is held only until the commit that follows.
void raise_revision(store::Connection& connection, std::int64_t list_id);
// An import's page cache on SQLite (a no-op on PostgreSQL): wide while it runs, SQLite's default
// again afterwards.
void widen_page_cache(store::Connection& connection, bool wide);
// At the start of each batch an import writes, on PostgreSQL (a no-op on SQLite): plans kept for
// the transaction.
void plan_for_import(store::Connection& connection);
// After an import, on PostgreSQL (a no-op on SQLite): how many messages each list has, as the
// planner sees it. Without it, a search in a list imported since autovacuum last looked was
// planned as if the list were empty (200,000 messages in 20 lists: search p95 72 → 46 ms). The
// list column alone, from a sample of 3,000 rows (migration 0033): 80 ms at 200,000 messages.
void analyse_lists(store::Connection& connection);

// Readers.
std::optional<ArchivedMessage> message(store::Database& database, MessageId id, bool with_raw);
std::vector<MessageRef> find_by_message_id(store::Database& database, std::string_view message_id);
std::int64_t revision(store::Database& database, std::int64_t list_id);  // 0 without a row.
// [from, until) limits to threads with a message dated in it; both nullopt for all.
std::vector<ThreadSummary> threads(store::Database& database, std::int64_t list_id,
                                   std::optional<std::pair<std::int64_t, std::int64_t>> range,
                                   std::size_t limit, std::size_t offset);
std::size_t thread_count(store::Database& database, std::int64_t list_id,
                         std::optional<std::pair<std::int64_t, std::int64_t>> range);
std::vector<MonthCount> months(store::Database& database, std::int64_t list_id);
std::optional<ThreadSummary> thread(store::Database& database, ThreadId id);
std::vector<ArchivedMessage> thread_messages(store::Database& database, ThreadId id);
std::vector<ArchivedMessage> latest(store::Database& database, std::int64_t list_id,
                                    std::size_t limit);
std::optional<Attachment> attachment(store::Database& database, MessageId id, std::size_t index);

}  // namespace coalition::archive::archive_store
