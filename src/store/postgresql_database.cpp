// The PostgreSQL backend: libpq directly, a bounded pool of connections, text-format parameters.
#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "store/backends.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace coalition::store::detail {

namespace {

constexpr int kDefaultPoolSize = 8;
constexpr int kMaxPoolSize = 1000;
constexpr std::chrono::milliseconds kDefaultAcquireTimeout{10'000};
// Statements kept prepared per connection (PgConnection::prepared).
constexpr std::size_t kPreparedStatementLimit = 256;
// Statements execute_later holds at most before sending them (a bound on memory, not a need:
// libpq reads the server's replies while it waits to send, so a pipeline cannot deadlock).
constexpr std::size_t kMaxHeldStatements = 1000;

// Type OIDs from PostgreSQL's catalog (src/include/catalog/pg_type.dat); stable across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct PgConnCloser {
    void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultClearer {
    void operator()(PGresult* result) const { PQclear(result); }
};
using PgHandle = std::unique_ptr<PGconn, PgConnCloser>;
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

// The connection is gone; callers see core::Unavailable, and the pool discards the connection.
class ConnectionBroken : public core::Unavailable {
public:
    using core::Unavailable::Unavailable;
};

// libpq's messages span lines ("…failed: …\n\tIs the server running…"); logs want one.
std::string one_line(std::string_view text) {
    std::string out;
    for (char character : text) {
        if (character == '\n' || character == '\r' || character == '\t') {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        } else {
            out += character;
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

// Class 08 (connection exception) and the 57P0x shutdown codes mean the session is over.
// 08P01 (protocol violation, e.g. a wrong parameter count) leaves the session usable.
bool is_connection_lost(const char* sqlstate) {
    if (sqlstate == nullptr) {
        return false;
    }
    const std::string_view code(sqlstate);
    if (code.starts_with("08")) {
        return code != "08P01";
    }
    return code == "57P01" || code == "57P02" || code == "57P03";
}

Value parse_value(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column) != 0) {
        return nullptr;
    }
    const char* text = PQgetvalue(result, row, column);
    const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
    const std::string_view view(text, length);
    auto parse_integer = [&view](std::int64_t& out) {
        auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), out);
        return error == std::errc() && end == view.data() + view.size();
    };
    switch (PQftype(result, column)) {
        case kBoolOid:
            return std::int64_t{view == "t" ? 1 : 0};
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid: {
            std::int64_t integer = 0;
            COALITION_ASSERT(parse_integer(integer), "PostgreSQL sent a malformed integer");
            return integer;
        }
        case kNumericOid: {
            // SUM(bigint) is numeric: whole values read as integers, others as doubles.
            std::int64_t integer = 0;
            if (parse_integer(integer)) {
                return integer;
            }
            return std::strtod(text, nullptr);
        }
        case kFloat4Oid:
        case kFloat8Oid:
            // strtod reads PostgreSQL's "NaN", "Infinity" and "-Infinity" too.
            return std::strtod(text, nullptr);
        default:
            return std::string(view);
    }
}

// One libpq connection. Used by one thread at a time (the pool hands it out exclusively).
class PgConnection final : public Connection {
public:
    explicit PgConnection(PgHandle handle) : handle_(std::move(handle)) {}

    // store::Connection
    Dialect dialect() const override { return Dialect::Postgresql; }
    Rows query(std::string_view sql, const Params& params) override {
        PgResult result = run(sql, params);
        const int row_count = PQntuples(result.get());
        const int column_count = PQnfields(result.get());
        Rows rows;
        rows.reserve(static_cast<std::size_t>(row_count));
        for (int row_idx = 0; row_idx < row_count; ++row_idx) {
            std::vector<Value> columns;
            columns.reserve(static_cast<std::size_t>(column_count));
            for (int column_idx = 0; column_idx < column_count; ++column_idx) {
                columns.push_back(parse_value(result.get(), row_idx, column_idx));
            }
            rows.emplace_back(std::move(columns));
        }
        return rows;
    }

