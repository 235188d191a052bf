// PostgreSQL-only behaviour: a second Database on the same data, row claiming, the pool, types.
#include "core/unavailable.hpp"
#include "store/array_builder.hpp"
#include "store/database.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <future>
#include <set>
#include <thread>

namespace coalition::store {
namespace {

class PostgresqlTest : public ::testing::Test {
protected:
    void SetUp() override {
        database_ = testing::fresh_database(Dialect::Postgresql);
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
    }
    std::unique_ptr<Database> database_;
};

TEST_F(PostgresqlTest, SecondDatabaseSeesCommittedWrites) {
    auto second = open_database(testing::database_url(*database_));
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    });
    EXPECT_EQ(second->query_one("SELECT value FROM settings WHERE key = 'k'")->text(0), "v");
}

// query_memoised keeps rows until this Database commits anything or a notification says that
// another server (or command) changed a table that announces its changes
// (migrations/0029_memo_notify.sql).
TEST_F(PostgresqlTest, MemoisedRowsLastUntilAnyCommitOfAnnouncingTables) {
    database_->transact([](Connection& connection) {
        connection.execute_script(
            "CREATE TABLE memo_probe (id BIGINT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO memo_probe VALUES (1, 'one');"
            "CREATE TRIGGER memo_probe_memo AFTER INSERT OR UPDATE OR DELETE ON memo_probe "
            "FOR EACH STATEMENT EXECUTE FUNCTION coalition_memo_notify()");
    });
    auto other_server = open_database(testing::database_url(*database_));
    auto set = [](Database& database, const std::string& sql) {
        database.transact([&](Connection& connection) { connection.execute_script(sql); });
    };
    auto memoised = [&] {
        return database_
            ->query_one_memoised("SELECT value FROM memo_probe WHERE id = $1", {std::int64_t{1}})
            ->text(0);
    };
    auto eventually = [&](const std::string& expected) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (memoised() != expected && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return memoised();
    };
    // The listener starts with the first memoised read; until it listens, reads are not kept.
    EXPECT_EQ(eventually("one"), "one");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

    // Our own commit shows at once.
    set(*database_, "UPDATE memo_probe SET value = 'two'");
    EXPECT_EQ(memoised(), "two");
    // Another server's commit shows once its notification arrives.
    set(*other_server, "UPDATE memo_probe SET value = 'three'");
    EXPECT_EQ(eventually("three"), "three");
    // Notifications arrive in commit order but late on a busy machine: "two"'s may have been what
    // showed "three", and "three"'s, landing after the silent change, would show that one.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_EQ(memoised(), "three");
    // A change that announces nothing is not seen: the rows really are kept.
    set(*other_server,
        "ALTER TABLE memo_probe DISABLE TRIGGER memo_probe_memo;"
        "UPDATE memo_probe SET value = 'silent'");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(memoised(), "three");
    EXPECT_EQ(other_server->query_one("SELECT value FROM memo_probe")->text(0), "silent");
    set(*other_server,
        "ALTER TABLE memo_probe ENABLE TRIGGER memo_probe_memo;"
        "UPDATE memo_probe SET value = 'four'");
    EXPECT_EQ(eventually("four"), "four");
    // Different parameters are different memos.
    EXPECT_FALSE(database_->query_one_memoised("SELECT value FROM memo_probe WHERE id = $1",
                                               {std::int64_t{2}}));
}

// Two servers claim jobs from one table: FOR UPDATE SKIP LOCKED hands each row to exactly one.
TEST_F(PostgresqlTest, SkipLockedSplitsRowsBetweenTwoConnections) {
    auto second = open_database(testing::database_url(*database_));
    database_->transact([](Connection& connection) {
        connection.execute_script(
            "CREATE TABLE jobs (id BIGINT PRIMARY KEY, claimed_by TEXT);"
            "INSERT INTO jobs (id) SELECT g FROM generate_series(1, 10) AS g");
    });
    const std::string claim =
        "UPDATE jobs SET claimed_by = $1 WHERE id IN (SELECT id FROM jobs WHERE claimed_by IS "
        "NULL ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id";
    std::promise<void> first_claimed;
    std::promise<void> second_done;
    std::vector<std::int64_t> first_ids;
    std::vector<std::int64_t> second_ids;
    std::thread holder([&] {
        database_->transact([&](Connection& connection) {
            for (const Row& row : connection.query(claim, {std::string("one"), std::int64_t{4}})) {
                first_ids.push_back(row.integer(0));
            }
            // Keep the row locks until the other server has claimed around them.
            first_claimed.set_value();
            second_done.get_future().wait();
        });
    });
    first_claimed.get_future().wait();
    second->transact([&](Connection& connection) {
        for (const Row& row : connection.query(claim, {std::string("two"), std::int64_t{100}})) {
            second_ids.push_back(row.integer(0));
        }
    });
    second_done.set_value();
    holder.join();
    EXPECT_EQ(first_ids.size(), 4u);
    EXPECT_EQ(second_ids.size(), 6u);
    std::set<std::int64_t> all(first_ids.begin(), first_ids.end());
    all.insert(second_ids.begin(), second_ids.end());
    EXPECT_EQ(all.size(), 10u);
    EXPECT_EQ(
        database_->query_one("SELECT count(*) FROM jobs WHERE claimed_by IS NULL")->integer(0), 0);
}

