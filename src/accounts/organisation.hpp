#pragma once
// Organisations: the coalition's members and candidates. OrganisationDraft is what a form or the
// command line typed; OrganisationDraft::validate turns it into OrganisationFields (valid by
// construction) or lists every field error at once. Organisation is a stored row.

#include "accounts/ids.hpp"
#include "accounts/reference.hpp"
#include "accounts/slug.hpp"
#include "accounts/validation.hpp"
#include "accounts/website_url.hpp"
#include "core/domain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::accounts {

enum class OrganisationStatus { Member, Candidate, Former };

std::string_view id(OrganisationStatus status);     // "member", "candidate", "former"
std::string_view label(OrganisationStatus status);  // "Member", … (English source text)
std::optional<OrganisationStatus> parse_organisation_status(std::string_view id);

class OrganisationFields;

// Limits, in Unicode characters.
inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxShortNameLength = 60;
inline constexpr std::size_t kMaxDescriptionLength = 10'000;

// The editable fields of an organisation as typed. Every member is UTF-8 text straight from the
// form; nothing is trusted.
struct OrganisationDraft {
    std::string name;
    std::string short_name;         // Optional: "auDA" for ".au Domain Administration".
    std::string slug;               // Optional: derived from short_name, else name, when empty.
    std::string country;            // ISO 3166-1 alpha-2, any case.
    std::string stakeholder_group;  // An id: "technical-community".
    std::string website;            // Optional http(s) URL.
    std::string domain;             // Optional; U-label or A-label.
    std::string status;             // "member", "candidate", "former"; empty means candidate.
    std::string description;        // Optional plain text; line breaks kept.

    // Checks every field and returns either the valid fields or one error per bad field (in the
    // order above, each with core::Error::field set to the member's name). Text is trimmed and
    // NFC-normalised but otherwise kept verbatim: markup is not this module's concern, escaping
    // is the web's. Rejected: invalid UTF-8, control characters (NUL included; the description
    // may hold tabs and line breaks), and text over the limits above.
    Validated<OrganisationFields> validate() const;
};

// Valid organisation fields; only OrganisationDraft::validate makes them.
class OrganisationFields {
public:
    const std::string& name() const { return name_; }
    const std::string& short_name() const { return short_name_; }
    // The slug typed, or one derived from the short name or the name. When derived, the service
    // appends "-2", "-3", … if it is taken; a typed slug that is taken is a Conflict instead.
    const Slug& slug() const { return slug_; }
    bool is_slug_derived() const { return slug_derived_; }
    const Country& country() const { return country_; }
    Region region() const { return country_.region(); }
    StakeholderGroup stakeholder_group() const { return stakeholder_group_; }
    const std::optional<WebsiteUrl>& website() const { return website_; }
    const std::optional<core::Domain>& domain() const { return domain_; }
    OrganisationStatus status() const { return status_; }
    const std::string& description() const { return description_; }

private:
    friend struct OrganisationDraft;
    OrganisationFields(std::string name, std::string short_name, Slug slug, bool slug_derived,
                       Country country, StakeholderGroup stakeholder_group,
                       std::optional<WebsiteUrl> website, std::optional<core::Domain> domain,
                       OrganisationStatus status, std::string description);

    std::string name_;
    std::string short_name_;
    Slug slug_;
    bool slug_derived_;
    Country country_;
    StakeholderGroup stakeholder_group_;
    std::optional<WebsiteUrl> website_;
    std::optional<core::Domain> domain_;
    OrganisationStatus status_;
    std::string description_;
};

// A stored organisation.
struct Organisation {
    OrganisationId id;
    std::string name;
    std::string short_name;  // May be empty.
    Slug slug;
    Country country;
    Region region;  // Always country.region().
    StakeholderGroup stakeholder_group;
    std::optional<WebsiteUrl> website;
    std::optional<core::Domain> domain;  // Shown as domain->unicode(); unique by its ASCII form.
    OrganisationStatus status;
    std::string description;
    std::int64_t created_at = 0;  // Unix seconds.
    std::int64_t updated_at = 0;

    // The short name when there is one, else the name.
    const std::string& display_name() const { return short_name.empty() ? name : short_name; }
    // The draft that would recreate these fields: for prefilling an edit form.
    OrganisationDraft to_draft() const;
};

}  // namespace coalition::accounts