    std::int64_t execute(std::string_view sql, const Params& params) override {
        PgResult result = run(sql, params);
        const char* tuples = PQcmdTuples(result.get());
        return tuples[0] == '\0' ? 0 : std::strtoll(tuples, nullptr, 10);
    }

    void execute_later(std::string_view sql, const Params& params) override {
        if (failure_) {
            std::rethrow_exception(failure_);
        }
        held_.push_back(Statement{std::string(sql), params});
        if (held_.size() >= kMaxHeldStatements) {
            (void)pipeline(nullptr);
        }
    }

    // Sends the statements held back by execute_later (the transaction's body has ended).
    void flush() {
        if (!held_.empty()) {
            (void)pipeline(nullptr);
        }
    }

    void execute_script(std::string_view sql) override {
        flush();
        if (failure_) {
            std::rethrow_exception(failure_);
        }
        const std::string script(sql);
        // PQexec (not PQexecParams) runs several ;-separated statements; it returns the last
        // result, or the first error.
        PgResult result(PQexec(handle_.get(), script.c_str()));
        check(result, sql);
    }

    // Ends the transaction; throws when it did not commit.
    void commit() {
        PgResult result(PQexec(handle_.get(), "COMMIT"));
        check(result, "COMMIT");
        // COMMIT of an aborted transaction "succeeds" with the tag ROLLBACK.
        if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
            throw core::Unavailable("postgresql: the transaction was rolled back at COMMIT");
        }
    }

    // Best effort: a failed ROLLBACK means the session is unusable, so it is marked broken.
    void rollback() {
        held_.clear();
        if (is_broken()) {
            return;
        }
        PgResult result(PQexec(handle_.get(), "ROLLBACK"));
        if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
            broken_ = true;
        }
    }

    bool is_broken() const { return broken_ || PQstatus(handle_.get()) != CONNECTION_OK; }
    std::exception_ptr take_failure() { return std::exchange(failure_, nullptr); }

