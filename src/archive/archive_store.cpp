#include "archive/archive_store.hpp"

#include "core/base64.hpp"
#include "store/array_builder.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace coalition::archive::archive_store {
namespace {

constexpr std::size_t kMaxParticipants = 5;

constexpr std::string_view kMessageColumns =
    "SELECT id, list_id, thread_id, message_id, message_id_assigned, date, date_is_fallback, "
    "author_name, author_email, subject, in_reply_to, refs, body_text, parseable, archived_at ";

constexpr std::string_view kThreadColumns =
    "SELECT t.id, t.list_id, t.subject, t.first_message, t.started_at, t.last_activity, "
    "t.message_count, COALESCE(m.author_name, ''), COALESCE(m.author_email, '') "
    "FROM archive_threads t LEFT JOIN archive_messages m ON m.id = t.first_message ";

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        if (end > start) {
            words.push_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return words;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) {
        out += (out.empty() ? "" : " ") + word;
    }
    return out;
}

// "$first, $first+1, …" for `count` parameters.
std::string placeholders(std::size_t first, std::size_t count) {
    std::string out;
    for (std::size_t param_idx = 0; param_idx < count; ++param_idx) {
        out += (param_idx == 0 ? "$" : ", $") + std::to_string(first + param_idx);
    }
    return out;
}

ArchivedMessage message_from_row(const store::Row& row) {
    ArchivedMessage message;
    message.id = MessageId(row.integer(0));
    message.list_id = row.integer(1);
    message.thread = ThreadId(row.integer(2));
    message.message_id = row.text(3);
    message.message_id_assigned = row.boolean(4);
    message.date = row.integer(5);
    message.date_is_fallback = row.boolean(6);
    message.author_name = row.text(7);
    message.author_email = row.text(8);
    message.subject = row.text(9);
    message.in_reply_to = row.text(10);
    message.references = split_words(row.text(11));
    message.text = row.text(12);
    message.parseable = row.boolean(13);
    message.archived_at = row.integer(14);
    return message;
}

std::string display_name(const std::string& name, const std::string& email) {
    return name.empty() ? email : name;
}

ThreadSummary thread_from_row(const store::Row& row) {
    ThreadSummary summary;
    summary.id = ThreadId(row.integer(0));
    summary.list_id = row.integer(1);
    summary.subject = row.text(2);
    summary.first_message = MessageId(row.optional_integer(3).value_or(0));
    summary.started_at = row.integer(4);
    summary.last_activity = row.integer(5);
    summary.message_count = static_cast<std::size_t>(row.integer(6));
    summary.first_author = display_name(row.text(7), row.text(8));
    return summary;
}

// Fills `participants` of each summary with one query.
void add_participants(store::Database& database, std::vector<ThreadSummary>& summaries) {
    if (summaries.empty()) {
        return;
    }
    store::Params params;
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t summary_idx = 0; summary_idx < summaries.size(); ++summary_idx) {
        params.emplace_back(summaries[summary_idx].id.value());
        index.emplace(summaries[summary_idx].id.value(), summary_idx);
    }
    const auto rows = database.query(
        "SELECT thread_id, author_name, author_email FROM archive_messages WHERE thread_id IN (" +
            placeholders(1, params.size()) + ") ORDER BY thread_id, date, id",
        params);
    for (const auto& row : rows) {
        auto& participants = summaries[index.at(row.integer(0))].participants;
        std::string name = display_name(row.text(1), row.text(2));
        if (name.empty() || participants.size() >= kMaxParticipants ||
            std::find(participants.begin(), participants.end(), name) != participants.end()) {
            continue;
        }
        participants.push_back(std::move(name));
    }
}

std::vector<Attachment> attachments_of(store::Database& database, MessageId id) {
    std::vector<Attachment> out;
    for (const auto& row :
         database.query("SELECT position, filename, content_type, size FROM archive_attachments "
                        "WHERE message_id = $1 ORDER BY position",
                        {id.value()})) {
        Attachment attachment;
        attachment.index = static_cast<std::size_t>(row.integer(0));
        attachment.filename = row.text(1);
        attachment.content_type = row.text(2);
        attachment.size = static_cast<std::size_t>(row.integer(3));
        out.push_back(std::move(attachment));
    }
    return out;
}

