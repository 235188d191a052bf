#include "web/forms.hpp"

#include <gtest/gtest.h>

namespace coalition::web {
namespace {

TEST(Forms, DecodesPercentAndPlus) {
    auto form = parse_form("name=Ana+Mar%C3%ADa&note=a%2Bb%26c%3Dd&empty=&flag");
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(form->value("name"), "Ana María");
    EXPECT_EQ(form->value("note"), "a+b&c=d");
    ASSERT_TRUE(form->get("empty").has_value());
    EXPECT_EQ(*form->get("empty"), "");
    EXPECT_TRUE(form->has("flag"));
    EXPECT_FALSE(form->get("missing").has_value());
    EXPECT_EQ(form->value("missing"), "");
}

TEST(Forms, KeepsRepeatedFieldsInOrder) {
    auto form = parse_form("tag=a&x=1&tag=b&&tag=c");
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(form->size(), 4u);
    EXPECT_EQ(form->value("tag"), "a");
    std::vector<std::string_view> tags = form->all("tag");
    ASSERT_EQ(tags.size(), 3u);
    EXPECT_EQ(tags[0], "a");
    EXPECT_EQ(tags[1], "b");
    EXPECT_EQ(tags[2], "c");
}

TEST(Forms, EmptyInputIsAnEmptyForm) {
    auto form = parse_form("");
    ASSERT_TRUE(form.has_value());
    EXPECT_TRUE(form->empty());
}

TEST(Forms, KeepsHostileTextVerbatim) {
    auto form =
        parse_form("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&sql=%27%3B+DROP+TABLE+users%3B--");
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(form->value("q"), "<script>alert(1)</script>");
    EXPECT_EQ(form->value("sql"), "'; DROP TABLE users;--");
}

TEST(Forms, RejectsBadPercentEncoding) {
    for (std::string_view text : {"a=%", "a=%4", "a=%G1", "a=%%41", "%zz=1"}) {
        auto form = parse_form(text);
        ASSERT_FALSE(form.has_value()) << text;
        EXPECT_EQ(form.error().code, core::ErrorCode::Invalid) << text;
    }
}

TEST(Forms, RejectsInvalidUtf8AndNamesTheField) {
    for (std::string_view text :
         {"bio=%FF", "bio=%C3%28", "bio=%ED%A0%80", "bio=%C0%AF", "bio=%F4%90%80%80"}) {
        auto form = parse_form(text);
        ASSERT_FALSE(form.has_value()) << text;
        EXPECT_EQ(form.error().code, core::ErrorCode::Invalid);
        EXPECT_EQ(form.error().field, "bio");
    }
    // Raw (unencoded) invalid bytes are rejected too.
    auto raw = parse_form(std::string_view("bio=\xff\xfe", 6));
    EXPECT_FALSE(raw.has_value());
}

TEST(Forms, RejectsNul) {
    EXPECT_FALSE(parse_form("a=x%00y").has_value());
    EXPECT_FALSE(parse_form(std::string_view("a=x\0y", 5)).has_value());
    EXPECT_FALSE(parse_form("a%00=1").has_value());
}

TEST(Forms, LimitsTheNumberOfFields) {
    std::string text;
    for (std::size_t idx = 0; idx < Form::kMaxFields; ++idx) {
        text += "f=" + std::to_string(idx) + "&";
    }
    auto at_limit = parse_form(text);
    ASSERT_TRUE(at_limit.has_value());
    EXPECT_EQ(at_limit->size(), Form::kMaxFields);
    auto over = parse_form(text + "one=more");
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, core::ErrorCode::TooLarge);
}

TEST(Forms, ParsesAOneMegabyteField) {
    std::string big(std::size_t{1024} * 1024, 'x');
    big.replace(0, 3, "%C3");  // Becomes an invalid sequence: 0xC3 followed by 'x'.
    EXPECT_FALSE(parse_form("big=" + big).has_value());
    std::string encoded;
    for (int idx = 0; idx < 1024 * 1024 / 6; ++idx) {
        encoded += "%C3%A9";
    }
    auto form = parse_form("big=" + encoded);
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(form->value("big").size(), encoded.size() / 3);
}

TEST(Forms, PercentDecodeLeavesPlusAloneByDefault) {
    EXPECT_EQ(*percent_decode("a+b%20c"), "a+b c");
    EXPECT_EQ(*percent_decode("a+b", PlusIsSpace::Yes), "a b");
    EXPECT_FALSE(percent_decode("%").has_value());
}

TEST(Forms, PercentEncodeRoundTrips) {
    std::string text = "a b/c?d=e&f+g~h_i.j-k \xd8\xa8\xd9\x8a\xd8\xa7\xd9\x86";
    std::string encoded = percent_encode(text);
    EXPECT_EQ(encoded.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%"),
              std::string::npos);
    EXPECT_EQ(*percent_decode(encoded), text);
    EXPECT_EQ(percent_encode("/a b"), "%2Fa%20b");
}

}  // namespace
}  // namespace coalition::web
