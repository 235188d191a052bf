// Behaviour both backends share, run on every available dialect.
#include "core/unavailable.hpp"
#include "store/database.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace coalition::store {
namespace {

class StoreTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        database_ = testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        database_->transact([](Connection& connection) {
            connection.execute_script(
                "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT UNIQUE, amount BIGINT, "
                "ratio DOUBLE PRECISION, note TEXT);"
                "CREATE TABLE counters (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)");
        });
    }

    std::int64_t count(std::string_view table) {
        return database_->query_one("SELECT count(*) FROM " + std::string(table))->integer(0);
    }

    std::unique_ptr<Database> database_;
};

TEST_P(StoreTest, RoundTripsEveryValueTypeAndNull) {
    database_->transact([](Connection& connection) {
        EXPECT_EQ(
            connection.execute(
                "INSERT INTO items (id, name, amount, ratio, note) VALUES ($1, $2, $3, $4, $5)",
                {std::int64_t{1}, std::string("first"), std::int64_t{-9'007'199'254'740'993}, 0.1,
                 nullptr}),
            1);
        connection.execute(
            "INSERT INTO items (id, name, amount, ratio, note) VALUES ($1, $2, $3, $4, $5)",
            {std::int64_t{2}, nullptr, nullptr, nullptr, std::string("")});
    });
    auto first = database_->query_one(
        "SELECT id, name, amount, ratio, note FROM items WHERE id = $1", {std::int64_t{1}});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->integer(0), 1);
    EXPECT_EQ(first->text(1), "first");
    EXPECT_EQ(first->integer(2), -9'007'199'254'740'993);
    EXPECT_DOUBLE_EQ(first->real(3), 0.1);
    EXPECT_TRUE(first->is_null(4));
    auto second = database_->query_one(
        "SELECT id, name, amount, ratio, note FROM items WHERE id = $1", {std::int64_t{2}});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->optional_text(1), std::nullopt);
    EXPECT_EQ(second->optional_integer(2), std::nullopt);
    EXPECT_TRUE(second->is_null(3));
    EXPECT_EQ(second->optional_text(4), "");  // Empty text is not NULL.
    EXPECT_FALSE(database_->query_one("SELECT id FROM items WHERE id = $1", {std::int64_t{3}}));
    EXPECT_EQ(database_->query("SELECT id FROM items ORDER BY id").size(), 2u);
}

TEST_P(StoreTest, ReturningAndAggregatesComeBackAsIntegers) {
    database_->transact([](Connection& connection) {
        auto row = connection.query_one(
            "INSERT INTO items (id, name, amount) VALUES ($1, $2, $3) RETURNING id, amount",
            {std::int64_t{7}, std::string("x"), std::int64_t{5}});
        ASSERT_TRUE(row);
        EXPECT_EQ(row->integer(0), 7);
        EXPECT_EQ(row->integer(1), 5);
        connection.execute("INSERT INTO items (id, amount) VALUES (8, 6)");
    });
    auto row = database_->query_one(
        "SELECT count(*), SUM(amount), MAX(amount), CASE WHEN EXISTS (SELECT 1 FROM items) "
        "THEN 1 ELSE 0 END FROM items");
    EXPECT_EQ(row->integer(0), 2);
    EXPECT_EQ(row->integer(1), 11);
    EXPECT_EQ(row->integer(2), 6);
    EXPECT_TRUE(row->boolean(3));
}

TEST_P(StoreTest, ParametersBindByNumberInAnyOrder) {
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO items (note, id, name) VALUES ($3, $2, $1)",
                           {std::string("name"), std::int64_t{4}, std::string("note")});
        // One parameter used twice.
        connection.execute("UPDATE items SET amount = $1 WHERE id = $1", {std::int64_t{4}});
    });
    auto row = database_->query_one("SELECT name, note, amount FROM items WHERE id = $1",
                                    {std::int64_t{4}});
    EXPECT_EQ(row->text(0), "name");
    EXPECT_EQ(row->text(1), "note");
    EXPECT_EQ(row->integer(2), 4);
}