// Attachments (without bytes) of each message, with one query.
void add_attachments(store::Database& database, std::vector<ArchivedMessage>& messages) {
    if (messages.empty()) {
        return;
    }
    store::Params params;
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t message_idx = 0; message_idx < messages.size(); ++message_idx) {
        params.emplace_back(messages[message_idx].id.value());
        index.emplace(messages[message_idx].id.value(), message_idx);
    }
    const auto rows = database.query(
        "SELECT message_id, position, filename, content_type, size FROM archive_attachments "
        "WHERE message_id IN (" +
            placeholders(1, params.size()) + ") ORDER BY message_id, position",
        params);
    for (const auto& row : rows) {
        Attachment attachment;
        attachment.index = static_cast<std::size_t>(row.integer(1));
        attachment.filename = row.text(2);
        attachment.content_type = row.text(3);
        attachment.size = static_cast<std::size_t>(row.integer(4));
        messages[index.at(row.integer(0))].attachments.push_back(std::move(attachment));
    }
}

constexpr std::string_view kInMonth =
    " AND t.id IN (SELECT thread_id FROM archive_messages WHERE list_id = $1 AND date >= $2 "
    "AND date < $3)";

store::Params range_params(std::int64_t list_id,
                           const std::optional<std::pair<std::int64_t, std::int64_t>>& range) {
    store::Params params{list_id};
    if (range) {
        params.emplace_back(range->first);
        params.emplace_back(range->second);
    }
    return params;
}

}  // namespace

std::optional<Existing> find(store::Connection& connection, std::int64_t list_id,
                             std::string_view message_id) {
    const auto row = connection.query_one(
        "SELECT id, thread_id FROM archive_messages WHERE list_id = $1 AND message_id = $2",
        {list_id, std::string(message_id)});
    if (!row) {
        return std::nullopt;
    }
    return Existing{MessageId(row->integer(0)), ThreadId(row->integer(1))};
}

namespace {

// A thread a message links to, by when it started (the oldest is the one the others merge into).
struct Linked {
    std::int64_t started_at;
    std::int64_t id;
    bool operator<(const Linked& other) const {
        return std::tie(started_at, id) < std::tie(other.started_at, other.id);
    }
    bool operator==(const Linked& other) const { return id == other.id; }
};

// The thread of the list whose base subject is `base` and whose activity lies within `window`
// seconds of `date`, most recently active first; nullopt when none (or `base` is "").
std::optional<ThreadId> thread_by_subject(store::Connection& connection, std::int64_t list_id,
                                          std::string_view base, std::int64_t date,
                                          std::int64_t window) {
    if (base.empty()) {
        return std::nullopt;
    }
    const auto row = connection.query_one(
        "SELECT id FROM archive_threads WHERE list_id = $1 AND base_subject = $2 "
        "AND last_activity >= $3 AND started_at <= $4 ORDER BY last_activity DESC, id DESC "
        "LIMIT 1",
        {list_id, std::string(base), date - window, date + window});
    if (!row) {
        return std::nullopt;
    }
    return ThreadId(row->integer(0));
}

// links() on SQLite: one statement an id. An IN list or a UNION is an ephemeral table built and
// dropped for each message, and SQLite's statements cost no round trip.
std::optional<Existing> linked_on_sqlite(store::Connection& connection, std::int64_t list_id,
                                         std::string_view message_id,
                                         const std::vector<std::string>& named,
                                         std::vector<Linked>& linked) {
    if (auto existing = find(connection, list_id, message_id)) {
        return existing;
    }
    std::vector<std::string> follow{std::string(message_id)};  // Ids whose namers are read.
    for (const auto& id : named) {
        const auto rows = connection.query(
            "SELECT t.id, t.started_at FROM archive_messages m "
            "JOIN archive_threads t ON t.id = m.thread_id "
            "WHERE m.list_id = $1 AND m.message_id = $2",
            {list_id, id});
        if (rows.empty() && std::find(follow.begin(), follow.end(), id) == follow.end()) {
            follow.push_back(id);
        }
        for (const auto& row : rows) {
            linked.push_back(Linked{row.integer(1), row.integer(0)});
        }
    }
    for (const auto& id : follow) {
        for (const auto& row :
             connection.query("SELECT t.id, t.started_at FROM archive_references r "
                              "JOIN archive_messages m ON m.id = r.message_id "
                              "JOIN archive_threads t ON t.id = m.thread_id "
                              "WHERE r.list_id = $1 AND r.referenced = $2",
                              {list_id, id})) {
            linked.push_back(Linked{row.integer(1), row.integer(0)});
        }
    }
    return std::nullopt;
}

// links() on PostgreSQL: one statement (one round trip), whatever the number of ids. Kind 0:
// the stored ones among this message and those it names; kind 1: the threads of the messages
// naming this one or a named id the list lacks.
std::optional<Existing> linked_on_postgresql(store::Connection& connection, std::int64_t list_id,
                                             std::string_view message_id,
                                             const std::vector<std::string>& named,
                                             const std::optional<SubjectProbe>& subject,
                                             std::vector<Linked>& linked,
                                             std::optional<ThreadId>& by_subject) {
    store::Params params{list_id, std::string(message_id)};
    for (const auto& id : named) {
        params.emplace_back(id);
    }
    // The ids as a list of values in both places, so that each side reads its (list_id,
    // message_id) or (list_id, referenced) index (a set of ids from a CTE had the namers side
    // read every reference of the list).
    const std::string ids = "(" + placeholders(2, params.size() - 1) + ")";
    std::string sql =
        "WITH stored AS (SELECT m.message_id, m.id, t.id AS thread, t.started_at "
        "FROM archive_messages m JOIN archive_threads t ON t.id = m.thread_id "
        "WHERE m.list_id = $1 AND m.message_id IN " +
        ids +
        ") SELECT 0, message_id, id, thread, started_at FROM stored UNION ALL "
        "SELECT 1, NULL, NULL, t.id, t.started_at FROM archive_references r "
        "JOIN archive_messages m ON m.id = r.message_id "
        "JOIN archive_threads t ON t.id = m.thread_id WHERE r.list_id = $1 "
        "AND r.referenced IN " +
        ids + " AND r.referenced NOT IN (SELECT message_id FROM stored)";
    if (subject && !subject->base.empty()) {
        // Kind 2: thread_by_subject's statement.
        const std::size_t first = params.size() + 1;
        params.emplace_back(std::string(subject->base));
        params.emplace_back(subject->date - subject->window);
        params.emplace_back(subject->date + subject->window);
        sql +=
            " UNION ALL (SELECT 2, NULL, NULL, id, 0 FROM archive_threads WHERE list_id = $1 "
            "AND base_subject = $" +
            std::to_string(first) + " AND last_activity >= $" + std::to_string(first + 1) +
            " AND started_at <= $" + std::to_string(first + 2) +
            " ORDER BY last_activity DESC, id DESC LIMIT 1)";
    }
    const auto rows = connection.query(sql, params);
    for (const auto& row : rows) {
        if (row.integer(0) == 0 && row.text(1) == message_id) {
            return Existing{MessageId(row.integer(2)), ThreadId(row.integer(3))};
        }
    }
    for (const auto& row : rows) {
        if (row.integer(0) == 2) {
            by_subject = ThreadId(row.integer(3));
        } else {
            linked.push_back(Linked{row.integer(4), row.integer(3)});
        }
    }
    return std::nullopt;
}

}  // namespace