private:
    struct Statement {
        std::string sql;
        Params params;
    };

    // Parameters as libpq takes them: `values` points into the parameters themselves (text, a
    // C string; binary, with its length) or into `numbers`; NULL stays a null pointer.
    struct Encoded {
        std::vector<std::string> numbers;
        std::vector<const char*> values;
        std::vector<int> lengths;  // Of the binary ones (libpq reads text ones to their NUL).
        std::vector<int> formats;  // 1 for binary.
        bool binary = false;
        const int* length_data() const { return binary ? lengths.data() : nullptr; }
        const int* format_data() const { return binary ? formats.data() : nullptr; }
    };

    // The parameters must outlive the result (it points into them).
    Encoded encode(const Params& params) {
        Encoded encoded;
        encoded.numbers.reserve(params.size());  // No reallocation: values point into them.
        encoded.values.assign(params.size(), nullptr);
        encoded.lengths.assign(params.size(), 0);
        encoded.formats.assign(params.size(), 0);
        for (std::size_t param_idx = 0; param_idx < params.size(); ++param_idx) {
            const Value& value = params[param_idx];
            if (const auto* integer = std::get_if<std::int64_t>(&value)) {
                encoded.values[param_idx] =
                    encoded.numbers.emplace_back(std::to_string(*integer)).c_str();
            } else if (const auto* real = std::get_if<double>(&value)) {
                encoded.values[param_idx] = encoded.numbers.emplace_back(real_text(*real)).c_str();
            } else if (const auto* text = std::get_if<std::string>(&value)) {
                // Text-format parameters are C strings and PostgreSQL text cannot hold NUL:
                // refuse rather than silently cut the value short.
                if (text->find('\0') != std::string::npos) {
                    record_and_throw(std::make_exception_ptr(
                        InvalidText("postgresql: text parameter $" + std::to_string(param_idx + 1) +
                                    " contains a NUL byte, which PostgreSQL cannot store")));
                }
                encoded.values[param_idx] = text->c_str();
            } else if (const auto* binary = std::get_if<Binary>(&value)) {
                COALITION_ASSERT(binary->bytes.size() <= static_cast<std::size_t>(INT_MAX),
                                 "a binary parameter of 2 GB or more");
                encoded.values[param_idx] = binary->bytes.data();
                encoded.lengths[param_idx] = static_cast<int>(binary->bytes.size());
                encoded.formats[param_idx] = 1;
                encoded.binary = true;
            }
        }
        return encoded;
    }

    static std::string real_text(double real) {
        char buffer[64];
        auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, real);
        COALITION_ASSERT(error == std::errc(), "a double did not fit 64 characters");
        std::string text(buffer, end);
        if (text == "inf") {
            return "Infinity";
        }
        if (text == "-inf") {
            return "-Infinity";
        }
        if (text.find("nan") != std::string::npos) {
            return "NaN";
        }
        return text;
    }

    PgResult run(std::string_view sql, const Params& params) {
        if (failure_) {
            std::rethrow_exception(failure_);
        }
        if (!held_.empty()) {
            const Statement statement{std::string(sql), params};
            return pipeline(&statement);
        }
        const Encoded encoded = encode(params);
        const std::string& name = prepared(sql, static_cast<int>(params.size()));
        PgResult result(PQexecPrepared(handle_.get(), name.c_str(), static_cast<int>(params.size()),
                                       encoded.values.data(), encoded.length_data(),
                                       encoded.format_data(), 0));
        check(result, sql);
        return result;
    }

    // Sends the held statements, then `last` if given, in one pipeline (one round trip), and
    // returns the result of `last`. The first failure among them is thrown (and recorded) once
    // every result is read; the server skipped the statements after it.
    PgResult pipeline(const Statement* last) {
        std::vector<Statement> statements = std::exchange(held_, {});
        if (last != nullptr) {
            statements.push_back(*last);
        }
        const std::vector<std::string> names = prepare_all(statements);
        // Encoded before the pipeline starts: a value refused here leaves nothing half sent.
        std::vector<Encoded> encoded;
        encoded.reserve(statements.size());
        for (const Statement& statement : statements) {
            encoded.push_back(encode(statement.params));
        }
        PGconn* connection = handle_.get();
        if (PQenterPipelineMode(connection) != 1) {
            check(PgResult(), "pipeline");
        }
        bool sent = true;
        for (std::size_t statement_idx = 0; statement_idx < statements.size() && sent;
             ++statement_idx) {
            const Encoded& parameters = encoded[statement_idx];
            sent = PQsendQueryPrepared(connection, names[statement_idx].c_str(),
                                       static_cast<int>(parameters.values.size()),
                                       parameters.values.data(), parameters.length_data(),
                                       parameters.format_data(), 0) == 1;
        }
        if (!sent || PQpipelineSync(connection) != 1) {
            broken_ = true;
            check(PgResult(), "pipeline");
        }
        PgResult outcome = receive_all(statements);
        if (last != nullptr) {
            check(outcome, last->sql);
        }
        return outcome;
    }

    // The prepared names of `statements`, preparing those that are not yet, with room made for
    // all of them beforehand: a DEALLOCATE ALL between two would drop the names taken before it.
    std::vector<std::string> prepare_all(const std::vector<Statement>& statements) {
        std::unordered_set<std::string_view> unprepared;
        for (const Statement& statement : statements) {
            if (!statements_.contains(statement.sql)) {
                unprepared.insert(statement.sql);
            }
        }
        if (!unprepared.empty() &&
            statements_.size() + unprepared.size() > kPreparedStatementLimit) {
            deallocate_all();
        }
        std::vector<std::string> names;
        names.reserve(statements.size());
        for (const Statement& statement : statements) {
            names.push_back(prepared(statement.sql, static_cast<int>(statement.params.size()),
                                     Deallocate::Never));
        }
        return names;
    }

    // Reads every result of a sent pipeline and leaves pipeline mode; throws the first failure
    // among the statements, else returns the last statement's result.
    PgResult receive_all(const std::vector<Statement>& statements) {
        PGconn* connection = handle_.get();
        PgResult failed;
        std::size_t failed_idx = 0;
        PgResult outcome;
        for (std::size_t statement_idx = 0; statement_idx < statements.size(); ++statement_idx) {
            PgResult result(PQgetResult(connection));
            if (!result) {
                broken_ = true;  // The server went away mid-pipeline.
                check(result, statements[statement_idx].sql);
            }
            while (PgResult(PQgetResult(connection))) {
                // Each statement's results end with a null one.
            }
            if (!failed && PQresultStatus(result.get()) == PGRES_FATAL_ERROR) {
                failed = std::move(result);
                failed_idx = statement_idx;
            } else if (statement_idx + 1 == statements.size()) {
                outcome = std::move(result);
            }
        }
        const PgResult sync(PQgetResult(connection));
        if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC ||
            PQexitPipelineMode(connection) != 1) {
            broken_ = true;
            check(PgResult(), "pipeline");
        }
        if (failed) {
            check(failed, statements[failed_idx].sql);
        }
        return outcome;
    }

    void deallocate_all() {
        PgResult deallocated(PQexec(handle_.get(), "DEALLOCATE ALL"));
        check(deallocated, "DEALLOCATE ALL");
        statements_.clear();
    }

    // The name of `sql` prepared on this connection, preparing it the first time. Each statement
    // is parsed and analysed once a connection instead of at every run (PQexecParams did): the
    // server's CPU was most of an archive import's, and every request's statements repeat.
    enum class Deallocate { AtTheLimit, Never };
    const std::string& prepared(std::string_view sql, int param_count,
                                Deallocate deallocate = Deallocate::AtTheLimit) {
        if (const auto found = statements_.find(sql); found != statements_.end()) {
            return found->second;
        }
        if (deallocate == Deallocate::AtTheLimit && statements_.size() >= kPreparedStatementLimit) {
            // Texts made on the fly (IN lists of any length) would otherwise pile up.
            deallocate_all();
        }
        std::string name = "coalition_" + std::to_string(++statements_prepared_);
        const std::string text(sql);
        PgResult result(PQprepare(handle_.get(), name.c_str(), text.c_str(), param_count, nullptr));
        check(result, sql);
        return statements_.emplace(text, std::move(name)).first->second;
    }

    void check(const PgResult& result, std::string_view sql) {
        const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
            status == PGRES_EMPTY_QUERY) {
            return;
        }
        const char* sqlstate =
            result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
        const std::string message =
            one_line(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(handle_.get()));
        const std::string_view code = sqlstate != nullptr ? sqlstate : "";
        std::exception_ptr error;
        if (PQstatus(handle_.get()) != CONNECTION_OK || is_connection_lost(sqlstate)) {
            broken_ = true;
            error = std::make_exception_ptr(
                ConnectionBroken("postgresql: connection lost: " + message));
        } else if (code.starts_with("23")) {
            error = std::make_exception_ptr(ConstraintViolation("postgresql: " + message));
        } else if (code == "0A000") {
            // "cached plan must not change result type": a migration changed a table under a
            // prepared statement. Prepared again at its next use.
            if (const auto found = statements_.find(sql); found != statements_.end()) {
                statements_.erase(found);
            }
            error = std::make_exception_ptr(core::Unavailable(
                "postgresql: " + message + " (in: " + detail::sql_excerpt(sql) + ")"));
        } else if (code == "22021") {
            // character_not_in_repertoire: invalid UTF-8 in a text value.
            error = std::make_exception_ptr(InvalidText("postgresql: " + message));
        } else if (code.starts_with("22") || code.starts_with("54") || code.starts_with("P0")) {
            error = std::make_exception_ptr(StatementRefused("postgresql: " + message));
        } else {
            error = std::make_exception_ptr(core::Unavailable(
                "postgresql: " + message + " (in: " + detail::sql_excerpt(sql) + ")"));
        }
        record_and_throw(error);
    }

    [[noreturn]] void record_and_throw(const std::exception_ptr& error) {
        if (!failure_) {
            failure_ = error;
        }
        std::rethrow_exception(error);
    }

    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };

    PgHandle handle_;
    bool broken_ = false;
    std::exception_ptr failure_;  // The first failed statement since take_failure().
    // SQL text -> the name it is prepared under on this connection.
    std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> statements_;
    std::uint64_t statements_prepared_ = 0;
    std::vector<Statement> held_;  // By execute_later, sent with the next statement.
};

