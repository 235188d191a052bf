#include "signon/signatory.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"

#include <utility>
#include <vector>

namespace coalition::signon {
namespace {

using i18n::gettext_noop;

enum class Required { Yes, No };

// `input` trimmed and NFC-normalised, or the field's error: not UTF-8, a control character or
// line break, too long, or missing.
core::Result<std::string> check_line(std::string_view input, const char* field,
                                     std::size_t max_characters, Required required,
                                     std::string_view missing_message) {
    const auto too_long = [&] {
        return core::Error::invalid(i18n::format(gettext_noop("Use at most {count} characters."),
                                                 {{"count", std::to_string(max_characters)}}),
                                    field);
    };
    // A character is at most 4 bytes in UTF-8: refuse what cannot fit before normalising it.
    if (input.size() > max_characters * 4 + 256) {
        return too_long();
    }
    if (!core::is_valid_utf8(input)) {
        return core::Error::invalid(std::string(gettext_noop("This text is not valid UTF-8.")),
                                    field);
    }
    if (core::has_control_characters(input) ||
        input.find_first_of("\t\r\n") != std::string_view::npos) {
        return core::Error::invalid(
            std::string(gettext_noop("Use one line of text without control characters.")), field);
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > max_characters) {
        return too_long();
    }
    if (text.empty() && required == Required::Yes) {
        return core::Error::invalid(std::string(missing_message), field);
    }
    return text;
}

// Country::parse names its error "country"; each caller names its own field.
core::Result<accounts::Country> check_country(std::string_view input, const char* field) {
    if (core::trim(input).empty()) {
        return core::Error::invalid(std::string(gettext_noop("Choose a country.")), field);
    }
    auto country = accounts::Country::parse(input);
    if (!country) {
        return core::Error::invalid(std::string(gettext_noop("Choose a country from the list.")),
                                    field);
    }
    return country;
}

}  // namespace

std::string dedup_key(const core::Email& email) {
    std::string canonical = email.canonical();
    const auto at = canonical.rfind('@');
    const auto plus = canonical.find('+');
    // A local part that starts with "+" has no tag to remove: it is all tag or none.
    if (plus != std::string::npos && plus > 0 && plus < at) {
        canonical.erase(plus, at - plus);
    }
    return canonical;
}

core::Result<core::Domain> parse_organisation_domain(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid(
            std::string(gettext_noop("Enter the organisation's domain, like example.org.")),
            "organisation.domain");
    };
    if (input.size() > kMaxDomainInputLength || !core::is_valid_utf8(input) ||
        core::has_control_characters(input)) {
        return invalid();
    }
    std::string text = core::trim(input);
    // A web address: keep its host.
    if (const auto scheme = text.find("://"); scheme != std::string::npos) {
        text.erase(0, scheme + 3);
    }
    if (const auto end = text.find_first_of("/?#"); end != std::string::npos) {
        text.erase(end);
    }
    // A port after the host ("example.org:8080").
    if (const auto colon = text.rfind(':');
        colon != std::string::npos && colon + 1 < text.size() &&
        text.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
        text.erase(colon);
    }
    if (text.find_first_of("@: \t") != std::string::npos) {
        return invalid();
    }
    auto domain = core::Domain::parse(text);
    if (!domain) {
        return invalid();
    }
    return domain;
}

accounts::Validated<Signatory> validate_signatory(const SignatureInput& input) {
    accounts::FieldErrors errors;
    const auto kind = parse_kind(input.kind);
    if (!kind) {
        errors.push_back(core::Error::invalid(
            std::string(gettext_noop("Choose whether you sign as an individual or for an "
                                     "organisation.")),
            "kind"));
    }
    const bool organisation = kind == SignatoryKind::Organisation;

    auto name = check_line(input.name, "name", kMaxNameLength, Required::Yes,
                           gettext_noop("Enter your name."));
    if (!name) {
        errors.push_back(name.error());
    }
    auto email = core::Email::parse(input.email);
    if (!email) {
        errors.push_back(core::Error::invalid(
            std::string(gettext_noop("Enter an e-mail address like name@example.org.")), "email"));
    }

    std::optional<accounts::Country> country;
    if (!organisation) {
        auto parsed = check_country(input.country, "country");
        if (parsed) {
            country = *parsed;
        } else {
            errors.push_back(parsed.error());
        }
    }
    auto affiliation = check_line(organisation ? std::string_view{} : input.affiliation,
                                  "affiliation", kMaxAffiliationLength, Required::No, {});
    if (!affiliation) {
        errors.push_back(affiliation.error());
    }

    core::Result<std::string> title = std::string();
    core::Result<std::string> organisation_name = std::string();
    std::string stakeholder_group;
    std::optional<core::Domain> organisation_domain;
    if (organisation) {
        title = check_line(input.title, "title", kMaxTitleLength, Required::Yes,
                           gettext_noop("Enter your title or role in the organisation."));
        if (!title) {
            errors.push_back(title.error());
        }
        organisation_name =
            check_line(input.organisation_name, "organisation.name", kMaxOrganisationNameLength,
                       Required::Yes, gettext_noop("Enter the organisation's name."));
        if (!organisation_name) {
            errors.push_back(organisation_name.error());
        }
        auto parsed_country = check_country(input.organisation_country, "organisation.country");
        if (parsed_country) {
            country = *parsed_country;
        } else {
            errors.push_back(parsed_country.error());
        }
        const auto group = accounts::parse_stakeholder_group(input.stakeholder_group);
        if (group) {
            stakeholder_group = std::string(accounts::id(*group));
        } else {
            errors.push_back(core::Error::invalid(
                std::string(gettext_noop("Choose a stakeholder group from the list.")),
                "organisation.stakeholder_group"));
        }
        if (core::trim(input.organisation_domain).empty()) {
            errors.push_back(core::Error::invalid(
                std::string(gettext_noop("Enter the organisation's domain, like example.org.")),
                "organisation.domain"));
        } else {
            auto domain = parse_organisation_domain(input.organisation_domain);
            if (domain) {
                organisation_domain = std::move(*domain);
            } else {
                errors.push_back(domain.error());
            }
        }
    }
    if (!errors.empty()) {
        return errors;
    }

    const i18n::Language* language = i18n::find_language(input.language);
    std::string key = dedup_key(*email);
    return Signatory{
        .kind = *kind,
        .name = std::move(*name),
        .email = std::move(*email),
        .dedup_key = std::move(key),
        .country = country->code(),
        .region = std::string(accounts::id(country->region())),
        .affiliation = std::move(*affiliation),
        .show_publicly = organisation || input.show_publicly,
        .title = std::move(*title),
        .organisation_name = std::move(*organisation_name),
        .stakeholder_group = std::move(stakeholder_group),
        .organisation_domain = std::move(organisation_domain),
        .language = language != nullptr ? language->tag : std::string("en"),
    };
}

}  // namespace coalition::signon
