#include "store/database.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "store/backends.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace coalition::store {

namespace {

// The Database whose transaction body the current thread is running, if any.
thread_local const Database* t_body_of = nullptr;

std::optional<Row> first_row(Rows rows) {
    if (rows.empty()) {
        return std::nullopt;
    }
    return std::move(rows.front());
}

}  // namespace

bool Row::is_null(std::size_t column) const {
    COALITION_ASSERT(column < columns_.size(), "column index out of range");
    return std::holds_alternative<std::nullptr_t>(columns_[column]);
}

std::int64_t Row::integer(std::size_t column) const {
    COALITION_ASSERT(column < columns_.size(), "column index out of range");
    const auto* value = std::get_if<std::int64_t>(&columns_[column]);
    COALITION_ASSERT(value != nullptr, "column is not an integer (NULL needs optional_integer)");
    return *value;
}

double Row::real(std::size_t column) const {
    COALITION_ASSERT(column < columns_.size(), "column index out of range");
    // SQLite stores a whole REAL as an integer when the column has no REAL affinity.
    if (const auto* integer_value = std::get_if<std::int64_t>(&columns_[column])) {
        return static_cast<double>(*integer_value);
    }
    const auto* value = std::get_if<double>(&columns_[column]);
    COALITION_ASSERT(value != nullptr, "column is not a number");
    return *value;
}

std::string Row::text(std::size_t column) const {
    COALITION_ASSERT(column < columns_.size(), "column index out of range");
    if (is_null(column)) {
        return {};
    }
    const auto* value = std::get_if<std::string>(&columns_[column]);
    COALITION_ASSERT(value != nullptr, "column is not text");
    return *value;
}

std::optional<std::int64_t> Row::optional_integer(std::size_t column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return text(column);
}

std::optional<Row> Connection::query_one(std::string_view sql, const Params& params) {
    return first_row(query(sql, params));
}

std::optional<std::int64_t> Connection::insert_returning_id(std::string_view insert,
                                                            const Params& params) {
    const auto row = query_one(std::string(insert) + " RETURNING id", params);
    if (!row) {
        return std::nullopt;
    }
    return row->integer(0);
}

std::optional<Row> Database::query_one(std::string_view sql, const Params& params) {
    return first_row(query(sql, params));
}

std::optional<Row> Database::query_one_memoised(std::string_view sql, const Params& params) {
    return first_row(query_memoised(sql, params));
}

std::unique_ptr<Database> open_database(const std::string& url) {
    constexpr std::string_view kSqlite = "sqlite:";
    if (url.starts_with(kSqlite)) {
        std::string path = url.substr(kSqlite.size());
        if (path.empty()) {
            throw core::StartupError("database url \"sqlite:\" names no file (sqlite:PATH)");
        }
        return detail::open_sqlite(path);
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        return detail::open_postgresql(url);
    }
    // The URL may hold a password, so it is not repeated in the message.
    throw core::StartupError("database url must start with sqlite:, postgresql:// or postgres://");
}

namespace detail {

BodyScope::BodyScope(const Database* database) : previous_(t_body_of) {
    t_body_of = database;
}

BodyScope::~BodyScope() {
    t_body_of = previous_;
}

void BodyScope::assert_outside(const Database* database, const char* operation) {
    if (t_body_of == database) {
        std::fprintf(stderr, "coalition: Database::%s called from inside a transaction body\n",
                     operation);
        COALITION_ASSERT(t_body_of != database,
                         "re-entered the Database from a transaction body; use its Connection");
    }
}

// The key of a memoised query: its SQL and each parameter with its type, lengths spelled out so
// that no two different queries share a key.
std::string memo_key(std::string_view sql, const Params& params) {
    std::string key(sql);
    for (const Value& value : params) {
        key += '\0';
        key += static_cast<char>('0' + value.index());
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            key += std::to_string(*integer);
        } else if (const auto* real = std::get_if<double>(&value)) {
            key.append(reinterpret_cast<const char*>(real), sizeof *real);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            key += std::to_string(text->size());
            key += ':';
            key += *text;
        } else if (const auto* binary = std::get_if<Binary>(&value)) {
            key += std::to_string(binary->bytes.size());
            key += ':';
            key += binary->bytes;
        }
    }
    return key;
}

std::string sql_excerpt(std::string_view sql) {
    constexpr std::size_t kSqlInMessage = 200;
    if (sql.size() <= kSqlInMessage) {
        return std::string(sql);
    }
    return std::string(sql.substr(0, kSqlInMessage)) + "…";
}

}  // namespace detail

}  // namespace coalition::store
