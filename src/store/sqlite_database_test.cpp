#include "store/sqlite_database.hpp"

#include "core/unavailable.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

namespace coalition::store::detail {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ = std::filesystem::temp_directory_path() /
                     ("coalition-store-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(directory_);
        std::filesystem::create_directories(directory_);
        database_ = std::make_unique<SqliteDatabase>((directory_ / "db.sqlite").string());
        database_->transact([](Connection& connection) {
            connection.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        });
    }
    void TearDown() override {
        database_.reset();
        std::filesystem::remove_all(directory_);
    }

    std::filesystem::path directory_;
    std::unique_ptr<SqliteDatabase> database_;
};

TEST_F(SqliteDatabaseTest, PragmasAreSet) {
    database_->transact([](Connection& connection) {
        EXPECT_EQ(connection.query_one("PRAGMA journal_mode")->text(0), "wal");
        EXPECT_EQ(connection.query_one("PRAGMA synchronous")->integer(0), 2);  // FULL
        EXPECT_EQ(connection.query_one("PRAGMA foreign_keys")->integer(0), 1);
        EXPECT_EQ(connection.query_one("PRAGMA busy_timeout")->integer(0), 5000);
        EXPECT_EQ(connection.query_one("PRAGMA temp_store")->integer(0), 2);  // MEMORY
        EXPECT_EQ(connection.query_one("PRAGMA wal_autocheckpoint")->integer(0), 8192);
    });
}

TEST_F(SqliteDatabaseTest, ReadersAreReadOnly) {
    EXPECT_THROW(database_->query("INSERT INTO t (id, v) VALUES (1, 'x')"), core::Unavailable);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM t")->integer(0), 0);
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforced) {
    database_->transact([](Connection& connection) {
        connection.execute_script(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id))");
    });
    EXPECT_THROW(database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO child (id, t_id) VALUES (1, 99)");
    }),
                 ConstraintViolation);
}

// Holds the writer inside the first body until the other callers are queued, so they are
// certain to share one group commit; one of them throws and must roll back alone.
TEST_F(SqliteDatabaseTest, GroupCommitBatchesWaitingBodiesWithSavepoints) {
    constexpr int kWaiting = 6;
    std::promise<void> writer_busy;
    std::promise<void> all_queued;
    const std::uint64_t commits_before = database_->commit_count();
    std::thread first([&] {
        database_->transact([&](Connection& connection) {
            connection.execute("INSERT INTO t (id, v) VALUES (0, 'first')");
            writer_busy.set_value();
            all_queued.get_future().wait();
        });
    });
    writer_busy.get_future().wait();
    std::vector<std::thread> waiting;
    std::atomic<int> thrown{0};
    for (int caller_idx = 1; caller_idx <= kWaiting; ++caller_idx) {
        waiting.emplace_back([&, caller_idx] {
            try {
                database_->transact([&](Connection& connection) {
                    connection.execute("INSERT INTO t (id, v) VALUES ($1, 'waiting')",
                                       {std::int64_t{caller_idx}});
                    if (caller_idx == 3) {
                        throw std::logic_error("caller 3 fails");
                    }
                });
            } catch (const std::logic_error& error) {
                EXPECT_STREQ(error.what(), "caller 3 fails");
                ++thrown;
            }
        });
    }
    // Wait (without sleeping) until every caller is queued behind the busy writer.
    while (database_->pending_writes() < kWaiting) {
        std::this_thread::yield();
    }
    all_queued.set_value();
    first.join();
    for (auto& thread : waiting) {
        thread.join();
    }
    EXPECT_EQ(thrown.load(), 1);
    // The first body's commit plus one for all six waiting ones.
    EXPECT_EQ(database_->commit_count() - commits_before, 2u);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM t")->integer(0), kWaiting);
    EXPECT_FALSE(database_->query_one("SELECT id FROM t WHERE id = 3"));
}

