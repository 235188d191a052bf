#include "accounts/slug.hpp"

#include <gtest/gtest.h>

namespace coalition::accounts {
namespace {

TEST(Slug, ParsesOnlyCanonicalSlugs) {
    for (const char* good : {"a", "internetnz", "cira-ca", "2024-coalition"}) {
        EXPECT_TRUE(Slug::parse(good).has_value()) << good;
    }
    for (const char* bad :
         {"", "-a", "a-", "a--b", "InternetNZ", "a b", "a_b", "ü", "a/b", "../etc", "a'--"}) {
        auto slug = Slug::parse(bad);
        ASSERT_FALSE(slug.has_value()) << bad;
        EXPECT_EQ(slug.error().field, "slug");
    }
    EXPECT_TRUE(Slug::parse(std::string(64, 'a')).has_value());
    EXPECT_FALSE(Slug::parse(std::string(65, 'a')).has_value());
    EXPECT_FALSE(Slug::parse(std::string("a\0b", 3)).has_value());
}

TEST(Slug, DerivesFromAnyScript) {
    EXPECT_EQ(Slug::derive("InternetNZ").value(), "internetnz");
    EXPECT_EQ(Slug::derive("  .au Domain Administration ").value(), "au-domain-administration");
    EXPECT_EQ(Slug::derive("Bücher Straße").value(), "bucher-strasse");
    EXPECT_EQ(Slug::derive("People's Network").value(), "peoples-network");
    EXPECT_EQ(Slug::derive("Координационный центр").value(), "koordinacionnyj-centr");
    EXPECT_EQ(Slug::derive("中国").value(), "zhong-guo");
    EXPECT_EQ(Slug::derive("<script>alert(1)</script>").value(), "script-alert-1-script");
    EXPECT_EQ(Slug::derive("--- !!! ---").value(), "organisation");
    EXPECT_EQ(Slug::derive("").value(), "organisation");
}

TEST(Slug, DerivedSlugsAreAlwaysValidAndShort) {
    for (const std::string& text : {std::string(1'000'000, 'x'), std::string(300, 'a') + " b",
                                    std::string("word ") + std::string(100, 'z'),
                                    std::string("مركز معلومات الشبكة"), std::string(500, '-')}) {
        const Slug slug = Slug::derive(text);
        EXPECT_LE(slug.value().size(), Slug::kMaxLength);
        EXPECT_TRUE(Slug::parse(slug.value()).has_value()) << slug.value();
    }
}

TEST(Slug, SuffixKeepsWithinTheLimit) {
    EXPECT_EQ(Slug::derive("Example").with_suffix(2).value(), "example-2");
    const Slug long_slug = *Slug::parse(std::string(64, 'a'));
    const Slug suffixed = long_slug.with_suffix(12);
    EXPECT_EQ(suffixed.value().size(), 64u);
    EXPECT_TRUE(suffixed.value().ends_with("-12"));
    EXPECT_TRUE(Slug::parse(suffixed.value()).has_value());
}

}  // namespace
}  // namespace coalition::accounts
