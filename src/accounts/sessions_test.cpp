#include "accounts/sessions.hpp"

#include "accounts/test_support.hpp"
#include "accounts/users.hpp"

#include <gtest/gtest.h>

namespace coalition::accounts {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using testing::email;

class SessionsTest : public testing::DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        Users users(database(), clock_);
        ana_ = users.add_user(Actor::cli(), NewUser{.email = email("ana@example.org")})->id;
        bob_ = users.add_user(Actor::cli(), NewUser{.email = email("bob@example.org")})->id;
    }

    Sessions sessions() { return Sessions(database(), clock_, random_); }

    UserId ana_;
    UserId bob_;
};

TEST_P(SessionsTest, CreatesAndFinds) {
    auto service = sessions();
    const auto first = service.create_session(ana_);
    const auto second = service.create_session(ana_);
    EXPECT_EQ(first.token.size(), 43u);
    EXPECT_NE(first.token, second.token);
    EXPECT_NE(first.csrf_secret, second.csrf_secret);
    EXPECT_NE(first.token, first.csrf_secret);
    EXPECT_EQ(first.expires_at, clock_.unix_now() + Sessions::kLifetime.count());

    auto found = service.find_session(first.token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->user.id, ana_);
    EXPECT_EQ(found->user.email.unicode(), "ana@example.org");
    EXPECT_EQ(found->csrf_secret, first.csrf_secret);
    EXPECT_EQ(found->expires_at, first.expires_at);

    // Only the hash is stored.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", {first.token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                    {core::hash_token(first.token)}),
              1);

    for (const std::string& unknown :
         {std::string(), std::string("nope"), std::string(100'000, 'x'), first.csrf_secret,
          core::hash_token(first.token)}) {
        EXPECT_FALSE(service.find_session(unknown).has_value());
    }
}

TEST_P(SessionsTest, ExpireAfterFourteenIdleDaysAndSlideWithUse) {
    auto service = sessions();
    const auto idle = service.create_session(ana_);
    const auto used = service.create_session(bob_);

    clock_.advance(days(13));
    auto found = service.find_session(used.token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->expires_at, clock_.unix_now() + Sessions::kLifetime.count());

    clock_.advance(days(1));
    EXPECT_FALSE(service.find_session(idle.token).has_value());
    clock_.advance(days(12));
    EXPECT_TRUE(service.find_session(used.token).has_value());
    clock_.advance(days(14));
    EXPECT_FALSE(service.find_session(used.token).has_value());
    EXPECT_EQ(service.delete_expired_sessions(), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_P(SessionsTest, RenewsAtMostOnceAnHour) {
    auto service = sessions();
    const auto session = service.create_session(ana_);
    const auto touched = [&] {
        return database().query_one("SELECT touched_at FROM sessions")->integer(0);
    };
    const auto created = touched();
    clock_.advance(minutes(59));
    EXPECT_EQ(service.find_session(session.token)->expires_at, session.expires_at);
    EXPECT_EQ(touched(), created);
    clock_.advance(minutes(1));
    EXPECT_EQ(service.find_session(session.token)->expires_at, session.expires_at + 3600);
    EXPECT_EQ(touched(), created + 3600);
    clock_.advance(minutes(30));
    EXPECT_EQ(service.find_session(session.token)->expires_at, session.expires_at + 3600);
    EXPECT_EQ(touched(), created + 3600);
}

TEST_P(SessionsTest, SignOutAndSignOutEverywhere) {
    auto service = sessions();
    const auto laptop = service.create_session(ana_);
    const auto phone = service.create_session(ana_);
    const auto other = service.create_session(bob_);

    service.delete_session(laptop.token);
    EXPECT_FALSE(service.find_session(laptop.token).has_value());
    EXPECT_TRUE(service.find_session(phone.token).has_value());
    service.delete_session("unknown");
    service.delete_session(std::string(100'000, 'x'));

    const auto tablet = service.create_session(ana_);
    service.delete_user_sessions(ana_);
    EXPECT_FALSE(service.find_session(phone.token).has_value());
    EXPECT_FALSE(service.find_session(tablet.token).has_value());
    EXPECT_TRUE(service.find_session(other.token).has_value());
}

TEST_P(SessionsTest, SeesRoleChangesAtOnce) {
    auto service = sessions();
    const auto session = service.create_session(ana_);
    ASSERT_TRUE(Users(database(), clock_).set_role(Actor::cli(), ana_, Role::Admin).has_value());
    EXPECT_EQ(service.find_session(session.token)->user.role, Role::Admin);
}

COALITION_INSTANTIATE_FOR_DIALECTS(SessionsTest);

}  // namespace
}  // namespace coalition::accounts
