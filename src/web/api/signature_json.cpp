#include "web/api/signature_json.hpp"

#include "i18n/i18n.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace coalition::web {
namespace {

using nlohmann::json;

// Reads the string member `key` of `object` into `out`; an absent or null member leaves `out`
// empty (signon::validate() says when it is required). Anything else is a type error on `field`.
void read_string(const json& object, const char* key, const std::string& field, std::string& out,
                 std::vector<core::Error>& errors) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return;
    }
    if (!found->is_string()) {
        errors.push_back(core::Error::invalid("Must be a string.", field));
        return;
    }
    out = found->get<std::string>();
}

}  // namespace

SignatureRequest parse_signature_request(std::string_view body, std::string_view default_language) {
    SignatureRequest request;
    request.input.language = std::string(default_language);
    // Without exceptions: a parse error (including invalid UTF-8 in a string) gives a discarded
    // value. nlohmann's parser keeps its own stack, so deep nesting cannot overflow ours.
    const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object()) {
        request.is_malformed = true;
        request.errors.push_back(core::Error::invalid(document.is_discarded()
                                                          ? "The body is not valid JSON (UTF-8)."
                                                          : "The body must be a JSON object."));
        return request;
    }
    auto& input = request.input;
    auto& errors = request.errors;
    read_string(document, "kind", "kind", input.kind, errors);
    read_string(document, "name", "name", input.name, errors);
    read_string(document, "email", "email", input.email, errors);
    read_string(document, "country", "country", input.country, errors);
    read_string(document, "affiliation", "affiliation", input.affiliation, errors);
    read_string(document, "title", "title", input.title, errors);
    read_string(document, "version", "version", request.version, errors);

    if (const auto found = document.find("public"); found != document.end() && !found->is_null()) {
        if (found->is_boolean()) {
            input.show_publicly = found->get<bool>();
        } else {
            errors.push_back(core::Error::invalid("Must be true or false.", "public"));
        }
    }

    std::string language;
    read_string(document, "lang", "lang", language, errors);
    if (const auto* known = i18n::find_language(language); known != nullptr) {
        input.language = known->tag;
    }

    if (const auto found = document.find("organisation");
        found != document.end() && !found->is_null()) {
        if (!found->is_object()) {
            errors.push_back(core::Error::invalid("Must be an object.", "organisation"));
        } else {
            read_string(*found, "name", "organisation.name", input.organisation_name, errors);
            read_string(*found, "country", "organisation.country", input.organisation_country,
                        errors);
            read_string(*found, "stakeholder_group", "organisation.stakeholder_group",
                        input.stakeholder_group, errors);
            read_string(*found, "domain", "organisation.domain", input.organisation_domain, errors);
            // "website" is accepted as another name for the domain (the form's label says both).
            if (input.organisation_domain.empty()) {
                read_string(*found, "website", "organisation.domain", input.organisation_domain,
                            errors);
            }
        }
    }
    // An organisation's representative has no country of their own in the API: the
    // organisation's stands for both, as on the form.
    if (input.kind == "organisation" && input.country.empty()) {
        input.country = input.organisation_country;
    }
    // Organisations are always shown; the flag only concerns individuals.
    if (input.kind == "organisation") {
        input.show_publicly = true;
    }
    return request;
}

}  // namespace coalition::web
