// RFC 6962/9162 Merkle hashing against the published test vectors: the canonical eight-leaf
// tree of google/certificate-transparency (cpp/merkletree/merkle_tree_test.cc) and
// transparency-dev/merkle (proof/verify_test.go, rfc6962/rfc6962_test.go), then properties.

#include "signon/log/merkle.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

namespace coalition::signon {
namespace {

std::string bytes_from_hex(std::string_view hex) {
    std::string bytes;
    for (std::size_t char_idx = 0; char_idx + 1 < hex.size(); char_idx += 2) {
        bytes.push_back(
            static_cast<char>(std::stoi(std::string(hex.substr(char_idx, 2)), nullptr, 16)));
    }
    return bytes;
}

Hash hash_from_hex(std::string_view hex) {
    const std::string bytes = bytes_from_hex(hex);
    EXPECT_EQ(bytes.size(), 32U);
    Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

std::vector<Hash> hashes_from_hex(std::initializer_list<std::string_view> hexes) {
    std::vector<Hash> hashes;
    for (auto hex : hexes) {
        hashes.push_back(hash_from_hex(hex));
    }
    return hashes;
}

// The reference tree's leaves.
constexpr std::array<std::string_view, 8> kLeafHex = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

// Roots of the first 1..8 leaves.
constexpr std::array<std::string_view, 8> kRootHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct InclusionVector {
    std::uint64_t index;  // 0-based (the published tables count leaves from 1).
    std::uint64_t tree_size;
    std::vector<Hash> path;
};

struct ConsistencyVector {
    std::uint64_t first;
    std::uint64_t second;
    std::vector<Hash> path;
};

std::vector<InclusionVector> inclusion_vectors() {
    return {
        {0, 1, {}},
        {0, 8,
         hashes_from_hex({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
        {5, 8,
         hashes_from_hex({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
        {2, 3,
         hashes_from_hex({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
        {1, 5,
         hashes_from_hex({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
    };
}

std::vector<ConsistencyVector> consistency_vectors() {
    return {
        {1, 1, {}},
        {1, 8,
         hashes_from_hex({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
        {6, 8,
         hashes_from_hex({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
        {2, 5,
         hashes_from_hex({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
        {6, 7,
         hashes_from_hex({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
    };
}

std::vector<Hash> reference_leaf_hashes() {
    std::vector<Hash> hashes;
    hashes.reserve(kLeafHex.size());
    for (const auto& hex : kLeafHex) {
        hashes.push_back(leaf_hash(bytes_from_hex(hex)));
    }
    return hashes;
}

std::span<const Hash> first(const std::vector<Hash>& hashes, std::uint64_t count) {
    return std::span<const Hash>(hashes).first(count);
}

Hash flip_bit(Hash hash, std::size_t byte, std::uint8_t mask) {
    hash[byte] ^= mask;
    return hash;
}

std::vector<Hash> random_leaves(std::size_t count, std::mt19937_64& generator) {
    std::vector<Hash> hashes;
    for (std::size_t leaf_idx = 0; leaf_idx < count; ++leaf_idx) {
        hashes.push_back(
            leaf_hash("leaf " + std::to_string(leaf_idx) + " " + std::to_string(generator())));
    }
    return hashes;
}

TEST(Merkle, HashesMatchRfc6962Vectors) {
    EXPECT_EQ(to_hex(empty_tree_hash()),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(to_hex(leaf_hash("")),
              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    EXPECT_EQ(to_hex(leaf_hash("L123456")),
              "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    // The empty tree differs from the tree of one empty leaf.
    EXPECT_NE(empty_tree_hash(), leaf_hash(""));
}

TEST(Merkle, NodeHashIsSha256OfOnePrefixAndChildren) {
    const Hash left = leaf_hash("Hello");
    const Hash right = leaf_hash("World");
    EXPECT_NE(node_hash(left, right), node_hash(right, left));
    // Second-preimage resistance: a node is not the leaf of its children's concatenation.
    std::string concatenated(left.begin(), left.end());
    concatenated.append(right.begin(), right.end());
    EXPECT_NE(node_hash(left, right), leaf_hash(concatenated));
    // The two-leaf reference root is NODE(leaf 0, leaf 1).
    const auto leaves = reference_leaf_hashes();
    EXPECT_EQ(node_hash(leaves[0], leaves[1]), hash_from_hex(kRootHex[1]));
}

TEST(Merkle, RootsOfTheReferenceTreeForEverySize) {
    const auto leaves = reference_leaf_hashes();
    EXPECT_EQ(merkle_root({}), empty_tree_hash());
    for (std::uint64_t size = 1; size <= 8; ++size) {
        EXPECT_EQ(to_hex(merkle_root(first(leaves, size))), kRootHex[size - 1]) << size;
    }
}

TEST(Merkle, InclusionPathsMatchPublishedVectors) {
    const auto leaves = reference_leaf_hashes();
    for (const auto& vector : inclusion_vectors()) {
        SCOPED_TRACE(std::to_string(vector.index) + " in " + std::to_string(vector.tree_size));
        EXPECT_EQ(inclusion_path(vector.index, first(leaves, vector.tree_size)), vector.path);
        const Hash root = hash_from_hex(kRootHex[vector.tree_size - 1]);
        EXPECT_TRUE(verify_inclusion(vector.index, vector.tree_size, leaves[vector.index],
                                     vector.path, root));
    }
}

TEST(Merkle, ConsistencyPathsMatchPublishedVectors) {
    const auto leaves = reference_leaf_hashes();
    for (const auto& vector : consistency_vectors()) {
        SCOPED_TRACE(std::to_string(vector.first) + " to " + std::to_string(vector.second));
        EXPECT_EQ(consistency_path(vector.first, first(leaves, vector.second)), vector.path);
        EXPECT_TRUE(verify_consistency(vector.first, vector.second,
                                       hash_from_hex(kRootHex[vector.first - 1]),
                                       hash_from_hex(kRootHex[vector.second - 1]), vector.path));
    }
}

TEST(Merkle, CorruptedInclusionProofsFail) {
    const auto leaves = reference_leaf_hashes();
    const Hash some_hash =
        hash_from_hex("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (const auto& vector : inclusion_vectors()) {
        SCOPED_TRACE(std::to_string(vector.index) + " in " + std::to_string(vector.tree_size));
        const auto index = vector.index;
        const auto size = vector.tree_size;
        const Hash root = hash_from_hex(kRootHex[size - 1]);
        const Hash& leaf = leaves[index];
        const auto& path = vector.path;
        if (index > 0) {
            EXPECT_FALSE(verify_inclusion(index - 1, size, leaf, path, root));
        }
        EXPECT_FALSE(verify_inclusion(index + 1, size, leaf, path, root));
        EXPECT_FALSE(verify_inclusion(index ^ 2, size, leaf, path, root));
        EXPECT_FALSE(verify_inclusion(index, size * 2, leaf, path, root));
        EXPECT_FALSE(verify_inclusion(index, size / 2, leaf, path, root));
        EXPECT_FALSE(verify_inclusion(index, size, leaf_hash("WrongLeaf"), path, root));
        EXPECT_FALSE(verify_inclusion(index, size, leaf, path, empty_tree_hash()));
        EXPECT_FALSE(verify_inclusion(index, size, leaf, path, some_hash));
        auto longer = path;
        longer.push_back(root);
        EXPECT_FALSE(verify_inclusion(index, size, leaf, longer, root));
        auto preceded = path;
        preceded.insert(preceded.begin(), root);
        EXPECT_FALSE(verify_inclusion(index, size, leaf, preceded, root));
        for (std::size_t element = 0; element < path.size(); ++element) {
            auto modified = path;
            modified[element] = flip_bit(modified[element], 0, 8);
            EXPECT_FALSE(verify_inclusion(index, size, leaf, modified, root));
        }
        if (!path.empty()) {
            auto shorter = path;
            shorter.pop_back();
            EXPECT_FALSE(verify_inclusion(index, size, leaf, shorter, root));
        }
        if (path.size() > 1) {
            auto inserted = path;
            inserted.insert(inserted.begin() + 1, some_hash);
            EXPECT_FALSE(verify_inclusion(index, size, leaf, inserted, root));
        }
    }
}

TEST(Merkle, InvalidInclusionSizesFail) {
    const Hash some = leaf_hash("data");
    EXPECT_FALSE(verify_inclusion(0, 0, some, {}, empty_tree_hash()));
    EXPECT_FALSE(verify_inclusion(1, 0, some, {}, some));
    EXPECT_FALSE(verify_inclusion(2, 1, some, {}, some));
    EXPECT_TRUE(verify_inclusion(0, 1, some, {}, some));
    EXPECT_FALSE(verify_inclusion(0, 1, some, {}, empty_tree_hash()));
}

TEST(Merkle, CorruptedConsistencyProofsFail) {
    for (const auto& vector : consistency_vectors()) {
        if (vector.path.empty()) {
            continue;
        }
        SCOPED_TRACE(std::to_string(vector.first) + " to " + std::to_string(vector.second));
        const auto m = vector.first;
        const auto n = vector.second;
        const Hash root1 = hash_from_hex(kRootHex[m - 1]);
        const Hash root2 = hash_from_hex(kRootHex[n - 1]);
        const auto& path = vector.path;
        EXPECT_FALSE(verify_consistency(m - 1, n, root1, root2, path));
        EXPECT_FALSE(verify_consistency(m + 1, n, root1, root2, path));
        EXPECT_FALSE(verify_consistency(m ^ 2, n, root1, root2, path));
        EXPECT_FALSE(verify_consistency(m, n * 2, root1, root2, path));
        EXPECT_FALSE(verify_consistency(m, n / 2, root1, root2, path));
        EXPECT_FALSE(verify_consistency(m, n, leaf_hash("WrongRoot"), root2, path));
        EXPECT_FALSE(verify_consistency(m, n, root1, leaf_hash("WrongRoot"), path));
        EXPECT_FALSE(verify_consistency(m, n, root2, root1, path));
        EXPECT_FALSE(verify_consistency(m, n, root1, root2, {}));
        for (const Hash& extra : {root1, root2, empty_tree_hash()}) {
            auto longer = path;
            longer.push_back(extra);
            EXPECT_FALSE(verify_consistency(m, n, root1, root2, longer));
            auto preceded = path;
            preceded.insert(preceded.begin(), extra);
            EXPECT_FALSE(verify_consistency(m, n, root1, root2, preceded));
        }
        auto preceded = path;
        preceded.insert(preceded.begin(), path[0]);
        EXPECT_FALSE(verify_consistency(m, n, root1, root2, preceded));
        auto shorter = path;
        shorter.pop_back();
        EXPECT_FALSE(verify_consistency(m, n, root1, root2, shorter));
        for (std::size_t element = 0; element < path.size(); ++element) {
            auto modified = path;
            modified[element] = flip_bit(modified[element], 0, 16);
            EXPECT_FALSE(verify_consistency(m, n, root1, root2, modified));
        }
    }
}

TEST(Merkle, TrivialConsistencyCases) {
    const Hash a = leaf_hash("a");
    const Hash b = leaf_hash("b");
    EXPECT_TRUE(verify_consistency(0, 0, a, a, {}));
    EXPECT_TRUE(verify_consistency(0, 1, a, b, {}));
    EXPECT_TRUE(verify_consistency(1, 1, b, b, {}));
    EXPECT_FALSE(verify_consistency(1, 1, a, b, {}));
    EXPECT_FALSE(verify_consistency(1, 0, a, b, {}));
    EXPECT_FALSE(verify_consistency(2, 1, a, b, {}));
    EXPECT_FALSE(verify_consistency(1, 2, a, b, {}));
    const std::vector<Hash> one = {empty_tree_hash()};
    EXPECT_FALSE(verify_consistency(0, 0, empty_tree_hash(), empty_tree_hash(), one));
    EXPECT_FALSE(verify_consistency(0, 1, empty_tree_hash(), empty_tree_hash(), one));
    EXPECT_FALSE(verify_consistency(1, 1, empty_tree_hash(), empty_tree_hash(), one));
}

TEST(Merkle, EveryInclusionProofUpTo64LeavesVerifiesAndTamperingFails) {
    std::mt19937_64 generator(7);
    const auto leaves = random_leaves(64, generator);
    for (std::uint64_t size = 1; size <= leaves.size(); ++size) {
        const auto tree = first(leaves, size);
        const Hash root = merkle_root(tree);
        for (std::uint64_t index = 0; index < size; ++index) {
            const auto path = inclusion_path(index, tree);
            ASSERT_TRUE(verify_inclusion(index, size, leaves[index], path, root))
                << index << " in " << size;
            EXPECT_FALSE(verify_inclusion(index, size, leaves[(index + 1) % 64], path, root));
            EXPECT_FALSE(verify_inclusion(index, size, leaves[index], path, flip_bit(root, 31, 1)));
            if (!path.empty()) {
                auto tampered = path;
                const std::size_t element = generator() % tampered.size();
                tampered[element] = flip_bit(tampered[element], generator() % 32, 0x40);
                EXPECT_FALSE(verify_inclusion(index, size, leaves[index], tampered, root));
            }
        }
    }
}

TEST(Merkle, EveryConsistencyProofUpTo64LeavesVerifiesAndTamperingFails) {
    std::mt19937_64 generator(11);
    const auto leaves = random_leaves(64, generator);
    for (std::uint64_t second = 1; second <= leaves.size(); ++second) {
        const Hash second_root = merkle_root(first(leaves, second));
        for (std::uint64_t first_size = 1; first_size <= second; ++first_size) {
            const Hash first_root = merkle_root(first(leaves, first_size));
            const auto path = consistency_path(first_size, first(leaves, second));
            ASSERT_TRUE(verify_consistency(first_size, second, first_root, second_root, path))
                << first_size << " to " << second;
            if (first_size < second) {
                EXPECT_FALSE(verify_consistency(first_size, second, flip_bit(first_root, 0, 1),
                                                second_root, path));
                EXPECT_FALSE(verify_consistency(first_size, second, first_root,
                                                flip_bit(second_root, 5, 2), path));
                auto tampered = path;
                const std::size_t element = generator() % tampered.size();
                tampered[element] = flip_bit(tampered[element], generator() % 32, 0x80);
                EXPECT_FALSE(
                    verify_consistency(first_size, second, first_root, second_root, tampered));
            }
        }
    }
}

TEST(Merkle, Base64RoundTripAndStrictParsing) {
    const Hash hash = leaf_hash("x");
    const std::string text = to_base64(hash);
    EXPECT_EQ(text.size(), 44U);
    auto parsed = hash_from_base64(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, hash);
    EXPECT_EQ(to_base64(empty_tree_hash()), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    EXPECT_FALSE(hash_from_base64("").has_value());
    EXPECT_FALSE(hash_from_base64(text.substr(0, 43)).has_value());
    EXPECT_FALSE(hash_from_base64(text + "=").has_value());
    EXPECT_FALSE(hash_from_base64(std::string(44, '!')).has_value());
    std::string with_nul = text;
    with_nul[10] = '\0';
    EXPECT_FALSE(hash_from_base64(with_nul).has_value());
    // Non-canonical: the unused low bits of the last character set.
    std::string non_canonical = to_base64(empty_tree_hash());
    non_canonical[42] = 'V';
    EXPECT_FALSE(hash_from_base64(non_canonical).has_value());
    // base64url is not accepted.
    EXPECT_FALSE(hash_from_base64("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=").has_value());
}

}  // namespace
}  // namespace coalition::signon