Links links(store::Connection& connection, std::int64_t list_id, std::string_view message_id,
            const std::vector<std::string>& named, const std::optional<SubjectProbe>& subject) {
    // A message that names a stored message is in that message's thread: store() put it there,
    // or merged its thread there when the named one arrived. So of the messages naming an id,
    // only those naming this message (it is their late parent) or an ancestor the list lacks
    // (siblings under a missing parent) are read; the messages naming a stored ancestor, every
    // message of a long thread for its root, are not.
    std::vector<Linked> linked;
    Links links;
    const bool sqlite = connection.dialect() == store::Dialect::Sqlite;
    const auto existing = sqlite ? linked_on_sqlite(connection, list_id, message_id, named, linked)
                                 : linked_on_postgresql(connection, list_id, message_id, named,
                                                        subject, linked, links.by_subject);
    if (existing) {
        return Links{existing, {}, std::nullopt};
    }
    std::sort(linked.begin(), linked.end());
    linked.erase(std::unique(linked.begin(), linked.end()), linked.end());
    links.threads.reserve(linked.size());
    for (const auto& thread : linked) {
        links.threads.emplace_back(thread.id);
    }
    if (!links.threads.empty()) {
        links.by_subject.reset();
    } else if (sqlite && subject) {
        links.by_subject =
            thread_by_subject(connection, list_id, subject->base, subject->date, subject->window);
    }
    return links;
}

ThreadId create_thread(store::Connection& connection, std::int64_t list_id, std::int64_t date) {
    const auto id = connection.insert_returning_id(
        "INSERT INTO archive_threads (list_id, started_at, last_activity, message_count) "
        "VALUES ($1, $2, $2, 0)",
        {list_id, date});
    return ThreadId(id.value());
}

