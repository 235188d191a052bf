#pragma once
// RFC 9162 §2.1 Merkle tree hashing, proofs and their verification, as pure functions over leaf
// hashes. TransparencyLog stores the tree; the `coalition log verify` command and the tests use
// these directly. Checked against the published RFC 6962/9162 test vectors (merkle_test.cpp).

#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::signon {

using Hash = std::array<std::uint8_t, 32>;

Hash leaf_hash(std::string_view leaf);                // SHA-256(0x00 || leaf)
Hash node_hash(const Hash& left, const Hash& right);  // SHA-256(0x01 || left || right)
Hash empty_tree_hash();                               // SHA-256 of the empty string

// MTH(D[n]) over `leaf_hashes`.
Hash merkle_root(std::span<const Hash> leaf_hashes);
// PATH(m, D[n]) and PROOF(m, D[n]) computed from all leaf hashes (reference implementation,
// used by tests and by the verifier; the log computes them from stored subtrees).
std::vector<Hash> inclusion_path(std::uint64_t index, std::span<const Hash> leaf_hashes);
std::vector<Hash> consistency_path(std::uint64_t first, std::span<const Hash> leaf_hashes);

// RFC 9162 §2.1.3.2: whether `path` proves `leaf` at `index` in a tree of `tree_size` with `root`.
bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const Hash& leaf,
                      std::span<const Hash> path, const Hash& root);
// RFC 9162 §2.1.4.2: whether `path` proves the tree (`first`, `first_root`) is a prefix of
// (`second`, `second_root`).
bool verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                        const Hash& second_root, std::span<const Hash> path);

std::string to_base64(const Hash& hash);
core::Result<Hash> hash_from_base64(std::string_view text);
std::string to_hex(const Hash& hash);

}  // namespace coalition::signon
