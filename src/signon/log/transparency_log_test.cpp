#include "signon/log/transparency_log.hpp"

#include "core/unavailable.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace coalition::signon {
namespace {

using store::Dialect;

class TransparencyLogTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        log_ = std::make_unique<TransparencyLog>(*database_, clock_, key_);
    }

    std::string leaf(std::uint64_t number) const {
        return R"({"event":"published","n":)" + std::to_string(number) + R"(,"salt":"s)" +
               std::to_string(number * 7919) + "\"}";
    }

    // Appends `count` leaves, `per_transaction` in each transaction; returns their indices.
    std::vector<std::uint64_t> append(std::uint64_t count, std::uint64_t per_transaction = 1) {
        std::vector<std::uint64_t> indices;
        while (indices.size() < count) {
            database_->transact([&](store::Connection& connection) {
                for (std::uint64_t batch_idx = 0;
                     batch_idx < per_transaction && indices.size() < count; ++batch_idx) {
                    indices.push_back(log_->append(connection, leaf(next_++)));
                }
            });
        }
        return indices;
    }

    // The reference leaf hashes of everything appended through append().
    std::vector<Hash> reference(std::uint64_t count) const {
        std::vector<Hash> hashes;
        for (std::uint64_t number = 0; number < count; ++number) {
            hashes.push_back(leaf_hash(leaf(number)));
        }
        return hashes;
    }

    core::FakeClock clock_;
    LogKey key_ = LogKey::from_seed(std::array<std::uint8_t, 32>{42});
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<TransparencyLog> log_;
    std::uint64_t next_ = 0;
};

TEST_P(TransparencyLogTest, EmptyLogSignsTheEmptyTreeOnce) {
    EXPECT_EQ(log_->size(), 0U);
    EXPECT_FALSE(log_->latest_tree_head().has_value());
    const TreeHead head = log_->publish_tree_head();
    EXPECT_EQ(head.tree_size, 0U);
    EXPECT_EQ(head.root_hash, empty_tree_hash());
    EXPECT_EQ(head.timestamp_ms, 1'767'225'600'000);
    EXPECT_TRUE(verify_tree_head(head, key_.public_key()));
    clock_.advance(std::chrono::seconds(5));
    const TreeHead again = log_->publish_tree_head();
    EXPECT_EQ(again.timestamp_ms, head.timestamp_ms);  // Nothing new: the same head.
    EXPECT_EQ(again.signature, head.signature);
    ASSERT_TRUE(log_->root_hash(0).has_value());
    EXPECT_EQ(*log_->root_hash(0), empty_tree_hash());
}

TEST_P(TransparencyLogTest, AppendsDenseIndicesAndServesEntries) {
    const auto indices = append(10, 3);
    for (std::uint64_t index = 0; index < indices.size(); ++index) {
        EXPECT_EQ(indices[index], index);
    }
    EXPECT_EQ(log_->size(), 10U);
    const auto entries = log_->entries(2, 100);
    ASSERT_EQ(entries.size(), 8U);
    EXPECT_EQ(entries[0].index, 2U);
    EXPECT_EQ(entries[0].leaf, leaf(2));
    EXPECT_EQ(entries[0].leaf_hash, leaf_hash(leaf(2)));
    EXPECT_EQ(log_->entries(0, 10, 4).size(), 4U);
    EXPECT_TRUE(log_->entries(10, 20).empty());
    EXPECT_TRUE(log_->entries(5, 5).empty());
    EXPECT_TRUE(log_->entries(7, 3).empty());
    EXPECT_TRUE(log_->entries(UINT64_MAX - 1, UINT64_MAX).empty());
}

TEST_P(TransparencyLogTest, RolledBackAppendLeavesNoGap) {
    append(3);
    EXPECT_THROW(database_->transact([&](store::Connection& connection) {
        EXPECT_EQ(log_->append(connection, leaf(999)), 3U);
        throw std::runtime_error("the caller's transaction fails");
    }),
                 std::runtime_error);
    EXPECT_EQ(log_->size(), 3U);
    EXPECT_EQ(append(1)[0], 3U);
    ASSERT_TRUE(log_->root_hash(4).has_value());
    EXPECT_EQ(*log_->root_hash(4), merkle_root(reference(4)));
}