namespace {

// Columns of archive_threads as ThreadRow reads them, from `first` on.
constexpr std::string_view kThreadRowColumns =
    "t.id, t.subject, t.base_subject, t.first_message, t.started_at, t.last_activity, "
    "t.message_count";

ThreadRow thread_row_from(const store::Row& row, std::size_t first) {
    ThreadRow thread;
    thread.id = ThreadId(row.integer(first));
    thread.subject = row.text(first + 1);
    thread.base_subject = row.text(first + 2);
    if (const auto message = row.optional_integer(first + 3)) {
        thread.first_message = MessageId(*message);
    }
    thread.started_at = row.integer(first + 4);
    thread.last_activity = row.integer(first + 5);
    thread.message_count = row.integer(first + 6);
    return thread;
}

store::Binary text_array(const std::vector<std::string>& texts) {
    store::ArrayBuilder array(store::ArrayBuilder::Element::Text);
    for (const auto& text : texts) {
        array.add(text);
    }
    return array.take();
}

}  // namespace

Known known(store::Connection& connection, std::int64_t list_id,
            const std::vector<std::string>& ids, const std::vector<std::string>& bases,
            std::int64_t from, std::int64_t until) {
    // Kind 0: stored messages among the ids; kind 1: threads of the messages naming an id the
    // list does not hold (of a held id, the namers are in that id's thread already: see links());
    // kind 2: the subject candidates. The ids are joined from unnest(), so that each is a probe of
    // the (list_id, message_id) or (list_id, referenced) index: as `message_id = ANY(ids)` with
    // statistics from before the list grew, the planner read the whole list by its date index.
    const std::string columns(kThreadRowColumns);
    const auto rows = connection.query(
        "WITH stored AS (SELECT m.message_id, m.id, m.thread_id "
        "FROM unnest(CAST($2 AS text[])) AS q(id) "
        "JOIN archive_messages m ON m.list_id = $1 AND m.message_id = q.id), "
        "named AS (SELECT DISTINCT r.referenced, m.thread_id "
        "FROM unnest(CAST($2 AS text[])) AS q(id) "
        "JOIN archive_references r ON r.list_id = $1 AND r.referenced = q.id "
        "JOIN archive_messages m ON m.id = r.message_id "
        "WHERE q.id NOT IN (SELECT message_id FROM stored)) "
        "SELECT 0, s.message_id, s.id, " +
            columns +
            " FROM stored s JOIN archive_threads t ON t.id = s.thread_id "
            "UNION ALL SELECT 1, n.referenced, NULL, " +
            columns +
            " FROM named n JOIN archive_threads t ON t.id = n.thread_id "
            "UNION ALL SELECT 2, NULL, NULL, " +
            columns +
            " FROM archive_threads t WHERE t.list_id = $1 "
            "AND t.base_subject = ANY(CAST($3 AS text[])) AND t.last_activity >= $4 "
            "AND t.started_at <= $5",
        {list_id, text_array(ids), text_array(bases), from, until});
    Known known;
    for (const auto& row : rows) {
        ThreadRow thread = thread_row_from(row, 3);
        const ThreadId id = thread.id;
        known.threads.try_emplace(id.value(), std::move(thread));
        switch (row.integer(0)) {
            case 0:
                known.held.insert_or_assign(row.text(1), Existing{MessageId(row.integer(2)), id});
                break;
            case 1:
                known.namers[row.text(1)].push_back(id);
                break;
            default:
                break;
        }
    }
    return known;
}

namespace {

using Element = store::ArrayColumns::Element;

std::optional<std::int64_t> optional_id(const std::optional<MessageId>& id) {
    return id ? std::optional<std::int64_t>(id->value()) : std::nullopt;
}

}  // namespace

void insert_threads(Writes& writes, std::int64_t list_id, const std::vector<ThreadRow>& threads) {
    store::ArrayColumns rows({Element::Bigint, Element::Text, Element::Text, Element::Bigint,
                              Element::Bigint, Element::Bigint, Element::Bigint});
    for (const auto& thread : threads) {
        rows.row(thread.id.value(), thread.subject, thread.base_subject,
                 optional_id(thread.first_message), thread.started_at, thread.last_activity,
                 thread.message_count);
    }
    if (rows.empty()) {
        return;
    }
    writes.push_back(store::Statement{
        "INSERT INTO archive_threads (id, list_id, subject, base_subject, first_message, "
        "started_at, last_activity, message_count) SELECT t.id, $1, t.subject, t.base, t.first, "
        "t.started, t.last, t.count FROM " +
            rows.unnest(2) + " AS t(id, subject, base, first, started, last, count)",
        rows.take({list_id})});
}

