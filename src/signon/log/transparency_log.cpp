// TransparencyLog: the log's SQL (tables signon_log_*, migrations/0006_signon_log.sql). Roots
// and proofs are folds of stored complete subtrees (subtrees.hpp), fetched in one query each.

#include "signon/log/transparency_log.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "signon/log/subtrees.hpp"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>

namespace coalition::signon {
namespace {

using QueryFunction = std::function<store::Rows(std::string_view, const store::Params&)>;

QueryFunction reader(store::Database& database) {
    return [&database](std::string_view sql, const store::Params& params) {
        return database.query(sql, params);
    };
}

QueryFunction writer(store::Connection& connection) {
    return [&connection](std::string_view sql, const store::Params& params) {
        return connection.query(sql, params);
    };
}

// A stored hash that does not decode means the database was altered by hand.
Hash stored_hash(const std::string& text, std::string_view what) {
    auto hash = hash_from_base64(text);
    if (!hash) {
        throw core::Unavailable("transparency log: a stored " + std::string(what) +
                                " is not a base64 SHA-256 hash");
    }
    return *hash;
}

std::string signature_to_base64(const std::array<std::uint8_t, 64>& signature) {
    std::string text(sodium_base64_ENCODED_LEN(signature.size(), sodium_base64_VARIANT_ORIGINAL),
                     '\0');
    sodium_bin2base64(text.data(), text.size(), signature.data(), signature.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return text;
}

std::array<std::uint8_t, 64> signature_from_base64(const std::string& text) {
    std::array<std::uint8_t, 64> signature{};
    std::size_t length = 0;
    if (sodium_base642bin(signature.data(), signature.size(), text.data(), text.size(), nullptr,
                          &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length != signature.size()) {
        throw core::Unavailable("transparency log: a stored signature is not base64 Ed25519");
    }
    return signature;
}

std::int64_t to_integer(std::uint64_t value) {
    COALITION_ASSERT(value <= static_cast<std::uint64_t>(INT64_MAX), "a log index past 2^63");
    return static_cast<std::int64_t>(value);
}

std::uint64_t stored_size(const QueryFunction& query) {
    const auto rows = query("SELECT tree_size FROM signon_log_state WHERE id = 1", {});
    if (rows.empty()) {
        throw core::Unavailable("transparency log: the state row is missing");
    }
    return static_cast<std::uint64_t>(rows[0].integer(0));
}

}  // namespace

// Hashes of subtrees of 2^kCachedLevel leaves or more, read from committed data (a reader
// connection, never a transaction that may still roll back). Thread-safe.
class SubtreeCache {
public:
    static constexpr int kCachedLevel = 6;
    static constexpr std::size_t kMaxEntries = 1 << 18;  // 64 MB of tree at most; ~20 MB RAM.

    // Moves every cached subtree of `wanted` into `hashes`, leaving the misses in `wanted`.
    void take(std::vector<subtrees::Subtree>& wanted, subtrees::HashMap& hashes) {
        const std::lock_guard lock(mutex_);
        std::erase_if(wanted, [&](const subtrees::Subtree& subtree) {
            const auto found = hashes_.find(subtree);
            if (found == hashes_.end()) {
                return false;
            }
            hashes.emplace(subtree, found->second);
            return true;
        });
    }

    void keep(const subtrees::HashMap& hashes) {
        const std::lock_guard lock(mutex_);
        for (const auto& [subtree, hash] : hashes) {
            if (subtree.level >= kCachedLevel && hashes_.size() < kMaxEntries) {
                hashes_.emplace(subtree, hash);
            }
        }
    }

private:
    std::mutex mutex_;
    subtrees::HashMap hashes_;  // Guarded by mutex_.
};

namespace {

// Fetches the hashes of `wanted` in one statement: leaves from signon_log_leaves, interior
// subtrees from signon_log_subtrees. Throws Unavailable when one is missing.
subtrees::HashMap fetch(const QueryFunction& query, std::vector<subtrees::Subtree> wanted,
                        SubtreeCache* cache = nullptr) {
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    subtrees::HashMap hashes;
    if (cache != nullptr) {
        cache->take(wanted, hashes);
    }
    if (wanted.empty()) {
        return hashes;
    }
    const std::size_t from_cache = hashes.size();
    std::vector<subtrees::Subtree> leaves;
    std::vector<subtrees::Subtree> interior;
    for (const auto& subtree : wanted) {
        (subtree.level == 0 ? leaves : interior).push_back(subtree);
    }
    // Padded with repeats to a power-of-two count, so a few statement shapes serve every
    // request and stay in the connection's prepared-statement cache.
    for (auto* list : {&leaves, &interior}) {
        if (!list->empty()) {
            list->resize(std::bit_ceil(list->size()), list->front());
        }
    }
    store::Params params;
    std::string leaf_list;
    for (const auto& subtree : leaves) {
        params.emplace_back(to_integer(subtree.position));
        leaf_list += (leaf_list.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    std::string subtree_conditions;
    for (const auto& subtree : interior) {
        params.emplace_back(std::int64_t{subtree.level});
        params.emplace_back(to_integer(subtree.position));
        subtree_conditions += (subtree_conditions.empty() ? "" : " OR ");
        subtree_conditions += "(subtree_level = $" + std::to_string(params.size() - 1) +
                              " AND subtree_position = $" + std::to_string(params.size()) + ")";
    }
    std::string sql;
    if (!leaf_list.empty()) {
        sql = "SELECT 0, leaf_index, leaf_hash FROM signon_log_leaves WHERE leaf_index IN (" +
              leaf_list + ")";
    }
    if (!subtree_conditions.empty()) {
        sql += sql.empty() ? "" : " UNION ALL ";
        sql +=
            "SELECT subtree_level, subtree_position, subtree_hash FROM signon_log_subtrees "
            "WHERE " +
            subtree_conditions;
    }
    for (const auto& row : query(sql, params)) {
        const subtrees::Subtree subtree{static_cast<int>(row.integer(0)),
                                        static_cast<std::uint64_t>(row.integer(1))};
        hashes.emplace(subtree, stored_hash(row.text(2), "subtree hash"));
    }
    if (hashes.size() != from_cache + wanted.size()) {
        throw core::Unavailable("transparency log: a stored subtree hash is missing");
    }
    if (cache != nullptr) {
        cache->keep(hashes);
    }
    return hashes;
}

Hash root_at(const QueryFunction& query, std::uint64_t tree_size, SubtreeCache* cache = nullptr) {
    if (tree_size == 0) {
        return empty_tree_hash();
    }
    const auto fold = subtrees::root(tree_size);
    std::vector<subtrees::Subtree> wanted;
    subtrees::collect(fold, wanted);
    return subtrees::evaluate(fold, fetch(query, std::move(wanted), cache));
}

std::vector<Hash> evaluate_all(const QueryFunction& query, const std::vector<subtrees::Fold>& folds,
                               SubtreeCache* cache) {
    std::vector<subtrees::Subtree> wanted;
    for (const auto& fold : folds) {
        subtrees::collect(fold, wanted);
    }
    const auto hashes = fetch(query, std::move(wanted), cache);
    std::vector<Hash> result;
    result.reserve(folds.size());
    for (const auto& fold : folds) {
        result.push_back(subtrees::evaluate(fold, hashes));
    }
    return result;
}

TreeHead head_from_row(const store::Row& row) {
    TreeHead head;
    head.tree_size = static_cast<std::uint64_t>(row.integer(0));
    head.timestamp_ms = row.integer(1);
    head.root_hash = stored_hash(row.text(2), "root hash");
    head.signature = signature_from_base64(row.text(3));
    return head;
}

constexpr std::string_view kHeadColumns = "tree_size, timestamp_ms, root_hash, signature";

}  // namespace

TransparencyLog::TransparencyLog(store::Database& database, const core::Clock& clock,
                                 const LogKey& key)
    : database_(database), clock_(clock), key_(key), cache_(std::make_unique<SubtreeCache>()) {
}

TransparencyLog::~TransparencyLog() = default;

std::uint64_t TransparencyLog::append(store::Connection& connection, const std::string& leaf) {
    COALITION_ASSERT(core::is_valid_utf8(leaf) && leaf.find('\0') == std::string::npos,
                     "a log leaf must be UTF-8 text without NUL");
    // The UPDATE comes first: on PostgreSQL its row lock makes every other appender wait for
    // this transaction to end, so indices are dense and in commit order.
    const auto state = connection.query_one(
        "UPDATE signon_log_state SET tree_size = tree_size + 1 WHERE id = 1 RETURNING tree_size");
    if (!state) {
        throw core::Unavailable("transparency log: the state row is missing");
    }
    const std::uint64_t index = static_cast<std::uint64_t>(state->integer(0)) - 1;
    const Hash hash = leaf_hash(leaf);
    connection.execute(
        "INSERT INTO signon_log_leaves (leaf_index, leaf_hash, leaf, created_at) "
        "VALUES ($1, $2, $3, $4)",
        {to_integer(index), to_base64(hash), leaf, clock_.unix_now()});

    const auto completions = subtrees::completed_by(index);
    if (completions.empty()) {
        return index;
    }
    std::vector<subtrees::Subtree> left_children;
    left_children.reserve(completions.size());
    for (const auto& completion : completions) {
        left_children.push_back(completion.left_child);
    }
    const auto lefts = fetch(writer(connection), std::move(left_children));
    Hash right = hash;
    for (const auto& completion : completions) {
        right = node_hash(lefts.at(completion.left_child), right);
        connection.execute(
            "INSERT INTO signon_log_subtrees (subtree_level, subtree_position, subtree_hash) "
            "VALUES ($1, $2, $3)",
            {std::int64_t{completion.subtree.level}, to_integer(completion.subtree.position),
             to_base64(right)});
    }
    return index;
}

void TransparencyLog::withhold(store::Connection& connection, std::uint64_t index) {
    const auto changed = connection.execute(
        "UPDATE signon_log_leaves SET leaf = NULL WHERE leaf_index = $1", {to_integer(index)});
    COALITION_ASSERT(changed == 1, "withhold: no log leaf at that index");
}

TreeHead TransparencyLog::publish_tree_head() {
    TreeHead result;
    database_.transact([&](store::Connection& connection) {
        const auto query = writer(connection);
        const std::uint64_t size = stored_size(query);
        const auto latest = connection.query_one("SELECT " + std::string(kHeadColumns) +
                                                 " FROM signon_log_heads "
                                                 "ORDER BY tree_size DESC LIMIT 1");
        std::int64_t timestamp_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
                .count();
        if (latest) {
            result = head_from_row(*latest);
            if (result.tree_size == size) {
                return;
            }
            // Heads never go back in time, even if the clock does.
            timestamp_ms = std::max(timestamp_ms, result.timestamp_ms);
        }
        TreeHead head;
        head.tree_size = size;
        head.timestamp_ms = timestamp_ms;
        head.root_hash = root_at(query, size);
        head.signature = key_.sign(tree_head_signing_input(size, timestamp_ms, head.root_hash));
        // Another server may have signed this size first; keep theirs and return it.
        connection.execute("INSERT INTO signon_log_heads (" + std::string(kHeadColumns) +
                               ", created_at) VALUES ($1, $2, $3, $4, $5) "
                               "ON CONFLICT (tree_size) DO NOTHING",
                           {to_integer(size), timestamp_ms, to_base64(head.root_hash),
                            signature_to_base64(head.signature), clock_.unix_now()});
        const auto stored = connection.query_one(
            "SELECT " + std::string(kHeadColumns) + " FROM signon_log_heads WHERE tree_size = $1",
            {to_integer(size)});
        COALITION_ASSERT(stored.has_value(), "a tree head vanished after its insert");
        result = head_from_row(*stored);
    });
    return result;
}

std::optional<TreeHead> TransparencyLog::latest_tree_head() {
    const auto row = database_.query_one("SELECT " + std::string(kHeadColumns) +
                                         " FROM signon_log_heads ORDER BY tree_size DESC LIMIT 1");
    if (!row) {
        return std::nullopt;
    }
    return head_from_row(*row);
}

std::optional<TreeHead> TransparencyLog::tree_head_at_least(std::uint64_t tree_size) {
    const auto row = database_.query_one(
        "SELECT " + std::string(kHeadColumns) +
            " FROM signon_log_heads WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1",
        {to_integer(tree_size)});
    if (!row) {
        return std::nullopt;
    }
    return head_from_row(*row);
}

std::uint64_t TransparencyLog::size() {
    return stored_size(reader(database_));
}

std::vector<LogEntry> TransparencyLog::entries(std::uint64_t start, std::uint64_t end,
                                               std::uint64_t limit) {
    std::vector<LogEntry> result;
    if (start >= end || limit == 0 || start > static_cast<std::uint64_t>(INT64_MAX)) {
        return result;
    }
    end = std::min(end, start + std::min<std::uint64_t>(limit, INT64_MAX - start));
    // Only committed leaves have rows, so the rows end where size() does.
    const auto rows = database_.query(
        "SELECT leaf_index, leaf_hash, leaf FROM signon_log_leaves "
        "WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index",
        {to_integer(start), to_integer(end)});
    result.reserve(rows.size());
    for (const auto& row : rows) {
        result.push_back(LogEntry{static_cast<std::uint64_t>(row.integer(0)),
                                  stored_hash(row.text(1), "leaf hash"), row.optional_text(2)});
    }
    return result;
}

core::Result<std::vector<Hash>> TransparencyLog::inclusion_proof(std::uint64_t index,
                                                                 std::uint64_t tree_size) {
    const auto query = reader(database_);
    if (tree_size > stored_size(query)) {
        return core::Error::invalid("tree_size is larger than the log.", "tree_size");
    }
    if (index >= tree_size) {
        return core::Error::invalid("index must be smaller than tree_size.", "index");
    }
    return evaluate_all(query, subtrees::inclusion(index, tree_size), cache_.get());
}

core::Result<std::vector<Hash>> TransparencyLog::consistency_proof(std::uint64_t first,
                                                                   std::uint64_t second) {
    const auto query = reader(database_);
    if (second > stored_size(query)) {
        return core::Error::invalid("second is larger than the log.", "second");
    }
    if (first == 0 || first > second) {
        return core::Error::invalid("first must be between 1 and second.", "first");
    }
    return evaluate_all(query, subtrees::consistency(first, second), cache_.get());
}

core::Result<Hash> TransparencyLog::root_hash(std::uint64_t tree_size) {
    const auto query = reader(database_);
    if (tree_size > stored_size(query)) {
        return core::Error::invalid("tree_size is larger than the log.", "tree_size");
    }
    return root_at(query, tree_size, cache_.get());
}

}  // namespace coalition::signon
