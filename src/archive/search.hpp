#pragma once
// archive: full-text search over archived messages, on the database's own engine (SQLite FTS5,
// PostgreSQL tsvector), with one tokenizer of ours in front of both so they agree: ICU word
// breaks (Chinese and Japanese segmented by ICU's dictionaries, Arabic as written), case folded,
// diacritics kept for matching surface forms, Snowball stems (libstemmer) for English, French,
// Spanish and Russian. docs/DECISIONS.md records the choice and its measured reason.

#include "archive/message.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::archive::search {

// The words of one message as indexed: its subject's and text's surface forms and stems, in
// the language detected from them. Pure CPU (no database), so an importer computes it for the
// next batch on another thread while the current batch commits.
struct Document {
    std::vector<std::string> subject;  // Surface forms, in order.
    std::vector<std::string> subject_stems;
    std::vector<std::string> body;
    std::vector<std::string> body_stems;
};
Document document_of(std::string_view subject, std::string_view text);

// Adds the index entry of a message of list `list_id` whose row was inserted in this
// transaction, with its document already computed (document_of(message.subject, message.text)).
// A message's subject, text and list never change once archived, nor therefore its entry.
void index_new(store::Connection& connection, MessageId id, std::int64_t list_id,
               const Document& document);

// A message's index entry on PostgreSQL: its tsvector in PostgreSQL's binary form (each lexeme
// with its positions, and the list's term; store::Binary of a tsvector parameter). Made apart from
// index_batch so that an importer makes it on the threads that prepare its batches, not on the one
// that writes them.
std::string postgresql_document(const Document& document, std::int64_t list_id);
// index_new of several messages, on PostgreSQL: one statement of arrays, added to `writes` (to
// run with Connection::execute_later). `document` is postgresql_document(the message's, its list).
struct NewEntry {
    MessageId id;
    std::string_view document;
};
void index_batch(std::vector<store::Statement>& writes, const std::vector<NewEntry>& entries);

// Indexes again the messages a migration left out of the index, if any (SQLite: migration 0032
// made the FTS5 table again with a list column). Each batch commits with its progress, so an
// interrupted run goes on where it stopped; messages archived meanwhile are indexed as usual.
// `progress(done_up_to_id, last_id)` after each batch. Returns the messages indexed.
// `batch`: messages a transaction.
using RebuildProgress = std::function<void(std::int64_t, std::int64_t)>;
inline constexpr std::int64_t kRebuildBatch = 2000;
std::size_t finish_rebuild(store::Database& database, const RebuildProgress& progress = {},
                           std::int64_t batch = kRebuildBatch);

struct Query {
    std::string text;  // Words, "quoted phrases", -excluded words; at most 512 bytes.
    std::vector<std::int64_t> lists;   // The lists the viewer may read (required: the caller
                                       // decides visibility; empty → no results).
    std::string author;                // Substring of author name or address; "" for any.
    std::optional<std::int64_t> from;  // Date range, unix seconds, inclusive.
    std::optional<std::int64_t> until;
    bool has_attachment = false;
    std::size_t limit = 20;
    std::size_t offset = 0;
};

struct Hit {
    MessageId message;
    std::int64_t list_id = 0;
    ThreadId thread;
    std::string subject;
    std::string author_name;
    std::string author_email;  // For display when the name is empty.
    std::int64_t date = 0;
    // Escaped HTML: a window of the text around the hits, each hit in <mark>…</mark>.
    std::string snippet_html;
    double score = 0;  // Higher is better.
};

struct Results {
    std::vector<Hit> hits;  // Best first.
    std::size_t total = 0;  // Matches, before limit/offset.
};

// Invalid (empty after tokenizing, too long, invalid UTF-8) → ErrorCode::Invalid.
core::Result<Results> search(store::Database& database, const Query& query);

// The tokenizer, exposed for tests and for the index: each word of `text` as indexed.
std::vector<std::string> tokens(std::string_view text);

}  // namespace coalition::archive::search