namespace {

void insert_attachments_of(Writes& writes, const std::vector<MessageToWrite>& messages) {
    store::ArrayColumns rows({Element::Bigint, Element::Bigint, Element::Text, Element::Text,
                              Element::Bigint, Element::Text});
    for (const auto& each : messages) {
        for (const auto& attachment : each.message->attachments) {
            rows.row(each.message->id.value(), static_cast<std::int64_t>(attachment.index),
                     attachment.filename, attachment.content_type,
                     static_cast<std::int64_t>(attachment.size),
                     core::encode_base64(attachment.bytes));
        }
    }
    if (rows.empty()) {
        return;
    }
    writes.push_back(store::Statement{
        "INSERT INTO archive_attachments (message_id, position, filename, content_type, size, "
        "bytes) SELECT * FROM " +
            rows.unnest(1),
        rows.take()});
}

void insert_references_of(Writes& writes, std::int64_t list_id,
                          const std::vector<MessageToWrite>& messages) {
    store::ArrayColumns rows({Element::Bigint, Element::Text});
    for (const auto& each : messages) {
        for (const auto& id : *each.named) {
            rows.row(each.message->id.value(), id);
        }
    }
    if (rows.empty()) {
        return;
    }
    writes.push_back(store::Statement{
        "INSERT INTO archive_references (list_id, message_id, referenced) SELECT $1, r.message, "
        "r.referenced FROM " +
            rows.unnest(2) +
            " AS r(message, referenced) ON CONFLICT (message_id, referenced) DO NOTHING",
        rows.take({list_id})});
}

}  // namespace

void insert_messages(Writes& writes, std::int64_t list_id,
                     const std::vector<MessageToWrite>& messages) {
    // post_id is NULL: an import.
    store::ArrayColumns rows({Element::Bigint, Element::Bigint, Element::Text, Element::Bigint,
                              Element::Bigint, Element::Bigint, Element::Text, Element::Text,
                              Element::Text, Element::Text, Element::Text, Element::Text,
                              Element::Bigint, Element::Bigint, Element::Text, Element::Bigint});
    for (const auto& each : messages) {
        const ArchivedMessage& message = *each.message;
        rows.row(message.id.value(), message.thread.value(), message.message_id,
                 std::int64_t{message.message_id_assigned ? 1 : 0}, message.date,
                 std::int64_t{message.date_is_fallback ? 1 : 0}, message.author_name,
                 message.author_email, message.subject, message.in_reply_to,
                 join_words(message.references), message.text,
                 static_cast<std::int64_t>(message.attachments.size()),
                 std::int64_t{message.parseable ? 1 : 0}, each.raw, message.archived_at);
    }
    if (rows.empty()) {
        return;
    }
    writes.push_back(store::Statement{
        "INSERT INTO archive_messages (id, list_id, thread_id, message_id, message_id_assigned, "
        "date, date_is_fallback, author_name, author_email, subject, in_reply_to, refs, "
        "body_text, attachment_count, parseable, raw, archived_at) SELECT m.id, $1, m.thread, "
        "m.message_id, m.assigned, m.date, m.fallback, m.author_name, m.author_email, m.subject, "
        "m.in_reply_to, m.refs, m.body_text, m.attachments, m.parseable, m.raw, m.archived_at "
        "FROM " +
            rows.unnest(2) +
            " AS m(id, thread, message_id, assigned, date, fallback, author_name, author_email, "
            "subject, in_reply_to, refs, body_text, attachments, parseable, raw, archived_at)",
        rows.take({list_id})});
    insert_attachments_of(writes, messages);
    insert_references_of(writes, list_id, messages);
}

void grow_threads(Writes& writes, const std::vector<ThreadGrowth>& growths) {
    store::ArrayColumns rows({Element::Bigint, Element::Bigint, Element::Bigint, Element::Bigint,
                              Element::Bigint, Element::Text, Element::Text});
    for (const auto& growth : growths) {
        rows.row(growth.id.value(), growth.added, growth.latest, growth.earliest_date,
                 growth.earliest.value(), growth.subject, growth.base_subject);
    }
    if (rows.empty()) {
        return;
    }
    // count_into_thread's expressions, with a batch's messages in a thread taken together: the
    // latest can only raise last_activity, the earliest only move the start.
    writes.push_back(store::Statement{
        "UPDATE archive_threads t SET message_count = t.message_count + g.added, "
        "last_activity = CASE WHEN t.first_message IS NULL OR t.last_activity < g.latest "
        "THEN g.latest ELSE t.last_activity END, "
        "subject = CASE WHEN t.first_message IS NULL OR g.earliest_date < t.started_at "
        "THEN g.subject ELSE t.subject END, "
        "base_subject = CASE WHEN t.first_message IS NULL OR g.earliest_date < t.started_at "
        "THEN g.base ELSE t.base_subject END, "
        "first_message = CASE WHEN t.first_message IS NULL OR g.earliest_date < t.started_at "
        "THEN g.earliest ELSE t.first_message END, "
        "started_at = CASE WHEN t.first_message IS NULL OR g.earliest_date < t.started_at "
        "THEN g.earliest_date ELSE t.started_at END FROM " +
            rows.unnest(1) +
            " AS g(id, added, latest, earliest_date, earliest, subject, base) WHERE t.id = g.id",
        rows.take()});
}

