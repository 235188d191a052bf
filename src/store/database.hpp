#pragma once
// store: the data-access layer. One interface, two backends (SQLite, PostgreSQL).
//
// SQL is written once for both: parameters are `$1`, `$2`, … (SQLite reads them as named
// parameters, libpq as positional ones), times are BIGINT Unix seconds, booleans INTEGER 0/1,
// ids come back with `RETURNING id`. Where the dialects really differ (row locking), callers ask
// `dialect()`. Each domain module keeps its SQL in its own `*_store.cpp`; nobody else touches its
// tables. Start reading at Database::transact.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coalition::store {

enum class Dialect { Sqlite, Postgresql };

// A parameter sent as bytes in PostgreSQL's binary format for the type the statement casts it
// to: an array made by store::ArrayBuilder (array_builder.hpp), a tsvector. PostgreSQL only;
// never a column.
struct Binary {
    std::string bytes;
};

// A parameter or a column value. Text is UTF-8; blobs are not used (store bytes as text).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Binary>;

// Builds a parameter from an optional: nullopt becomes SQL NULL.
template <typename T>
Value nullable(const std::optional<T>& value) {
    if (!value) {
        return nullptr;
    }
    return Value(*value);
}

// One result row. Column access by index; conversions are checked (a wrong type is a bug).
class Row {
public:
    explicit Row(std::vector<Value> columns) : columns_(std::move(columns)) {}
    bool is_null(std::size_t column) const;
    std::int64_t integer(std::size_t column) const;  // NULL is a bug; use optional_integer.
    double real(std::size_t column) const;
    std::string text(std::size_t column) const;  // NULL reads as "".
    std::optional<std::int64_t> optional_integer(std::size_t column) const;
    std::optional<std::string> optional_text(std::size_t column) const;
    bool boolean(std::size_t column) const { return integer(column) != 0; }
    std::size_t size() const { return columns_.size(); }

private:
    std::vector<Value> columns_;
};

using Rows = std::vector<Row>;
using Params = std::vector<Value>;

// A statement made ahead of the transaction that runs it (Connection::execute_later).
struct Statement {
    std::string sql;
    Params params;
};

// Statements run on one connection, inside the transaction that Database::transact opened.
// Thread-compatible: used by one thread at a time (the one running the transaction body).
class Connection {
public:
    virtual ~Connection() = default;
    // Runs `sql` and returns every row. Throws store::ConstraintViolation on a UNIQUE/FOREIGN
    // KEY/CHECK violation and core::Unavailable when the database is gone.
    virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
    // Runs `sql` and returns the number of rows changed.
    virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
    // Runs several `;`-separated statements without parameters (migrations).
    virtual void execute_script(std::string_view sql) = 0;
    // Which engine runs the statements (where the SQL differs, or the search index).
    virtual Dialect dialect() const = 0;

    // The first row, if any.
    std::optional<Row> query_one(std::string_view sql, const Params& params = {});

    // Runs `insert`, an INSERT of one row into a table whose key `id` is declared {{ID}} (see
    // migrations.cpp: SQLite's rowid, PostgreSQL's identity), and returns that id;
    // nullopt when nothing was inserted (ON CONFLICT … DO NOTHING). PostgreSQL appends
    // RETURNING id; SQLite asks the connection for the row it inserted, since RETURNING builds
    // a temporary table for each statement (a tenth of a sign-up's time on the writer thread).
    virtual std::optional<std::int64_t> insert_returning_id(std::string_view insert,
                                                            const Params& params = {});

    // Runs `sql`, a statement whose outcome the caller does not read (an INSERT, UPDATE or
    // DELETE returning no rows), at the latest before the next statement of this connection or
    // the commit, in order: the statements after it see what it wrote. Its failure fails that
    // next statement, or the transaction. PostgreSQL sends the statements held back together
    // with the next one (libpq's pipeline mode: one round trip for all); SQLite runs it at once.
    virtual void execute_later(std::string_view sql, const Params& params = {}) {
        execute(sql, params);
    }
};

// Raised for integrity violations so a store can turn "already exists" into core::Conflict.
class ConstraintViolation : public std::runtime_error {
public:
    explicit ConstraintViolation(const std::string& what) : std::runtime_error(what) {}
};

// Raised when PostgreSQL refuses a statement for the data it carries — a value out of range or
// too long, a word or a document too long to index (SQLSTATE classes 22 and 54), an exception a
// trigger raises (P0) — rather than for the database being unavailable: another row may well
// succeed (an importer stores its batch again one message at a time).
class StatementRefused : public std::runtime_error {
public:
    explicit StatementRefused(const std::string& what) : std::runtime_error(what) {}
};

// Raised when PostgreSQL cannot hold a text value: a NUL byte or invalid UTF-8 (SQLite stores
// such bytes as given). The web layer validates UTF-8 first, so reaching this is a caller's bug
// that must not become a 503.
class InvalidText : public std::invalid_argument {
public:
    explicit InvalidText(const std::string& what) : std::invalid_argument(what) {}
};

// The database. Thread-safe: every method may be called from any thread.
class Database {
public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;

    // Runs a read-only statement outside any write transaction (a pooled reader connection).
    virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
    std::optional<Row> query_one(std::string_view sql, const Params& params = {});

    // query() for the few small reads that pages make on every request (revision counters, a
    // list by name): the rows may be kept and returned again for as long as nothing has been
    // committed to the database since they were read, by this process or any other. SQLite
    // can tell that without a transaction (SqliteDatabase::query_memoised). PostgreSQL is told:
    // the query may read only tables that announce their commits (migrations/0029_memo_notify.sql
    // — add a new one there), and another server's commit shows as soon as its notification
    // arrives. Results must be small: a few hundred are kept.
    virtual Rows query_memoised(std::string_view sql, const Params& params = {}) {
        return query(sql, params);
    }
    std::optional<Row> query_one_memoised(std::string_view sql, const Params& params = {});

    // Runs `body` in one transaction and commits it; returns only after the commit is durable.
    // If `body` throws, its changes are rolled back and the exception is rethrown to the caller.
    // A failed statement fails the whole body on both backends (PostgreSQL aborts the
    // transaction): a body that catches ConstraintViolation and returns is still rolled back and
    // the violation is rethrown here, so catch it around transact() or use ON CONFLICT.
    // Calling transact() or query() on the same Database from inside `body` is a bug (it would
    // deadlock or read around the transaction) and aborts; use the Connection.
    // SQLite: bodies from all threads run on one writer thread, batched into a group commit,
    // each inside its own SAVEPOINT so one failure does not undo another's work; `body` must not
    // block on anything but the connection. PostgreSQL: a pooled connection, BEGIN … COMMIT.
    // Throws core::Unavailable when the database is gone or the commit fails.
    virtual void transact(const std::function<void(Connection&)>& body) = 0;

    // Name of the backend and where it is, without credentials ("sqlite:var/coalition.db").
    virtual std::string describe() const = 0;

    // True when a trivial query succeeds now (for /healthz).
    virtual bool is_healthy() = 0;
};

// Opens the database named by `url`: "sqlite:PATH" (the file is created if missing; its
// directory must exist) or "postgresql://user[:password]@host[:port]/dbname[?params]" (also
// "postgres://"). Throws core::StartupError naming the problem when the URL is malformed or
// the database cannot be reached.
std::unique_ptr<Database> open_database(const std::string& url);

}  // namespace coalition::store
