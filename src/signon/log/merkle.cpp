#include "signon/log/merkle.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"

#include <sodium.h>

#include <bit>

namespace coalition::signon {
namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

// RFC 9162 §2.1.1: k is the largest power of two smaller than n (n >= 2).
std::uint64_t split_point(std::uint64_t size) {
    COALITION_ASSERT(size >= 2, "a Merkle split needs at least two leaves");
    return std::bit_floor(size - 1);
}

// The reference recursion over a slice of leaf hashes: MTH(D[n]).
Hash subtree_root(std::span<const Hash> leaves) {
    if (leaves.empty()) {
        return empty_tree_hash();
    }
    if (leaves.size() == 1) {
        return leaves[0];
    }
    const std::uint64_t k = split_point(leaves.size());
    return node_hash(subtree_root(leaves.first(k)), subtree_root(leaves.subspan(k)));
}

// RFC 9162 §2.1.3.1: PATH(m, D[n]).
void append_path(std::uint64_t index, std::span<const Hash> leaves, std::vector<Hash>& path) {
    if (leaves.size() <= 1) {
        return;
    }
    const std::uint64_t k = split_point(leaves.size());
    if (index < k) {
        append_path(index, leaves.first(k), path);
        path.push_back(subtree_root(leaves.subspan(k)));
    } else {
        append_path(index - k, leaves.subspan(k), path);
        path.push_back(subtree_root(leaves.first(k)));
    }
}

// RFC 9162 §2.1.4.1: SUBPROOF(m, D[n], b).
void append_subproof(std::uint64_t first, std::span<const Hash> leaves, bool is_first_tree,
                     std::vector<Hash>& proof) {
    if (first == leaves.size()) {
        if (!is_first_tree) {
            proof.push_back(subtree_root(leaves));
        }
        return;
    }
    const std::uint64_t k = split_point(leaves.size());
    if (first <= k) {
        append_subproof(first, leaves.first(k), is_first_tree, proof);
        proof.push_back(subtree_root(leaves.subspan(k)));
    } else {
        append_subproof(first - k, leaves.subspan(k), false, proof);
        proof.push_back(subtree_root(leaves.first(k)));
    }
}

bool is_power_of_two(std::uint64_t value) {
    return std::has_single_bit(value);
}

}  // namespace

Hash leaf_hash(std::string_view leaf) {
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, &kLeafPrefix, 1);
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(leaf.data()),
                              leaf.size());
    Hash hash{};
    crypto_hash_sha256_final(&state, hash.data());
    return hash;
}

Hash node_hash(const Hash& left, const Hash& right) {
    std::array<std::uint8_t, 1 + 2 * 32> input{};
    input[0] = kNodePrefix;
    std::copy(left.begin(), left.end(), input.begin() + 1);
    std::copy(right.begin(), right.end(), input.begin() + 1 + 32);
    Hash hash{};
    crypto_hash_sha256(hash.data(), input.data(), input.size());
    return hash;
}

Hash empty_tree_hash() {
    Hash hash{};
    crypto_hash_sha256(hash.data(), nullptr, 0);
    return hash;
}

Hash merkle_root(std::span<const Hash> leaf_hashes) {
    return subtree_root(leaf_hashes);
}

std::vector<Hash> inclusion_path(std::uint64_t index, std::span<const Hash> leaf_hashes) {
    COALITION_ASSERT(index < leaf_hashes.size(), "inclusion_path: index past the tree");
    std::vector<Hash> path;
    append_path(index, leaf_hashes, path);
    return path;
}

std::vector<Hash> consistency_path(std::uint64_t first, std::span<const Hash> leaf_hashes) {
    COALITION_ASSERT(first <= leaf_hashes.size(), "consistency_path: first past the tree");
    std::vector<Hash> proof;
    // RFC 9162 §2.1.4.1 defines PROOF(m, D[n]) for 0 < m < n; both ends are empty proofs.
    if (first == 0 || first == leaf_hashes.size()) {
        return proof;
    }
    append_subproof(first, leaf_hashes, true, proof);
    return proof;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const Hash& leaf,
                      std::span<const Hash> path, const Hash& root) {
    // RFC 9162 §2.1.3.2, step by step.
    if (index >= tree_size) {
        return false;
    }
    std::uint64_t fn = index;
    std::uint64_t sn = tree_size - 1;
    Hash r = leaf;
    for (const Hash& p : path) {
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) != 0 || fn == sn) {
            r = node_hash(p, r);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                        const Hash& second_root, std::span<const Hash> path) {
    if (first > second) {
        return false;
    }
    // Outside RFC 9162's 0 < first < second: equal trees need no proof, and the empty tree is a
    // prefix of every tree (as transparency-dev/merkle and certificate-transparency decide).
    if (first == second) {
        return path.empty() && first_root == second_root;
    }
    if (first == 0) {
        return path.empty();
    }
    // RFC 9162 §2.1.4.2, step by step.
    if (path.empty()) {
        return false;
    }
    std::vector<Hash> proof;
    proof.reserve(path.size() + 1);
    if (is_power_of_two(first)) {
        proof.push_back(first_root);
    }
    proof.insert(proof.end(), path.begin(), path.end());
    std::uint64_t fn = first - 1;
    std::uint64_t sn = second - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = proof[0];
    Hash sr = proof[0];
    for (std::size_t proof_idx = 1; proof_idx < proof.size(); ++proof_idx) {
        const Hash& c = proof[proof_idx];
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) != 0 || fn == sn) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == first_root && sr == second_root && sn == 0;
}

std::string to_base64(const Hash& hash) {
    std::string text(sodium_base64_ENCODED_LEN(hash.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), hash.data(), hash.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);  // The terminating NUL.
    return text;
}

core::Result<Hash> hash_from_base64(std::string_view text) {
    // A SHA-256 hash is 44 characters of padded standard base64; anything else is not one.
    if (text.size() != 44) {
        return core::Error::invalid("A hash must be 44 characters of base64.");
    }
    Hash hash{};
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(hash.data(), hash.size(), text.data(), text.size(), nullptr, &length,
                          &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length != hash.size() || end != text.data() + text.size()) {
        return core::Error::invalid("A hash must be 32 bytes in base64.");
    }
    // Only the canonical encoding: the last character's unused bits must be zero.
    if (to_base64(hash) != text) {
        return core::Error::invalid("A hash must be in canonical base64.");
    }
    return hash;
}

std::string to_hex(const Hash& hash) {
    return core::to_hex(hash.data(), hash.size());
}

}  // namespace coalition::signon