void merge_thread(store::Connection& connection, ThreadId from, ThreadId into) {
    connection.execute("UPDATE archive_messages SET thread_id = $1 WHERE thread_id = $2",
                       {into.value(), from.value()});
    delete_thread(connection, from);
}

std::string stored_raw(std::string_view raw) {
    return core::encode_base64(raw);
}

namespace {

constexpr std::string_view kInsertMessage =
    "INSERT INTO archive_messages (list_id, thread_id, post_id, message_id, "
    "message_id_assigned, date, date_is_fallback, author_name, author_email, subject, "
    "in_reply_to, refs, body_text, attachment_count, parseable, raw, archived_at";

store::Params message_params(const ArchivedMessage& message, std::string_view raw,
                             std::optional<std::int64_t> post_id) {
    return {message.list_id,
            message.thread.value(),
            store::nullable(post_id),
            message.message_id,
            std::int64_t{message.message_id_assigned ? 1 : 0},
            message.date,
            std::int64_t{message.date_is_fallback ? 1 : 0},
            message.author_name,
            message.author_email,
            message.subject,
            message.in_reply_to,
            join_words(message.references),
            message.text,
            static_cast<std::int64_t>(message.attachments.size()),
            std::int64_t{message.parseable ? 1 : 0},
            std::string(raw),
            message.archived_at};
}

constexpr std::int64_t kReservedAtOnce = 500;

}  // namespace

std::optional<MessageId> insert_message(store::Connection& connection,
                                        const ArchivedMessage& message, std::string_view raw,
                                        std::optional<std::int64_t> post_id) {
    // Not RETURNING: on SQLite that makes each insert a statement transaction, and every
    // statement transaction makes FTS5 write out what it holds for the batch's commit, so the
    // search index was written message by message (a fifth of an import's writer time).
    const auto id = connection.insert_returning_id(
        std::string(kInsertMessage) +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
            "$17) ON CONFLICT (list_id, message_id) DO NOTHING",
        message_params(message, raw, post_id));
    if (!id) {
        return std::nullopt;
    }
    return MessageId(*id);
}

std::int64_t ReservedIds::next(store::Connection& connection, std::string_view table,
                               std::vector<std::int64_t>& reserve) {
    if (reserve.empty()) {
        const auto rows = connection.query(
            "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
            {std::string(table), kReservedAtOnce});
        for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
            reserve.push_back(row->integer(0));
        }
    }
    const std::int64_t id = reserve.back();
    reserve.pop_back();
    return id;
}

ThreadId ReservedIds::next_thread(store::Connection& connection) {
    return ThreadId(next(connection, "archive_threads", threads_));
}

MessageId ReservedIds::next_message(store::Connection& connection) {
    return MessageId(next(connection, "archive_messages", messages_));
}

void insert_attachments(store::Connection& connection, MessageId message,
                        const std::vector<Attachment>& attachments) {
    for (const auto& attachment : attachments) {
        connection.execute_later(
            "INSERT INTO archive_attachments (message_id, position, filename, content_type, size, "
            "bytes) VALUES ($1, $2, $3, $4, $5, $6)",
            {message.value(), static_cast<std::int64_t>(attachment.index), attachment.filename,
             attachment.content_type, static_cast<std::int64_t>(attachment.size),
             core::encode_base64(attachment.bytes)});
    }
}

void insert_references(store::Connection& connection, std::int64_t list_id, MessageId message,
                       const std::vector<std::string>& referenced) {
    if (connection.dialect() == store::Dialect::Postgresql && referenced.size() > 1) {
        // One statement, not a round trip per ancestor. Not on SQLite: a statement of several
        // rows is a statement transaction there, which makes FTS5 write out its pending terms
        // (DECISIONS: archive import).
        store::Params params{list_id, message.value()};
        std::string sql =
            "INSERT INTO archive_references (list_id, message_id, referenced) VALUES ";
        for (std::size_t ref_idx = 0; ref_idx < referenced.size(); ++ref_idx) {
            params.emplace_back(referenced[ref_idx]);
            sql += (ref_idx == 0 ? "($1, $2, $" : ", ($1, $2, $") + std::to_string(params.size()) +
                   ")";
        }
        connection.execute_later(sql + " ON CONFLICT (message_id, referenced) DO NOTHING", params);
        return;
    }
    for (const auto& id : referenced) {
        connection.execute_later(
            "INSERT INTO archive_references (list_id, message_id, referenced) VALUES ($1, $2, $3) "
            "ON CONFLICT (message_id, referenced) DO NOTHING",
            {list_id, message.value(), id});
    }
}