TEST_F(PostgresqlTest, ExhaustedPoolTimesOutAsUnavailable) {
    auto small =
        open_database(testing::database_url(*database_) + "&pool_size=1&pool_timeout_ms=200");
    std::promise<void> holding;
    std::promise<void> release;
    std::thread holder([&] {
        small->transact([&](Connection&) {
            holding.set_value();
            release.get_future().wait();
        });
    });
    holding.get_future().wait();
    try {
        small->query("SELECT 1");
        ADD_FAILURE() << "no exception";
    } catch (const core::Unavailable& error) {
        EXPECT_NE(std::string(error.what()).find("busy"), std::string::npos) << error.what();
    }
    release.set_value();
    holder.join();
    EXPECT_TRUE(small->is_healthy());
}

TEST_F(PostgresqlTest, ColumnTypesMapToValues) {
    auto row = database_->query_one(
        "SELECT CAST(1 AS SMALLINT), CAST(2 AS INTEGER), CAST(3 AS BIGINT), CAST(1.5 AS REAL), "
        "CAST(2.25 AS DOUBLE PRECISION), CAST(10 AS NUMERIC), CAST(2.5 AS NUMERIC), TRUE, FALSE, "
        "'text', NULL, CAST('NaN' AS DOUBLE PRECISION)");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->integer(0), 1);
    EXPECT_EQ(row->integer(1), 2);
    EXPECT_EQ(row->integer(2), 3);
    EXPECT_DOUBLE_EQ(row->real(3), 1.5);
    EXPECT_DOUBLE_EQ(row->real(4), 2.25);
    EXPECT_EQ(row->integer(5), 10);
    EXPECT_DOUBLE_EQ(row->real(6), 2.5);
    EXPECT_EQ(row->integer(7), 1);
    EXPECT_EQ(row->integer(8), 0);
    EXPECT_EQ(row->text(9), "text");
    EXPECT_TRUE(row->is_null(10));
    EXPECT_TRUE(std::isnan(row->real(11)));
}

