#include "store/migrations.hpp"

#include "core/unavailable.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace coalition::store {
namespace {

TEST(EmbeddedMigrations, AreNumberedNamedAndOrdered) {
    const auto& migrations = embedded_migrations();
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations.front().name, "0001_store_settings");
    const std::regex name_pattern("[0-9]{4}_[a-z0-9_]+");
    for (std::size_t migration_idx = 0; migration_idx < migrations.size(); ++migration_idx) {
        const Migration& migration = migrations[migration_idx];
        EXPECT_TRUE(std::regex_match(migration.name, name_pattern)) << migration.name;
        EXPECT_EQ(std::stoi(migration.name.substr(0, 4)), migration.version) << migration.name;
        EXPECT_FALSE(migration.sql.empty()) << migration.name;
        if (migration_idx > 0) {
            EXPECT_LT(migrations[migration_idx - 1].version, migration.version);
        }
        // Only the placeholders migrations.hpp lists.
        std::string rest = migration.sql;
        for (std::size_t at = rest.find("{{ID}}"); at != std::string::npos;
             at = rest.find("{{ID}}")) {
            rest.erase(at, 6);
        }
        EXPECT_EQ(rest.find("{{"), std::string::npos) << migration.name;
    }
}

class MigrationsTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        database_ = testing::empty_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
    }

    bool has_table(const std::string& name) {
        const char* sql =
            GetParam() == Dialect::Sqlite
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
                : "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = $1";
        return database_->query_one(sql, {name})->integer(0) > 0;
    }

    std::unique_ptr<Database> database_;
};

const std::vector<Migration> two_migrations = {
    {1, "0001_test_people",
     "CREATE TABLE people (id {{ID}}, name TEXT NOT NULL UNIQUE);\n"
     "INSERT INTO people (name) VALUES ('first');"},
    {2, "0002_test_pets",
     "CREATE TABLE pets (id {{ID}}, person_id BIGINT NOT NULL REFERENCES people(id), "
     "name TEXT NOT NULL);\n-- A comment with )\" and ; inside.\n"},
};

