#include "store/sqlite_database.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "store/backends.hpp"

#include <atomic>
#include <charconv>
#include <cstring>
#include <utility>

namespace coalition::store::detail {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kStatementCacheLimit = 512;
// The WAL index is mapped in regions of 32 kB (WALINDEX_PGSZ); every mapping of one file must
// ask for that size. Its header, two copies of 48 bytes, opens the first region.
constexpr int kWalIndexRegionBytes = 32768;
constexpr std::size_t kWalIndexHeaderBytes = std::tuple_size_v<SqliteChangeWatcher::Stamp>;
constexpr std::size_t kWalIndexIsInitOffset = 12;

bool is_blank_tail(const char* tail, const char* end) {
    for (; tail < end; ++tail) {
        if (*tail != ';' && *tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r') {
            return false;
        }
    }
    return true;
}

// Binds `params` by name: SQLite reads `$1` as a named parameter, so `$2` may come before `$1`
// and a name used twice is one parameter. Every name must be `$k` with k ≤ params.size(), and
// every parameter must be used (as PostgreSQL demands).
void bind_params(sqlite3_stmt* statement, const Params& params) {
    const int count = sqlite3_bind_parameter_count(statement);
    COALITION_ASSERT(static_cast<std::size_t>(count) == params.size(),
                     "the SQL's $k parameters and the values supplied differ in number");
    for (int param_idx = 1; param_idx <= count; ++param_idx) {
        const char* name = sqlite3_bind_parameter_name(statement, param_idx);
        COALITION_ASSERT(name != nullptr && name[0] == '$',
                         "SQL parameters are written $1, $2, … (not ? or :name)");
        std::size_t number = 0;
        const std::string_view digits(name + 1);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        COALITION_ASSERT(error == std::errc() && end == digits.data() + digits.size() &&
                             number >= 1 && number <= params.size(),
                         "the SQL uses a $k parameter with no value supplied");
        const Value& value = params[number - 1];
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(value)) {
            rc = sqlite3_bind_null(statement, param_idx);
        } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            rc = sqlite3_bind_int64(statement, param_idx, *integer);
        } else if (const auto* real = std::get_if<double>(&value)) {
            rc = sqlite3_bind_double(statement, param_idx, *real);
        } else {
            COALITION_ASSERT(!std::holds_alternative<Binary>(value),
                             "binary parameters are PostgreSQL's (store::Binary)");
            // Bound with its length, so NUL bytes and any byte sequence are stored as given.
            const auto& text = std::get<std::string>(value);
            rc = sqlite3_bind_text64(statement, param_idx, text.data(), text.size(), SQLITE_STATIC,
                                     SQLITE_UTF8);
        }
        if (rc != SQLITE_OK) {
            throw core::Unavailable(std::string("sqlite: cannot bind a parameter: ") +
                                    sqlite3_errstr(rc));
        }
    }
}

Value column_value(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
            return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
        case SQLITE_FLOAT:
            return sqlite3_column_double(statement, column);
        case SQLITE_TEXT: {
            const auto* text =
                reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            return std::string(text,
                               static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
        }
        case SQLITE_BLOB: {
            const auto* blob = static_cast<const char*>(sqlite3_column_blob(statement, column));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
            return size == 0 ? std::string() : std::string(blob, size);
        }
        default:
            return nullptr;
    }
}