// Rows written as arrays (ArrayBuilder, binary) come back element for element: quotes,
// backslashes, braces, commas, white space, the word NULL, empty texts, non-ASCII text, numbers
// of 64 bits and NULL; an empty array has no rows. A text element the server cannot store (a NUL,
// invalid UTF-8) fails the statement with InvalidText, and the connection stays usable.
TEST_F(PostgresqlTest, BinaryArraysCarryAnyTextAndNumbers) {
    const std::vector<std::string> texts{
        "plain",         "",
        "NULL",          "a\"b",
        "back\\slash\\", "{brace},comma",
        " spaced \t\n",  "\u00e9t\u00e9 \u0645\u0631\u062d\u0628\u0627"};
    ArrayBuilder text_array(ArrayBuilder::Element::Text);
    ArrayBuilder number_array(ArrayBuilder::Element::Bigint);
    for (std::size_t text_idx = 0; text_idx < texts.size(); ++text_idx) {
        text_array.add(texts[text_idx]);
        number_array.add(static_cast<std::int64_t>(text_idx) - 3);
    }
    number_array.add(std::int64_t{-9'000'000'000});
    text_array.add_null();
    const auto rows = database_->query(
        "SELECT n, t FROM unnest(CAST($1 AS bigint[]), CAST($2 AS text[])) AS u(n, t)",
        {number_array.take(), text_array.take()});
    ASSERT_EQ(rows.size(), texts.size() + 1);
    for (std::size_t text_idx = 0; text_idx < texts.size(); ++text_idx) {
        EXPECT_EQ(rows[text_idx].integer(0), static_cast<std::int64_t>(text_idx) - 3);
        EXPECT_EQ(rows[text_idx].text(1), texts[text_idx]);
        EXPECT_FALSE(rows[text_idx].is_null(1));
    }
    EXPECT_EQ(rows.back().integer(0), -9'000'000'000);
    EXPECT_TRUE(rows.back().is_null(1));
    // The builder starts again empty after take().
    EXPECT_TRUE(text_array.empty());
    EXPECT_TRUE(
        database_->query("SELECT * FROM unnest(CAST($1 AS text[]))", {text_array.take()}).empty());

    for (const std::string& bad : {std::string("nul \0 inside", 12), std::string("\xff\xfe")}) {
        ArrayBuilder refused(ArrayBuilder::Element::Text);
        refused.add("fine").add(bad);
        EXPECT_THROW(database_->query("SELECT * FROM unnest(CAST($1 AS text[]))", {refused.take()}),
                     InvalidText);
    }
    EXPECT_EQ(database_->query_one("SELECT 1")->integer(0), 1);
}

// ArrayColumns: rows in, the same rows out through the unnest() it writes, NULLs included.
TEST_F(PostgresqlTest, ArrayColumnsReadBackAsTheRowsAdded) {
    ArrayColumns rows({ArrayColumns::Element::Bigint, ArrayColumns::Element::Text,
                       ArrayColumns::Element::Bigint});
    EXPECT_TRUE(rows.empty());
    rows.row(std::int64_t{1}, std::string("one"), std::optional<std::int64_t>(10));
    rows.row(std::int64_t{2}, std::string_view(""), std::optional<std::int64_t>());
    EXPECT_EQ(rows.unnest(2),
              "unnest(CAST($2 AS bigint[]), CAST($3 AS text[]), "
              "CAST($4 AS bigint[]))");
    const auto read = database_->query(
        "SELECT $1 + u.n, u.t, u.o FROM " + rows.unnest(2) + " AS u(n, t, o) ORDER BY u.n",
        rows.take({std::int64_t{100}}));
    ASSERT_EQ(read.size(), 2U);
    EXPECT_EQ(read[0].integer(0), 101);
    EXPECT_EQ(read[0].text(1), "one");
    EXPECT_EQ(read[0].integer(2), 10);
    EXPECT_EQ(read[1].integer(0), 102);
    EXPECT_EQ(read[1].text(1), "");
    EXPECT_TRUE(read[1].is_null(2));
    EXPECT_TRUE(rows.empty());
}

// A statement refused for its data (a bad number, a word too long to index, a trigger's
// exception) is StatementRefused, not Unavailable: the database is there, another row may pass.
TEST_F(PostgresqlTest, DataErrorsAreRefusedStatementsNotAnOutage) {
    EXPECT_THROW(database_->query("SELECT CAST($1 AS integer)", {std::string("twelve")}),
                 StatementRefused);
    EXPECT_THROW(database_->query("SELECT CAST(repeat('x', 3000) AS tsvector)"), StatementRefused);
    EXPECT_THROW(database_->query("DO $$ BEGIN RAISE EXCEPTION 'refused'; END $$"),
                 StatementRefused);
    EXPECT_TRUE(database_->is_healthy());
    EXPECT_EQ(database_->query_one("SELECT 1")->integer(0), 1);
}

TEST_F(PostgresqlTest, WrongParameterCountKeepsTheConnection) {
    EXPECT_THROW(database_->query("SELECT $1::bigint + $2::bigint", {std::int64_t{1}}),
                 core::Unavailable);
    EXPECT_TRUE(database_->is_healthy());
}

// Statements are prepared once a connection; made on the fly they would pile up, so beyond a limit
// the connection forgets them all and prepares again what it runs next.
TEST_F(PostgresqlTest, PreparedStatementsBeyondTheLimitAreForgottenAndPreparedAgain) {
    database_->transact([](Connection& connection) {
        for (std::int64_t number = 0; number < 600; ++number) {
            const std::string sql = "SELECT $1::bigint + " + std::to_string(number);
            ASSERT_EQ(connection.query_one(sql, {std::int64_t{1}})->integer(0), number + 1);
        }
        EXPECT_EQ(connection.query_one("SELECT $1::bigint + 1", {std::int64_t{41}})->integer(0),
                  42);
    });
}

// A migration that changes a table's columns makes a prepared "SELECT *" stale: the statement that
// notices fails, and the next one is prepared again and sees the new column.
TEST_F(PostgresqlTest, AStatementATableChangeMadeStaleIsPreparedAgain) {
    database_->transact([](Connection& connection) {
        connection.execute_script(
            "CREATE TABLE stale_probe (a BIGINT); INSERT INTO stale_probe VALUES (1)");
    });
    auto columns = [this] { return database_->query_one("SELECT * FROM stale_probe")->size(); };
    ASSERT_EQ(columns(), 1U);
    database_->transact([](Connection& connection) {
        connection.execute_script("ALTER TABLE stale_probe ADD COLUMN b BIGINT DEFAULT 2");
    });
    try {
        EXPECT_EQ(columns(), 2U);
    } catch (const core::Unavailable&) {
        // "cached plan must not change result type", once.
    }
    EXPECT_EQ(columns(), 2U);
}

}  // namespace
}  // namespace coalition::store
