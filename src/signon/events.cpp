#include "signon/events.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <array>

namespace coalition::signon {
namespace {

// nlohmann::json keeps object keys in a std::map, so dump() writes them sorted by their UTF-8
// bytes; with no indent it writes no white space, and ensure_ascii = false keeps UTF-8 as it is.
std::string canonical(const nlohmann::json& event) {
    return event.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

}  // namespace

std::string random_salt(core::Random& random) {
    std::array<std::uint8_t, 16> bytes{};
    random.fill(bytes.data(), bytes.size());
    std::array<char, 32> out{};  // sodium_base64_ENCODED_LEN(16, ORIGINAL) is 25.
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    return std::string(out.data());
}

std::string published_event(const Signature& signature, core::Random& random) {
    COALITION_ASSERT(signature.published_at.has_value(), "a published event needs its time");
    nlohmann::json event = {
        {"type", "signature.published"},     {"campaign", signature.campaign},
        {"version", signature.version_hash}, {"kind", std::string(to_string(signature.kind))},
        {"salt", random_salt(random)},
    };
    if (signature.kind == SignatoryKind::Organisation) {
        event["time"] = *signature.published_at;
        event["organisation"] = {
            {"name", signature.organisation_name},
            {"domain", signature.organisation_domain},
            {"country", signature.country},
            {"stakeholder_group", signature.stakeholder_group},
        };
        event["representative"] = {{"name", signature.name}, {"title", signature.title}};
    } else if (signature.show_publicly) {
        event["time"] = *signature.published_at;
        event["name"] = signature.name;
        event["country"] = signature.country;
        event["affiliation"] = signature.affiliation;
    }
    // A hidden individual: kind, campaign and version only, so the leaf holds no personal data
    // and not even the moment they signed.
    return canonical(event);
}

std::string withdrawn_event(const std::string& campaign, std::uint64_t entry, std::string_view by,
                            std::int64_t at, core::Random& random) {
    return canonical({
        {"type", "signature.withdrawn"},
        {"campaign", campaign},
        {"entry", entry},
        {"by", std::string(by)},
        {"time", at},
        {"salt", random_salt(random)},
    });
}

std::string erased_event(const std::string& campaign, std::uint64_t entry, std::int64_t at,
                         core::Random& random) {
    return canonical({
        {"type", "signature.erased"},
        {"campaign", campaign},
        {"entry", entry},
        {"time", at},
        {"salt", random_salt(random)},
    });
}

std::string endorsement_event(const EndorsementEvent& event, core::Random& random) {
    return canonical({
        {"type", "response.endorsed"},
        {"campaign", "response-" + event.response},
        {"response", event.response},
        {"version", event.version_hash},
        {"kind", "organisation"},
        {"organisation",
         {{"name", event.organisation_name},
          {"country", event.country},
          {"stakeholder_group", event.stakeholder_group}}},
        {"time", event.time},
        {"salt", random_salt(random)},
    });
}

}  // namespace coalition::signon
