#include "signon/log/log_verifier.hpp"

#include "signon/log/transparency_log.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <bit>
#include <set>

namespace coalition::signon {
namespace {

using core::Error;

template <std::size_t N>
std::string encode(const std::array<std::uint8_t, N>& bytes) {
    std::string text(sodium_base64_ENCODED_LEN(N, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), N, sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return text;
}

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> decode(const nlohmann::json& value) {
    if (!value.is_string()) {
        return std::nullopt;
    }
    const auto& text = value.get_ref<const std::string&>();
    std::array<std::uint8_t, N> bytes{};
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(bytes.data(), N, text.data(), text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length != N || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return bytes;
}

std::optional<std::uint64_t> unsigned_field(const nlohmann::json& object, const char* name) {
    if (!object.is_object() || !object.contains(name) || !object[name].is_number_unsigned()) {
        return std::nullopt;
    }
    return object[name].get<std::uint64_t>();
}

core::Result<nlohmann::json> get_json(const LogFetch& fetch, const std::string& path) {
    auto body = fetch(path);
    if (!body) {
        return Error::invalid(path + ": " + body.error().message);
    }
    auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return Error::invalid(path + ": the answer is not a JSON object");
    }
    return json;
}

core::Result<std::vector<Hash>> hash_list(const nlohmann::json& object, const char* name) {
    if (!object.contains(name) || !object[name].is_array()) {
        return Error::invalid(std::string("the answer has no \"") + name + "\" array");
    }
    std::vector<Hash> hashes;
    for (const auto& item : object[name]) {
        const auto hash = decode<32>(item);
        if (!hash) {
            return Error::invalid(std::string("\"") + name +
                                  "\" holds something that is not a hash");
        }
        hashes.push_back(*hash);
    }
    return hashes;
}

core::Result<TreeHead> parse_head(const nlohmann::json& json) {
    TreeHead head;
    const auto size = unsigned_field(json, "tree_size");
    const auto timestamp = unsigned_field(json, "timestamp");
    const auto root = decode<32>(json.value("root_hash", nlohmann::json()));
    const auto signature = decode<64>(json.value("signature", nlohmann::json()));
    if (!size || !timestamp || !root || !signature ||
        *timestamp > static_cast<std::uint64_t>(INT64_MAX)) {
        return Error::invalid("/api/v1/log/sth: the tree head is malformed");
    }
    head.tree_size = *size;
    head.timestamp_ms = static_cast<std::int64_t>(*timestamp);
    head.root_hash = *root;
    head.signature = *signature;
    return head;
}

// The ranges [start, end) whose hashes make up PATH(index, D[start:end]), bottom-up.
void sibling_ranges(std::uint64_t index, std::uint64_t start, std::uint64_t end,
                    std::vector<std::pair<std::uint64_t, std::uint64_t>>& out) {
    if (end - start <= 1) {
        return;
    }
    const std::uint64_t k = std::bit_floor(end - start - 1);
    if (index < start + k) {
        sibling_ranges(index, start, start + k, out);
        out.emplace_back(start + k, end);
    } else {
        sibling_ranges(index, start + k, end, out);
        out.emplace_back(start, start + k);
    }
}

// The end of the search in [low, high) when no stored subtree in it differs: the culprit is the
// pair [low, low + 2), whose own stored hash is not on low's audit path, or the tree's last leaf
// when it has no partner (no stored subtree covers it; only the signed root does). The audit path
// of leaf low ^ 2 carries the pair's stored hash, which tells the two apart.
std::string ambiguous_end(const LogFetch& fetch, const std::vector<Hash>& hashes, std::uint64_t low,
                          std::uint64_t high) {
    const std::uint64_t size = hashes.size();
    std::string pair = "entry " + std::to_string(low) + " or " + std::to_string(low + 1);
    const bool bare_last = size % 2 == 1 && size - 1 >= low + 2 && size - 1 < high;
    if (!bare_last) {
        return pair;
    }
    const std::string last = "entry " + std::to_string(size - 1);
    const std::uint64_t partner = low ^ 2;
    if (partner < size) {
        auto proof =
            get_json(fetch, "/api/v1/log/proof/inclusion?index=" + std::to_string(partner) +
                                "&tree_size=" + std::to_string(size));
        std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
        sibling_ranges(partner, 0, size, ranges);
        auto path = proof ? hash_list(*proof, "audit_path")
                          : core::Result<std::vector<Hash>>(Error::invalid("no proof"));
        if (path && path->size() == ranges.size()) {
            for (std::size_t element = 0; element < ranges.size(); ++element) {
                if (ranges[element] == std::pair{low, low + 2}) {
                    const Hash local = node_hash(hashes[low], hashes[low + 1]);
                    return local == (*path)[element] ? last : pair;
                }
            }
        }
    }
    return "entry " + std::to_string(low) + ", " + std::to_string(low + 1) + " or " +
           std::to_string(size - 1);
}

// The served leaf hashes do not hash to the signed root. The server's inclusion proofs come from
// its stored subtrees, which reflect what was signed: descend along them to the smallest stored
// subtree whose served hash differs from the one recomputed from the entries. A proof's lowest
// element is a sibling leaf's hash from the same leaf table as the entries, so the search ends at
// a pair of leaves (or a last, single one). Returns "entry N" or "entry N or N+1"; nullopt when
// the proofs lead nowhere.
std::optional<std::string> locate_mismatch(const LogFetch& fetch, const std::vector<Hash>& hashes) {
    const std::uint64_t size = hashes.size();
    std::uint64_t low = 0;
    std::uint64_t high = size;
    for (int round = 0; round < 70 && high - low > 2; ++round) {
        auto proof = get_json(fetch, "/api/v1/log/proof/inclusion?index=" + std::to_string(low) +
                                         "&tree_size=" + std::to_string(size));
        if (!proof) {
            return std::nullopt;
        }
        auto path = hash_list(*proof, "audit_path");
        std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
        sibling_ranges(low, 0, size, ranges);
        if (!path || path->size() != ranges.size()) {
            return std::nullopt;
        }
        std::optional<std::pair<std::uint64_t, std::uint64_t>> mismatch;
        for (std::size_t element = 0; element < ranges.size(); ++element) {
            const auto [start, end] = ranges[element];
            if (start < low || end > high || end - start < 2) {
                continue;  // Compared already, or a bare leaf hash from the entries' own table.
            }
            const auto local =
                merkle_root(std::span<const Hash>(hashes).subspan(start, end - start));
            if (local != (*path)[element] && (!mismatch || start < mismatch->first)) {
                mismatch = ranges[element];
            }
        }
        if (!mismatch) {
            return ambiguous_end(fetch, hashes, low, high);
        }
        low = mismatch->first;
        high = mismatch->second;
    }
    if (high - low == 1) {
        return "entry " + std::to_string(low);
    }
    return "entry " + std::to_string(low) + " or " + std::to_string(low + 1);
}

std::vector<std::uint64_t> proof_sample(std::uint64_t size, std::uint64_t count) {
    std::vector<std::uint64_t> indices;
    if (size == 0) {
        return indices;
    }
    if (size <= count || count < 2) {
        for (std::uint64_t index = 0; index < std::min(size, std::max<std::uint64_t>(count, 1));
             ++index) {
            indices.push_back(index);
        }
        return indices;
    }
    std::set<std::uint64_t> chosen;
    for (std::uint64_t sample_idx = 0; sample_idx < count; ++sample_idx) {
        chosen.insert(sample_idx * (size - 1) / (count - 1));
    }
    return {chosen.begin(), chosen.end()};
}

}  // namespace

std::string VerifiedHead::to_json() const {
    return nlohmann::json{
               {"tree_size", tree_size},
               {"timestamp", timestamp_ms},
               {"root_hash", to_base64(root_hash)},
               {"signature", encode(signature)},
               {"public_key", encode(public_key)},
           }
               .dump(2) +
           "\n";
}

core::Result<VerifiedHead> VerifiedHead::from_json(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return Error::invalid("the saved state is not a JSON object");
    }
    auto head = parse_head(json);
    const auto key = decode<32>(json.value("public_key", nlohmann::json()));
    if (!head || !key) {
        return Error::invalid("the saved state is malformed");
    }
    return VerifiedHead{head->tree_size, head->timestamp_ms, head->root_hash, head->signature,
                        *key};
}

core::Result<LogVerifyResult> verify_log(const LogFetch& fetch, const LogVerifyOptions& options) {
    auto progress = [&options](const std::string& line) {
        if (options.progress) {
            options.progress(line);
        }
    };
    const auto key_json = get_json(fetch, "/api/v1/log/key");
    if (!key_json) {
        return key_json.error();
    }
    const auto public_key = decode<32>(key_json->value("public_key", nlohmann::json()));
    if (!public_key || key_json->value("algorithm", nlohmann::json()) != "ed25519") {
        return Error::invalid("/api/v1/log/key: not an Ed25519 public key");
    }
    if (options.previous && options.previous->public_key != *public_key) {
        return Error::invalid("the log's public key changed since the saved tree head");
    }
    const auto head_json = get_json(fetch, "/api/v1/log/sth");
    if (!head_json) {
        return head_json.error();
    }
    const auto head = parse_head(*head_json);
    if (!head) {
        return head.error();
    }
    if (!verify_tree_head(*head, *public_key)) {
        return Error::invalid(
            "the signed tree head's signature does not verify with the log's key");
    }
    const std::uint64_t size = head->tree_size;
    if (options.previous && options.previous->tree_size > size) {
        return Error::invalid("the log shrank: the saved tree head has " +
                              std::to_string(options.previous->tree_size) +
                              " entries, the current one " + std::to_string(size));
    }

    // Every entry, in order; each served leaf must hash to its served leaf hash.
    LogVerifyResult result;
    std::vector<Hash> hashes;
    hashes.reserve(size);
    while (hashes.size() < size) {
        const std::uint64_t start = hashes.size();
        const std::uint64_t end = std::min<std::uint64_t>(size - 1, start + 999);
        const auto page = get_json(fetch, "/api/v1/log/entries?start=" + std::to_string(start) +
                                              "&end=" + std::to_string(end));
        if (!page) {
            return page.error();
        }
        if (!page->contains("entries") || !(*page)["entries"].is_array() ||
            (*page)["entries"].empty()) {
            return Error::invalid("entry " + std::to_string(start) +
                                  ": missing, though the signed tree head covers it");
        }
        for (const auto& entry : (*page)["entries"]) {
            const std::uint64_t index = hashes.size();
            if (index >= size) {
                break;
            }
            const std::string name = "entry " + std::to_string(index);
            if (!entry.is_object() || unsigned_field(entry, "index") != index) {
                return Error::invalid(name + ": served out of order or with a wrong index");
            }
            const auto hash = decode<32>(entry.value("leaf_hash", nlohmann::json()));
            if (!hash) {
                return Error::invalid(name + ": its leaf hash is not a base64 SHA-256 hash");
            }
            const auto& leaf = entry.contains("leaf") ? entry["leaf"] : nlohmann::json();
            if (leaf.is_string()) {
                if (leaf_hash(leaf.get_ref<const std::string&>()) != *hash) {
                    return Error::invalid(name + ": leaf hash does not match its leaf");
                }
            } else if (leaf.is_null()) {
                ++result.withheld;  // Erased: only the hash is served, and used.
            } else {
                return Error::invalid(name + ": its leaf is neither a string nor null");
            }
            hashes.push_back(*hash);
        }
        progress("checked entries " + std::to_string(start) + ".." +
                 std::to_string(hashes.size() - 1));
    }

    // The root of all leaf hashes must be the signed one.
    if (merkle_root(hashes) != head->root_hash) {
        if (const auto entries = locate_mismatch(fetch, hashes)) {
            return Error::invalid(*entries +
                                  ": leaf hash differs from the one the signed tree head covers");
        }
        return Error::invalid(
            "the root recomputed from the entries does not match the signed "
            "tree head");
    }

    // The server's own proofs must agree with the signed root (they come from stored subtree
    // hashes, which the entries alone do not check).
    for (const std::uint64_t index : proof_sample(size, options.inclusion_checks)) {
        const auto proof =
            get_json(fetch, "/api/v1/log/proof/inclusion?index=" + std::to_string(index) +
                                "&tree_size=" + std::to_string(size));
        if (!proof) {
            return proof.error();
        }
        const auto path = hash_list(*proof, "audit_path");
        if (!path || !verify_inclusion(index, size, hashes[index], *path, head->root_hash)) {
            return Error::invalid("entry " + std::to_string(index) +
                                  ": the log's inclusion proof does not verify against the "
                                  "signed tree head");
        }
        ++result.proofs_checked;
    }

    // The log must extend what an earlier run saw.
    std::string consistency_note;
    if (options.previous) {
        const auto& previous = *options.previous;
        const std::uint64_t first = previous.tree_size;
        const auto prefix = std::span<const Hash>(hashes).first(first);
        if (merkle_root(prefix) != previous.root_hash) {
            return Error::invalid("the first " + std::to_string(first) +
                                  " entries no longer hash to the saved tree head's root: the "
                                  "log's history was rewritten");
        }
        if (first > 0 && first < size) {
            const auto proof =
                get_json(fetch, "/api/v1/log/proof/consistency?first=" + std::to_string(first) +
                                    "&second=" + std::to_string(size));
            if (!proof) {
                return proof.error();
            }
            const auto path = hash_list(*proof, "consistency_path");
            if (!path ||
                !verify_consistency(first, size, previous.root_hash, head->root_hash, *path)) {
                return Error::invalid("the log's consistency proof from the saved tree head (" +
                                      std::to_string(first) + " entries) does not verify");
            }
        }
        consistency_note = "; consistent with the saved head of " + std::to_string(first);
    }

    result.head =
        VerifiedHead{size, head->timestamp_ms, head->root_hash, head->signature, *public_key};
    result.entries = size;
    result.summary =
        "log verified: " + std::to_string(size) + " entries (" + std::to_string(result.withheld) +
        " withheld), root " + to_base64(head->root_hash) + ", signed at " +
        std::to_string(head->timestamp_ms) + " ms, " + std::to_string(result.proofs_checked) +
        " inclusion proofs checked" + consistency_note;
    return result;
}

}  // namespace coalition::signon
