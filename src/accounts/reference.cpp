#include "accounts/reference.hpp"

#include "accounts/reference_data.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>

namespace coalition::accounts {
namespace {

// ISO 3166-1 codes as ICU knows them. ICU also lists a few codes that ISO only reserves (DG, EA,
// IC) or that are user-assigned (XK); the generated table has none of them, so a country must be
// in both.
const std::set<std::string, std::less<>>& icu_countries() {
    static const std::set<std::string, std::less<>> codes = [] {
        std::set<std::string, std::less<>> out;
        for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
            out.emplace(*code);
        }
        return out;
    }();
    return codes;
}

const reference_data::CountryRow* find_country(std::string_view code) {
    const auto& rows = reference_data::country_rows;
    const auto* row = std::lower_bound(
        rows.begin(), rows.end(), code,
        [](const reference_data::CountryRow& lhs, std::string_view rhs) { return lhs.code < rhs; });
    if (row == rows.end() || row->code != code) {
        return nullptr;
    }
    return row;
}

}  // namespace

std::string_view id(StakeholderGroup group) {
    return reference_data::stakeholder_group_rows.at(static_cast<std::size_t>(group)).id;
}

std::string_view id(Region region) {
    return reference_data::region_rows.at(static_cast<std::size_t>(region)).id;
}

std::string_view label(StakeholderGroup group) {
    return reference_data::stakeholder_group_rows.at(static_cast<std::size_t>(group)).label;
}

std::string_view label(Region region) {
    return reference_data::region_rows.at(static_cast<std::size_t>(region)).label;
}

std::optional<StakeholderGroup> parse_stakeholder_group(std::string_view id) {
    for (const auto& row : reference_data::stakeholder_group_rows) {
        if (row.id == id) {
            return row.group;
        }
    }
    return std::nullopt;
}

std::optional<Region> parse_region(std::string_view id) {
    for (const auto& row : reference_data::region_rows) {
        if (row.id == id) {
            return row.region;
        }
    }
    return std::nullopt;
}

const std::vector<StakeholderGroup>& all_stakeholder_groups() {
    static const std::vector<StakeholderGroup> groups = [] {
        std::vector<StakeholderGroup> out;
        out.reserve(reference_data::stakeholder_group_rows.size());
        for (const auto& row : reference_data::stakeholder_group_rows) {
            out.push_back(row.group);
        }
        return out;
    }();
    return groups;
}

const std::vector<Region>& all_regions() {
    static const std::vector<Region> regions = [] {
        std::vector<Region> out;
        out.reserve(reference_data::region_rows.size());
        for (const auto& row : reference_data::region_rows) {
            out.push_back(row.region);
        }
        return out;
    }();
    return regions;
}

core::Result<Country> Country::parse(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose a country (an ISO 3166-1 two-letter code).")),
            "country");
    };
    if (input.size() > 64 || !core::is_valid_utf8(input)) {
        return invalid();
    }
    std::string code = core::trim(input);
    if (code.size() != 2) {
        return invalid();
    }
    for (char& c : code) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        } else if (c < 'A' || c > 'Z') {
            return invalid();
        }
    }
    const auto* row = find_country(code);
    if (row == nullptr || !icu_countries().contains(code)) {
        return invalid();
    }
    return Country(std::move(code), row->region);
}

std::string Country::name(std::string_view language) const {
    icu::UnicodeString name;
    icu::Locale("", code_.c_str())
        .getDisplayCountry(icu::Locale(std::string(language).c_str()), name);
    std::string out;
    name.toUTF8String(out);
    return out.empty() ? code_ : out;
}

const std::vector<Country>& all_countries() {
    static const std::vector<Country> countries = [] {
        std::vector<Country> out;
        out.reserve(reference_data::country_rows.size());
        for (const auto& row : reference_data::country_rows) {
            auto country = Country::parse(row.code);
            COALITION_ASSERT(country.has_value(),
                             "the generated country table holds a code ICU lacks");
            out.push_back(*country);
        }
        return out;
    }();
    return countries;
}

}  // namespace coalition::accounts
