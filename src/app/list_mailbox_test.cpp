#include "app/list_mailbox.hpp"

#include "core/clock.hpp"
#include "core/random.hpp"
#include "dns/dns.hpp"
#include "lists/bounces.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

namespace coalition::app {
namespace {

class ListMailboxTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        outbox_ = std::make_unique<mail::Outbox>(*database_, clock_);
        lists_ = std::make_unique<lists::Lists>(*database_, clock_);
        subscriptions_ = std::make_unique<lists::Subscriptions>(
            *database_, clock_, random_, *outbox_,
            lists::SubscriptionSettings{.base_url = "https://coalition.example",
                                        .site_name = "Coalition",
                                        .token_secret = "0123456789abcdef0123456789abcdef"});
        bounces_ = std::make_unique<lists::Bounces>(*database_, clock_, *subscriptions_, *outbox_);
        resolver_ =
            dns::make_unbound_resolver({.forward_to = "127.0.0.1@9", .trust_anchor_file = ""});
        dmarc_ = std::make_unique<dns::DmarcPolicies>(*resolver_, clock_);
        intake_ = std::make_unique<lists::Intake>(
            *database_, clock_, *lists_, *subscriptions_, *bounces_, *outbox_, *dmarc_,
            lists::IntakeSettings{.base_url = "https://coalition.example",
                                  .site_name = "Coalition"});
        mailbox_ = std::make_unique<ListMailbox>(*lists_, *intake_);
        auto owner = core::Email::parse("owner@example.org");
        ASSERT_TRUE(lists_->create(accounts::Actor::cli(),
                                   lists::NewList{.address = "discuss@lists.example.org",
                                                  .owners = {*owner},
                                                  .moderators = {},
                                                  .display_name = "",
                                                  .description = ""}));
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<lists::Lists> lists_;
    std::unique_ptr<lists::Subscriptions> subscriptions_;
    std::unique_ptr<lists::Bounces> bounces_;
    std::unique_ptr<dns::Resolver> resolver_;
    std::unique_ptr<dns::DmarcPolicies> dmarc_;
    std::unique_ptr<lists::Intake> intake_;
    std::unique_ptr<ListMailbox> mailbox_;
};

TEST_P(ListMailboxTest, AcceptsEveryAddressOfAListAndNothingElse) {
    for (const char* address :
         {"discuss@lists.example.org", "DISCUSS@Lists.Example.Org",
          "discuss-request@lists.example.org", "discuss-owner@lists.example.org",
          "discuss-join@lists.example.org", "discuss-bounces+ana=example.org@lists.example.org"}) {
        const auto reply = mailbox_->check_recipient(address);
        EXPECT_EQ(reply.code, 250) << address;
        EXPECT_EQ(reply.enhanced, "2.1.5") << address;
    }
    for (const char* address :
         {"other@lists.example.org", "discuss@other.example.org", "postmaster", "not an address@x",
          "discuss-unknown+x@lists.example.org", "\xff@lists.example.org",
          "'; DROP TABLE lists; --@lists.example.org"}) {
        const auto reply = mailbox_->check_recipient(address);
        EXPECT_EQ(reply.code, 550) << address;
        EXPECT_EQ(reply.enhanced, "5.1.1") << address;
    }
}

TEST_P(ListMailboxTest, OneReplyPerRecipientInOrder) {
    lmtp::Envelope envelope;
    envelope.mail_from = "ana@example.org";
    envelope.recipients = {"discuss@lists.example.org", "gone@lists.example.org"};
    const auto replies = mailbox_->deliver(
        envelope, "From: ana@example.org\r\nSubject: hi\r\nMessage-ID: <a@b>\r\n\r\nhello\r\n");
    ASSERT_EQ(replies.size(), 2U);
    // The second names no list: whatever Intake says of the first, the second is permanent.
    EXPECT_EQ(replies[1].code / 100, 5);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ListMailboxTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

}  // namespace
}  // namespace coalition::app