TEST_P(MigrationsTest, AppliesOnceAndIsIdempotent) {
    EXPECT_EQ(schema_version(*database_), 0);
    MigrationReport report = migrate(*database_, two_migrations);
    EXPECT_EQ(report.from_version, 0);
    EXPECT_EQ(report.to_version, 2);
    EXPECT_EQ(report.applied, (std::vector<std::string>{"0001_test_people", "0002_test_pets"}));
    EXPECT_EQ(schema_version(*database_), 2);
    EXPECT_TRUE(has_table("people"));
    EXPECT_TRUE(has_table("pets"));

    report = migrate(*database_, two_migrations);
    EXPECT_TRUE(report.applied.empty());
    EXPECT_EQ(report.from_version, 2);
    EXPECT_EQ(report.to_version, 2);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM people")->integer(0), 1);
    auto recorded = database_->query(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[1].text(1), "0002_test_pets");
    EXPECT_GT(recorded[1].integer(2), 1'600'000'000);
}

TEST_P(MigrationsTest, AMigrationNumberedBelowTheNewestIsStillApplied) {
    // Two branches each added a migration; the database first saw only the higher one.
    const std::vector<Migration> without_two = {
        two_migrations[0], {3, "0003_test_toys", "CREATE TABLE toys (id {{ID}});"}};
    EXPECT_EQ(migrate(*database_, without_two).to_version, 3);
    EXPECT_FALSE(has_table("pets"));
    std::vector<Migration> all = two_migrations;
    all.push_back(without_two[1]);
    const MigrationReport report = migrate(*database_, all);
    EXPECT_EQ(report.applied, (std::vector<std::string>{"0002_test_pets"}));
    EXPECT_EQ(report.to_version, 3);
    EXPECT_TRUE(has_table("pets"));
    EXPECT_TRUE(migrate(*database_, all).applied.empty());
}

TEST_P(MigrationsTest, DialectSectionsRunOnlyOnTheirBackend) {
    const std::vector<Migration> sectioned = {
        {1, "0001_test_sections",
         "CREATE TABLE both_before (id {{ID}});\n"
         "-- dialect: sqlite\n"
         "CREATE TABLE only_sqlite (id {{ID}});\n"
         "-- dialect: postgresql\r\n"
         "CREATE TABLE only_postgresql (id {{ID}});\n"
         "-- dialect: all\n"
         "CREATE TABLE both_after (id {{ID}});"},
    };
    migrate(*database_, sectioned);
    const bool sqlite = GetParam() == Dialect::Sqlite;
    EXPECT_TRUE(has_table("both_before"));
    EXPECT_TRUE(has_table("both_after"));
    EXPECT_EQ(has_table("only_sqlite"), sqlite);
    EXPECT_EQ(has_table("only_postgresql"), !sqlite);
}

TEST_P(MigrationsTest, IdPlaceholderAutoIncrements) {
    (void)migrate(*database_, two_migrations);
    database_->transact([](Connection& connection) {
        auto id = connection.query_one("INSERT INTO people (name) VALUES ($1) RETURNING id",
                                       {std::string("second")});
        ASSERT_TRUE(id);
        EXPECT_EQ(id->integer(0), 2);
    });
}

TEST_P(MigrationsTest, FailedMigrationLeavesNoTrace) {
    (void)migrate(*database_, {two_migrations[0]});
    std::vector<Migration> broken = {
        two_migrations[0],
        {2, "0002_test_broken",
         "CREATE TABLE half_done (id BIGINT);\n"
         "INSERT INTO half_done (id) VALUES (1);\n"
         "CREATE TABLE this is not sql;"},
        {3, "0003_test_never", "CREATE TABLE never (id BIGINT);"},
    };
    try {
        (void)migrate(*database_, broken);
        FAIL() << "no exception";
    } catch (const core::Unavailable& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("0002_test_broken"), std::string::npos) << message;
        EXPECT_NE(message.find("syntax error"), std::string::npos) << message;
    }
    EXPECT_EQ(schema_version(*database_), 1);
    EXPECT_FALSE(has_table("half_done"));
    EXPECT_FALSE(has_table("never"));
    // The database still works, and a fixed migration applies.
    broken[1].sql = "CREATE TABLE half_done (id BIGINT);";
    EXPECT_EQ(migrate(*database_, broken).to_version, 3);
    EXPECT_TRUE(has_table("half_done"));
}

TEST_P(MigrationsTest, DatabaseNewerThanBinaryIsAStartupError) {
    (void)migrate(*database_, two_migrations);
    EXPECT_THROW((void)migrate(*database_, {two_migrations[0]}), core::StartupError);
    EXPECT_THROW((void)migrate(*database_, {}), core::StartupError);
}

TEST_P(MigrationsTest, EmbeddedMigrationsApply) {
    const MigrationReport report = migrate(*database_);
    EXPECT_EQ(report.to_version, embedded_migrations().back().version);
    EXPECT_EQ(report.applied.size(), embedded_migrations().size());
    EXPECT_TRUE(has_table("settings"));
    EXPECT_EQ(schema_version(*database_), embedded_migrations().back().version);
}

TEST_P(MigrationsTest, ConcurrentMigrationsApplyEachOnce) {
    // Two servers starting together: two Databases on one PostgreSQL (the advisory lock), or two
    // threads on one SQLite Database (the single writer).
    std::unique_ptr<Database> other;
    Database* second = database_.get();
    if (GetParam() == Dialect::Postgresql) {
        other = open_database(testing::database_url(*database_));
        second = other.get();
    }
    MigrationReport first_report;
    MigrationReport second_report;
    std::thread first([&] { first_report = migrate(*database_, two_migrations); });
    std::thread racing([&] { second_report = migrate(*second, two_migrations); });
    first.join();
    racing.join();
    EXPECT_EQ(first_report.applied.size() + second_report.applied.size(), 2u);
    EXPECT_EQ(first_report.to_version, 2);
    EXPECT_EQ(second_report.to_version, 2);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM people")->integer(0), 1);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM schema_migrations")->integer(0), 2);
}

INSTANTIATE_TEST_SUITE_P(Dialects, MigrationsTest,
                         ::testing::ValuesIn(testing::available_dialects()),
                         [](const auto& info) { return testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::store
