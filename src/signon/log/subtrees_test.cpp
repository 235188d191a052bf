#include "signon/log/subtrees.hpp"

#include <gtest/gtest.h>

#include <random>

namespace coalition::signon {
namespace {

// Every complete subtree of `leaves` (what the store keeps), computed from the leaves.
subtrees::HashMap all_subtrees(const std::vector<Hash>& leaves) {
    subtrees::HashMap hashes;
    for (std::uint64_t leaf_idx = 0; leaf_idx < leaves.size(); ++leaf_idx) {
        hashes[{0, leaf_idx}] = leaves[leaf_idx];
    }
    for (int level = 1; (std::uint64_t{1} << level) <= leaves.size(); ++level) {
        for (std::uint64_t position = 0; ((position + 1) << level) <= leaves.size(); ++position) {
            hashes[{level, position}] = node_hash(hashes.at({level - 1, position * 2}),
                                                  hashes.at({level - 1, position * 2 + 1}));
        }
    }
    return hashes;
}

std::vector<Hash> evaluate(const std::vector<subtrees::Fold>& folds,
                           const subtrees::HashMap& hashes) {
    std::vector<Hash> result;
    result.reserve(folds.size());
    for (const auto& fold : folds) {
        result.push_back(subtrees::evaluate(fold, hashes));
    }
    return result;
}

TEST(Subtrees, RangeIsTheBinaryDecomposition) {
    const auto parts = subtrees::root(13);  // 8 + 4 + 1.
    ASSERT_EQ(parts.size(), 3U);
    EXPECT_EQ(parts[0], (subtrees::Subtree{3, 0}));
    EXPECT_EQ(parts[1], (subtrees::Subtree{2, 2}));
    EXPECT_EQ(parts[2], (subtrees::Subtree{0, 12}));
}

TEST(Subtrees, CompletedByNamesEachNewSubtree) {
    EXPECT_TRUE(subtrees::completed_by(0).empty());
    EXPECT_TRUE(subtrees::completed_by(4).empty());
    const auto seven = subtrees::completed_by(7);
    ASSERT_EQ(seven.size(), 3U);
    EXPECT_EQ(seven[0].subtree, (subtrees::Subtree{1, 3}));
    EXPECT_EQ(seven[0].left_child, (subtrees::Subtree{0, 6}));
    EXPECT_EQ(seven[2].subtree, (subtrees::Subtree{3, 0}));
    EXPECT_EQ(seven[2].left_child, (subtrees::Subtree{2, 0}));
}

TEST(Subtrees, FoldsEqualTheReferenceProofsUpTo100Leaves) {
    std::mt19937_64 generator(3);
    std::vector<Hash> leaves;
    leaves.reserve(100);
    for (int leaf_idx = 0; leaf_idx < 100; ++leaf_idx) {
        leaves.push_back(leaf_hash(std::to_string(generator())));
    }
    const auto hashes = all_subtrees(leaves);
    for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
        const auto tree = std::span<const Hash>(leaves).first(size);
        EXPECT_EQ(subtrees::evaluate(subtrees::root(size), hashes), merkle_root(tree));
        for (std::uint64_t index = 0; index < size; ++index) {
            EXPECT_EQ(evaluate(subtrees::inclusion(index, size), hashes),
                      inclusion_path(index, tree));
        }
        for (std::uint64_t first = 1; first <= size; ++first) {
            EXPECT_EQ(evaluate(subtrees::consistency(first, size), hashes),
                      consistency_path(first, tree));
        }
    }
}

}  // namespace
}  // namespace coalition::signon
