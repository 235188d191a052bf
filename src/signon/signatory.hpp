#pragma once
// Validation of what a signer typed (signon::SignatureInput) into a Signatory whose every field
// is checked and normalised. Private to signon/; Signatures::sign and signon::validate use it.

#include "accounts/accounts.hpp"
#include "core/domain.hpp"
#include "core/email.hpp"
#include "signon/signon.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace coalition::signon {

// Length limits, in characters, after trimming.
constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxAffiliationLength = 200;
constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxOrganisationNameLength = 300;
constexpr std::size_t kMaxDomainInputLength = 2000;  // A URL may be typed; its host is kept.

struct Signatory {
    SignatoryKind kind = SignatoryKind::Individual;
    std::string name;  // Trimmed, NFC.
    core::Email email;
    std::string dedup_key;      // canonical() without the local part's +tag.
    std::string country;        // ISO alpha-2: the individual's, or the organisation's.
    std::string region;         // accounts' region id of `country`.
    std::string affiliation;    // Individuals.
    bool show_publicly = true;  // Always true for organisations.
    std::string title;          // Organisations.
    std::string organisation_name;
    std::string stakeholder_group;
    std::optional<core::Domain> organisation_domain;  // Organisations (required there).
    std::string language;                             // A supported tag, "en" by default.
};

// The Signatory, or one core::Error per bad field in form order (fields "kind", "name",
// "email", "country", "affiliation", "title", "organisation.name", "organisation.country",
// "organisation.stakeholder_group", "organisation.domain"). Organisations take their country
// from organisation_country (input.country is ignored for them).
accounts::Validated<Signatory> validate_signatory(const SignatureInput& input);

// The duplicate key of an address: its canonical form (lower case, NFC, U-label domain) with any
// "+tag" removed from the local part, so "Ana+news@Example.org" and "ana@example.org" are one.
std::string dedup_key(const core::Email& email);

// The domain typed as "example.org", "https://www.example.org/about" or an IDN; its host.
core::Result<core::Domain> parse_organisation_domain(std::string_view input);

}  // namespace coalition::signon
