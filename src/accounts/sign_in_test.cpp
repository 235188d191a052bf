#include "accounts/sign_in.hpp"

#include "accounts/test_support.hpp"
#include "accounts/users.hpp"
#include "mail/outbox.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace coalition::accounts {
namespace {

using testing::email;

class SignInTest : public testing::DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        outbox_ = std::make_unique<mail::Outbox>(database(), clock_);
        links_ = std::make_unique<SignInLinks>(
            database(), clock_, random_, *outbox_,
            SignInMailSettings{mail::Mailbox{"Coalition", email("noreply@coalition.example")},
                               "Coalition"});
        auto ana = Users(database(), clock_)
                       .add_user(Actor::cli(),
                                 NewUser{.email = email("ana@example.org"), .display_name = "Ana"});
        ASSERT_TRUE(ana.has_value());
        ana_ = ana->id;
    }

    // The token of the link in the newest queued message.
    std::string token_from_outbox() {
        const auto items = outbox_->recent(1);
        EXPECT_EQ(items.size(), 1u);
        if (items.empty()) {
            return {};
        }
        // Undo quoted-printable soft line breaks, should the body have been wrapped.
        const std::string bytes = std::regex_replace(items.front().bytes, std::regex("=\r\n"), "");
        std::smatch match;
        EXPECT_TRUE(std::regex_search(
            bytes, match, std::regex("https://coalition\\.example/signin/([A-Za-z0-9_-]+)")))
            << bytes;
        return match.size() > 1 ? match[1].str() : std::string();
    }

    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<SignInLinks> links_;
    UserId ana_;
};

TEST_P(SignInTest, QueuesALinkThatWorksOnce) {
    ASSERT_TRUE(
        links_->request_sign_in_link(email("Ana@Example.org"), "en", "https://coalition.example/")
            .has_value());
    ASSERT_EQ(outbox_->depth(), 1);
    const auto item = outbox_->recent(1).front();
    ASSERT_EQ(item.envelope.recipients.size(), 1u);
    EXPECT_EQ(item.envelope.recipients.front(), "ana@example.org");
    EXPECT_EQ(item.subject, "Sign in to Coalition");

    const std::string token = token_from_outbox();
    ASSERT_EQ(token.size(), 43u);  // 32 bytes, base64url without padding.
    // Only the hash is kept.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sign_in_tokens WHERE token_hash = $1", {token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sign_in_tokens WHERE token_hash = $1",
                    {core::hash_token(token)}),
              1);

    clock_.advance(std::chrono::minutes(19));
    auto user = links_->consume_sign_in_token(token);
    ASSERT_TRUE(user.has_value()) << user.error().message;
    EXPECT_EQ(user->id, ana_);
    EXPECT_EQ(user->last_sign_in_at, clock_.unix_now());

    auto again = links_->consume_sign_in_token(token);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, core::ErrorCode::Expired);
}

TEST_P(SignInTest, LinkExpiresAfterTwentyMinutes) {
    ASSERT_TRUE(
        links_->request_sign_in_link(email("ana@example.org"), "fr", "https://coalition.example")
            .has_value());
    const std::string token = token_from_outbox();
    clock_.advance(std::chrono::minutes(21));
    auto expired = links_->consume_sign_in_token(token);
    ASSERT_FALSE(expired.has_value());
    EXPECT_EQ(expired.error().code, core::ErrorCode::Expired);

    auto unknown = links_->consume_sign_in_token("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::Expired);
    EXPECT_EQ(unknown.error().message, expired.error().message);
    for (const std::string& garbage :
         {std::string(), std::string(1'000'000, 'a'), std::string("'; DROP TABLE users;--"),
          std::string("\0\xff", 2)}) {
        EXPECT_EQ(links_->consume_sign_in_token(garbage).error().code, core::ErrorCode::Expired);
    }
}

TEST_P(SignInTest, UnknownAddressQueuesNothingAndLooksTheSame) {
    auto result = links_->request_sign_in_link(email("nobody@example.org"), "en",
                                               "https://coalition.example");
    EXPECT_TRUE(result.has_value());
    EXPECT_EQ(outbox_->depth(), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sign_in_tokens"), 0);
}

TEST_P(SignInTest, AtMostFiveLinksPerAddressAnHour) {
    for (int idx = 0; idx < SignInLinks::kMaxLinksPerHour; ++idx) {
        ASSERT_TRUE(
            links_
                ->request_sign_in_link(email("ana@example.org"), "en", "https://coalition.example")
                .has_value());
        clock_.advance(std::chrono::minutes(1));
    }
    auto limited =
        links_->request_sign_in_link(email("ANA@example.org"), "en", "https://coalition.example");
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().code, core::ErrorCode::RateLimited);
    EXPECT_EQ(outbox_->depth(), 5);

    // Unknown addresses are limited alike, so the limit does not reveal which have accounts.
    for (int idx = 0; idx < SignInLinks::kMaxLinksPerHour; ++idx) {
        EXPECT_TRUE(links_
                        ->request_sign_in_link(email("nobody@example.org"), "en",
                                               "https://coalition.example")
                        .has_value());
    }
    EXPECT_EQ(
        links_->request_sign_in_link(email("nobody@example.org"), "en", "https://coalition.example")
            .error()
            .code,
        core::ErrorCode::RateLimited);

    clock_.advance(std::chrono::minutes(60));
    EXPECT_TRUE(
        links_->request_sign_in_link(email("ana@example.org"), "en", "https://coalition.example")
            .has_value());
    EXPECT_EQ(outbox_->depth(), 6);
}

TEST_P(SignInTest, EachLinkIsItsOwn) {
    ASSERT_TRUE(
        links_->request_sign_in_link(email("ana@example.org"), "ar", "https://coalition.example")
            .has_value());
    const std::string first = token_from_outbox();
    ASSERT_TRUE(
        links_->request_sign_in_link(email("ana@example.org"), "zz", "https://coalition.example")
            .has_value());
    const std::string second = token_from_outbox();
    EXPECT_NE(first, second);
    EXPECT_TRUE(links_->consume_sign_in_token(second).has_value());
    EXPECT_TRUE(links_->consume_sign_in_token(first).has_value());
}

COALITION_INSTANTIATE_FOR_DIALECTS(SignInTest);

}  // namespace
}  // namespace coalition::accounts