void delete_thread(store::Connection& connection, ThreadId thread) {
    connection.execute("DELETE FROM archive_threads WHERE id = $1", {thread.value()});
}

void count_into_thread(store::Connection& connection, ThreadId thread,
                       const ArchivedMessage& message, std::string_view base) {
    // Every expression reads the row as it was before this UPDATE (both dialects).
    connection.execute_later(
        "UPDATE archive_threads SET message_count = message_count + 1, "
        "last_activity = CASE WHEN first_message IS NULL OR last_activity < $2 THEN $2 "
        "ELSE last_activity END, "
        "subject = CASE WHEN first_message IS NULL OR $2 < started_at THEN $3 ELSE subject END, "
        "base_subject = CASE WHEN first_message IS NULL OR $2 < started_at THEN $4 "
        "ELSE base_subject END, "
        "first_message = CASE WHEN first_message IS NULL OR $2 < started_at THEN $5 "
        "ELSE first_message END, "
        "started_at = CASE WHEN first_message IS NULL OR $2 < started_at THEN $2 "
        "ELSE started_at END "
        "WHERE id = $1",
        {thread.value(), message.date, message.subject, std::string(base), message.id.value()});
}

void refresh_thread(store::Connection& connection, ThreadId thread) {
    const auto counts = connection.query_one(
        "SELECT COUNT(*), MIN(date), MAX(date) FROM archive_messages WHERE thread_id = $1",
        {thread.value()});
    const auto first = connection.query_one(
        "SELECT id, subject FROM archive_messages WHERE thread_id = $1 ORDER BY date, id LIMIT 1",
        {thread.value()});
    if (!counts || !first) {
        delete_thread(connection, thread);
        return;
    }
    const std::string subject = first->text(1);
    connection.execute(
        "UPDATE archive_threads SET message_count = $2, started_at = $3, last_activity = $4, "
        "first_message = $5, subject = $6, base_subject = $7 WHERE id = $1",
        {thread.value(), counts->integer(0), counts->integer(1), counts->integer(2),
         first->integer(0), subject, base_subject(subject)});
}

void raise_revision(store::Connection& connection, std::int64_t list_id) {
    connection.execute(
        "INSERT INTO archive_revisions (list_id, revision) VALUES ($1, 1) "
        "ON CONFLICT (list_id) DO UPDATE SET revision = archive_revisions.revision + 1",
        {list_id});
}

