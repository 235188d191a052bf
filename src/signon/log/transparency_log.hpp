#pragma once
// signon::TransparencyLog: the append-only, publicly verifiable log of public signature events,
// a Merkle tree exactly as RFC 9162 (Certificate Transparency 2.0) §2.1 defines it:
//   leaf hash      = SHA-256(0x00 || leaf)
//   interior node  = SHA-256(0x01 || left || right)
// with inclusion and consistency proofs (§2.1.3, §2.1.4). A leaf is the canonical JSON of one
// event (it carries its own random salt, added by the caller), so after an erasure the leaf's
// bytes can be withheld and only its hash served: the tree still verifies. Signed tree heads
// {tree_size, timestamp, root_hash} are signed with an Ed25519 key (libsodium) kept in var/.
// docs/TRANSPARENCY_LOG.md gives the exact byte layouts for independent verifiers.
//
// Storage (table `signon_log_*`, this module's own): every leaf hash, and the hash of every
// complete (perfect) subtree, so that any proof costs O(log n) reads, never a rehash of the tree.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "signon/log/merkle.hpp"
#include "store/database.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coalition::signon {

struct LogEntry {
    std::uint64_t index = 0;
    Hash leaf_hash{};
    std::optional<std::string> leaf;  // nullopt when withheld after an erasure.
};

struct TreeHead {
    std::uint64_t tree_size = 0;
    std::int64_t timestamp_ms = 0;  // Milliseconds since the Unix epoch, as RFC 9162.
    Hash root_hash{};
    std::array<std::uint8_t, 64> signature{};  // Ed25519 over tree_head_signing_input().
};

// The exact bytes an Ed25519 signature of a tree head covers (documented in
// docs/TRANSPARENCY_LOG.md), shared by the signer and every verifier.
std::string tree_head_signing_input(std::uint64_t tree_size, std::int64_t timestamp_ms,
                                    const Hash& root_hash);

// The log's Ed25519 key pair.
class LogKey {
public:
    // Reads the secret key from `path`, or creates one (mode 0600) when the file does not exist.
    // Throws core::StartupError when the file exists but is not a key, or cannot be written.
    static LogKey load_or_create(const std::filesystem::path& path);
    // A key from a 32-byte seed (tests).
    static LogKey from_seed(const std::array<std::uint8_t, 32>& seed);

    const std::array<std::uint8_t, 32>& public_key() const { return public_key_; }
    std::array<std::uint8_t, 64> sign(const std::string& message) const;

private:
    std::array<std::uint8_t, 32> public_key_{};
    std::array<std::uint8_t, 64> secret_key_{};
};

// True when `signature` is `public_key`'s Ed25519 signature of `head`.
bool verify_tree_head(const TreeHead& head, const std::array<std::uint8_t, 32>& public_key);

class SubtreeCache;  // transparency_log.cpp.

// Thread-safe. `database`, `clock` and `key` must outlive it.
class TransparencyLog {
public:
    TransparencyLog(store::Database& database, const core::Clock& clock, const LogKey& key);
    ~TransparencyLog();

    // Appends `leaf` inside the caller's transaction and returns its index. Appends from
    // concurrent transactions (also from other servers on one PostgreSQL) are serialised by a
    // row lock on the log's state, so indices are dense and in commit order. The append is part
    // of the caller's transaction: rolled back with it, committed with it.
    std::uint64_t append(store::Connection& connection, const std::string& leaf);

    // Deletes the bytes of leaf `index` (its hash stays, so every proof still verifies), inside
    // the caller's transaction. An index past the end is a bug.
    void withhold(store::Connection& connection, std::uint64_t index);

    // When leaves were appended since the newest signed head, signs and stores a head over all
    // of them and returns it; otherwise returns the newest head as it is (signing an empty tree
    // the first time). Called by the log worker after each batch and periodically.
    TreeHead publish_tree_head();

    // The newest signed head, if any was signed.
    std::optional<TreeHead> latest_tree_head();
    // The oldest signed head covering at least `tree_size` leaves, if one was signed (receipts).
    std::optional<TreeHead> tree_head_at_least(std::uint64_t tree_size);

    // Number of appended leaves (committed), including those not yet under a signed head.
    std::uint64_t size();

    // Entries [start, end), at most `limit` of them; end is clipped to size().
    std::vector<LogEntry> entries(std::uint64_t start, std::uint64_t end,
                                  std::uint64_t limit = 1000);

    // RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of the first `tree_size`
    // leaves. Invalid when index >= tree_size or tree_size > size().
    core::Result<std::vector<Hash>> inclusion_proof(std::uint64_t index, std::uint64_t tree_size);
    // RFC 9162 §2.1.4.1: the consistency path between the trees of `first` and `second` leaves.
    // Invalid unless 0 < first <= second <= size().
    core::Result<std::vector<Hash>> consistency_proof(std::uint64_t first, std::uint64_t second);
    // The root hash of the first `tree_size` leaves (MTH), from the stored subtree hashes.
    core::Result<Hash> root_hash(std::uint64_t tree_size);

    const LogKey& key() const { return key_; }

private:
    store::Database& database_;
    const core::Clock& clock_;
    const LogKey& key_;
    // Hashes of large committed subtrees, which never change once written: most of a proof's
    // hashes come from here instead of the database.
    std::unique_ptr<SubtreeCache> cache_;
};

}  // namespace coalition::signon