// Resets a cached statement however its use ends, so it holds no read snapshot open.
class StatementUse {
public:
    explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
    ~StatementUse() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

private:
    sqlite3_stmt* statement_;
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, Mode mode) {
    const int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                      (mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                               : SQLITE_OPEN_READONLY);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    handle_.reset(raw);
    if (rc != SQLITE_OK) {
        throw core::StartupError("cannot open SQLite database " + path + ": " +
                                 (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    try {
        execute_script("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
        if (mode == Mode::ReadWrite) {
            auto journal = query_one("PRAGMA journal_mode = WAL");
            if (!journal || journal->text(0) != "wal") {
                throw core::Unavailable("the file system does not support WAL mode");
            }
            // FULL: every acknowledged commit survives a power loss (shared/research/stack.md §3).
            // temp_store MEMORY: each body of a group commit runs in a SAVEPOINT, whose statement
            // journal was otherwise a file created, written and unlinked at each commit.
            // wal_autocheckpoint 8192 (32 MB of 4 kB pages, SQLite's default 1000): a checkpoint
            // writes each changed page into the database file once, however often the WAL holds
            // it; a burst of sign-ups changes the same index pages again and again (issue #3).
            execute_script(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
                "PRAGMA wal_autocheckpoint = 8192");
        } else {
            execute_script("PRAGMA foreign_keys = ON");
        }
    } catch (const std::exception& error) {
        throw core::StartupError("cannot use SQLite database " + path + ": " + error.what());
    }
    failure_ = nullptr;
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view sql) {
    std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) {
        return found->second.get();
    }
    if (statements_.size() >= kStatementCacheLimit) {
        // Every cached statement is reset after use, so dropping them all is safe.
        statements_.clear();
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(handle_.get(), key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    SqliteStatement statement(raw);
    if (rc != SQLITE_OK) {
        fail(rc, sql);
    }
    COALITION_ASSERT(statement != nullptr, "empty SQL statement");
    COALITION_ASSERT(is_blank_tail(tail, key.data() + key.size()),
                     "one statement per query(); several go through execute_script()");
    return statements_.emplace(std::move(key), std::move(statement)).first->second.get();
}

void SqliteConnection::fail(int code, std::string_view sql) {
    const std::string message = sqlite3_errmsg(handle_.get());
    std::exception_ptr error;
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
        error = std::make_exception_ptr(ConstraintViolation("sqlite: " + message));
    } else {
        error = std::make_exception_ptr(
            core::Unavailable("sqlite: " + message + " (in: " + detail::sql_excerpt(sql) + ")"));
    }
    if (!failure_) {
        failure_ = error;
    }
    std::rethrow_exception(error);
}

Rows SqliteConnection::query(std::string_view sql, const Params& params) {
    if (failure_) {
        std::rethrow_exception(failure_);
    }
    sqlite3_stmt* statement = prepare(sql);
    StatementUse use(statement);
    bind_params(statement, params);
    const int column_count = sqlite3_column_count(statement);
    Rows rows;
    for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
            return rows;
        }
        if (rc != SQLITE_ROW) {
            fail(rc, sql);
        }
        std::vector<Value> columns;
        columns.reserve(static_cast<std::size_t>(column_count));
        for (int column_idx = 0; column_idx < column_count; ++column_idx) {
            columns.push_back(column_value(statement, column_idx));
        }
        rows.emplace_back(std::move(columns));
    }
}

std::int64_t SqliteConnection::execute(std::string_view sql, const Params& params) {
    (void)query(sql, params);
    return sqlite3_changes64(handle_.get());
}

std::optional<std::int64_t> SqliteConnection::insert_returning_id(std::string_view insert,
                                                                  const Params& params) {
    if (execute(insert, params) == 0) {
        return std::nullopt;
    }
    return sqlite3_last_insert_rowid(handle_.get());
}

void SqliteConnection::execute_script(std::string_view sql) {
    if (failure_) {
        std::rethrow_exception(failure_);
    }
    const std::string script(sql);
    const int rc = sqlite3_exec(handle_.get(), script.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        fail(sqlite3_extended_errcode(handle_.get()), sql);
    }
}

std::exception_ptr SqliteConnection::take_failure() {
    return std::exchange(failure_, nullptr);
}

SqliteChangeWatcher::SqliteChangeWatcher(const std::string& path) {
    try {
        connection_ = std::make_unique<SqliteConnection>(path, SqliteConnection::Mode::ReadOnly);
        connection_->query("SELECT 1 FROM sqlite_schema LIMIT 1");  // Opens the WAL index.
    } catch (const std::exception&) {
        connection_.reset();
        return;
    }
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(connection_->handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
            SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
        file->pMethods->xShmMap == nullptr) {
        return;
    }
    volatile void* region = nullptr;
    // Not extending (0): a database not in WAL mode has no index, and no stamp.
    if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &region) == SQLITE_OK) {
        header_ = static_cast<const volatile unsigned char*>(region);
    }
}

