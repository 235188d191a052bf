#include "archive/archive.hpp"

#include "archive/archive_store.hpp"
#include "archive/import.hpp"
#include "archive/search.hpp"
#include "archive/threading.hpp"

#include <glib.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <utility>

namespace coalition::archive {
namespace {

constexpr std::int64_t kDay = 86400;
// A Date: header this far after arrival is a broken clock, not a message from the future.
constexpr std::int64_t kMaxClockSkew = 2 * kDay;
constexpr std::size_t kHashHexDigits = 32;

struct GFree {
    void operator()(char* text) const { g_free(text); }
};

// The Message-ID given to a message without one: the same bytes always get the same id.
std::string assigned_message_id(std::string_view raw) {
    std::unique_ptr<char, GFree> hex(g_compute_checksum_for_data(
        G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(raw.data()), raw.size()));
    return std::string(hex.get()).substr(0, kHashHexDigits) + "@archive.invalid";
}

// "YYYY-MM" as [first second, first second of the next month) (import.hpp's month_bounds); ""
// as no range.
struct MonthRange {
    bool valid = true;
    std::optional<std::pair<std::int64_t, std::int64_t>> range;
};

MonthRange month_range(std::string_view month) {
    if (month.empty()) {
        return {};
    }
    auto bounds = month_bounds(month);
    return {bounds.has_value(), std::move(bounds)};
}

}  // namespace

Prepared prepare(std::string_view raw) {
    Prepared prepared;
    prepared.parsed = parse_message(raw, true);
    if (prepared.parsed.message_id.empty()) {
        prepared.parsed.message_id = assigned_message_id(raw);
        prepared.message_id_assigned = true;
    }
    prepared.document = search::document_of(prepared.parsed.subject, prepared.parsed.text);
    prepared.stored_raw = archive_store::stored_raw(raw);
    prepared.base_subject = base_subject(prepared.parsed.subject);
    return prepared;
}

Stored store(store::Connection& connection, std::int64_t list_id, std::string_view raw,
             std::int64_t received_at, std::optional<std::int64_t> post_id) {
    return store(connection, list_id, received_at, prepare(raw), post_id);
}

Incoming incoming(std::int64_t list_id, std::int64_t received_at, Prepared prepared) {
    ParsedMessage& parsed = prepared.parsed;
    Incoming in;
    ArchivedMessage& message = in.message;
    message.list_id = list_id;
    message.message_id = std::move(parsed.message_id);
    message.message_id_assigned = prepared.message_id_assigned;
    in.named = parsed.references;
    if (!parsed.in_reply_to.empty() &&
        std::find(in.named.begin(), in.named.end(), parsed.in_reply_to) == in.named.end()) {
        in.named.push_back(parsed.in_reply_to);
    }
    if (parsed.date && *parsed.date <= received_at + kMaxClockSkew) {
        message.date = *parsed.date;
    } else {
        message.date = received_at;
        message.date_is_fallback = true;
    }
    message.author_name = std::move(parsed.author_name);
    message.author_email = std::move(parsed.author_email);
    message.subject = std::move(parsed.subject);
    message.in_reply_to = std::move(parsed.in_reply_to);
    message.references = std::move(parsed.references);
    message.text = std::move(parsed.text);
    message.attachments = std::move(parsed.attachments);
    message.parseable = parsed.parseable;
    message.archived_at = received_at;
    in.base_subject = std::move(prepared.base_subject);
    in.stored_raw = std::move(prepared.stored_raw);
    in.document = std::move(prepared.document);
    return in;
}

Stored store(store::Connection& connection, std::int64_t list_id, std::int64_t received_at,
             Prepared prepared, std::optional<std::int64_t> post_id, RevisionRaise revision) {
    Incoming in = incoming(list_id, received_at, std::move(prepared));
    ArchivedMessage& message = in.message;
    const std::vector<std::string>& named = in.named;
    // A message naming no other may join a thread by its subject: asked with its links.
    std::optional<archive_store::SubjectProbe> subject;
    if (named.empty()) {
        subject = archive_store::SubjectProbe{in.base_subject, message.date, kSubjectWindow};
    }
    const auto links =
        archive_store::links(connection, list_id, message.message_id, named, subject);
    if (links.existing) {
        return Stored{links.existing->id, links.existing->thread, true};
    }

    // The thread: those it links to (merged into the oldest), else an orphan's subject thread,
    // else a new one.
    const std::vector<ThreadId>& linked = links.threads;
    std::optional<ThreadId> thread;
    bool created = false;
    if (!linked.empty()) {
        thread = linked.front();
    } else {
        thread = links.by_subject;
    }
    if (!thread) {
        thread = archive_store::create_thread(connection, list_id, message.date);
        created = true;
    }
    message.thread = *thread;

    const auto id = archive_store::insert_message(connection, message, in.stored_raw, post_id);
    if (!id) {
        // Another transaction stored the same Message-ID first.
        if (created) {
            archive_store::delete_thread(connection, *thread);
        }
        const auto existing = archive_store::find(connection, list_id, message.message_id);
        return Stored{existing ? existing->id : MessageId(),
                      existing ? existing->thread : ThreadId(), true};
    }
    message.id = *id;
    archive_store::insert_attachments(connection, message.id, message.attachments);
    archive_store::insert_references(connection, list_id, message.id, named);

    for (std::size_t thread_idx = 1; thread_idx < linked.size(); ++thread_idx) {
        archive_store::merge_thread(connection, linked[thread_idx], *thread);
    }
    if (linked.size() > 1) {
        archive_store::refresh_thread(connection, *thread);
    } else {
        archive_store::count_into_thread(connection, *thread, message, in.base_subject);
    }

    search::index_new(connection, message.id, list_id, in.document);
    if (revision == RevisionRaise::ByStore) {
        archive_store::raise_revision(connection, list_id);
    }
    return Stored{*id, *thread, false};
}

std::string permalink_path(std::string_view list_name, MessageId id) {
    return "/lists/" + std::string(list_name) + "/m/" + std::to_string(id.value());
}

Archive::Archive(store::Database& database) : database_(database) {
}

std::optional<ArchivedMessage> Archive::message(MessageId id) const {
    return archive_store::message(database_, id, true);
}

std::vector<MessageRef> Archive::find_by_message_id(std::string_view message_id) const {
    return archive_store::find_by_message_id(database_, message_id);
}

std::int64_t Archive::revision(std::int64_t list_id) const {
    return archive_store::revision(database_, list_id);
}

std::vector<ThreadSummary> Archive::threads(std::int64_t list_id, std::string_view month,
                                            std::size_t limit, std::size_t offset) const {
    const auto range = month_range(month);
    if (!range.valid) {
        return {};
    }
    return archive_store::threads(database_, list_id, range.range, limit, offset);
}

std::size_t Archive::thread_count(std::int64_t list_id, std::string_view month) const {
    const auto range = month_range(month);
    if (!range.valid) {
        return 0;
    }
    return archive_store::thread_count(database_, list_id, range.range);
}

std::vector<MonthCount> Archive::months(std::int64_t list_id) const {
    return archive_store::months(database_, list_id);
}

std::optional<ThreadSummary> Archive::thread(ThreadId id) const {
    return archive_store::thread(database_, id);
}

std::vector<ThreadEntry> Archive::thread_tree(ThreadId id) const {
    auto messages = archive_store::thread_messages(database_, id);
    std::vector<threading::Input> inputs;
    inputs.reserve(messages.size());
    std::unordered_map<std::int64_t, std::size_t> by_key;
    for (std::size_t message_idx = 0; message_idx < messages.size(); ++message_idx) {
        const auto& message = messages[message_idx];
        inputs.push_back(threading::Input{message.id.value(), message.message_id,
                                          message.in_reply_to, message.references, message.subject,
                                          message.date});
        by_key.emplace(message.id.value(), message_idx);
    }
    const auto forest = threading::thread(inputs);
    // Depth-first, without recursion (a thread may be thousands deep).
    struct Visit {
        const threading::Node* node;
        std::size_t depth;
        std::optional<MessageId> parent;
    };
    std::vector<ThreadEntry> entries;
    entries.reserve(messages.size());
    std::vector<Visit> stack;
    for (auto root = forest.rbegin(); root != forest.rend(); ++root) {
        stack.push_back(Visit{&*root, 0, std::nullopt});
    }
    while (!stack.empty()) {
        const Visit visit = stack.back();
        stack.pop_back();
        std::size_t child_depth = visit.depth;
        std::optional<MessageId> child_parent = visit.parent;
        if (visit.node->key) {
            const auto found = by_key.find(*visit.node->key);
            if (found != by_key.end()) {
                entries.push_back(
                    ThreadEntry{std::move(messages[found->second]), visit.depth, visit.parent});
                child_depth = visit.depth + 1;
                child_parent = MessageId(*visit.node->key);
            }
        }
        const auto& children = visit.node->children;
        for (auto child = children.rbegin(); child != children.rend(); ++child) {
            stack.push_back(Visit{&*child, child_depth, child_parent});
        }
    }
    return entries;
}

std::vector<ArchivedMessage> Archive::latest(std::int64_t list_id, std::size_t limit) const {
    return archive_store::latest(database_, list_id, limit);
}

std::optional<Attachment> Archive::attachment(MessageId id, std::size_t index) const {
    return archive_store::attachment(database_, id, index);
}

}  // namespace coalition::archive
