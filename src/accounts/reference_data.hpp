#pragma once
// The tables behind accounts/reference.hpp, generated into reference_data.cpp by
// generate_reference_data.py. Private to accounts/: read them through reference.hpp.

#include "accounts/reference.hpp"

#include <array>
#include <string_view>

namespace coalition::accounts::reference_data {

struct GroupRow {
    StakeholderGroup group;
    std::string_view id;
    std::string_view label;
};

struct RegionRow {
    Region region;
    std::string_view id;
    std::string_view label;
};

struct CountryRow {
    std::string_view code;  // ISO 3166-1 alpha-2.
    Region region;
};

// In the order of the enumerators.
extern const std::array<GroupRow, 5> stakeholder_group_rows;
extern const std::array<RegionRow, 5> region_rows;
// Every ISO 3166-1 country, sorted by code.
extern const std::array<CountryRow, 249> country_rows;

}  // namespace coalition::accounts::reference_data
