#pragma once
// The SQLite backend: one writer thread doing group commit, a small pool of read-only readers.
// Internal to store/ (others open it through open_database("sqlite:PATH")); visible here for its
// tests and for metrics.

#include "store/database.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
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

class SqliteDatabase final : public Database {
public:
    static constexpr int kReaderCount = 4;

    explicit SqliteDatabase(std::string path);
    ~SqliteDatabase() override;

    // store::Database
    Dialect dialect() const override { return Dialect::Sqlite; }
    Rows query(std::string_view sql, const Params& params = {}) override;
    void transact(const std::function<void(Connection&)>& body) override;
    std::string describe() const override { return "sqlite:" + path_; }
    bool is_healthy() override;

    // Bodies waiting for the writer (a gauge for /metrics).
    std::size_t pending_writes() const;
    // Commits so far: fewer than transactions when group commit batches them.
    std::uint64_t commit_count() const;

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

    std::thread writer_;  // Last, so it starts after everything it uses exists.
};

}  // namespace coalition::store::detail