void widen_page_cache(store::Connection& connection, bool wide) {
    // SQLite's default cache is 2 MB a connection: an import, whose inserts land all over the
    // indexes of a growing archive, read pages back from the file ~70,000 times for 20,000
    // messages (28,000 with 64 MB; the cache takes only what it uses).
    if (connection.dialect() == store::Dialect::Sqlite) {
        connection.execute(wide ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -2000");
    }
}

void plan_for_import(store::Connection& connection) {
    if (connection.dialect() != store::Dialect::Postgresql) {
        return;
    }
    // Planning each statement with its values (the connection's default) is wasted on a batch's
    // few statements of arrays, the same every batch.
    connection.execute_script("SET LOCAL plan_cache_mode = auto");
}

void analyse_lists(store::Connection& connection) {
    if (connection.dialect() == store::Dialect::Postgresql) {
        connection.execute_script("ANALYZE archive_messages (list_id)");
    }
}

std::optional<ArchivedMessage> message(store::Database& database, MessageId id, bool with_raw) {
    const auto row = database.query_one(
        std::string(kMessageColumns) + ", raw FROM archive_messages WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    auto message = message_from_row(*row);
    if (with_raw) {
        message.raw = core::decode_base64(row->text(15)).value_or(std::string());
    }
    message.attachments = attachments_of(database, id);
    return message;
}

std::vector<MessageRef> find_by_message_id(store::Database& database, std::string_view message_id) {
    std::vector<MessageRef> refs;
    for (const auto& row : database.query(
             "SELECT id, list_id FROM archive_messages WHERE message_id = $1 ORDER BY id",
             {std::string(message_id)})) {
        refs.push_back(MessageRef{MessageId(row.integer(0)), row.integer(1)});
    }
    return refs;
}

std::int64_t revision(store::Database& database, std::int64_t list_id) {
    const auto row = database.query_one_memoised(
        "SELECT revision FROM archive_revisions WHERE list_id = $1", {list_id});
    return row ? row->integer(0) : 0;
}

std::vector<ThreadSummary> threads(store::Database& database, std::int64_t list_id,
                                   std::optional<std::pair<std::int64_t, std::int64_t>> range,
                                   std::size_t limit, std::size_t offset) {
    auto params = range_params(list_id, range);
    const std::size_t next = params.size() + 1;
    params.emplace_back(static_cast<std::int64_t>(limit));
    params.emplace_back(static_cast<std::int64_t>(offset));
    const std::string sql = std::string(kThreadColumns) + "WHERE t.list_id = $1" +
                            (range ? std::string(kInMonth) : std::string()) +
                            " ORDER BY t.last_activity DESC, t.id DESC LIMIT $" +
                            std::to_string(next) + " OFFSET $" + std::to_string(next + 1);
    std::vector<ThreadSummary> summaries;
    for (const auto& row : database.query(sql, params)) {
        summaries.push_back(thread_from_row(row));
    }
    add_participants(database, summaries);
    return summaries;
}

std::size_t thread_count(store::Database& database, std::int64_t list_id,
                         std::optional<std::pair<std::int64_t, std::int64_t>> range) {
    const auto row =
        database.query_one("SELECT COUNT(*) FROM archive_threads t WHERE t.list_id = $1" +
                               (range ? std::string(kInMonth) : std::string()),
                           range_params(list_id, range));
    return row ? static_cast<std::size_t>(row->integer(0)) : 0;
}

std::vector<MonthCount> months(store::Database& database, std::int64_t list_id) {
    // The one place the dialects differ: formatting a Unix time as a UTC month.
    const std::string month = database.dialect() == store::Dialect::Sqlite
                                  ? "strftime('%Y-%m', date, 'unixepoch')"
                                  : "to_char(to_timestamp(date) AT TIME ZONE 'UTC', 'YYYY-MM')";
    std::vector<MonthCount> out;
    for (const auto& row : database.query("SELECT " + month +
                                              " AS month, COUNT(*) FROM archive_messages "
                                              "WHERE list_id = $1 GROUP BY 1 ORDER BY 1 DESC",
                                          {list_id})) {
        out.push_back(MonthCount{row.text(0), static_cast<std::size_t>(row.integer(1))});
    }
    return out;
}

std::optional<ThreadSummary> thread(store::Database& database, ThreadId id) {
    const auto row =
        database.query_one(std::string(kThreadColumns) + "WHERE t.id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    std::vector<ThreadSummary> summaries{thread_from_row(*row)};
    add_participants(database, summaries);
    return std::move(summaries.front());
}

std::vector<ArchivedMessage> thread_messages(store::Database& database, ThreadId id) {
    std::vector<ArchivedMessage> messages;
    for (const auto& row :
         database.query(std::string(kMessageColumns) + "FROM archive_messages WHERE thread_id = $1 "
                                                       "ORDER BY date, id",
                        {id.value()})) {
        messages.push_back(message_from_row(row));
    }
    add_attachments(database, messages);
    return messages;
}

std::vector<ArchivedMessage> latest(store::Database& database, std::int64_t list_id,
                                    std::size_t limit) {
    std::vector<ArchivedMessage> messages;
    for (const auto& row :
         database.query(std::string(kMessageColumns) + "FROM archive_messages WHERE list_id = $1 "
                                                       "ORDER BY date DESC, id DESC LIMIT $2",
                        {list_id, static_cast<std::int64_t>(limit)})) {
        messages.push_back(message_from_row(row));
    }
    add_attachments(database, messages);
    return messages;
}

std::optional<Attachment> attachment(store::Database& database, MessageId id, std::size_t index) {
    const auto row = database.query_one(
        "SELECT position, filename, content_type, size, bytes FROM archive_attachments "
        "WHERE message_id = $1 AND position = $2",
        {id.value(), static_cast<std::int64_t>(index)});
    if (!row) {
        return std::nullopt;
    }
    return Attachment{static_cast<std::size_t>(row->integer(0)), row->text(1), row->text(2),
                      static_cast<std::size_t>(row->integer(3)),
                      core::decode_base64(row->text(4)).value_or(std::string())};
}

}  // namespace coalition::archive::archive_store
