#include "accounts/api_tokens.hpp"

#include "accounts/users.hpp"
#include "core/clock.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace coalition::accounts {
namespace {

class ApiTokensTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
    }
    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
};

TEST_P(ApiTokensTest, AuthenticatesItsUserAndNothingElse) {
    Users users(*database_, clock_);
    const auto user = users.add_user(
        Actor::cli(),
        NewUser{.email = *core::Email::parse("admin@example.org"), .role = Role::Admin});
    ASSERT_TRUE(user.has_value());
    ApiTokens tokens(*database_, clock_, random_);
    const auto token = tokens.create(Actor::cli(), user->id, "script");
    ASSERT_TRUE(token.has_value());
    EXPECT_EQ(token->rfind("ct_", 0), 0U);
    const auto found = tokens.authenticate(*token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, user->id);
    // Only the hash is stored.
    EXPECT_EQ(
        database_->query_one("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1", {*token})
            ->integer(0),
        0);
    std::string altered = *token;
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    for (const std::string& bad : {altered, std::string(), std::string("ct_"), *token + "x",
                                   std::string("' OR 1=1 --"), std::string("ct_\0", 4)}) {
        EXPECT_FALSE(tokens.authenticate(bad).has_value()) << bad;
    }
    EXPECT_EQ(tokens.create(Actor::cli(), UserId(999), "x").error().code,
              core::ErrorCode::NotFound);
    EXPECT_EQ(tokens.create(Actor::cli(), user->id, "two\nlines").error().field, "label");
}

TEST_P(ApiTokensTest, ListsWithoutSecretsAndRevokesAtOnce) {
    Users users(*database_, clock_);
    const auto user = users.add_user(
        Actor::cli(),
        NewUser{.email = *core::Email::parse("редактор@пример.рф"), .role = Role::Admin});
    ASSERT_TRUE(user.has_value());
    ApiTokens tokens(*database_, clock_, random_);
    const auto first = tokens.create(Actor::cli(), user->id, "calendar sync");
    const auto second = tokens.create(Actor::cli(), user->id, "importer");
    ASSERT_TRUE(first.has_value() && second.has_value());
    auto listed = tokens.list();
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].label, "importer");  // Newest first.
    EXPECT_EQ(listed[1].user_email, "редактор@пример.рф");
    EXPECT_FALSE(listed[1].revoked_at.has_value());

    clock_.advance(std::chrono::seconds(5));
    const auto revoked = tokens.revoke(Actor::cli(), listed[1].id);
    ASSERT_TRUE(revoked.has_value());
    EXPECT_EQ(revoked->revoked_at, clock_.unix_now());
    EXPECT_FALSE(tokens.authenticate(*first).has_value());
    EXPECT_TRUE(tokens.authenticate(*second).has_value());
    // Again: nothing changes (same time kept), still refused.
    clock_.advance(std::chrono::seconds(5));
    EXPECT_EQ(tokens.revoke(Actor::cli(), listed[1].id)->revoked_at, revoked->revoked_at);
    EXPECT_EQ(
        database_->query_one("SELECT COUNT(*) FROM audit_log WHERE action = 'api_token.revoke'", {})
            ->integer(0),
        1);
    EXPECT_EQ(tokens.revoke(Actor::cli(), 999).error().code, core::ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ApiTokensTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::accounts
