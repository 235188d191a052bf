#include "accounts/organisation.hpp"

#include "accounts/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace coalition::accounts {
namespace {

using testing::draft;

std::vector<std::string> error_fields(const Validated<OrganisationFields>& validated) {
    std::vector<std::string> fields;
    for (const auto& error : validated.errors()) {
        fields.push_back(error.field);
    }
    return fields;
}

TEST(OrganisationDraft, ValidDraftGivesFields) {
    OrganisationDraft input{
        .name = "  InternetNZ  ",
        .short_name = "",
        .slug = "",
        .country = "nz",
        .stakeholder_group = "technical-community",
        .website = "https://internetnz.nz",
        .domain = "InternetNZ.nz",
        .status = "member",
        .description = "Line one.\nLine two.",
    };
    auto fields = input.validate();
    ASSERT_TRUE(fields.has_value());
    EXPECT_EQ(fields->name(), "InternetNZ");
    EXPECT_EQ(fields->slug().value(), "internetnz");
    EXPECT_TRUE(fields->is_slug_derived());
    EXPECT_EQ(fields->country().code(), "NZ");
    EXPECT_EQ(fields->region(), Region::AsiaPacific);
    EXPECT_EQ(fields->stakeholder_group(), StakeholderGroup::TechnicalCommunity);
    EXPECT_EQ(fields->website()->value(), "https://internetnz.nz");
    EXPECT_EQ(fields->domain()->unicode(), "internetnz.nz");
    EXPECT_EQ(fields->status(), OrganisationStatus::Member);
    EXPECT_EQ(fields->description(), "Line one.\nLine two.");
}

TEST(OrganisationDraft, ReportsEveryBadFieldAtOnce) {
    OrganisationDraft input{
        .name = "",
        .short_name = std::string(61, 'x'),
        .slug = "Not A Slug",
        .country = "XX",
        .stakeholder_group = "press",
        .website = "javascript:alert(1)",
        .domain = "not a domain",
        .status = "founder",
        .description = std::string("nul\0here", 8),
    };
    auto fields = input.validate();
    ASSERT_FALSE(fields.has_value());
    EXPECT_EQ(
        error_fields(fields),
        (std::vector<std::string>{"name", "short_name", "slug", "country", "stakeholder_group",
                                  "website", "domain", "status", "description"}));
    for (const auto& error : fields.errors()) {
        EXPECT_EQ(error.code, core::ErrorCode::Invalid);
        EXPECT_FALSE(error.message.empty());
    }
    EXPECT_NE(fields.error_for("country"), nullptr);
    EXPECT_EQ(fields.error_for("nonexistent"), nullptr);
}

TEST(OrganisationDraft, OptionalFieldsMayBeEmpty) {
    auto input = draft("Example Registry");
    input.status = "";
    auto fields = input.validate();
    ASSERT_TRUE(fields.has_value());
    EXPECT_FALSE(fields->website().has_value());
    EXPECT_FALSE(fields->domain().has_value());
    EXPECT_EQ(fields->status(), OrganisationStatus::Candidate);
    EXPECT_EQ(fields->short_name(), "");
}

TEST(OrganisationDraft, RegionFollowsCountry) {
    for (const auto& [country, region] :
         std::vector<std::pair<std::string, Region>>{{"GB", Region::Europe},
                                                     {"AU", Region::AsiaPacific},
                                                     {"CA", Region::NorthAmerica},
                                                     {"MX", Region::LatinAmericaCaribbean},
                                                     {"ZA", Region::Africa}}) {
        EXPECT_EQ(testing::fields(draft("Example", country)).region(), region) << country;
    }
}

TEST(OrganisationDraft, HostileTextIsKeptVerbatim) {
    for (const std::string& text :
         {std::string("<script>alert('x')</script>"),
          std::string("Robert'); DROP TABLE organisations;--"),
          std::string("\"><img src=x onerror=alert(1)>"),
          std::string("{{mustache}} ${shell} %s %n"), std::string("مركز معلومات الشبكة \u202e")}) {
        auto input = draft(text);
        input.description = text;
        auto fields = input.validate();
        ASSERT_TRUE(fields.has_value()) << text;
        EXPECT_EQ(fields->name(), text);
        EXPECT_EQ(fields->description(), text);
    }
}

TEST(OrganisationDraft, RefusesInvalidUtf8ControlsAndHugeText) {
    const std::vector<std::string> bad_names = {
        std::string("bad \xc3\x28 utf8"), std::string("overlong \xc0\xaf"),
        std::string("nul \0 byte", 10),   std::string("new\nline"),
        std::string("tab\there"),         std::string("bell\a"),
        std::string(1'000'000, 'n'),      std::string(201, 'n')};
    for (const auto& name : bad_names) {
        auto fields = draft(name).validate();
        ASSERT_FALSE(fields.has_value()) << name.substr(0, 20);
        EXPECT_EQ(error_fields(fields), std::vector<std::string>{"name"});
    }
    EXPECT_TRUE(draft(std::string(200, 'n')).validate().has_value());
    // 200 characters of two bytes each are still 200 characters.
    std::string two_byte;
    for (int idx = 0; idx < 200; ++idx) {
        two_byte += "é";
    }
    EXPECT_TRUE(draft(two_byte).validate().has_value());

    auto input = draft("Example");
    input.description = std::string(kMaxDescriptionLength + 1, 'd');
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"description"});
    input.description = "bad \xff";
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"description"});
    input.website = "https://example.org/\xff";
    input.description = "";
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"website"});
}

TEST(OrganisationDraft, IdnDomainBecomesULabel) {
    for (const char* typed : {"xn--bcher-kva.example", "BÜCHER.example", "bücher.example."}) {
        auto fields = draft("Books", "DE", typed).validate();
        ASSERT_TRUE(fields.has_value()) << typed;
        EXPECT_EQ(fields->domain()->unicode(), "bücher.example");
        EXPECT_EQ(fields->domain()->ascii(), "xn--bcher-kva.example");
    }
    EXPECT_FALSE(draft("Books", "DE", "bücher").validate().has_value());
    EXPECT_FALSE(draft("Books", "DE", "a..b").validate().has_value());
}

TEST(OrganisationDraft, SlugFromShortNameThenNameOrAsTyped) {
    auto input = draft(".au Domain Administration", "AU");
    EXPECT_EQ(testing::fields(input).slug().value(), "au-domain-administration");
    input.short_name = "auDA";
    EXPECT_EQ(testing::fields(input).slug().value(), "auda");
    EXPECT_TRUE(testing::fields(input).is_slug_derived());
    input.slug = "au-registry";
    EXPECT_EQ(testing::fields(input).slug().value(), "au-registry");
    EXPECT_FALSE(testing::fields(input).is_slug_derived());
    input.slug = "AU Registry";
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"slug"});
}

TEST(OrganisationDraft, StatusesAndGroupsByIdOnly) {
    for (const char* status : {"member", "candidate", "former"}) {
        auto input = draft("Example");
        input.status = status;
        EXPECT_TRUE(input.validate().has_value()) << status;
    }
    auto input = draft("Example");
    input.status = "Member";
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"status"});
    input.status = "member";
    input.stakeholder_group = "";
    EXPECT_EQ(error_fields(input.validate()), std::vector<std::string>{"stakeholder_group"});
}

}  // namespace
}  // namespace coalition::accounts
