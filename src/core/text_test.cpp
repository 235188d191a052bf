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

TEST(Text, NfcComposesWhatIsDecomposedAndKeepsWhatIsNot) {
    EXPECT_EQ(to_nfc("plain ASCII"), "plain ASCII");
    EXPECT_EQ(to_nfc("caf\xc3\xa9"), "caf\xc3\xa9");                // Already NFC: unchanged.
    EXPECT_EQ(to_nfc("cafe\xcc\x81"), "caf\xc3\xa9");               // e + U+0301 -> é.
    EXPECT_EQ(to_nfc("\xe1\x84\x80\xe1\x85\xa1"), "\xea\xb0\x80");  // Jamo -> 가.
    EXPECT_EQ(to_nfc("\xe2\x84\xab"), "\xc3\x85");                  // Angstrom sign -> Å.
    // Invalid UTF-8 comes out valid: each bad sequence is U+FFFD.
    EXPECT_EQ(to_nfc("a\xff"
                     "e\xcc\x81"),
              "a\xef\xbf\xbd\xc3\xa9");
}

TEST(Text, LowerCaseIsUnicodesDefaultMapping) {
    EXPECT_EQ(to_lower("Hello, WORLD 42"), "hello, world 42");
    EXPECT_EQ(to_lower("\xc3\x89T\xc3\x89"), "\xc3\xa9t\xc3\xa9");                // ÉTÉ -> été.
    EXPECT_EQ(to_lower("\xd0\x9c\xd0\x98\xd0\xa0"), "\xd0\xbc\xd0\xb8\xd1\x80");  // МИР.
}

TEST(Text, TrimRemovesAsciiAndUnicodeSpaceAtBothEndsOnly) {
    EXPECT_EQ(trim("  two words \t\r\n"), "two words");
    EXPECT_EQ(trim("\v\fx\f\v"), "x");
    EXPECT_EQ(trim(" \xc2\xa0 mixed \xe3\x80\x80 "), "mixed");  // NBSP, ideographic space.
    EXPECT_EQ(trim("\xc2\x85next line\xc2\x85"), "next line");  // U+0085 is white space.
    EXPECT_EQ(trim("\x1finner\x1f"), "\x1finner\x1f");          // U+001F is not.
    EXPECT_EQ(trim(" caf\xc3\xa9 "), "caf\xc3\xa9");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(trim(""), "");
    // Invalid UTF-8 comes out valid, ASCII edges or not.
    EXPECT_EQ(trim(" a\xff"
                   "b "),
              "a\xef\xbf\xbd"
              "b");
}

}  // namespace
}  // namespace coalition::core
