#include "web/api/signatories_api.hpp"

#include "core/clock.hpp"
#include "i18n/i18n.hpp"
#include "web/pages/signatories_pages.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace coalition::web {
namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 1000;
constexpr std::int64_t kMaxOffset = 1'000'000'000;

// A non-negative integer parameter, or nullopt when malformed or above `maximum`.
std::optional<std::int64_t> read_count(std::string_view text, std::int64_t maximum) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > maximum) {
        return std::nullopt;
    }
    return value;
}

nlohmann::json to_json(const signon::PublicSignatory& signatory) {
    auto optional_text = [](const std::string& value) {
        return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
    };
    return nlohmann::json{
        {"id", signatory.id},
        {"kind", std::string(signon::to_string(signatory.kind))},
        {"name", signatory.name},
        {"representative", optional_text(signatory.representative)},
        {"affiliation", optional_text(signatory.affiliation)},
        {"country", optional_text(signatory.country)},
        {"region", optional_text(signatory.region)},
        {"stakeholder_group", optional_text(signatory.stakeholder_group)},
        {"organisation_domain", optional_text(signatory.organisation_domain)},
        {"verification", std::string(signon::to_string(signatory.verification))},
        {"version", signatory.version_hash},
        {"published_at", core::format_rfc3339(signatory.published_at)},
    };
}

}  // namespace

Response SignatoriesApi::list(Request& request) const {
    SignatoryQuery query = parse_signatory_query(request);
    std::vector<core::Error> errors = query.errors;
    std::int64_t offset = 0;
    std::int64_t limit = kDefaultLimit;
    if (auto text = request.query_value("offset"); text && !text->empty()) {
        if (auto value = read_count(*text, kMaxOffset)) {
            offset = *value;
        } else {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Give the offset as a whole number, 0 or more.")),
                "offset"));
        }
    }
    if (auto text = request.query_value("limit"); text && !text->empty()) {
        // A limit above the cap is cut to it rather than refused: the answer says which was used.
        if (auto value = read_count(*text, INT64_MAX); value && *value >= 1) {
            limit = std::min(*value, kMaxLimit);
        } else {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Give the limit as a whole number from 1 to 1000.")),
                "limit"));
        }
    }
    if (!errors.empty()) {
        return problem_response(errors);
    }
    query.filter.offset = offset;
    query.filter.limit = limit;
    const auto page = site_.signatures.list(std::string(kStatementCampaign), query.filter);
    auto items = nlohmann::json::array();
    for (const auto& signatory : page.rows) {
        items.push_back(to_json(signatory));
    }
    const nlohmann::json body{
        {"total", page.total},
        {"offset", offset},
        {"limit", limit},
        {"signatures", std::move(items)},
    };
    // Stored text is valid UTF-8 (signon validates it); replace anything else rather than throw.
    auto response =
        Response::json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    return response;
}

}  // namespace coalition::web