// As SQLite's own readers do (walIndexTryHdr): a commit writes the second copy, then the first;
// reading the first, then the second, a reader that sees them equal has a whole header.
std::optional<SqliteChangeWatcher::Stamp> SqliteChangeWatcher::stamp() const {
    if (header_ == nullptr) {
        return std::nullopt;
    }
    Stamp first{};
    Stamp second{};
    for (std::size_t byte = 0; byte < kWalIndexHeaderBytes; ++byte) {
        first[byte] = header_[byte];
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    for (std::size_t byte = 0; byte < kWalIndexHeaderBytes; ++byte) {
        second[byte] = header_[kWalIndexHeaderBytes + byte];
    }
    if (first != second || first[kWalIndexIsInitOffset] == 0) {
        return std::nullopt;
    }
    return first;
}

SqliteDatabase::SqliteDatabase(std::string path)
    : path_(std::move(path)),
      writer_connection_(
          std::make_unique<SqliteConnection>(path_, SqliteConnection::Mode::ReadWrite)),
      watcher_(path_),
      writer_([this] { run_writer(); }) {
}

SqliteDatabase::~SqliteDatabase() {
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    queue_changed_.notify_all();
    writer_.join();
}

void SqliteDatabase::transact(const std::function<void(Connection&)>& body) {
    BodyScope::assert_outside(this, "transact");
    WriteRequest request{&body, {}};
    std::future<void> done = request.done.get_future();
    {
        std::lock_guard lock(queue_mutex_);
        COALITION_ASSERT(!stopping_, "transact() on a Database being destroyed");
        queue_.push_back(&request);
    }
    queue_changed_.notify_one();
    done.get();
}

void SqliteDatabase::run_writer() {
    for (;;) {
        std::deque<WriteRequest*> batch;
        {
            std::unique_lock lock(queue_mutex_);
            queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // Stopping, and every queued body has been answered.
            }
            batch.swap(queue_);
        }
        write_batch(batch);
    }
}

// Group commit: BEGIN IMMEDIATE, each body in its own SAVEPOINT, one COMMIT (one fsync) for all.
void SqliteDatabase::write_batch(std::deque<WriteRequest*>& batch) {
    SqliteConnection& connection = *writer_connection_;
    auto control = [&connection](const char* sql) -> std::exception_ptr {
        try {
            // One statement goes through the statement cache: parsing SAVEPOINT and RELEASE
            // again for every body was a tenth of a group commit's time.
            if (std::strchr(sql, ';') == nullptr) {
                connection.execute(sql, {});
            } else {
                connection.execute_script(sql);
            }
            return nullptr;
        } catch (...) {
            connection.take_failure();
            return std::current_exception();
        }
    };
    auto unavailable = [](const std::string& why, const std::exception_ptr& cause) {
        std::string what = why;
        try {
            if (cause) {
                std::rethrow_exception(cause);
            }
        } catch (const std::exception& error) {
            what += ": ";
            what += error.what();
        }
        return std::make_exception_ptr(core::Unavailable(what));
    };

    while (!batch.empty()) {
        if (auto error = control("BEGIN IMMEDIATE")) {
            auto failure = unavailable("sqlite: cannot begin a write transaction", error);
            for (WriteRequest* request : batch) {
                request->done.set_exception(failure);
            }
            batch.clear();
            return;
        }
        // Each body's outcome, answered only once the batch's fate is known.
        std::vector<std::pair<WriteRequest*, std::exception_ptr>> outcomes;
        bool transaction_lost = false;
        while (!batch.empty() && !transaction_lost) {
            WriteRequest* request = batch.front();
            batch.pop_front();
            std::exception_ptr error = control("SAVEPOINT body");
            if (!error) {
                try {
                    BodyScope scope(this);
                    (*request->body)(connection);
                } catch (...) {
                    error = std::current_exception();
                }
                // A statement that failed inside a body that carried on still fails the body.
                std::exception_ptr statement_failure = connection.take_failure();
                if (!error) {
                    error = statement_failure;
                }
            }
            if (!connection.is_in_transaction()) {
                // SQLite rolled back the whole transaction (disk full, I/O error): every body
                // of this batch so far is lost.
                transaction_lost = true;
            } else if (error) {
                if (auto rollback = control("ROLLBACK TO body; RELEASE body")) {
                    transaction_lost = true;
                }
            } else if (auto release = control("RELEASE body")) {
                error = release;
            }
            outcomes.emplace_back(request, error);
        }
        std::exception_ptr commit_error;
        if (transaction_lost) {
            commit_error = unavailable("sqlite: the write transaction was rolled back", nullptr);
        } else {
            commit_error = control("COMMIT");
            if (commit_error) {
                commit_error = unavailable("sqlite: commit failed", commit_error);
            }
        }
        if (commit_error && connection.is_in_transaction()) {
            control("ROLLBACK");
        }
        {
            std::lock_guard lock(queue_mutex_);
            ++commits_;
        }
        for (auto& [request, error] : outcomes) {
            if (error) {
                request->done.set_exception(error);
            } else if (commit_error) {
                request->done.set_exception(commit_error);
            } else {
                request->done.set_value();
            }
        }
    }
}

