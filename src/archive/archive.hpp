#pragma once
// archive/: the list archive (issue #7). Front door for other modules (lists → archive) and the
// edges (web, app). It keeps every accepted post's original bytes unchanged plus the fields
// parsed from them (message.hpp), groups messages into threads (threading.hpp) and indexes their
// text for search (search.hpp). Lists are known here by their numeric id only: archive must not
// depend on lists/ (lists depends on archive); whether a viewer may read a list's archive is
// decided by the caller (web), which knows the list's archive visibility.
//
// Tables: archive_messages, archive_threads, archive_references (migration 0014), the search
// index (migration 0015), archive_revisions (0028). Bytes are stored base64 (TEXT), as list_posts
// does.

#include "archive/message.hpp"
#include "archive/search.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::archive {

// What storing one message did.
struct Stored {
    MessageId id;
    ThreadId thread;
    bool duplicate = false;  // The list already had this Message-ID: nothing was written, `id` is
                             // the message already there.
};

// Parses `raw` (GMime), stores the bytes and fields, links it into its thread (re-linking
// messages that arrived before their parent: threading.hpp) and indexes it, all on
// `connection` (the caller's transaction: intake archives in the transaction that accepts).
// Idempotent by Message-ID within a list. A message that cannot be parsed is still stored, raw,
// with `parseable = false` and a Message-ID assigned (a hash of the bytes @archive.invalid, so
// re-importing the same bytes is idempotent too). `received_at` is the fallback date, also used
// when the Date: header is more than two days after it. `post_id` is the list_posts row it came
// from, when it came through the list.
Stored store(store::Connection& connection, std::int64_t list_id, std::string_view raw,
             std::int64_t received_at, std::optional<std::int64_t> post_id = std::nullopt);

// The half of store() that needs no database: parsing (GMime), the assigned Message-ID and the
// words to index. Thread-safe; an importer prepares the next batch on a second core while the
// current one commits, then stores each with the overload below.
struct Prepared {
    ParsedMessage parsed;
    bool message_id_assigned = false;  // parsed.message_id is the hash of the bytes.
    search::Document document;
    std::string stored_raw;    // archive_store::stored_raw of the bytes.
    std::string base_subject;  // archive::base_subject of the subject.
};
Prepared prepare(std::string_view raw);
// An orphan (a message naming no other) joins the thread of the same base subject active within
// this long of its date.
inline constexpr std::int64_t kSubjectWindow = std::int64_t{30} * 86400;

// A prepared message as the rows store() writes: the message's fields (its id and thread not yet
// given), every Message-ID it names as an ancestor (References, then In-Reply-To), its base
// subject, the stored bytes and the document to index.
struct Incoming {
    ArchivedMessage message;
    std::vector<std::string> named;
    std::string base_subject;
    std::string stored_raw;
    search::Document document;
};
// `received_at` is the fallback date, also taken when the Date: header is more than two days
// after it (store()).
Incoming incoming(std::int64_t list_id, std::int64_t received_at, Prepared prepared);

// Whether store() raises the list's archive revision, which tells every server that what it kept
// of the list is stale. An importer that stores many messages in one transaction raises it once
// itself (ByCaller): one statement a message less.
enum class RevisionRaise { ByStore, ByCaller };
// store() of a message prepare(raw) has read.
Stored store(store::Connection& connection, std::int64_t list_id, std::int64_t received_at,
             Prepared prepared, std::optional<std::int64_t> post_id = std::nullopt,
             RevisionRaise revision = RevisionRaise::ByStore);

// The permalink path of a message: "/lists/<list_name>/m/<id>" (list_name as the web shows it).
std::string permalink_path(std::string_view list_name, MessageId id);

class Archive {
public:
    explicit Archive(store::Database& database);

    std::optional<ArchivedMessage> message(MessageId id) const;  // With raw bytes.
    // By Message-ID (without <>), in any list (for /r/MESSAGE-ID); several lists may hold it:
    // every match, oldest first.
    std::vector<MessageRef> find_by_message_id(std::string_view message_id) const;

    // The list's archive revision: raised in the transaction of every message store() archives
    // in the list (and so of every re-threading), never lowered; 0 before the first. Anything
    // derived from the list's messages and threads and read after this call is at least this
    // new, so it may be kept until a later call returns a greater revision. One indexed read.
    std::int64_t revision(std::int64_t list_id) const;

    // Threads of a list, latest activity first; `month` "YYYY-MM" limits to threads with a
    // message in that month ("" for all).
    std::vector<ThreadSummary> threads(std::int64_t list_id, std::string_view month,
                                       std::size_t limit, std::size_t offset) const;
    std::size_t thread_count(std::int64_t list_id, std::string_view month) const;
    // Months that have messages, newest first, with their message counts.
    std::vector<MonthCount> months(std::int64_t list_id) const;
    std::optional<ThreadSummary> thread(ThreadId id) const;
    // The messages of a thread as a JWZ tree in display order (depth-first, oldest sibling
    // first), without raw bytes.
    std::vector<ThreadEntry> thread_tree(ThreadId id) const;
    // Newest messages of a list (feeds), without raw bytes.
    std::vector<ArchivedMessage> latest(std::int64_t list_id, std::size_t limit) const;
    std::optional<Attachment> attachment(MessageId id, std::size_t index) const;  // With bytes.

private:
    store::Database& database_;
};

}  // namespace coalition::archive
