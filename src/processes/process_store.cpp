#include "processes/process_store.hpp"

#include <nlohmann/json.hpp>

namespace coalition::processes::process_store {
namespace {

constexpr std::string_view kProcessColumns =
    "SELECT id, slug, name, short_name, kind, convenor, description, links, status, created_at, "
    "updated_at FROM processes ";

constexpr std::string_view kMilestoneColumns =
    "SELECT id, process_id, uid, kind, title, start_date, start_time, start_zone, start_utc, "
    "end_date, end_time, end_zone, end_utc, date_precision, tentative, location_kind, location, "
    "links, notes, created_at, updated_at FROM process_milestones ";

Process process_from(const store::Row& row) {
    auto slug = accounts::Slug::parse(row.text(1));
    COALITION_ASSERT(slug.has_value(), "a stored process slug is valid");
    Process process{.id = ProcessId(row.integer(0)),
                    .slug = *slug,
                    .fields = {},
                    .created_at = row.integer(9),
                    .updated_at = row.integer(10),
                    .milestones = {}};
    process.fields.name = row.text(2);
    process.fields.short_name = row.text(3);
    process.fields.slug = *slug;
    process.fields.kind = parse_process_kind(row.text(4)).value_or(ProcessKind::UnProcess);
    process.fields.convenor = row.text(5);
    process.fields.description = row.text(6);
    process.fields.links = links_from_json(row.text(7));
    process.fields.status = parse_process_status(row.text(8)).value_or(ProcessStatus::Active);
    return process;
}

// A stored moment was validated before it was written; read it back as it was.
Moment moment_from(const std::string& date, const std::optional<std::string>& time,
                   const std::optional<std::string>& zone) {
    auto moment = time && !time->empty()
                      ? Moment::date_time(date, *time, zone.value_or("UTC"), "start")
                      : Moment::date(date, "start");
    COALITION_ASSERT(moment.has_value(), "a stored milestone moment is valid");
    return *moment;
}

Milestone milestone_from(const store::Row& row) {
    Milestone milestone;
    milestone.id = MilestoneId(row.integer(0));
    milestone.process_id = ProcessId(row.integer(1));
    milestone.uid = row.optional_text(2).value_or("milestone-" + std::to_string(row.integer(0)));
    auto& fields = milestone.fields;
    fields.kind = parse_milestone_kind(row.text(3)).value_or(MilestoneKind::Other);
    fields.title = row.text(4);
    fields.start = moment_from(row.text(5), row.optional_text(6), row.optional_text(7));
    if (const auto end_date = row.optional_text(9)) {
        fields.end = moment_from(*end_date, row.optional_text(10), row.optional_text(11));
    }
    fields.precision = parse_precision(row.text(13)).value_or(DatePrecision::Day);
    fields.tentative = row.boolean(14);
    fields.location_kind = parse_location_kind(row.text(15)).value_or(LocationKind::None);
    fields.location = row.text(16);
    fields.links = links_from_json(row.text(17));
    fields.notes = row.text(18);
    milestone.created_at = row.integer(19);
    milestone.updated_at = row.integer(20);
    return milestone;
}

store::Value optional_text(const std::string& text) {
    if (text.empty()) {
        return nullptr;
    }
    return text;
}

store::Params milestone_params(const MilestoneFields& fields) {
    const Moment* end = fields.end ? &*fields.end : nullptr;
    return {std::string(id(fields.kind)),
            fields.title,
            fields.start.date(),
            optional_text(fields.start.time()),
            optional_text(fields.start.zone()),
            fields.start.utc(),
            end ? store::Value(end->date()) : store::Value(nullptr),
            end ? optional_text(end->time()) : store::Value(nullptr),
            end ? optional_text(end->zone()) : store::Value(nullptr),
            end ? store::Value(end->utc()) : store::Value(nullptr),
            std::string(id(fields.precision)),
            std::int64_t{fields.tentative ? 1 : 0},
            std::string(id(fields.location_kind)),
            fields.location,
            links_json(fields.links),
            fields.notes};
}

HistoryEntry history_from(const store::Row& row) {
    HistoryEntry entry;
    entry.id = row.integer(0);
    entry.process_id = ProcessId(row.integer(1));
    if (const auto milestone = row.optional_integer(2)) {
        entry.milestone_id = MilestoneId(*milestone);
    }
    entry.at = row.integer(3);
    entry.actor = row.text(4);
    entry.action = row.text(5);
    entry.summary = row.text(6);
    entry.changes = row.text(7);
    if (const auto document = row.optional_integer(8)) {
        entry.document_id = DocumentId(*document);
    }
    return entry;
}

}  // namespace

void raise_revision(store::Connection& connection, std::int64_t now) {
    connection.execute(
        "UPDATE process_revision SET revision = revision + 1, changed_at = $1 WHERE id = 1", {now});
}

std::optional<Revision> revision(store::Database& database) {
    const auto row = database.query_one_memoised(
        "SELECT revision, changed_at FROM process_revision WHERE id = 1");
    if (!row) {
        return std::nullopt;
    }
    return Revision{.revision = row->integer(0), .changed_at = row->integer(1)};
}

std::vector<Process> all_processes(store::Database& database) {
    std::vector<Process> processes;
    for (const auto& row : database.query(std::string(kProcessColumns) + "ORDER BY name, id")) {
        processes.push_back(process_from(row));
    }
    return processes;
}

std::vector<Milestone> all_milestones(store::Database& database) {
    std::vector<Milestone> milestones;
    for (const auto& row :
         database.query(std::string(kMilestoneColumns) + "ORDER BY start_utc, id")) {
        milestones.push_back(milestone_from(row));
    }
    return milestones;
}

std::vector<Milestone> milestones_of(store::Database& database, ProcessId process_id) {
    std::vector<Milestone> milestones;
    for (const auto& row : database.query(
             std::string(kMilestoneColumns) + "WHERE process_id = $1 ORDER BY start_utc, id",
             {process_id.value()})) {
        milestones.push_back(milestone_from(row));
    }
    return milestones;
}

std::optional<Process> find_process(store::Database& database, std::string_view slug) {
    const auto row =
        database.query_one(std::string(kProcessColumns) + "WHERE slug = $1", {std::string(slug)});
    return row ? std::optional(process_from(*row)) : std::nullopt;
}

std::optional<Process> find_process(store::Database& database, ProcessId id) {
    const auto row =
        database.query_one(std::string(kProcessColumns) + "WHERE id = $1", {id.value()});
    return row ? std::optional(process_from(*row)) : std::nullopt;
}

std::optional<Process> find_process(store::Connection& connection, ProcessId id) {
    const auto row =
        connection.query_one(std::string(kProcessColumns) + "WHERE id = $1", {id.value()});
    return row ? std::optional(process_from(*row)) : std::nullopt;
}

std::optional<Process> find_process(store::Connection& connection, std::string_view slug) {
    const auto row =
        connection.query_one(std::string(kProcessColumns) + "WHERE slug = $1", {std::string(slug)});
    return row ? std::optional(process_from(*row)) : std::nullopt;
}

bool is_slug_taken(store::Connection& connection, const std::string& slug) {
    return connection.query_one("SELECT 1 FROM processes WHERE slug = $1", {slug}).has_value();
}

ProcessId insert_process(store::Connection& connection, const accounts::Slug& slug,
                         const ProcessFields& fields, std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO processes (slug, name, short_name, kind, convenor, description, links, "
        "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
        "RETURNING id",
        {slug.value(), fields.name, fields.short_name, std::string(id(fields.kind)),
         fields.convenor, fields.description, links_json(fields.links),
         std::string(id(fields.status)), now});
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    return ProcessId(row->integer(0));
}

void update_process(store::Connection& connection, ProcessId process_id, const accounts::Slug& slug,
                    const ProcessFields& fields, std::int64_t now) {
    connection.execute(
        "UPDATE processes SET slug = $1, name = $2, short_name = $3, kind = $4, convenor = $5, "
        "description = $6, links = $7, status = $8, updated_at = $9 WHERE id = $10",
        {slug.value(), fields.name, fields.short_name, std::string(id(fields.kind)),
         fields.convenor, fields.description, links_json(fields.links),
         std::string(id(fields.status)), now, process_id.value()});
}

std::optional<Milestone> find_milestone(store::Database& database, MilestoneId milestone_id) {
    const auto row = database.query_one(std::string(kMilestoneColumns) + "WHERE id = $1",
                                        {milestone_id.value()});
    if (!row) {
        return std::nullopt;
    }
    auto milestone = milestone_from(*row);
    milestone.threads = thread_links(database, milestone_id);
    return milestone;
}

std::optional<Milestone> find_milestone(store::Connection& connection, MilestoneId milestone_id) {
    const auto row = connection.query_one(std::string(kMilestoneColumns) + "WHERE id = $1",
                                          {milestone_id.value()});
    if (!row) {
        return std::nullopt;
    }
    auto milestone = milestone_from(*row);
    milestone.threads = thread_links(connection, milestone_id);
    return milestone;
}

std::optional<Milestone> find_milestone_by_uid(store::Connection& connection,
                                               const std::string& uid) {
    const auto row = connection.query_one(std::string(kMilestoneColumns) + "WHERE uid = $1", {uid});
    return row ? std::optional(milestone_from(*row)) : std::nullopt;
}

MilestoneId insert_milestone(store::Connection& connection, ProcessId process_id,
                             const std::string& uid, const MilestoneFields& fields,
                             std::int64_t now) {
    auto params = milestone_params(fields);
    params.push_back(process_id.value());
    params.push_back(optional_text(uid));
    params.push_back(now);
    const auto row = connection.query_one(
        "INSERT INTO process_milestones (kind, title, start_date, start_time, start_zone, "
        "start_utc, end_date, end_time, end_zone, end_utc, date_precision, tentative, "
        "location_kind, location, links, notes, process_id, uid, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
        "$18, $19, $19) RETURNING id",
        params);
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    return MilestoneId(row->integer(0));
}

void update_milestone(store::Connection& connection, MilestoneId milestone_id,
                      const MilestoneFields& fields, std::int64_t now) {
    auto params = milestone_params(fields);
    params.push_back(now);
    params.push_back(milestone_id.value());
    connection.execute(
        "UPDATE process_milestones SET kind = $1, title = $2, start_date = $3, start_time = $4, "
        "start_zone = $5, start_utc = $6, end_date = $7, end_time = $8, end_zone = $9, "
        "end_utc = $10, date_precision = $11, tentative = $12, location_kind = $13, "
        "location = $14, links = $15, notes = $16, updated_at = $17 WHERE id = $18",
        params);
}

namespace {

constexpr std::string_view kThreadColumns =
    "SELECT milestone_id, list_id, archive_message_id, message_id FROM process_milestone_threads ";

ThreadLink thread_link_from(const store::Row& row) {
    return ThreadLink{
        .list_id = row.integer(1), .archive_message_id = row.integer(2), .message_id = row.text(3)};
}

}  // namespace

std::vector<std::pair<MilestoneId, ThreadLink>> all_thread_links(store::Database& database) {
    std::vector<std::pair<MilestoneId, ThreadLink>> links;
    for (const auto& row :
         database.query(std::string(kThreadColumns) + "ORDER BY milestone_id, position")) {
        links.emplace_back(MilestoneId(row.integer(0)), thread_link_from(row));
    }
    return links;
}

std::vector<ThreadLink> thread_links(store::Connection& connection, MilestoneId milestone_id) {
    std::vector<ThreadLink> links;
    for (const auto& row :
         connection.query(std::string(kThreadColumns) + "WHERE milestone_id = $1 ORDER BY position",
                          {milestone_id.value()})) {
        links.push_back(thread_link_from(row));
    }
    return links;
}

std::vector<ThreadLink> thread_links(store::Database& database, MilestoneId milestone_id) {
    std::vector<ThreadLink> links;
    for (const auto& row :
         database.query(std::string(kThreadColumns) + "WHERE milestone_id = $1 ORDER BY position",
                        {milestone_id.value()})) {
        links.push_back(thread_link_from(row));
    }
    return links;
}

void replace_thread_links(store::Connection& connection, MilestoneId milestone_id,
                          const std::vector<ThreadLink>& threads) {
    connection.execute("DELETE FROM process_milestone_threads WHERE milestone_id = $1",
                       {milestone_id.value()});
    std::int64_t position = 0;
    for (const auto& thread : threads) {
        connection.execute(
            "INSERT INTO process_milestone_threads (milestone_id, position, list_id, "
            "archive_message_id, message_id) VALUES ($1, $2, $3, $4, $5)",
            {milestone_id.value(), position++, thread.list_id, thread.archive_message_id,
             thread.message_id});
    }
}

void insert_history(store::Connection& connection, const HistoryEntry& entry) {
    connection.execute(
        "INSERT INTO process_history (process_id, milestone_id, at, actor, action, summary, "
        "changes, document_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {entry.process_id.value(),
         entry.milestone_id ? store::Value(entry.milestone_id->value()) : store::Value(nullptr),
         entry.at, entry.actor, entry.action, entry.summary, entry.changes,
         entry.document_id ? store::Value(entry.document_id->value()) : store::Value(nullptr)});
}

