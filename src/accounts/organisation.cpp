#include "accounts/organisation.hpp"

#include "accounts/text_field.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"

#include <array>

namespace coalition::accounts {
namespace {

struct StatusRow {
    OrganisationStatus status;
    std::string_view id;
    std::string_view label;
};

constexpr std::array<StatusRow, 3> kStatuses = {{
    {OrganisationStatus::Member, "member", i18n::gettext_noop("Member")},
    {OrganisationStatus::Candidate, "candidate", i18n::gettext_noop("Candidate")},
    {OrganisationStatus::Former, "former", i18n::gettext_noop("Former member")},
}};

// Collects the errors of several fields, keeping each field's valid value.
class Checker {
public:
    template <typename T>
    std::optional<T> take(core::Result<T> result) {
        if (!result) {
            errors_.push_back(result.error());
            return std::nullopt;
        }
        return std::move(*result);
    }
    void fail(core::Error error) { errors_.push_back(std::move(error)); }
    FieldErrors& errors() { return errors_; }

private:
    FieldErrors errors_;
};

core::Result<core::Domain> check_domain(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid(std::string(i18n::gettext_noop(
                                        "Enter a domain name such as example.org or пример.рф.")),
                                    "domain");
    };
    if (input.size() > 2048 || !core::is_valid_utf8(input)) {
        return invalid();
    }
    auto domain = core::Domain::parse(core::trim(input));
    if (!domain) {
        return invalid();
    }
    return std::move(*domain);
}

}  // namespace

std::string_view id(OrganisationStatus status) {
    return kStatuses.at(static_cast<std::size_t>(status)).id;
}

std::string_view label(OrganisationStatus status) {
    return kStatuses.at(static_cast<std::size_t>(status)).label;
}

std::optional<OrganisationStatus> parse_organisation_status(std::string_view id) {
    for (const auto& row : kStatuses) {
        if (row.id == id) {
            return row.status;
        }
    }
    return std::nullopt;
}

OrganisationFields::OrganisationFields(std::string name, std::string short_name, Slug slug,
                                       bool slug_derived, Country country,
                                       StakeholderGroup stakeholder_group,
                                       std::optional<WebsiteUrl> website,
                                       std::optional<core::Domain> domain,
                                       OrganisationStatus status, std::string description)
    : name_(std::move(name)),
      short_name_(std::move(short_name)),
      slug_(std::move(slug)),
      slug_derived_(slug_derived),
      country_(std::move(country)),
      stakeholder_group_(stakeholder_group),
      website_(std::move(website)),
      domain_(std::move(domain)),
      status_(status),
      description_(std::move(description)) {
}

Validated<OrganisationFields> OrganisationDraft::validate() const {
    Checker checker;
    auto valid_name =
        checker.take(check_text(name, "name", kMaxNameLength, Lines::Single, Required::Yes,
                                i18n::gettext_noop("Enter the organisation's name.")));
    auto valid_short_name = checker.take(
        check_text(short_name, "short_name", kMaxShortNameLength, Lines::Single, Required::No));
    std::optional<Slug> valid_slug;
    const bool slug_derived = slug.empty();
    if (!slug_derived) {
        valid_slug = checker.take(Slug::parse(slug));
    } else if (valid_short_name && !valid_short_name->empty()) {
        valid_slug = Slug::derive(*valid_short_name);
    } else if (valid_name) {
        valid_slug = Slug::derive(*valid_name);
    }
    auto valid_country = checker.take(Country::parse(country));
    auto valid_group = parse_stakeholder_group(stakeholder_group);
    if (!valid_group) {
        checker.fail(core::Error::invalid(
            std::string(i18n::gettext_noop("Choose a stakeholder group.")), "stakeholder_group"));
    }
    std::optional<WebsiteUrl> valid_website;
    if (!core::trim(website).empty() || !core::is_valid_utf8(website)) {
        valid_website = checker.take(WebsiteUrl::parse(website));
    }
    std::optional<core::Domain> valid_domain;
    if (!core::is_valid_utf8(domain) || !core::trim(domain).empty()) {
        valid_domain = checker.take(check_domain(domain));
    }
    auto valid_status = status.empty() ? std::optional(OrganisationStatus::Candidate)
                                       : parse_organisation_status(status);
    if (!valid_status) {
        checker.fail(core::Error::invalid(
            std::string(i18n::gettext_noop("Choose member, candidate or former member.")),
            "status"));
    }
    auto valid_description = checker.take(check_text(
        description, "description", kMaxDescriptionLength, Lines::Multiple, Required::No));
    if (!checker.errors().empty()) {
        return std::move(checker.errors());
    }
    return OrganisationFields(std::move(*valid_name), std::move(*valid_short_name),
                              std::move(*valid_slug), slug_derived, std::move(*valid_country),
                              *valid_group, std::move(valid_website), std::move(valid_domain),
                              *valid_status, std::move(*valid_description));
}

OrganisationDraft Organisation::to_draft() const {
    return OrganisationDraft{
        .name = name,
        .short_name = short_name,
        .slug = slug.value(),
        .country = country.code(),
        .stakeholder_group = std::string(accounts::id(stakeholder_group)),
        .website = website ? website->value() : std::string(),
        .domain = domain ? domain->unicode() : std::string(),
        .status = std::string(accounts::id(status)),
        .description = description,
    };
}

}  // namespace coalition::accounts
