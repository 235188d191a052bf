#pragma once
// Internal to store/: the two backends' factories, called by open_database() (database.cpp).

#include "store/database.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace coalition::store::detail {

// `path` is what follows "sqlite:". Throws core::StartupError when it cannot be opened.
std::unique_ptr<Database> open_sqlite(const std::string& path);

// `url` is a whole "postgresql://…" or "postgres://…" URL. Throws core::StartupError when it is
// malformed or the server cannot be reached.
std::unique_ptr<Database> open_postgresql(const std::string& url);

// The key of a memoised query (query_memoised): its SQL and each parameter with its type.
std::string memo_key(std::string_view sql, const Params& params);

// The start of a statement, for an error message (a whole statement can be pages long).
std::string sql_excerpt(std::string_view sql);

// Marks the calling thread as running a transaction body of `database` for the guard's lifetime,
// so re-entering transact()/query() on it from inside the body is caught (a deadlock otherwise).
class BodyScope {
public:
    explicit BodyScope(const Database* database);
    ~BodyScope();
    BodyScope(const BodyScope&) = delete;
    BodyScope& operator=(const BodyScope&) = delete;

    // Aborts with a message when the calling thread is inside a body of `database`.
    static void assert_outside(const Database* database, const char* operation);

private:
    const Database* previous_;
};

}  // namespace coalition::store::detail
