#include "store/testing.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"
#include "core/unavailable.hpp"
#include "store/migrations.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace coalition::store::testing {

namespace {

const char* postgres_url() {
    const char* url = std::getenv("COALITION_TEST_POSTGRES_URL");
    return url != nullptr && url[0] != '\0' ? url : nullptr;
}

std::string random_suffix() {
    core::SecureRandom random;
    std::uint8_t bytes[8];
    random.fill(bytes, sizeof bytes);
    return core::to_hex(bytes, sizeof bytes);
}

// "scheme://authority/dbname?query" with dbname replaced.
std::string with_database_name(const std::string& url, const std::string& name) {
    const std::size_t authority = url.find("://");
    COALITION_ASSERT(authority != std::string::npos, "COALITION_TEST_POSTGRES_URL is not a URL");
    const std::size_t query = url.find('?', authority + 3);
    const std::size_t slash = url.find('/', authority + 3);
    const std::size_t path_end = query == std::string::npos ? url.size() : query;
    const std::string rest = query == std::string::npos ? "" : url.substr(query);
    if (slash == std::string::npos || slash > path_end) {
        return url.substr(0, path_end) + "/" + name + rest;
    }
    return url.substr(0, slash) + "/" + name + rest;
}

std::string with_parameter(const std::string& url, const std::string& parameter) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// A Database that owns its own clean-up: everything is forwarded to the real one.
class TestDatabase final : public Database {
public:
    TestDatabase(std::unique_ptr<Database> inner, std::string url, std::function<void()> clean_up)
        : inner_(std::move(inner)), url_(std::move(url)), clean_up_(std::move(clean_up)) {}
    ~TestDatabase() override {
        inner_.reset();
        clean_up_();
    }

    // store::Database
    Dialect dialect() const override { return inner_->dialect(); }
    Rows query(std::string_view sql, const Params& params) override {
        return inner_->query(sql, params);
    }
    void transact(const std::function<void(Connection&)>& body) override { inner_->transact(body); }
    std::string describe() const override { return inner_->describe(); }
    bool is_healthy() override { return inner_->is_healthy(); }

    const std::string& url() const { return url_; }

private:
    std::unique_ptr<Database> inner_;
    std::string url_;
    std::function<void()> clean_up_;
};

// A death test's child process aborts without clean-up; its directory names its process, so the
// next test removes the directories of processes that are gone.
void remove_abandoned_directories() {
    std::error_code error;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), error)) {
        const std::string name = entry.path().filename().string();
        constexpr std::string_view kPrefix = "coalition-store-";
        if (!name.starts_with(kPrefix)) {
            continue;
        }
        const auto pid = static_cast<pid_t>(std::atol(name.c_str() + kPrefix.size()));
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
            std::filesystem::remove_all(entry.path(), error);
        }
    }
}

std::unique_ptr<Database> empty_sqlite() {
    remove_abandoned_directories();
    std::string pattern = (std::filesystem::temp_directory_path() /
                           ("coalition-store-" + std::to_string(::getpid()) + "-XXXXXX"))
                              .string();
    COALITION_ASSERT(mkdtemp(pattern.data()) != nullptr, "cannot create a temporary directory");
    const std::filesystem::path directory = pattern;
    const std::string url = "sqlite:" + (directory / "test.db").string();
    return std::make_unique<TestDatabase>(open_database(url), url, [directory] {
        std::error_code ignored;
        std::filesystem::remove_all(directory, ignored);
    });
}

std::unique_ptr<Database> empty_postgresql() {
    const char* admin_url = postgres_url();
    if (admin_url == nullptr) {
        const char* require = std::getenv("COALITION_TEST_REQUIRE_POSTGRES");
        if (require != nullptr && std::string_view(require) == "1") {
            std::fprintf(stderr,
                         "store::testing: COALITION_TEST_REQUIRE_POSTGRES=1 but "
                         "COALITION_TEST_POSTGRES_URL is not set; run the tests under "
                         "scripts/with-postgres\n");
            std::abort();
        }
        return nullptr;
    }
    const std::string name = "t_" + random_suffix();
    const std::string admin = with_parameter(admin_url, "pool_size=1");
    // CREATE DATABASE cannot run inside a transaction, so it goes through query() (autocommit).
    open_database(admin)->query("CREATE DATABASE " + name);
    const std::string url = with_database_name(admin_url, name);
    return std::make_unique<TestDatabase>(open_database(url), url, [admin, name] {
        try {
            open_database(admin)->query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (const std::exception& error) {
            // A test that stopped the server leaves the database behind; the cluster is
            // throwaway, so say so and go on.
            std::fprintf(stderr, "store::testing: could not drop %s: %s\n", name.c_str(),
                         error.what());
        }
    });
}

}  // namespace

std::unique_ptr<Database> empty_database(Dialect dialect) {
    return dialect == Dialect::Sqlite ? empty_sqlite() : empty_postgresql();
}

std::unique_ptr<Database> fresh_database(Dialect dialect) {
    auto database = empty_database(dialect);
    if (database) {
        (void)migrate(*database);
    }
    return database;
}

std::vector<Dialect> available_dialects() {
    return {Dialect::Sqlite, Dialect::Postgresql};
}

std::string dialect_name(Dialect dialect) {
    return dialect == Dialect::Sqlite ? "Sqlite" : "Postgresql";
}

std::string database_url(const Database& database) {
    const auto* test_database = dynamic_cast<const TestDatabase*>(&database);
    COALITION_ASSERT(test_database != nullptr,
                     "database_url() needs a database from store::testing");
    return test_database->url();
}

}  // namespace coalition::store::testing
