#include "web/api/log_api.hpp"

#include "signon/log/transparency_log.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <charconv>
#include <optional>
#include <string>

namespace coalition::web {
namespace {

template <std::size_t N>
std::string base64(const std::array<std::uint8_t, N>& bytes) {
    std::string text(sodium_base64_ENCODED_LEN(N, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), N, sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return text;
}

nlohmann::json hashes_json(const std::vector<signon::Hash>& hashes) {
    auto array = nlohmann::json::array();
    for (const auto& hash : hashes) {
        array.push_back(signon::to_base64(hash));
    }
    return array;
}

// A query parameter that must be a decimal integer below 2^63 (digits only: no sign, no space).
struct Parameter {
    std::optional<std::uint64_t> value;
    std::optional<Response> problem;
};

Parameter parameter(const Request& request, std::string_view name) {
    const auto text = request.query_value(name);
    auto bad = [name](std::string_view why) {
        return Parameter{std::nullopt,
                         problem_response(400, std::string(name) + " " + std::string(why))};
    };
    if (!text || text->empty()) {
        return bad("is required.");
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() ||
        value > static_cast<std::uint64_t>(INT64_MAX) || (*text)[0] == '+') {
        return bad("must be a non-negative decimal integer.");
    }
    return Parameter{value, std::nullopt};
}

}  // namespace

Response LogApi::tree_head(Request&) const {
    auto head = site_.transparency_log.latest_tree_head();
    if (!head) {
        head = site_.transparency_log.publish_tree_head();
    }
    return json_response(nlohmann::json{
        {"tree_size", head->tree_size},
        {"timestamp", head->timestamp_ms},
        {"root_hash", signon::to_base64(head->root_hash)},
        {"signature", base64(head->signature)},
    });
}

Response LogApi::entries(Request& request) const {
    const auto start = parameter(request, "start");
    if (start.problem) {
        return *start.problem;
    }
    const auto end = parameter(request, "end");
    if (end.problem) {
        return *end.problem;
    }
    if (*end.value < *start.value) {
        return problem_response(400, "end must not be smaller than start.");
    }
    auto items = nlohmann::json::array();
    // RFC 9162 get-entries: `end` is the last index wanted, inclusive.
    for (const auto& entry :
         site_.transparency_log.entries(*start.value, *end.value + 1, kMaxEntries)) {
        items.push_back(nlohmann::json{
            {"index", entry.index},
            {"leaf_hash", signon::to_base64(entry.leaf_hash)},
            {"leaf", entry.leaf ? nlohmann::json(*entry.leaf) : nlohmann::json(nullptr)},
        });
    }
    return json_response(nlohmann::json{{"entries", std::move(items)}});
}

Response LogApi::inclusion_proof(Request& request) const {
    const auto index = parameter(request, "index");
    if (index.problem) {
        return *index.problem;
    }
    const auto tree_size = parameter(request, "tree_size");
    if (tree_size.problem) {
        return *tree_size.problem;
    }
    const auto path = site_.transparency_log.inclusion_proof(*index.value, *tree_size.value);
    if (!path) {
        return problem_response(400, path.error().message);
    }
    return json_response(nlohmann::json{
        {"leaf_index", *index.value},
        {"tree_size", *tree_size.value},
        {"audit_path", hashes_json(*path)},
    });
}

Response LogApi::consistency_proof(Request& request) const {
    const auto first = parameter(request, "first");
    if (first.problem) {
        return *first.problem;
    }
    const auto second = parameter(request, "second");
    if (second.problem) {
        return *second.problem;
    }
    const auto path = site_.transparency_log.consistency_proof(*first.value, *second.value);
    if (!path) {
        return problem_response(400, path.error().message);
    }
    return json_response(nlohmann::json{
        {"first", *first.value},
        {"second", *second.value},
        {"consistency_path", hashes_json(*path)},
    });
}

Response LogApi::key(Request&) const {
    return json_response(nlohmann::json{
        {"public_key", base64(site_.transparency_log.key().public_key())},
        {"algorithm", "ed25519"},
    });
}

}  // namespace coalition::web
