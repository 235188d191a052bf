#pragma once
// The statement module's SQL (migrations/0007_statement_texts.sql); nobody else touches these
// tables. Writers take the caller's transaction; readers use the database's reader pool.

#include "statement/statement.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::statement::statement_store {

// The revision counter (raised by every publication and translation); nullopt without its row.
std::optional<std::int64_t> revision(store::Database& database);
void raise_revision(store::Connection& connection);

// Every version with its texts, newest first; texts in no particular order.
std::vector<Version> all_versions(store::Database& database);

struct VersionRow {
    std::int64_t id = 0;
    std::int64_t number = 0;
    std::string language;
};
std::optional<VersionRow> find_version(store::Connection& connection, const std::string& hash);
std::int64_t next_number(store::Connection& connection);
// The number and hash of the newest version.
std::optional<std::pair<std::int64_t, std::string>> current_version(store::Connection& connection);

// Inserts the version and its authoritative text; returns the version's id.
std::int64_t insert_version(store::Connection& connection, const Version& version);
// Inserts or replaces one text of version `version_id`; true when it replaced one.
bool upsert_text(store::Connection& connection, std::int64_t version_id,
                 const Translation& translation);

std::optional<Draft> draft(store::Database& database);
std::optional<Draft> draft(store::Connection& connection);
void save_draft(store::Connection& connection, const Draft& draft);
void delete_draft(store::Connection& connection);

}  // namespace coalition::statement::statement_store
