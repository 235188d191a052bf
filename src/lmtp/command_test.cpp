#include "lmtp/command.hpp"

#include <gtest/gtest.h>

namespace coalition::lmtp {
namespace {

TEST(ParseCommand, VerbIsCaseInsensitiveAndArgumentTrimmed) {
    Command command = parse_command("mAiL   FROM:<a@b.example>  ");
    EXPECT_EQ(command.verb, Verb::Mail);
    EXPECT_EQ(command.argument, "FROM:<a@b.example>");
    EXPECT_EQ(parse_command("LHLO mx.example").verb, Verb::Lhlo);
    EXPECT_EQ(parse_command("quit").verb, Verb::Quit);
    EXPECT_EQ(parse_command("").verb, Verb::Unknown);
    EXPECT_EQ(parse_command("QUITX").verb, Verb::Unknown);
    EXPECT_EQ(parse_command(std::string_view("DATA\0", 5)).verb, Verb::Unknown);
}

TEST(ParsePathArgument, ReadsAddressAndParameters) {
    auto path =
        parse_path_argument("FROM:<anna@example.org> SIZE=1000 body=8bitmime SMTPUTF8", "FROM");
    ASSERT_TRUE(path.has_value());
    EXPECT_EQ(path->address, "anna@example.org");
    ASSERT_EQ(path->parameters.size(), 3U);
    EXPECT_EQ(path->parameters[0], (Parameter{"SIZE", "1000"}));
    EXPECT_EQ(path->parameters[1], (Parameter{"BODY", "8bitmime"}));
    EXPECT_EQ(path->parameters[2], (Parameter{"SMTPUTF8", ""}));
}

TEST(ParsePathArgument, AcceptsNullSenderSpaceAfterColonAndSourceRoute) {
    EXPECT_EQ(parse_path_argument("FROM:<>", "FROM")->address, "");
    EXPECT_EQ(parse_path_argument("from: <a@b.example>", "FROM")->address, "a@b.example");
    EXPECT_EQ(parse_path_argument("TO:<@relay.example,@x.example:a@b.example>", "TO")->address,
              "a@b.example");
    EXPECT_EQ(parse_path_argument("TO:<Postmaster>", "TO")->address, "Postmaster");
    EXPECT_EQ(parse_path_argument("TO:<\"a b>c\"@b.example>", "TO")->address,
              "\"a b>c\"@b.example");
    EXPECT_EQ(parse_path_argument("TO:<анна@пример.рф>", "TO")->address, "анна@пример.рф");
}

TEST(ParsePathArgument, RejectsSyntax) {
    for (std::string_view bad :
         {"FROM<a@b.example>", "FROM:a@b.example", "FROM:<a@b.example", "TO:<a@b.example>",
          "FROM:<a@b.example>SIZE=1", "FROM:<a@b.example> SIZE=", "FROM:<a@b.example> =1",
          "FROM:<a@b.example> SI_ZE=1", "FROM:<a@b.example> -X"}) {
        auto path = parse_path_argument(bad, "FROM");
        ASSERT_FALSE(path.has_value()) << bad;
        EXPECT_EQ(path.error().field, "") << bad;
    }
}

TEST(ParsePathArgument, RejectsBadAddresses) {
    const std::string too_long = "TO:<" + std::string(250, 'a') + "@b.example>";
    for (std::string_view bad :
         {std::string_view("TO:<a b@c.example>"), std::string_view("TO:<noat>"),
          std::string_view("TO:<@b.example>"), std::string_view("TO:<a@>"),
          std::string_view("TO:<a\x01@b.example>"), std::string_view("TO:<\xff@b.example>"),
          std::string_view("TO:<@route:>"), std::string_view("TO:<a\0@b.example>", 17),
          std::string_view(too_long)}) {
        auto path = parse_path_argument(bad, "TO");
        ASSERT_FALSE(path.has_value()) << bad;
        EXPECT_EQ(path.error().field, "address") << bad;
    }
}

TEST(ParsePathArgument, UnterminatedQuoteHidesTheClosingBracket) {
    EXPECT_FALSE(parse_path_argument("TO:<\"open@b.example>", "TO").has_value());
    EXPECT_FALSE(parse_path_argument("TO:<\"a\\\"@b.example>", "TO").has_value());
}

TEST(HasNonAscii, FindsHighBytes) {
    EXPECT_FALSE(has_non_ascii("a@b.example"));
    EXPECT_TRUE(has_non_ascii("é@b.example"));
}

}  // namespace
}  // namespace coalition::lmtp
