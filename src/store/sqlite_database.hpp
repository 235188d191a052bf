#pragma once
// The SQLite backend: one writer thread doing group commit, a small pool of read-only readers.
// Internal to store/ (others open it through open_database("sqlite:PATH")); visible here for its
// tests and for metrics.

#include "store/backends.hpp"
#include "store/database.hpp"

#include <sqlite3.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace coalition::store::detail {

struct SqliteCloser {
    void operator()(sqlite3* handle) const { sqlite3_close_v2(handle); }
};
struct SqliteFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

// One sqlite3 connection with its prepared-statement cache. Used by one thread at a time.
class SqliteConnection final : public Connection {
public:
    enum class Mode { ReadWrite, ReadOnly };
    // Throws core::StartupError when the file cannot be opened.
    SqliteConnection(const std::string& path, Mode mode);

    // store::Connection
    Rows query(std::string_view sql, const Params& params = {}) override;
    std::int64_t execute(std::string_view sql, const Params& params = {}) override;
    void execute_script(std::string_view sql) override;
    Dialect dialect() const override { return Dialect::Sqlite; }
    std::optional<std::int64_t> insert_returning_id(std::string_view insert,
                                                    const Params& params = {}) override;

    sqlite3* handle() const { return handle_.get(); }

    // The first failure since the last call, if any (a failed statement fails the whole body).
    std::exception_ptr take_failure();
    bool is_in_transaction() const { return sqlite3_get_autocommit(handle_.get()) == 0; }

private:
    sqlite3_stmt* prepare(std::string_view sql);
    [[noreturn]] void fail(int code, std::string_view sql);

    SqliteHandle handle_;
    // Declared after handle_ so statements are finalized before the connection closes.
    std::unordered_map<std::string, SqliteStatement> statements_;
    std::exception_ptr failure_;
};

// Tells whether anything has been committed to a WAL database, by any connection of any process,
// without a transaction: it reads the header of the WAL index (the "-shm" file every connection
// maps), which each commit rewrites — its change counter, frame count and salts
// (https://www.sqlite.org/walformat.html, section 2.1: a format all SQLite versions sharing a
// database must agree on). The mapping is SQLite's own, of a connection kept for this alone.
class SqliteChangeWatcher {
public:
    using Stamp = std::array<unsigned char, 48>;  // One copy of the WAL-index header.

    // Opens its connection on `path` (a WAL database). Without a usable WAL index, stamp() is
    // always nullopt.
    explicit SqliteChangeWatcher(const std::string& path);

    // The header as it is now; nullopt while a commit is rewriting it or when none is readable.
    // Two equal stamps mean no commit came between them.
    std::optional<Stamp> stamp() const;

private:
    std::unique_ptr<SqliteConnection> connection_;
    const volatile unsigned char* header_ = nullptr;  // SQLite's mapping of the index.
};

class SqliteDatabase final : public Database {
public:
    static constexpr int kReaderCount = 4;

    explicit SqliteDatabase(std::string path);
    ~SqliteDatabase() override;

    // store::Database
    Dialect dialect() const override { return Dialect::Sqlite; }
    Rows query(std::string_view sql, const Params& params = {}) override;
    // Keeps each result with the WAL index's stamp read before it ran; returns it again while
    // the stamp is unchanged (no commit since), without a read transaction — whose file locks
    // and checks were the largest part of a cached page's database time (issue #2).
    Rows query_memoised(std::string_view sql, const Params& params = {}) override;
    void transact(const std::function<void(Connection&)>& body) override;
    std::string describe() const override { return "sqlite:" + path_; }
    bool is_healthy() override;

    // Bodies waiting for the writer (a gauge for /metrics).
    std::size_t pending_writes() const;
    // Commits so far: fewer than transactions when group commit batches them.
    std::uint64_t commit_count() const;
    // query_memoised calls answered from a kept result (for tests).
    std::uint64_t memoised_hits() const;

private:
    struct WriteRequest {
        const std::function<void(Connection&)>* body;
        std::promise<void> done;
    };

    void run_writer();
    void write_batch(std::deque<WriteRequest*>& batch);
    std::unique_ptr<SqliteConnection> acquire_reader();
    void release_reader(std::unique_ptr<SqliteConnection> reader);

    const std::string path_;
    std::unique_ptr<SqliteConnection> writer_connection_;  // Used only by writer_.

    mutable std::mutex queue_mutex_;
    std::condition_variable queue_changed_;
    std::deque<WriteRequest*> queue_;  // Guarded by queue_mutex_.
    bool stopping_ = false;            // Guarded by queue_mutex_.
    std::uint64_t commits_ = 0;        // Guarded by queue_mutex_.

    std::mutex readers_mutex_;
    std::condition_variable reader_returned_;
    std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // Guarded by readers_mutex_.
    int open_readers_ = 0;                                         // Guarded by readers_mutex_.

    SqliteChangeWatcher watcher_;
    KeptRows<SqliteChangeWatcher::Stamp> kept_;

    std::thread writer_;  // Last, so it starts after everything it uses exists.
};

}  // namespace coalition::store::detail
