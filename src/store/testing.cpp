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
    Rows query_memoised(std::string_view sql, const Params& params) override {
        return inner_->query_memoised(sql, params);
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

// A fresh temporary directory whose name carries this process's id (see above).
std::filesystem::path new_directory() {
    remove_abandoned_directories();
    std::string pattern = (std::filesystem::temp_directory_path() /
                           ("coalition-store-" + std::to_string(::getpid()) + "-XXXXXX"))
                              .string();
    COALITION_ASSERT(mkdtemp(pattern.data()) != nullptr, "cannot create a temporary directory");
    return pattern;
}

void remove_directory(const std::filesystem::path& directory) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
}

std::unique_ptr<Database> sqlite_in(const std::filesystem::path& directory) {
    const std::string url = "sqlite:" + (directory / "test.db").string();
    return std::make_unique<TestDatabase>(open_database(url), url,
                                          [directory] { remove_directory(directory); });
}

// The admin URL, or nullptr when PostgreSQL is not configured (aborting instead under
// COALITION_TEST_REQUIRE_POSTGRES=1).
const char* required_postgres_url() {
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
    }
    return admin_url;
}

std::string admin_url_of(const char* server_url) {
    return with_parameter(server_url, "pool_size=1");
}

void drop_postgresql(const std::string& admin, const std::string& name) {
    try {
        open_database(admin)->query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (const std::exception& error) {
        // A test that stopped the server leaves the database behind; the cluster is throwaway,
        // so say so and go on.
        std::fprintf(stderr, "store::testing: could not drop %s: %s\n", name.c_str(), error.what());
    }
}

// CREATE DATABASE cannot run inside a transaction, so it goes through query() (autocommit).
// `clause` is empty, or " TEMPLATE name" to copy a database.
std::unique_ptr<Database> new_postgresql(const char* server_url, const std::string& clause) {
    const std::string name = "t_" + random_suffix();
    const std::string admin = admin_url_of(server_url);
    open_database(admin)->query("CREATE DATABASE " + name + clause);
    const std::string url = with_database_name(server_url, name);
    return std::make_unique<TestDatabase>(open_database(url), url,
                                          [admin, name] { drop_postgresql(admin, name); });
}

// Migrating a database costs ~0.3 s (every migration is its own durable transaction), and a test
// binary creates hundreds: each process migrates one template per dialect, once, and every fresh
// database is a copy of it. The templates are removed when the process that made them exits (not
// by a death test's forked child).
class SqliteTemplate {
public:
    SqliteTemplate() : directory_(new_directory()) {
        // Closing the only connection folds the write-ahead log into the file.
        const std::string url = "sqlite:" + (directory_ / "test.db").string();
        (void)migrate(*open_database(url));
    }
    ~SqliteTemplate() {
        if (::getpid() == owner_) {
            remove_directory(directory_);
        }
    }
    SqliteTemplate(const SqliteTemplate&) = delete;
    SqliteTemplate& operator=(const SqliteTemplate&) = delete;

    std::unique_ptr<Database> copy() const {
        const std::filesystem::path directory = new_directory();
        for (const char* suffix : {"", "-wal"}) {
            const auto source = directory_ / (std::string("test.db") + suffix);
            if (std::filesystem::exists(source)) {
                std::filesystem::copy_file(source, directory / source.filename());
            }
        }
        return sqlite_in(directory);
    }

private:
    pid_t owner_ = ::getpid();
    std::filesystem::path directory_;
};

class PostgresqlTemplate {
public:
    explicit PostgresqlTemplate(const char* server_url)
        : admin_(admin_url_of(server_url)), name_("t_template_" + random_suffix()) {
        open_database(admin_)->query("CREATE DATABASE " + name_);
        // The migrating connections must be gone before the database serves as a template.
        (void)migrate(*open_database(with_database_name(server_url, name_)));
    }
    ~PostgresqlTemplate() {
        if (::getpid() == owner_) {
            drop_postgresql(admin_, name_);
        }
    }
    PostgresqlTemplate(const PostgresqlTemplate&) = delete;
    PostgresqlTemplate& operator=(const PostgresqlTemplate&) = delete;

    const std::string& name() const { return name_; }

private:
    pid_t owner_ = ::getpid();
    std::string admin_;
    std::string name_;
};

std::unique_ptr<Database> migrated_sqlite() {
    static const SqliteTemplate migrated;
    return migrated.copy();
}

std::unique_ptr<Database> migrated_postgresql() {
    const char* server_url = required_postgres_url();
    if (server_url == nullptr) {
        return nullptr;
    }
    static const PostgresqlTemplate migrated(server_url);
    return new_postgresql(server_url, " TEMPLATE " + migrated.name() + " STRATEGY FILE_COPY");
}

}  // namespace

std::unique_ptr<Database> empty_database(Dialect dialect) {
    if (dialect == Dialect::Sqlite) {
        return sqlite_in(new_directory());
    }
    const char* server_url = required_postgres_url();
    return server_url == nullptr ? nullptr : new_postgresql(server_url, "");
}

std::unique_ptr<Database> fresh_database(Dialect dialect) {
    return dialect == Dialect::Sqlite ? migrated_sqlite() : migrated_postgresql();
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