struct PgOptions {
    std::string url;          // Without our own parameters, as libpq reads it.
    std::string description;  // Without the password.
    int pool_size = kDefaultPoolSize;
    std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout;
};

int parse_positive(std::string_view key, std::string_view value, int max) {
    int number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || number < 1 || number > max) {
        throw core::StartupError("database url: " + std::string(key) +
                                 " must be a whole number from 1 to " + std::to_string(max));
    }
    return number;
}

// Takes our own query parameters (pool_size, pool_timeout_ms) out of the URL, since libpq rejects
// unknown ones, and checks the rest with libpq's own parser.
PgOptions parse_url(const std::string& url) {
    PgOptions options;
    const std::size_t question = url.find('?');
    options.url = url.substr(0, question);
    if (question != std::string::npos) {
        std::string kept;
        std::string_view query = std::string_view(url).substr(question + 1);
        while (!query.empty()) {
            const std::size_t amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
            const std::size_t equals = pair.find('=');
            const std::string_view key = pair.substr(0, equals);
            const std::string_view value =
                equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
            if (key == "pool_size") {
                options.pool_size = parse_positive(key, value, kMaxPoolSize);
            } else if (key == "pool_timeout_ms") {
                options.acquire_timeout =
                    std::chrono::milliseconds(parse_positive(key, value, 3'600'000));
            } else if (!pair.empty()) {
                kept += kept.empty() ? "" : "&";
                kept += pair;
            }
        }
        if (!kept.empty()) {
            options.url += "?" + kept;
        }
    }
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(options.url.c_str(), &error);
    if (parsed == nullptr) {
        std::string message = error != nullptr ? one_line(error) : "out of memory";
        PQfreemem(error);
        throw core::StartupError("database url is malformed: " + message);
    }
    std::string user;
    std::string host;
    std::string port;
    std::string dbname;
    for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
        const std::string_view keyword(option->keyword);
        const std::string value = option->val != nullptr ? option->val : "";
        if (keyword == "user") {
            user = value;
        } else if (keyword == "host") {
            host = value;
        } else if (keyword == "port") {
            port = value;
        } else if (keyword == "dbname") {
            dbname = value;
        }
    }
    PQconninfoFree(parsed);
    const bool socket = host.starts_with('/');
    options.description = "postgresql://" + (user.empty() ? "" : user + "@") +
                          (socket ? "" : host) + (port.empty() ? "" : ":" + port) + "/" + dbname +
                          (socket ? "?host=" + host : "");
    return options;
}