std::vector<HistoryEntry> history(store::Database& database, std::optional<ProcessId> process_id,
                                  int limit) {
    constexpr std::string_view kColumns =
        "SELECT id, process_id, milestone_id, at, actor, action, summary, changes, document_id "
        "FROM process_history ";
    const auto rows =
        process_id ? database.query(std::string(kColumns) +
                                        "WHERE process_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
                                    {process_id->value(), std::int64_t{limit}})
                   : database.query(std::string(kColumns) + "ORDER BY at DESC, id DESC LIMIT $1",
                                    {std::int64_t{limit}});
    std::vector<HistoryEntry> entries;
    for (const auto& row : rows) {
        entries.push_back(history_from(row));
    }
    return entries;
}

std::string links_json(const std::vector<Link>& links) {
    auto array = nlohmann::json::array();
    for (const auto& link : links) {
        array.push_back({{"title", link.title}, {"url", link.url}});
    }
    return array.dump();
}

std::vector<Link> links_from_json(const std::string& json) {
    std::vector<Link> links;
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (!parsed.is_array()) {
        return links;
    }
    for (const auto& item : parsed) {
        if (item.is_object() && item.contains("url") && item["url"].is_string()) {
            links.push_back(Link{.title = item.value("title", std::string()),
                                 .url = item["url"].get<std::string>()});
        }
    }
    return links;
}

}  // namespace coalition::processes::process_store