TEST_P(TransparencyLogTest, RootsAndProofsEqualTheReferenceForRandomSizes) {
    constexpr std::uint64_t kLeaves = 300;
    append(kLeaves, 37);
    const auto hashes = reference(kLeaves);
    std::mt19937_64 generator(1);
    for (int probe = 0; probe < 60; ++probe) {
        const std::uint64_t size = 1 + generator() % kLeaves;
        const auto tree = std::span<const Hash>(hashes).first(size);
        const auto root = log_->root_hash(size);
        ASSERT_TRUE(root.has_value());
        EXPECT_EQ(*root, merkle_root(tree)) << size;
        const std::uint64_t index = generator() % size;
        const auto path = log_->inclusion_proof(index, size);
        ASSERT_TRUE(path.has_value());
        EXPECT_EQ(*path, inclusion_path(index, tree)) << index << " in " << size;
        EXPECT_TRUE(verify_inclusion(index, size, hashes[index], *path, *root));
        const std::uint64_t first = 1 + generator() % size;
        const auto consistency = log_->consistency_proof(first, size);
        ASSERT_TRUE(consistency.has_value());
        EXPECT_EQ(*consistency, consistency_path(first, tree)) << first << " to " << size;
        EXPECT_TRUE(
            verify_consistency(first, size, merkle_root(tree.first(first)), *root, *consistency));
    }
    // Every proof of a small prefix, exhaustively.
    for (std::uint64_t size = 1; size <= 20; ++size) {
        const auto tree = std::span<const Hash>(hashes).first(size);
        for (std::uint64_t index = 0; index < size; ++index) {
            EXPECT_EQ(*log_->inclusion_proof(index, size), inclusion_path(index, tree));
            EXPECT_EQ(*log_->consistency_proof(index + 1, size), consistency_path(index + 1, tree));
        }
    }
}

TEST_P(TransparencyLogTest, RejectsProofRequestsOutsideTheLog) {
    append(5);
    EXPECT_FALSE(log_->inclusion_proof(5, 5).has_value());
    EXPECT_FALSE(log_->inclusion_proof(0, 6).has_value());
    EXPECT_FALSE(log_->inclusion_proof(0, 0).has_value());
    EXPECT_EQ(log_->inclusion_proof(0, 6).error().code, core::ErrorCode::Invalid);
    EXPECT_FALSE(log_->consistency_proof(0, 5).has_value());
    EXPECT_FALSE(log_->consistency_proof(4, 3).has_value());
    EXPECT_FALSE(log_->consistency_proof(1, 6).has_value());
    EXPECT_FALSE(log_->root_hash(6).has_value());
    EXPECT_TRUE(log_->consistency_proof(5, 5).has_value());
    EXPECT_TRUE(log_->consistency_proof(5, 5)->empty());
}

TEST_P(TransparencyLogTest, PublishesSignedHeadsAndFindsTheOneForAReceipt) {
    append(3);
    const TreeHead three = log_->publish_tree_head();
    EXPECT_EQ(three.tree_size, 3U);
    EXPECT_EQ(three.root_hash, merkle_root(reference(3)));
    EXPECT_TRUE(verify_tree_head(three, key_.public_key()));
    clock_.advance(std::chrono::seconds(1));
    append(4);
    EXPECT_EQ(log_->latest_tree_head()->tree_size, 3U);  // Not signed yet.
    const TreeHead seven = log_->publish_tree_head();
    EXPECT_EQ(seven.tree_size, 7U);
    EXPECT_EQ(seven.timestamp_ms, three.timestamp_ms + 1000);
    EXPECT_TRUE(verify_tree_head(seven, key_.public_key()));
    EXPECT_EQ(log_->latest_tree_head()->tree_size, 7U);
    EXPECT_EQ(log_->tree_head_at_least(2)->tree_size, 3U);
    EXPECT_EQ(log_->tree_head_at_least(4)->tree_size, 7U);
    EXPECT_FALSE(log_->tree_head_at_least(8).has_value());
    EXPECT_EQ(log_->tree_head_at_least(5)->signature, seven.signature);
}

TEST_P(TransparencyLogTest, HeadsNeverGoBackInTime) {
    append(1);
    const TreeHead first = log_->publish_tree_head();
    clock_.advance(-std::chrono::hours(1));
    append(1);
    const TreeHead second = log_->publish_tree_head();
    EXPECT_EQ(second.tree_size, 2U);
    EXPECT_GE(second.timestamp_ms, first.timestamp_ms);
}

