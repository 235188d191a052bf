#include "lists/bounces.hpp"

#include "lists/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::lists {
namespace {

using testing::email;

std::string dsn_for(const std::string& address, const std::string& status) {
    return "From: MAILER-DAEMON@mx.example.net\r\n"
           "Subject: Undelivered Mail Returned to Sender\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
           "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
           "Reporting-MTA: dns; mx.example.net\r\n\r\n"
           "Final-Recipient: rfc822; " +
           address + "\r\nAction: failed\r\nStatus: " + status + "\r\nDiagnostic-Code: smtp; " +
           (status[0] == '5' ? "550 " : "452 ") + status + " mailbox trouble\r\n--b--\r\n";
}

class BouncesTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        list_ = std::make_unique<List>(make_list());
        bounces_ = std::make_unique<Bounces>(*database_, clock_, *subscriptions_, *outbox_);
        subscriptions_->add_members(accounts::Actor::cli(), *list_,
                                    {{email("ana@example.net"), "Ana"},
                                     {email("bo@example.net"), ""},
                                     {email("анна@пример.рф"), ""}},
                                    Welcome::Skip);
    }

    double score_of(const std::string& address) {
        for (const auto& state : bounces_->states(list_->id)) {
            if (state.email == email(address)) {
                return state.score;
            }
        }
        return 0;
    }

    MemberId member(const std::string& address) {
        return subscriptions_->find_member(list_->id, email(address))->id;
    }

    std::unique_ptr<List> list_;
    std::unique_ptr<Bounces> bounces_;
};

TEST_P(BouncesTest, VerpNamesTheMemberAndHardBouncesCountOncePerDay) {
    ASSERT_TRUE(bounces_->receive(*list_, "ana=example.net", dsn_for("ana@example.net", "5.1.1")));
    EXPECT_DOUBLE_EQ(score_of("ana@example.net"), 1.0);
    // The same day: not counted again.
    clock_.advance(std::chrono::hours(1));
    ASSERT_TRUE(bounces_->receive(*list_, "ana=example.net", dsn_for("ana@example.net", "5.1.1")));
    EXPECT_DOUBLE_EQ(score_of("ana@example.net"), 1.0);
    // A VERP bounce with no report at all is hard; a 4.x.x report is soft.
    clock_.advance(std::chrono::hours(24));
    ASSERT_TRUE(bounces_->receive(*list_, "ana=example.net", "Subject: ?\r\n\r\nno idea\r\n"));
    EXPECT_DOUBLE_EQ(score_of("ana@example.net"), 2.0);
    clock_.advance(std::chrono::hours(24));
    ASSERT_TRUE(bounces_->receive(*list_, "ana=example.net", dsn_for("ana@example.net", "4.2.2")));
    EXPECT_DOUBLE_EQ(score_of("ana@example.net"), 2.5);
    EXPECT_FALSE(bounces_->delivery_disabled(list_->id, member("ana@example.net")));
    EXPECT_DOUBLE_EQ(score_of("bo@example.net"), 0);

    const auto states = bounces_->states(list_->id);
    ASSERT_EQ(states.size(), 1U);
    EXPECT_NE(states[0].last_diagnostic.find("4.2.2 mailbox trouble"), std::string::npos);
}

TEST_P(BouncesTest, Utf8VerpAndBareBounceAddressFindTheMember) {
    const std::string verp = "анна=xn--e1afmkfd.xn--p1ai";
    ASSERT_TRUE(bounces_->receive(*list_, verp, dsn_for("анна@пример.рф", "5.1.1")));
    EXPECT_DOUBLE_EQ(score_of("анна@пример.рф"), 1.0);
    // Without VERP, the report's recipients are scored.
    ASSERT_TRUE(bounces_->receive(*list_, "", dsn_for("bo@example.net", "5.2.1")));
    EXPECT_DOUBLE_EQ(score_of("bo@example.net"), 1.0);
}

TEST_P(BouncesTest, IgnoresStrangersAutoRepliesAndGarbage) {
    EXPECT_TRUE(
        bounces_->receive(*list_, "nobody=example.org", dsn_for("nobody@example.org", "5.1.1")));
    EXPECT_TRUE(bounces_->receive(*list_, "", dsn_for("nobody@example.org", "5.1.1")));
    EXPECT_TRUE(bounces_->receive(*list_, "ana=example.net",
                                  "Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\n"
                                  "Away until Monday.\r\n"));
    EXPECT_TRUE(bounces_->receive(*list_, "not a verp \xff", std::string("\0\xff\r\n", 4)));
    EXPECT_TRUE(bounces_->receive(*list_, "", "'; DROP TABLE list_members; --"));
    EXPECT_TRUE(bounces_->states(list_->id).empty());
}

TEST_P(BouncesTest, ThresholdDisablesAndWarnsThenRemovesAfterTheWarnings) {
    const auto mails_before = outbox_->depth();
    for (int day = 0; day < 5; ++day) {
        bounces_->record_failure(*list_, email("ana@example.net"), "550 5.1.1 User unknown");
        clock_.advance(std::chrono::hours(24));
    }
    EXPECT_TRUE(bounces_->delivery_disabled(list_->id, member("ana@example.net")));
    EXPECT_EQ(outbox_->depth(), mails_before + 1);
    EXPECT_NE(newest_mail().find("warning 1 of 3"), std::string::npos) << newest_mail();
    auto states = bounces_->states(list_->id);
    ASSERT_EQ(states.size(), 1U);
    EXPECT_TRUE(states[0].delivery_disabled);
    EXPECT_EQ(states[0].warnings_sent, 1);

    // A week apart: warnings 2 and 3, then removal.
    bounces_->run_periodic();
    EXPECT_EQ(outbox_->depth(), mails_before + 1);  // Not a week yet.
    clock_.advance(std::chrono::days(7));
    bounces_->run_periodic();
    EXPECT_NE(newest_mail().find("warning 2 of 3"), std::string::npos);
    clock_.advance(std::chrono::days(7));
    bounces_->run_periodic();
    EXPECT_NE(newest_mail().find("warning 3 of 3"), std::string::npos);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.net"))->state,
              MemberState::Subscribed);
    clock_.advance(std::chrono::days(7));
    bounces_->run_periodic();
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.net"))->state,
              MemberState::Unsubscribed);
    EXPECT_TRUE(bounces_->states(list_->id).empty());
}

TEST_P(BouncesTest, ScoreDecaysAfterAWeekWithoutBounces) {
    bounces_->record_failure(*list_, email("bo@example.net"), "550 5.1.1 gone");
    clock_.advance(std::chrono::days(2));
    bounces_->record_failure(*list_, email("bo@example.net"), "550 5.1.1 gone");
    EXPECT_DOUBLE_EQ(score_of("bo@example.net"), 2.0);
    // Eight days later a new bounce starts from zero.
    clock_.advance(std::chrono::days(8));
    bounces_->record_failure(*list_, email("bo@example.net"), "550 5.1.1 gone");
    EXPECT_DOUBLE_EQ(score_of("bo@example.net"), 1.0);
    // And the periodic work forgets a score a week old.
    clock_.advance(std::chrono::days(8));
    bounces_->run_periodic();
    EXPECT_TRUE(bounces_->states(list_->id).empty());
}

COALITION_LISTS_FOR_DIALECTS(BouncesTest);

}  // namespace
}  // namespace coalition::lists
