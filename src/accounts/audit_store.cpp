#include "accounts/audit_store.hpp"

namespace coalition::accounts::audit_store {
namespace {

constexpr std::string_view kColumns =
    "id, created_at, actor_user_id, actor, action, subject, details FROM audit_log";

AuditEntry from_row(const store::Row& row) {
    AuditEntry entry;
    entry.id = row.integer(0);
    entry.created_at = row.integer(1);
    if (auto user_id = row.optional_integer(2)) {
        entry.actor_user_id = UserId(*user_id);
    }
    entry.actor = row.text(3);
    entry.action = row.text(4);
    entry.subject = row.text(5);
    entry.details = row.text(6);
    return entry;
}

}  // namespace

void insert(store::Connection& connection, const AuditEntry& entry) {
    connection.execute(
        "INSERT INTO audit_log (created_at, actor_user_id, actor, action, subject, details) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {entry.created_at,
         entry.actor_user_id ? store::Value(entry.actor_user_id->value()) : store::Value(nullptr),
         entry.actor, entry.action, entry.subject, entry.details});
}

std::vector<AuditEntry> recent(store::Database& database, int limit,
                               const std::optional<std::string>& subject) {
    store::Rows rows;
    if (subject) {
        rows = database.query(
            "SELECT " + std::string(kColumns) + " WHERE subject = $1 ORDER BY id DESC LIMIT $2",
            {*subject, std::int64_t{limit}});
    } else {
        rows = database.query("SELECT " + std::string(kColumns) + " ORDER BY id DESC LIMIT $1",
                              {std::int64_t{limit}});
    }
    std::vector<AuditEntry> entries;
    entries.reserve(rows.size());
    for (const auto& row : rows) {
        entries.push_back(from_row(row));
    }
    return entries;
}

}  // namespace coalition::accounts::audit_store
