#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::core {
namespace {

using namespace std::string_literals;

TEST(Text, AsciiIsEveryByteBelow0x80) {
    EXPECT_TRUE(is_ascii(""));
    EXPECT_TRUE(is_ascii("MAIL FROM:<a@example.org>\r\n\t~\x7f"));
    EXPECT_TRUE(is_ascii("nul\0inside"s));
    EXPECT_FALSE(is_ascii("caf\xc3\xa9"));     // é in UTF-8.
    EXPECT_FALSE(is_ascii("\x80"));            // A lone continuation byte.
    EXPECT_FALSE(is_ascii("plain text\xff"));  // Not UTF-8 at all.
}

TEST(Text, AsciiCaseIsIgnoredAndNothingElse) {
    EXPECT_TRUE(equals_ignoring_ascii_case("Content-Type", "content-TYPE"));
    EXPECT_TRUE(equals_ignoring_ascii_case("", ""));
    EXPECT_TRUE(equals_ignoring_ascii_case("zh-Hans", "ZH-hans"));
    EXPECT_FALSE(equals_ignoring_ascii_case("LHLO", "LHLO "));  // Lengths differ.
    EXPECT_FALSE(equals_ignoring_ascii_case("data", "date"));
    // Only A–Z fold: '@' and '`' sit next to the letters, and UTF-8 letters are bytes to match.
    EXPECT_FALSE(equals_ignoring_ascii_case("@", "`"));
    EXPECT_FALSE(equals_ignoring_ascii_case("[", "{"));
    EXPECT_FALSE(equals_ignoring_ascii_case("\xc3\x89", "\xc3\xa9"));  // É, é.
    EXPECT_TRUE(equals_ignoring_ascii_case("\xc3\xa9t\xc3\xa9", "\xc3\xa9T\xc3\xa9"));
}

}  // namespace
}  // namespace coalition::core
