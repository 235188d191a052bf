#include "web/csrf.hpp"

#include <gtest/gtest.h>

namespace coalition::web {
namespace {

constexpr std::string_view kSiteSecret = "a-long-random-site-secret-from-the-config";

Visitor visitor_with(std::string secret) {
    Visitor visitor;
    visitor.csrf_secret = std::move(secret);
    return visitor;
}

TEST(Csrf, TokenVerifiesForItsVisitor) {
    Visitor visitor = visitor_with("session-csrf-secret");
    std::string token = csrf::token_for(visitor, kSiteSecret);
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(token, csrf::token_for(visitor, kSiteSecret));
    EXPECT_TRUE(csrf::verify(visitor, kSiteSecret, token));
}

TEST(Csrf, TokenOfAnotherVisitorFails) {
    std::string token = csrf::token_for(visitor_with("alice"), kSiteSecret);
    EXPECT_FALSE(csrf::verify(visitor_with("bob"), kSiteSecret, token));
    EXPECT_NE(token, csrf::token_for(visitor_with("bob"), kSiteSecret));
}

TEST(Csrf, TokenUnderAnotherSiteSecretFails) {
    Visitor visitor = visitor_with("alice");
    EXPECT_FALSE(csrf::verify(visitor, "other-site", csrf::token_for(visitor, kSiteSecret)));
}

TEST(Csrf, TamperedTokenFails) {
    Visitor visitor = visitor_with("alice");
    std::string token = csrf::token_for(visitor, kSiteSecret);
    std::string flipped = token;
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(csrf::verify(visitor, kSiteSecret, flipped));
    EXPECT_FALSE(csrf::verify(visitor, kSiteSecret, token.substr(0, 42)));
    EXPECT_FALSE(csrf::verify(visitor, kSiteSecret, token + "A"));
    EXPECT_FALSE(csrf::verify(visitor, kSiteSecret, std::string(token.size(), '\0')));
}

TEST(Csrf, EmptyTokenOrSecretFails) {
    Visitor visitor = visitor_with("alice");
    EXPECT_FALSE(csrf::verify(visitor, kSiteSecret, ""));
    Visitor anonymous;
    EXPECT_EQ(csrf::token_for(anonymous, kSiteSecret), "");
    EXPECT_FALSE(csrf::verify(anonymous, kSiteSecret, ""));
    EXPECT_FALSE(csrf::verify(anonymous, kSiteSecret, csrf::token_for(visitor, kSiteSecret)));
}

TEST(Csrf, LongSiteSecretsWork) {
    std::string long_secret(500, 's');
    Visitor visitor = visitor_with("alice");
    EXPECT_TRUE(csrf::verify(visitor, long_secret, csrf::token_for(visitor, long_secret)));
}

}  // namespace
}  // namespace coalition::web