// libpq prints every notice on stderr by default; routine ones ("relation already exists,
// skipping" from an idempotent migration) would pollute the output of commands that pipe
// transports and scripts read. Warnings still reach the operator.
void report_warnings_only(void*, const PGresult* result) {
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (severity != nullptr &&
        (std::string_view(severity) == "NOTICE" || std::string_view(severity) == "DEBUG" ||
         std::string_view(severity) == "LOG" || std::string_view(severity) == "INFO")) {
        return;
    }
    std::fputs(PQresultErrorMessage(result), stderr);
}

PgHandle open_handle(const PgOptions& options) {
    // Earlier keywords are overridden by the URL, later ones override it.
    // plan_cache_mode: our statements are prepared (PgConnection::prepared) for their parsing,
    // but planned at each run as before, with the values: a generic plan made while a table was
    // small stays until the next ANALYZE, and during an archive import one fetched every message
    // of the list to find one Message-ID (1.6 million rows read for 3,000 messages, not 31,000).
    const char* keywords[] = {"connect_timeout", "options", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "-c plan_cache_mode=force_custom_plan", options.url.c_str(),
                            "UTF8", nullptr};
    PgHandle handle(PQconnectdbParams(keywords, values, 1));
    if (!handle) {
        throw core::Unavailable("postgresql: out of memory");
    }
    if (PQstatus(handle.get()) != CONNECTION_OK) {
        throw core::Unavailable("postgresql: cannot connect to " + options.description + ": " +
                                one_line(PQerrorMessage(handle.get())));
    }
    PQsetNoticeReceiver(handle.get(), &report_warnings_only, nullptr);
    return handle;
}

