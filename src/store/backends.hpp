#pragma once
// Internal to store/: the two backends' factories, called by open_database() (database.cpp).

#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace coalition::store::detail {

// `path` is what follows "sqlite:". Throws core::StartupError when it cannot be opened.
std::unique_ptr<Database> open_sqlite(const std::string& path);

// `url` is a whole "postgresql://…" or "postgres://…" URL. Throws core::StartupError when it is
// malformed or the server cannot be reached.
std::unique_ptr<Database> open_postgresql(const std::string& url);

// The key of a memoised query (query_memoised): its SQL and each parameter with its type.
std::string memo_key(std::string_view sql, const Params& params);

// The rows query_memoised keeps, each with the version of the database it was read at (SQLite:
// the WAL index's stamp; PostgreSQL: a count of commits). Both backends read the version before
// the query, so a commit that lands while it runs makes the rows unanswerable, never stale.
template <typename Version>
class KeptRows {
public:
    // The rows kept for `sql` and `params` at `version`, or those `run()` reads, then kept.
    template <typename Run>
    Rows get(std::string_view sql, const Params& params, const Version& version, Run&& run) {
        std::string key = memo_key(sql, params);
        {
            std::lock_guard lock(mutex_);
            if (const auto found = kept_.find(key);
                found != kept_.end() && found->second.first == version) {
                ++hits_;
                return found->second.second;
            }
        }
        Rows rows = std::forward<Run>(run)();
        std::lock_guard lock(mutex_);
        if (kept_.size() >= kMaxKept) {
            kept_.clear();
        }
        kept_.insert_or_assign(std::move(key), std::pair{version, rows});
        return rows;
    }

    // Answers given from kept rows so far (for tests).
    std::uint64_t hits() const {
        std::lock_guard lock(mutex_);
        return hits_;
    }

private:
    // Revision counters and a few look-ups by name: a handful per page.
    static constexpr std::size_t kMaxKept = 256;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::pair<Version, Rows>> kept_;  // By memo_key.
    std::uint64_t hits_ = 0;                                          // Guarded by mutex_.
};

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
