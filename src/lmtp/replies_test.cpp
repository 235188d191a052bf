#include "lmtp/replies.hpp"

#include <gtest/gtest.h>

namespace coalition::lmtp {
namespace {

TEST(FormatReply, WritesCodeEnhancedCodeAndText) {
    EXPECT_EQ(format_reply({250, "2.1.5", "OK"}), "250 2.1.5 OK\r\n");
    EXPECT_EQ(format_reply({354, "", "Go ahead"}), "354 Go ahead\r\n");
}

TEST(FormatReply, ControlCharactersCannotForgeALine) {
    EXPECT_EQ(format_reply({550, "5.1.1", "no\r\n250 2.0.0 OK"}), "550 5.1.1 no  250 2.0.0 OK\r\n");
}

TEST(FormatMultiline, ContinuationDashesThenSpace) {
    EXPECT_EQ(format_multiline(250, {"mx", "PIPELINING", "SIZE 10"}),
              "250-mx\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
}

TEST(ReplyFor, MapsEveryErrorCode) {
    EXPECT_EQ(reply_for(core::Error::not_found("No such list")),
              (Reply{550, "5.1.1", "No such list"}));
    EXPECT_EQ(reply_for(core::Error::forbidden("x")).enhanced, "5.7.1");
    EXPECT_EQ(reply_for({core::ErrorCode::Unauthorised, "x", ""}).code, 550);
    EXPECT_EQ(reply_for({core::ErrorCode::TooLarge, "x", ""}), (Reply{552, "5.3.4", "x"}));
    EXPECT_EQ(reply_for({core::ErrorCode::RateLimited, "x", ""}).code, 450);
    EXPECT_EQ(reply_for(core::Error::conflict("x")).code, 550);
    EXPECT_EQ(reply_for(core::Error::expired("x")).code, 550);
    EXPECT_EQ(reply_for(core::Error::invalid("x")).code, 554);
    EXPECT_EQ(unavailable_reply().code, 451);
    EXPECT_EQ(unavailable_reply().enhanced, "4.3.0");
}

}  // namespace
}  // namespace coalition::lmtp