// A bounded pool. Callers wait up to acquire_timeout for a free connection; connections are
// opened lazily, so after an outage the pool simply reconnects.
class PgPool {
public:
    explicit PgPool(PgOptions options) : options_(std::move(options)) {}

    struct Lease {
        std::unique_ptr<PgConnection> connection;
        bool reused = false;  // Taken from the idle list: it may have died while idle.
    };

    // Throws core::Unavailable when no connection frees up in time or the server is unreachable.
    Lease acquire() {
        std::unique_lock lock(mutex_);
        const bool ready = returned_.wait_for(lock, options_.acquire_timeout, [this] {
            return !idle_.empty() || open_ < options_.pool_size;
        });
        if (!ready) {
            throw core::Unavailable("postgresql: all " + std::to_string(options_.pool_size) +
                                    " pooled connections stayed busy for " +
                                    std::to_string(options_.acquire_timeout.count()) + " ms");
        }
        if (!idle_.empty()) {
            Lease lease{std::move(idle_.back()), true};
            idle_.pop_back();
            return lease;
        }
        ++open_;
        lock.unlock();
        try {
            return Lease{connect(), false};
        } catch (...) {
            forget_one();
            throw;
        }
    }

    void release(std::unique_ptr<PgConnection> connection) {
        connection->take_failure();
        if (connection->is_broken()) {
            connection.reset();
            forget_one();
            return;
        }
        {
            std::lock_guard lock(mutex_);
            idle_.push_back(std::move(connection));
        }
        returned_.notify_one();
    }

    // After one connection broke the others are likely dead too (the server restarted).
    void discard_idle() {
        std::vector<std::unique_ptr<PgConnection>> dead;
        {
            std::lock_guard lock(mutex_);
            dead.swap(idle_);
            open_ -= static_cast<int>(dead.size());
        }
        returned_.notify_all();
    }

    const PgOptions& options() const { return options_; }

private:
    std::unique_ptr<PgConnection> connect() {
        return std::make_unique<PgConnection>(open_handle(options_));
    }

    void forget_one() {
        {
            std::lock_guard lock(mutex_);
            --open_;
        }
        returned_.notify_one();
    }

    const PgOptions options_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<PgConnection>> idle_;  // Guarded by mutex_.
    int open_ = 0;  // Connections that exist, idle or leased. Guarded by mutex_.
};

// Returns a leased connection to the pool however the lease ends.
class LeaseGuard {
public:
    LeaseGuard(PgPool& pool, PgPool::Lease lease) : pool_(pool), lease_(std::move(lease)) {}
    ~LeaseGuard() { pool_.release(std::move(lease_.connection)); }
    LeaseGuard(const LeaseGuard&) = delete;
    LeaseGuard& operator=(const LeaseGuard&) = delete;
    PgConnection& connection() { return *lease_.connection; }
    bool is_reused() const { return lease_.reused; }

private:
    PgPool& pool_;
    PgPool::Lease lease_;
};

