#include "core/email.hpp"

#include "core/random.hpp"
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace coalition::core {
namespace {

TEST(Domain, NormalisesIdnToBothForms) {
    auto domain = Domain::parse("Bücher.Example");
    ASSERT_TRUE(domain);
    EXPECT_EQ(domain->unicode(), "bücher.example");
    EXPECT_EQ(domain->ascii(), "xn--bcher-kva.example");
    auto same = Domain::parse("xn--bcher-kva.example.");
    ASSERT_TRUE(same);
    EXPECT_EQ(*domain, *same);
}

TEST(Domain, ArabicAndNontransitionalSharpS) {
    auto arabic = Domain::parse("مثال.إختبار");
    ASSERT_TRUE(arabic);
    EXPECT_EQ(arabic->ascii(), "xn--mgbh0fb.xn--kgbechtv");
    auto sharp = Domain::parse("faß.de");
    ASSERT_TRUE(sharp);
    EXPECT_EQ(sharp->ascii(), "xn--fa-hia.de");
}

TEST(Domain, RejectsMalformedNames) {
    for (const char* bad : {"", "localhost", "a..b", "-a.example", "exa mple.org", "a_b.example",
                            "\xff\xfe.example", ".", "example..", "<script>.org"}) {
        EXPECT_FALSE(Domain::parse(bad)) << bad;
    }
    EXPECT_FALSE(Domain::parse(std::string(64, 'a') + ".example"));
}

TEST(Domain, IsWithinMatchesSubdomainsOnly) {
    auto parent = *Domain::parse("nominet.uk");
    EXPECT_TRUE(Domain::parse("mail.nominet.uk")->is_within(parent));
    EXPECT_TRUE(Domain::parse("NOMINET.uk")->is_within(parent));
    EXPECT_FALSE(Domain::parse("evilnominet.uk")->is_within(parent));
}

TEST(Email, AcceptsInternationalisedAddresses) {
    auto email = Email::parse("  анна@пример.рф ");
    ASSERT_TRUE(email);
    EXPECT_EQ(email->unicode(), "анна@пример.рф");
    EXPECT_EQ(email->envelope(), "анна@xn--e1afmkfd.xn--p1ai");
    EXPECT_TRUE(email->needs_smtputf8());
    auto ascii = Email::parse("Jane.Doe+coalition@Example.ORG");
    ASSERT_TRUE(ascii);
    EXPECT_FALSE(ascii->needs_smtputf8());
    EXPECT_EQ(ascii->canonical(), "jane.doe+coalition@example.org");
    EXPECT_EQ(*ascii, *Email::parse("jane.doe+COALITION@example.org"));
}

TEST(Email, RejectsWhatIsNotOneAddress) {
    for (const char* bad :
         {"", "no-at-sign", "@example.org", "a@", "a@@example.org", "a b@example.org",
          "\"quoted\"@example.org", "Jane <jane@example.org>", "a..b@example.org", ".a@example.org",
          "a@localhost", "a\x01@example.org", "a@exa\xc3.org", "<script>@example.org"}) {
        auto result = Email::parse(bad);
        ASSERT_FALSE(result) << bad;
        EXPECT_EQ(result.error().field, "email");
    }
    EXPECT_FALSE(Email::parse(std::string(65, 'a') + "@example.org"));
}

TEST(Text, ValidatesUtf8) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("العربية 中文"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // Overlong "/".
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // Surrogate.
    EXPECT_FALSE(is_valid_utf8("abc\xe2\x82"));   // Truncated.
    EXPECT_TRUE(has_control_characters(std::string("a\0b", 3)));
    EXPECT_FALSE(has_control_characters("line\r\nnext\tcol"));
    EXPECT_EQ(trim("\u00a0 hello \u3000"), "hello");
    EXPECT_EQ(character_count("مثال"), 4u);
}

TEST(Random, TokensAreUrlSafeAndDistinct) {
    SecureRandom random;
    const auto first = random.token();
    const auto second = random.token();
    EXPECT_EQ(first.size(), 43u);  // 32 bytes, unpadded base64url.
    EXPECT_NE(first, second);
    EXPECT_EQ(
        first.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_EQ(hash_token(first).size(), 64u);
    EXPECT_NE(hash_token(first), hash_token(second));
    EXPECT_TRUE(equal_constant_time(first, first));
    EXPECT_FALSE(equal_constant_time(first, second));
}

}  // namespace
}  // namespace coalition::core
