#include "accounts/reference.hpp"

#include <gtest/gtest.h>

namespace coalition::accounts {
namespace {

TEST(Country, ParsesAnyCaseAndDerivesRegion) {
    struct Case {
        const char* input;
        const char* code;
        Region region;
    };
    for (const auto& c :
         {Case{"gb", "GB", Region::Europe}, Case{" NZ ", "NZ", Region::AsiaPacific},
          Case{"au", "AU", Region::AsiaPacific}, Case{"CA", "CA", Region::NorthAmerica},
          Case{"br", "BR", Region::LatinAmericaCaribbean}, Case{"KE", "KE", Region::Africa},
          Case{"PR", "PR", Region::NorthAmerica}, Case{"KY", "KY", Region::Europe}}) {
        auto country = Country::parse(c.input);
        ASSERT_TRUE(country.has_value()) << c.input;
        EXPECT_EQ(country->code(), c.code);
        EXPECT_EQ(country->region(), c.region) << c.input;
    }
}

TEST(Country, RefusesWhatIsNotAnIsoCountry) {
    // XK is user-assigned and IC only reserved: ICU lists both, ISO 3166-1 does not.
    for (const char* input :
         {"", "G", "GBR", "ZZ", "EU", "XK", "IC", "1A", "ǴB", "G\0", "\xff\xfe", "<script>"}) {
        auto country = Country::parse(input);
        ASSERT_FALSE(country.has_value()) << input;
        EXPECT_EQ(country.error().field, "country");
    }
    EXPECT_FALSE(Country::parse(std::string("G\0", 2)).has_value());
}

TEST(Country, EveryIsoCountryHasARegionAndAName) {
    EXPECT_EQ(all_countries().size(), 249u);
    for (const auto& country : all_countries()) {
        EXPECT_FALSE(label(country.region()).empty());
        EXPECT_NE(country.name("en"), country.code()) << country.code();
    }
}

TEST(Country, NamesInTheUiLanguage) {
    const auto germany = *Country::parse("DE");
    EXPECT_EQ(germany.name("en"), "Germany");
    EXPECT_EQ(germany.name("fr"), "Allemagne");
    EXPECT_EQ(germany.name("es"), "Alemania");
    EXPECT_EQ(germany.name("ru"), "Германия");
    EXPECT_EQ(germany.name("zh"), "德国");
    EXPECT_EQ(germany.name("ar"), "ألمانيا");
}

TEST(Reference, IdsRoundTrip) {
    ASSERT_EQ(all_stakeholder_groups().size(), 5u);
    for (auto group : all_stakeholder_groups()) {
        EXPECT_EQ(parse_stakeholder_group(id(group)), group);
    }
    ASSERT_EQ(all_regions().size(), 5u);
    for (auto region : all_regions()) {
        EXPECT_EQ(parse_region(id(region)), region);
    }
    EXPECT_EQ(id(StakeholderGroup::TechnicalCommunity), "technical-community");
    EXPECT_EQ(id(Region::Europe), "EUR");
    EXPECT_EQ(label(Region::AsiaPacific), "Asia/Australia/Pacific");
    EXPECT_FALSE(parse_stakeholder_group("Technical community").has_value());
    EXPECT_FALSE(parse_region("eur").has_value());
}

}  // namespace
}  // namespace coalition::accounts