// A connection that LISTENs on "coalition_memo" (migrations/0029_memo_notify.sql) on a thread of
// its own and counts the notifications: the count changes after every commit, by any server or
// command, that changed a table read through query_memoised. Started by the first memoised read,
// so commands that never make one open no extra connection. While it is not listening (not yet,
// or its connection was lost) is_listening() is false and nothing may be answered from memory;
// each time it starts listening the count changes too, since notifications may have been missed.
class PgChangeListener {
public:
    explicit PgChangeListener(const PgOptions& options) : options_(options) {}
    ~PgChangeListener() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        if (wake_fd_ >= 0) {
            const std::uint64_t one = 1;
            (void)!::write(wake_fd_, &one, sizeof one);
        }
        if (thread_.joinable()) {
            thread_.join();
        }
        if (wake_fd_ >= 0) {
            ::close(wake_fd_);
        }
    }
    PgChangeListener(const PgChangeListener&) = delete;
    PgChangeListener& operator=(const PgChangeListener&) = delete;

    void start() {
        std::lock_guard lock(mutex_);
        if (thread_.joinable() || stopping_) {
            return;
        }
        wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd_ >= 0) {
            thread_ = std::thread([this] { run(); });
        }
    }

    bool is_listening() const { return listening_.load(std::memory_order_acquire); }
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

private:
    static constexpr std::chrono::seconds kRetryDelay{1};
    static constexpr int kProbeAfterMs = 10'000;

    void run() {
        while (!is_stopping()) {
            try {
                PgHandle handle = open_handle(options_);
                PgResult listen(PQexec(handle.get(), "LISTEN coalition_memo"));
                if (PQresultStatus(listen.get()) != PGRES_COMMAND_OK) {
                    throw core::Unavailable("postgresql: LISTEN failed");
                }
                generation_.fetch_add(1, std::memory_order_acq_rel);
                listening_.store(true, std::memory_order_release);
                receive(handle.get());
            } catch (const core::Unavailable&) {
                // Not listening: memoised reads go to the server until the next attempt.
            }
            listening_.store(false, std::memory_order_release);
            wait_or_stop(kRetryDelay);
        }
    }

    // Returns when the connection fails or the listener stops.
    void receive(PGconn* connection) {
        std::array<pollfd, 2> watched{pollfd{PQsocket(connection), POLLIN, 0},
                                      pollfd{wake_fd_, POLLIN, 0}};
        while (!is_stopping()) {
            const int ready = ::poll(watched.data(), watched.size(), kProbeAfterMs);
            if (ready < 0 && errno != EINTR) {
                return;
            }
            if ((watched[1].revents & POLLIN) != 0) {
                return;  // Stopping.
            }
            if (ready == 0) {
                // Quiet for a while: make sure the server is still there, since a connection
                // that died without a word would keep kept rows forever.
                PgResult probe(PQexec(connection, "SELECT 1"));
                if (PQresultStatus(probe.get()) != PGRES_TUPLES_OK) {
                    return;
                }
            } else if (PQconsumeInput(connection) == 0) {
                return;  // The connection is gone.
            }
            while (PGnotify* notification = PQnotifies(connection)) {
                PQfreemem(notification);
                generation_.fetch_add(1, std::memory_order_acq_rel);
            }
        }
    }

    bool is_stopping() {
        std::lock_guard lock(mutex_);
        return stopping_;
    }

    void wait_or_stop(std::chrono::seconds delay) {
        pollfd wake{wake_fd_, POLLIN, 0};
        (void)::poll(&wake, 1, static_cast<int>(std::chrono::milliseconds(delay).count()));
    }

    const PgOptions& options_;
    std::atomic<bool> listening_{false};
    std::atomic<std::uint64_t> generation_{0};
    std::mutex mutex_;
    bool stopping_ = false;  // Guarded by mutex_.
    int wake_fd_ = -1;       // An eventfd written once to stop the thread.
    std::thread thread_;
};