std::unique_ptr<SqliteConnection> SqliteDatabase::acquire_reader() {
    std::unique_lock lock(readers_mutex_);
    reader_returned_.wait(
        lock, [this] { return !idle_readers_.empty() || open_readers_ < kReaderCount; });
    if (!idle_readers_.empty()) {
        auto reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return reader;
    }
    ++open_readers_;
    lock.unlock();
    try {
        return std::make_unique<SqliteConnection>(path_, SqliteConnection::Mode::ReadOnly);
    } catch (const std::exception& error) {
        {
            std::lock_guard relock(readers_mutex_);
            --open_readers_;
        }
        reader_returned_.notify_one();
        throw core::Unavailable(error.what());
    }
}

void SqliteDatabase::release_reader(std::unique_ptr<SqliteConnection> reader) {
    reader->take_failure();
    {
        std::lock_guard lock(readers_mutex_);
        idle_readers_.push_back(std::move(reader));
    }
    reader_returned_.notify_one();
}

Rows SqliteDatabase::query(std::string_view sql, const Params& params) {
    BodyScope::assert_outside(this, "query");
    auto reader = acquire_reader();
    try {
        Rows rows = reader->query(sql, params);
        release_reader(std::move(reader));
        return rows;
    } catch (...) {
        release_reader(std::move(reader));
        throw;
    }
}

// A stamp read before the query: if the index still shows it later, no commit came after it, so
// the rows (read at that state or a later one, which then would have changed the stamp) are
// still what the query returns.
Rows SqliteDatabase::query_memoised(std::string_view sql, const Params& params) {
    const auto stamp = watcher_.stamp();
    if (!stamp) {
        return query(sql, params);
    }
    return kept_.get(sql, params, *stamp, [&] { return query(sql, params); });
}

std::uint64_t SqliteDatabase::memoised_hits() const {
    return kept_.hits();
}

bool SqliteDatabase::is_healthy() {
    try {
        return query_one("SELECT 1").has_value();
    } catch (const core::Unavailable&) {
        return false;
    }
}

std::size_t SqliteDatabase::pending_writes() const {
    std::lock_guard lock(queue_mutex_);
    return queue_.size();
}

std::uint64_t SqliteDatabase::commit_count() const {
    std::lock_guard lock(queue_mutex_);
    return commits_;
}

std::unique_ptr<Database> open_sqlite(const std::string& path) {
    if (path == ":memory:" || path.starts_with("file:")) {
        // Readers and the writer need one shared file.
        throw core::StartupError("database url sqlite:" + path + " is not supported; name a file");
    }
    return std::make_unique<SqliteDatabase>(path);
}

}  // namespace coalition::store::detail
