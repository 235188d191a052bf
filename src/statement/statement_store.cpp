#include "statement/statement_store.hpp"

#include <map>

namespace coalition::statement::statement_store {
namespace {

Draft draft_from(const store::Row& row) {
    return Draft{.title = row.text(0),
                 .markdown = row.text(1),
                 .language = row.text(2),
                 .saved_at = row.integer(3)};
}

constexpr std::string_view kDraftQuery =
    "SELECT title, markdown, language, saved_at FROM statement_draft WHERE id = 1";

}  // namespace

std::optional<std::int64_t> revision(store::Database& database) {
    const auto row =
        database.query_one_memoised("SELECT revision FROM statement_revision WHERE id = 1");
    if (!row) {
        return std::nullopt;
    }
    return row->integer(0);
}

void raise_revision(store::Connection& connection) {
    connection.execute("UPDATE statement_revision SET revision = revision + 1 WHERE id = 1");
}

std::vector<Version> all_versions(store::Database& database) {
    const auto version_rows = database.query(
        "SELECT id, number, hash, language, published_at FROM statement_versions "
        "ORDER BY number DESC");
    const auto text_rows = database.query(
        "SELECT version_id, language, title, markdown, authoritative, added_at "
        "FROM statement_texts");
    std::map<std::int64_t, std::vector<Translation>> texts;
    for (const auto& row : text_rows) {
        texts[row.integer(0)].push_back(Translation{.language = row.text(1),
                                                    .title = row.text(2),
                                                    .markdown = row.text(3),
                                                    .authoritative = row.boolean(4),
                                                    .added_at = row.integer(5)});
    }
    std::vector<Version> versions;
    versions.reserve(version_rows.size());
    for (const auto& row : version_rows) {
        Version version{.number = row.integer(1),
                        .hash = row.text(2),
                        .language = row.text(3),
                        .title = {},
                        .markdown = {},
                        .published_at = row.integer(4),
                        .translations = {}};
        if (auto found = texts.find(row.integer(0)); found != texts.end()) {
            version.translations = std::move(found->second);
        }
        versions.push_back(std::move(version));
    }
    return versions;
}

std::optional<VersionRow> find_version(store::Connection& connection, const std::string& hash) {
    const auto row = connection.query_one(
        "SELECT id, number, language FROM statement_versions WHERE hash = $1", {hash});
    if (!row) {
        return std::nullopt;
    }
    return VersionRow{.id = row->integer(0), .number = row->integer(1), .language = row->text(2)};
}

std::int64_t next_number(store::Connection& connection) {
    const auto row = connection.query_one("SELECT MAX(number) FROM statement_versions");
    const auto highest = row ? row->optional_integer(0) : std::nullopt;
    return highest.value_or(0) + 1;
}

std::optional<std::pair<std::int64_t, std::string>> current_version(store::Connection& connection) {
    const auto row = connection.query_one(
        "SELECT number, hash FROM statement_versions ORDER BY number DESC LIMIT 1");
    if (!row) {
        return std::nullopt;
    }
    return std::make_pair(row->integer(0), row->text(1));
}

std::int64_t insert_version(store::Connection& connection, const Version& version) {
    const auto row = connection.query_one(
        "INSERT INTO statement_versions (number, hash, language, published_at) "
        "VALUES ($1, $2, $3, $4) RETURNING id",
        {version.number, version.hash, version.language, version.published_at});
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    const std::int64_t id = row->integer(0);
    upsert_text(connection, id,
                Translation{.language = version.language,
                            .title = version.title,
                            .markdown = version.markdown,
                            .authoritative = true,
                            .added_at = version.published_at});
    return id;
}

bool upsert_text(store::Connection& connection, std::int64_t version_id,
                 const Translation& translation) {
    const bool existed =
        connection
            .query_one("SELECT 1 FROM statement_texts WHERE version_id = $1 AND language = $2",
                       {version_id, translation.language})
            .has_value();
    connection.execute(
        "INSERT INTO statement_texts (version_id, language, title, markdown, authoritative, "
        "added_at) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (version_id, language) DO UPDATE SET title = excluded.title, "
        "markdown = excluded.markdown, added_at = excluded.added_at",
        {version_id, translation.language, translation.title, translation.markdown,
         std::int64_t{translation.authoritative ? 1 : 0}, translation.added_at});
    return existed;
}

std::optional<Draft> draft(store::Database& database) {
    const auto row = database.query_one(kDraftQuery);
    if (!row) {
        return std::nullopt;
    }
    return draft_from(*row);
}

std::optional<Draft> draft(store::Connection& connection) {
    const auto row = connection.query_one(kDraftQuery);
    if (!row) {
        return std::nullopt;
    }
    return draft_from(*row);
}

void save_draft(store::Connection& connection, const Draft& draft) {
    connection.execute(
        "INSERT INTO statement_draft (id, title, markdown, language, saved_at) "
        "VALUES (1, $1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET title = excluded.title, markdown = excluded.markdown, "
        "language = excluded.language, saved_at = excluded.saved_at",
        {draft.title, draft.markdown, draft.language, draft.saved_at});
}

void delete_draft(store::Connection& connection) {
    connection.execute("DELETE FROM statement_draft WHERE id = 1");
}

}  // namespace coalition::statement::statement_store
