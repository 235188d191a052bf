#include "statement/statement.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::statement {
namespace {

std::string canonical(std::string_view text) {
    auto result = canonical_text(text);
    EXPECT_TRUE(result.has_value()) << result.error().message;
    return result ? *result : std::string();
}

void expect_invalid(std::string_view text) {
    auto result = canonical_text(text);
    ASSERT_FALSE(result.has_value()) << "accepted: " << *result;
    EXPECT_EQ(result.error().code, core::ErrorCode::Invalid);
    EXPECT_EQ(result.error().field, "markdown");
}

TEST(CanonicalText, UnifiesLineEndsTrimsLinesAndEndsWithOneNewline) {
    EXPECT_EQ(canonical("# Title  \r\n\r\nText\t \rMore"), "# Title\n\nText\nMore\n");
    EXPECT_EQ(canonical("one\n\n\n\n"), "one\n");
    EXPECT_EQ(canonical("  indented stays\n"), "  indented stays\n");
    EXPECT_EQ(canonical("a\n   \nb"), "a\n\nb\n");
}

TEST(CanonicalText, NormalisesToNfc) {
    // "é" as e + U+0301 becomes U+00E9; Hangul jamo compose.
    EXPECT_EQ(canonical("Cafe\xCC\x81"), "Caf\xC3\xA9\n");
    EXPECT_EQ(canonical("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80\n");
}

TEST(CanonicalText, IsIdempotent) {
    for (const char* text : {"# A\r\n\r\nb  \n", "x", "ابدأ  \n\n", "多利益攸关方\r\n"}) {
        const std::string once = canonical(text);
        EXPECT_EQ(canonical(once), once);
    }
}

TEST(CanonicalText, RefusesBadInput) {
    expect_invalid("");
    expect_invalid(" \n\t\r\n  ");
    expect_invalid(std::string_view("nul\0byte", 8));
    expect_invalid("bell\x07");
    expect_invalid("escape\x1b[31m");
    expect_invalid("delete\x7f");
    expect_invalid("c1 \xC2\x85 next line");
    expect_invalid("\xC3\x28");           // Invalid continuation.
    expect_invalid("\xED\xA0\x80");       // Surrogate.
    expect_invalid("\xC0\xAF");           // Overlong "/".
    expect_invalid("\xF4\x90\x80\x80");   // Past U+10FFFF.
    expect_invalid("trailing \xE2\x82");  // Truncated.
}

TEST(CanonicalText, LimitsLength) {
    EXPECT_TRUE(canonical_text(std::string(kMaxTextCharacters - 1, 'a')).has_value());
    expect_invalid(std::string(kMaxTextCharacters, 'a'));  // Plus the final newline.
    // Counted in characters, not bytes: 99,999 three-byte characters fit.
    std::string cjk;
    for (std::size_t count = 0; count + 1 < kMaxTextCharacters; ++count) {
        cjk += "\xE5\xA3\xB0";
    }
    EXPECT_TRUE(canonical_text(cjk).has_value());
    expect_invalid(std::string(10 * kMaxTextCharacters, ' ') + "x");
}

TEST(VersionHash, IsHexSha256) {
    // FIPS 180-2 test vector.
    EXPECT_EQ(version_hash("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(version_hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(version_hash(canonical("Hello\r\n")), version_hash("Hello\n"));
}

TEST(FirstHeading, FindsAtxAndSetextHeadingsAsPlainText) {
    EXPECT_EQ(first_heading("Intro\n\n## The *Statement* of `Purpose`\n\n# Later\n"),
              "The Statement of Purpose");
    EXPECT_EQ(first_heading("Déclaration\n===========\n"), "Déclaration");
    EXPECT_EQ(first_heading("# [Linked](https://example.org) title  \n"), "Linked title");
    EXPECT_EQ(first_heading("no heading at all\n"), "");
    EXPECT_EQ(first_heading("    # code, not a heading\n"), "");
    EXPECT_EQ(first_heading("# <b>bold</b>\n"), "bold");
}

}  // namespace
}  // namespace coalition::statement