TEST_P(StoreTest, UniqueViolationIsAConstraintViolationAndRollsBackTheBody) {
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO items (id, name) VALUES (1, 'taken')");
    });
    EXPECT_THROW(database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO items (id, name) VALUES (2, 'other')");
        connection.execute("INSERT INTO items (id, name) VALUES (3, 'taken')");
    }),
                 ConstraintViolation);
    EXPECT_EQ(count("items"), 1);
}

TEST_P(StoreTest, SwallowedFailureStillFailsTheBody) {
    // PostgreSQL aborts the transaction at a failed statement; SQLite is made to agree.
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO items (id, name) VALUES (1, 'taken')");
    });
    EXPECT_THROW(database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO items (id, name) VALUES (2, 'kept?')");
        try {
            connection.execute("INSERT INTO items (id, name) VALUES (3, 'taken')");
        } catch (const ConstraintViolation&) {
            // Carrying on is the mistake under test.
        }
        EXPECT_THROW(connection.query("SELECT 1"), ConstraintViolation);
    }),
                 ConstraintViolation);
    EXPECT_EQ(count("items"), 1);
    // ON CONFLICT is the way to insert-if-absent.
    database_->transact([](Connection& connection) {
        EXPECT_EQ(connection.execute("INSERT INTO items (id, name) VALUES (3, 'taken') "
                                     "ON CONFLICT DO NOTHING"),
                  0);
    });
}

TEST_P(StoreTest, SqlErrorsAreUnavailableWithTheStatement) {
    try {
        database_->query("SELEC nonsense");
        FAIL() << "no exception";
    } catch (const core::Unavailable& error) {
        EXPECT_NE(std::string(error.what()).find("SELEC nonsense"), std::string::npos);
    }
}

