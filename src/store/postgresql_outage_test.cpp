// The database goes away and comes back: queries fail fast with core::Unavailable (no crash, no
// hang) and the same Database works again afterwards. Stops the server of scripts/with-postgres,
// so ctest runs it alone (RUN_SERIAL).
#include "core/unavailable.hpp"
#include "store/database.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace coalition::store {
namespace {

int pg_ctl(const std::string& arguments) {
    const char* ctl = std::getenv("COALITION_TEST_POSTGRES_CTL");
    return std::system((std::string(ctl) + " " + arguments + " >/dev/null").c_str());
}

TEST(PostgresqlOutage, UnavailableWhileDownThenRecovers) {
    auto database = testing::fresh_database(Dialect::Postgresql);
    if (!database || std::getenv("COALITION_TEST_POSTGRES_CTL") == nullptr) {
        GTEST_SKIP() << "needs scripts/with-postgres";
    }
    database->transact([](Connection& connection) {
        connection.execute("INSERT INTO settings (key, value) VALUES ('before', 'outage')");
    });
    EXPECT_TRUE(database->is_healthy());

    ASSERT_EQ(pg_ctl("stop -m fast"), 0);
    EXPECT_THROW(database->query("SELECT value FROM settings"), core::Unavailable);
    EXPECT_THROW(database->transact([](Connection& connection) {
        connection.execute("INSERT INTO settings (key, value) VALUES ('during', 'outage')");
    }),
                 core::Unavailable);
    EXPECT_FALSE(database->is_healthy());

    ASSERT_EQ(pg_ctl("start"), 0);
    EXPECT_TRUE(database->is_healthy());
    database->transact([](Connection& connection) {
        connection.execute("INSERT INTO settings (key, value) VALUES ('after', 'outage')");
    });
    EXPECT_EQ(database->query_one("SELECT count(*) FROM settings")->integer(0), 2);
}

TEST(PostgresqlOutage, ServerRestartBetweenQueriesIsInvisibleToReads) {
    auto database = testing::fresh_database(Dialect::Postgresql);
    if (!database || std::getenv("COALITION_TEST_POSTGRES_CTL") == nullptr) {
        GTEST_SKIP() << "needs scripts/with-postgres";
    }
    EXPECT_TRUE(database->is_healthy());
    ASSERT_EQ(pg_ctl("restart -m fast"), 0);
    // The idle connection died with the server; the read retries once on a fresh one.
    EXPECT_EQ(database->query_one("SELECT count(*) FROM settings")->integer(0), 0);
    database->transact([](Connection& connection) {
        connection.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    });
}

}  // namespace
}  // namespace coalition::store