TEST_P(TransparencyLogTest, WithheldLeavesKeepTheirHashAndProofs) {
    append(6);
    const Hash root = *log_->root_hash(6);
    database_->transact([&](store::Connection& connection) { log_->withhold(connection, 2); });
    const auto entries = log_->entries(0, 6);
    ASSERT_EQ(entries.size(), 6U);
    EXPECT_FALSE(entries[2].leaf.has_value());
    EXPECT_EQ(entries[2].leaf_hash, leaf_hash(leaf(2)));
    EXPECT_TRUE(entries[3].leaf.has_value());
    EXPECT_EQ(*log_->root_hash(6), root);
    const auto path = log_->inclusion_proof(2, 6);
    EXPECT_TRUE(verify_inclusion(2, 6, entries[2].leaf_hash, *path, root));
}

TEST_P(TransparencyLogTest, StoresUnicodeLeavesExactly) {
    const std::string unicode =
        R"({"name":"अनुच्छेद 李小龍 مرحبا","email":"用户@例子.广告","salt":"x"})";
    database_->transact([&](store::Connection& connection) { log_->append(connection, unicode); });
    const auto entries = log_->entries(0, 1);
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].leaf, unicode);
    EXPECT_EQ(entries[0].leaf_hash, leaf_hash(unicode));
}

TEST_P(TransparencyLogTest, ConcurrentAppendersGetDenseIndices) {
    // Two "servers": a second Database on the same data, each with its own log object.
    auto second_database = store::open_database(store::testing::database_url(*database_));
    TransparencyLog second_log(*second_database, clock_, key_);
    constexpr int kThreads = 4;
    constexpr int kAppendsPerThread = 40;
    std::vector<std::vector<std::uint64_t>> indices(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
        threads.emplace_back([&, thread_idx] {
            auto& database = thread_idx % 2 == 0 ? *database_ : *second_database;
            auto& log = thread_idx % 2 == 0 ? *log_ : second_log;
            for (int append_idx = 0; append_idx < kAppendsPerThread; ++append_idx) {
                database.transact([&](store::Connection& connection) {
                    indices[thread_idx].push_back(
                        log.append(connection, "thread " + std::to_string(thread_idx) + " append " +
                                                   std::to_string(append_idx)));
                });
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::set<std::uint64_t> all;
    for (const auto& thread_indices : indices) {
        all.insert(thread_indices.begin(), thread_indices.end());
        EXPECT_TRUE(std::is_sorted(thread_indices.begin(), thread_indices.end()));
    }
    constexpr std::uint64_t kTotal = std::uint64_t{kThreads} * kAppendsPerThread;
    ASSERT_EQ(all.size(), kTotal);
    EXPECT_EQ(*all.rbegin(), kTotal - 1);
    EXPECT_EQ(log_->size(), kTotal);
    // The stored subtrees agree with the leaves whatever the interleaving.
    const auto entries = log_->entries(0, kTotal, kTotal);
    std::vector<Hash> hashes;
    for (const auto& entry : entries) {
        EXPECT_EQ(entry.leaf_hash, leaf_hash(*entry.leaf));
        hashes.push_back(entry.leaf_hash);
    }
    EXPECT_EQ(*log_->root_hash(kTotal), merkle_root(hashes));
    EXPECT_EQ(*second_log.inclusion_proof(77, kTotal), inclusion_path(77, hashes));
    // Both servers publishing the same size keep one head.
    const TreeHead one = log_->publish_tree_head();
    const TreeHead two = second_log.publish_tree_head();
    EXPECT_EQ(one.tree_size, kTotal);
    EXPECT_EQ(two.signature, one.signature);
}

TEST_P(TransparencyLogTest, CorruptedStoredHashIsUnavailableNotACrash) {
    append(4);
    database_->transact([](store::Connection& connection) {
        connection.execute(
            "UPDATE signon_log_subtrees SET subtree_hash = 'not base64' WHERE subtree_level = 1");
    });
    EXPECT_THROW((void)log_->inclusion_proof(0, 4), core::Unavailable);
    database_->transact([](store::Connection& connection) {
        connection.execute("DELETE FROM signon_log_subtrees WHERE subtree_level = 2");
    });
    EXPECT_THROW((void)log_->root_hash(4), core::Unavailable);
}

INSTANTIATE_TEST_SUITE_P(Dialects, TransparencyLogTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::signon