TEST_P(StoreTest, ThrowingBodyRollsBackOnlyItselfUnderConcurrency) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 40;
    std::atomic<int> failures_seen{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
        threads.emplace_back([&, thread_idx] {
            for (int write_idx = 0; write_idx < kPerThread; ++write_idx) {
                const std::int64_t id = thread_idx * 1000 + write_idx;
                const bool fails = write_idx % 3 == 0;
                try {
                    database_->transact([&](Connection& connection) {
                        connection.execute("INSERT INTO items (id, name) VALUES ($1, $2)",
                                           {id, "item " + std::to_string(id)});
                        connection.execute(
                            "INSERT INTO counters (id, value) VALUES (1, 1) "
                            "ON CONFLICT (id) DO UPDATE SET value = counters.value + 1");
                        if (fails) {
                            throw std::runtime_error("body " + std::to_string(id));
                        }
                    });
                    EXPECT_FALSE(fails);
                } catch (const std::runtime_error& error) {
                    EXPECT_TRUE(fails);
                    EXPECT_EQ(std::string(error.what()), "body " + std::to_string(id));
                    ++failures_seen;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const int failing = kThreads * ((kPerThread + 2) / 3);
    EXPECT_EQ(failures_seen.load(), failing);
    EXPECT_EQ(count("items"), kThreads * kPerThread - failing);
    EXPECT_EQ(database_->query_one("SELECT value FROM counters WHERE id = 1")->integer(0),
              kThreads * kPerThread - failing);
    EXPECT_EQ(count("items WHERE id % 1000 % 3 = 0"), 0);
}

TEST_P(StoreTest, HostileStringsAreStoredVerbatim) {
    const std::vector<std::string> hostile = {
        "O'Reilly \"quoted\" `back`",
        "'; DROP TABLE items; --",
        "Robert'); DELETE FROM items WHERE ('1'='1",
        "$1 $2 ? :name @p",
        "<script>alert(1)</script>",
        "مرحبا بالعالم 和平 Здравствуйте",
        std::string(1 << 20, 'x') + "end",
        "\\x00 \\ backslash",
    };
    database_->transact([&](Connection& connection) {
        for (std::size_t value_idx = 0; value_idx < hostile.size(); ++value_idx) {
            connection.execute("INSERT INTO items (id, note) VALUES ($1, $2)",
                               {static_cast<std::int64_t>(value_idx), hostile[value_idx]});
        }
    });
    for (std::size_t value_idx = 0; value_idx < hostile.size(); ++value_idx) {
        auto row = database_->query_one("SELECT note FROM items WHERE id = $1",
                                        {static_cast<std::int64_t>(value_idx)});
        ASSERT_TRUE(row);
        EXPECT_EQ(row->text(0), hostile[value_idx]) << value_idx;
        // And it matches as a parameter, too.
        EXPECT_EQ(
            database_->query("SELECT id FROM items WHERE note = $1", {hostile[value_idx]}).size(),
            1u);
    }
    EXPECT_EQ(count("items"), static_cast<std::int64_t>(hostile.size()));
}

TEST_P(StoreTest, NulBytesAndInvalidUtf8) {
    using namespace std::string_literals;
    const std::string with_nul = "before\0after"s;
    const std::string invalid_utf8 = "bad \xff\xfe \xc3\x28 end";
    auto insert = [this](std::int64_t id, const std::string& note) {
        database_->transact([&](Connection& connection) {
            connection.execute("INSERT INTO items (id, note) VALUES ($1, $2)", {id, note});
        });
    };
    if (GetParam() == Dialect::Sqlite) {
        // SQLite stores the bytes as given.
        insert(1, with_nul);
        insert(2, invalid_utf8);
        EXPECT_EQ(database_->query_one("SELECT note FROM items WHERE id = 1")->text(0), with_nul);
        EXPECT_EQ(database_->query_one("SELECT note FROM items WHERE id = 2")->text(0),
                  invalid_utf8);
    } else {
        // PostgreSQL text cannot hold either; the caller gets InvalidText, not a cut value.
        EXPECT_THROW(insert(1, with_nul), InvalidText);
        EXPECT_THROW(insert(2, invalid_utf8), InvalidText);
        EXPECT_THROW(database_->query("SELECT $1", {invalid_utf8}), InvalidText);
        EXPECT_EQ(count("items"), 0);
        // The connections are still fine afterwards.
        insert(3, "fine");
        EXPECT_EQ(count("items"), 1);
    }
}

TEST_P(StoreTest, DoublesSurviveExactly) {
    const std::vector<double> values = {0.1, -1e300, 1e-300, 123456789.123456789, 0.0};
    database_->transact([&](Connection& connection) {
        for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
            connection.execute("INSERT INTO items (id, ratio) VALUES ($1, $2)",
                               {static_cast<std::int64_t>(value_idx), values[value_idx]});
        }
    });
    for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
        EXPECT_EQ(database_
                      ->query_one("SELECT ratio FROM items WHERE id = $1",
                                  {static_cast<std::int64_t>(value_idx)})
                      ->real(0),
                  values[value_idx]);
    }
}

TEST_P(StoreTest, DescribeAndHealth) {
    EXPECT_TRUE(database_->is_healthy());
    const std::string description = database_->describe();
    EXPECT_TRUE(
        description.starts_with(GetParam() == Dialect::Sqlite ? "sqlite:" : "postgresql://"))
        << description;
    EXPECT_EQ(database_->dialect(), GetParam());
}

TEST_P(StoreTest, ReentryFromABodyIsABug) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        database_->transact([this](Connection&) { database_->transact([](Connection&) {}); }),
        "inside a transaction body");
    EXPECT_DEATH(database_->transact([this](Connection&) { database_->query("SELECT 1"); }),
                 "inside a transaction body");
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreTest, ::testing::ValuesIn(testing::available_dialects()),
                         [](const auto& info) { return testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::store
