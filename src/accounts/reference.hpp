#pragma once
// Reference data for organisations: the five stakeholder groups, ICANN's five geographic regions
// and the ISO 3166-1 countries in each (so an organisation's region follows from its country).
// The tables are compiled in (reference_data.cpp); country names come from ICU in any language.
// Labels are English source strings: the web translates them through the i18n catalog.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::accounts {

enum class StakeholderGroup {
    Governments,
    PrivateSector,
    Academia,
    TechnicalCommunity,
    CivilSociety
};

// ICANN Bylaws' geographic regions.
enum class Region { Africa, AsiaPacific, Europe, LatinAmericaCaribbean, NorthAmerica };

// Stable ids, as stored and as used in URLs and forms: "technical-community"; "EUR".
std::string_view id(StakeholderGroup group);
std::string_view id(Region region);
// English labels: "Technical community"; "Latin America/Caribbean islands".
std::string_view label(StakeholderGroup group);
std::string_view label(Region region);

// The value for an id (exact, as id() spells it); nullopt for anything else.
std::optional<StakeholderGroup> parse_stakeholder_group(std::string_view id);
std::optional<Region> parse_region(std::string_view id);

// Every value, in the reference order.
const std::vector<StakeholderGroup>& all_stakeholder_groups();
const std::vector<Region>& all_regions();

// An ISO 3166-1 alpha-2 country that has an ICANN region. Valid by construction.
class Country {
public:
    // Accepts two ASCII letters in any case, white space around them trimmed. Fails with Invalid
    // (field "country") for anything that is not an assigned ISO 3166-1 code known to ICU
    // (so "XK", "EU" and "ZZ" are refused).
    static core::Result<Country> parse(std::string_view input);

    const std::string& code() const { return code_; }  // "GB"
    Region region() const { return region_; }
    // The country's name in `language` (a BCP 47 tag, e.g. "ar"), from ICU's locale data:
    // "United Kingdom", "المملكة المتحدة". Falls back to English data for unknown languages.
    std::string name(std::string_view language) const;

    bool operator==(const Country& other) const { return code_ == other.code_; }

private:
    Country(std::string code, Region region) : code_(std::move(code)), region_(region) {}
    std::string code_;
    Region region_;
};

// Every country, sorted by code.
const std::vector<Country>& all_countries();

}  // namespace coalition::accounts