class PgDatabase final : public Database {
public:
    explicit PgDatabase(PgOptions options) : pool_(std::move(options)) {}

    // store::Database
    Dialect dialect() const override { return Dialect::Postgresql; }

    Rows query(std::string_view sql, const Params& params) override {
        BodyScope::assert_outside(this, "query");
        for (int attempt = 0;; ++attempt) {
            LeaseGuard lease(pool_, pool_.acquire());
            try {
                return lease.connection().query(sql, params);
            } catch (const ConnectionBroken&) {
                // An idle connection may have died with a restarted server; a read is safe to
                // repeat once on a fresh one.
                if (attempt == 0 && lease.is_reused()) {
                    pool_.discard_idle();
                    continue;
                }
                throw;
            }
        }
    }

    // Asking PostgreSQL whether anything changed is the round trip a kept page tries to avoid
    // (four for an archive thread page, whose p99 under load was 25 ms against SQLite's 5.5).
    // Rows are kept while no commit of this process and no notification (PgChangeListener) came
    // since they were read: another server's change shows as soon as its notification arrives,
    // which PostgreSQL sends as the commit completes.
    Rows query_memoised(std::string_view sql, const Params& params) override {
        listener_.start();
        // Read before the query: a change that lands while it runs changes it, and the rows,
        // which may predate that change, are not answered again. Then whether the listener
        // listens: one that stopped and started again since has changed the count too.
        const std::uint64_t generation = current_generation();
        if (!listener_.is_listening()) {
            return query(sql, params);
        }
        return kept_.get(sql, params, generation, [&] { return query(sql, params); });
    }

    void transact(const std::function<void(Connection&)>& body) override {
        BodyScope::assert_outside(this, "transact");
        for (int attempt = 0;; ++attempt) {
            LeaseGuard lease(pool_, pool_.acquire());
            PgConnection& connection = lease.connection();
            try {
                connection.execute_script("BEGIN");
            } catch (const ConnectionBroken&) {
                connection.take_failure();
                // Nothing ran yet, so starting over on a fresh connection is safe.
                if (attempt == 0 && lease.is_reused()) {
                    pool_.discard_idle();
                    continue;
                }
                throw;
            }
            std::exception_ptr error;
            try {
                BodyScope scope(this);
                body(connection);
                connection.flush();
            } catch (...) {
                error = std::current_exception();
            }
            // A statement that failed inside a body that carried on still fails the body.
            std::exception_ptr statement_failure = connection.take_failure();
            if (!error) {
                error = statement_failure;
            }
            if (error) {
                connection.rollback();
                std::rethrow_exception(error);
            }
            try {
                connection.commit();
            } catch (...) {
                connection.take_failure();
                connection.rollback();
                throw;
            }
            commits_.fetch_add(1, std::memory_order_release);
            return;
        }
    }

    std::string describe() const override { return pool_.options().description; }

    bool is_healthy() override {
        try {
            return query_one("SELECT 1").has_value();
        } catch (const core::Unavailable&) {
            return false;
        }
    }

private:
    // Our own commits count at once, before their notification comes back: a server shows its
    // own change on the next request.
    std::uint64_t current_generation() const {
        return commits_.load(std::memory_order_acquire) + listener_.generation();
    }

    PgPool pool_;
    PgChangeListener listener_{pool_.options()};
    std::atomic<std::uint64_t> commits_{0};  // By this process, through transact().
    KeptRows<std::uint64_t> kept_;           // With current_generation() before the rows were read.
};

}  // namespace

std::unique_ptr<Database> open_postgresql(const std::string& url) {
    PgOptions options = parse_url(url);
    auto database = std::make_unique<PgDatabase>(std::move(options));
    try {
        (void)database->query("SELECT 1", {});
    } catch (const core::Unavailable& error) {
        throw core::StartupError(error.what());
    }
    return database;
}

}  // namespace coalition::store::detail