TEST_F(SqliteDatabaseTest, ManyConcurrentReaders) {
    database_->transact([](Connection& connection) {
        for (std::int64_t id = 0; id < 100; ++id) {
            connection.execute("INSERT INTO t (id, v) VALUES ($1, 'x')", {id});
        }
    });
    std::vector<std::thread> readers;
    readers.reserve(std::size_t{3} * SqliteDatabase::kReaderCount);
    std::atomic<int> ok{0};
    for (int reader_idx = 0; reader_idx < 3 * SqliteDatabase::kReaderCount; ++reader_idx) {
        readers.emplace_back([&] {
            for (int query_idx = 0; query_idx < 50; ++query_idx) {
                if (database_->query("SELECT id FROM t").size() == 100) {
                    ++ok;
                }
            }
        });
    }
    for (auto& thread : readers) {
        thread.join();
    }
    EXPECT_EQ(ok.load(), 3 * SqliteDatabase::kReaderCount * 50);
}

TEST_F(SqliteDatabaseTest, CommittedWritesSurviveReopening) {
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO t (id, v) VALUES (1, 'durable')");
    });
    database_.reset();
    database_ = std::make_unique<SqliteDatabase>((directory_ / "db.sqlite").string());
    EXPECT_EQ(database_->query_one("SELECT v FROM t WHERE id = 1")->text(0), "durable");
}

TEST_F(SqliteDatabaseTest, MemoisedQueriesAreKeptUntilACommit) {
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO t (id, v) VALUES (1, 'first')");
    });
    const std::string sql = "SELECT v FROM t WHERE id = $1";
    EXPECT_EQ(database_->query_one_memoised(sql, {std::int64_t{1}})->text(0), "first");
    const auto hits = database_->memoised_hits();
    EXPECT_EQ(database_->query_one_memoised(sql, {std::int64_t{1}})->text(0), "first");
    EXPECT_EQ(database_->memoised_hits(), hits + 1);
    // Other parameters are another query.
    EXPECT_FALSE(database_->query_one_memoised(sql, {std::int64_t{2}}).has_value());
    EXPECT_EQ(database_->memoised_hits(), hits + 1);

    // Any commit, even one that touches another row, makes every kept result stale.
    database_->transact([](Connection& connection) {
        connection.execute("UPDATE t SET v = 'second' WHERE id = 1");
    });
    EXPECT_EQ(database_->query_one_memoised(sql, {std::int64_t{1}})->text(0), "second");
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO t (id, v) VALUES (2, 'other')");
    });
    EXPECT_EQ(database_->query_one_memoised(sql, {std::int64_t{2}})->text(0), "other");
    EXPECT_EQ(database_->memoised_hits(), hits + 1);
}

// What the memo exists for: a second server or a command on the same file changes it, and the
// next request sees it at once. Another process writes here (python3's sqlite3, as an operator's
// script would).
TEST_F(SqliteDatabaseTest, MemoisedQueriesSeeAnotherProcesssCommitAtOnce) {
    database_->transact([](Connection& connection) {
        connection.execute("INSERT INTO t (id, v) VALUES (1, 'ours')");
    });
    const std::string sql = "SELECT v FROM t WHERE id = 1";
    ASSERT_EQ(database_->query_one_memoised(sql)->text(0), "ours");
    ASSERT_EQ(database_->query_one_memoised(sql)->text(0), "ours");
    const std::string command =
        "python3 -c \"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute(\\\"UPDATE t SET v = 'theirs' WHERE id = 1\\\"); c.commit()\" " +
        (directory_ / "db.sqlite").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    EXPECT_EQ(database_->query_one_memoised(sql)->text(0), "theirs");
}

TEST_F(SqliteDatabaseTest, ParameterMistakesAreBugs) {
    EXPECT_DEATH(database_->query("SELECT $1, $2", {std::int64_t{1}}), "differ in number");
    EXPECT_DEATH(database_->query("SELECT ?", {std::int64_t{1}}), "written \\$1");
    EXPECT_DEATH(database_->query("SELECT $1; SELECT 2", {std::int64_t{1}}), "one statement");
}

}  // namespace
}  // namespace coalition::store::detail
