#include "lists/subscriptions.hpp"

#include "lists/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::lists {
namespace {

using testing::email;

constexpr const char* kConfirmLink =
    "https://coalition\\.example/lists/discuss/confirm/([a-z2-7]+)";
constexpr const char* kPreferencesLink =
    "https://coalition\\.example/lists/discuss/preferences/([a-z2-7]+)";

class SubscriptionsTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        list_ = std::make_unique<List>(make_list());
    }

    core::Result<void> subscribe(std::string_view address, std::string_view language = "en") {
        return subscriptions_->request_subscription(
            *list_, SubscriptionRequest{.email = email(address),
                                        .display_name = "",
                                        .language = std::string(language),
                                        .source = MemberSource::Web});
    }

    // Subscribes and confirms `address`; returns its preferences token from the welcome mail.
    std::string subscribed(std::string_view address) {
        EXPECT_TRUE(subscribe(address).has_value());
        const std::string token = from_newest_mail(kConfirmLink);
        auto confirmed = subscriptions_->confirm(token);
        EXPECT_TRUE(confirmed.has_value());
        return from_newest_mail(kPreferencesLink);
    }

    std::int64_t mails() { return outbox_->depth(); }

    std::unique_ptr<List> list_;
};

TEST_P(SubscriptionsTest, DoubleOptInConfirmsOnceAndWelcomes) {
    ASSERT_TRUE(subscribe("Ana@Example.org", "fr").has_value());
    auto member = subscriptions_->find_member(list_->id, email("ana@example.org"));
    ASSERT_TRUE(member.has_value());
    EXPECT_EQ(member->state, MemberState::Pending);
    EXPECT_EQ(member->language, "fr");
    EXPECT_EQ(mails(), 1);

    const auto item = outbox_->recent(1).front();
    EXPECT_EQ(item.envelope.recipients, std::vector<std::string>{"Ana@example.org"});
    EXPECT_EQ(item.envelope.mail_from, "discuss-bounces@lists.example.org");
    const std::string bytes = newest_mail();
    EXPECT_NE(bytes.find("Content-Language: fr"), std::string::npos);
    EXPECT_NE(bytes.find("From: Discussion <discuss-request@lists.example.org>"), std::string::npos)
        << bytes;
    EXPECT_NE(bytes.find("Auto-Submitted: auto-generated"), std::string::npos);
    const std::string token = from_newest_mail(kConfirmLink);
    ASSERT_EQ(token.size(), 32u);
    // Replying confirms: the same token in the Reply-To address.
    EXPECT_EQ(from_newest_mail("Reply-To: discuss-confirm\\+([a-z2-7]+)@lists\\.example\\.org"),
              token);
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_confirmations WHERE token_hash = $1", {token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_confirmations WHERE token_hash = $1",
                    {core::hash_token(token)}),
              1);

    auto pending = subscriptions_->find_confirmation(token);
    ASSERT_TRUE(pending.has_value());
    EXPECT_EQ(pending->action, ConfirmationAction::Subscribe);
    EXPECT_EQ(pending->list.name, "discuss");
    EXPECT_EQ(pending->member.state, MemberState::Pending);

    clock_.advance(std::chrono::hours(71));
    auto confirmed = subscriptions_->confirm(token);
    ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
    EXPECT_EQ(confirmed->member.state, MemberState::Subscribed);
    EXPECT_EQ(confirmed->member.subscribed_at, clock_.unix_now());
    EXPECT_EQ(mails(), 2);
    // The welcome speaks the member's language (French here).
    EXPECT_NE(newest_mail().find("Subject: Bienvenue sur Discussion"), std::string::npos)
        << newest_mail();
    EXPECT_FALSE(from_newest_mail(kPreferencesLink).empty());

    auto again = subscriptions_->confirm(token);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, core::ErrorCode::Expired);
    EXPECT_EQ(mails(), 2);
}

TEST_P(SubscriptionsTest, ConfirmationExpiresAfterThreeDays) {
    ASSERT_TRUE(subscribe("ana@example.org").has_value());
    const std::string token = from_newest_mail(kConfirmLink);
    clock_.advance(Subscriptions::kConfirmationLifetime + std::chrono::seconds(1));
    auto late = subscriptions_->confirm(token);
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code, core::ErrorCode::Expired);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->state,
              MemberState::Pending);
    // Asking again sends a fresh token that works.
    ASSERT_TRUE(subscribe("ana@example.org").has_value());
    ASSERT_TRUE(subscriptions_->confirm(from_newest_mail(kConfirmLink)).has_value());
}

TEST_P(SubscriptionsTest, TokenSurvivesAnMtaThatUpperCasesIt) {
    ASSERT_TRUE(subscribe("ana@example.org").has_value());
    std::string token = from_newest_mail(kConfirmLink);
    for (char& c : token) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_TRUE(subscriptions_->confirm(token).has_value());
}

TEST_P(SubscriptionsTest, WrongTokensAreRefused) {
    ASSERT_TRUE(subscribe("ana@example.org").has_value());
    const std::string token = from_newest_mail(kConfirmLink);
    std::string altered = token;
    altered[5] = altered[5] == 'a' ? 'b' : 'a';
    for (const std::string& bad :
         {std::string(), altered, token + "a", token.substr(1), std::string(1000, 'a'),
          std::string("a\0b", 3) + std::string(29, 'c'), std::string("'; DROP TABLE lists; --"),
          std::string(32, '1'), std::string("\xff\xfe") + std::string(30, 'a')}) {
        auto confirm = subscriptions_->confirm(bad);
        ASSERT_FALSE(confirm.has_value());
        EXPECT_EQ(confirm.error().code, core::ErrorCode::Expired);
        EXPECT_EQ(subscriptions_->unsubscribe(bad).error().code, core::ErrorCode::NotFound);
        EXPECT_EQ(subscriptions_->member_by_preferences_token(bad).error().code,
                  core::ErrorCode::NotFound);
    }
    EXPECT_TRUE(subscriptions_->confirm(token).has_value());
}

TEST_P(SubscriptionsTest, NoEnumeration) {
    subscribed("ana@example.org");
    const auto before = mails();
    const auto confirmations = count("SELECT COUNT(*) FROM list_confirmations");
    // Already a member: the same answer, a notice (not a confirmation), state unchanged.
    ASSERT_TRUE(subscribe("ANA@example.org").has_value());
    EXPECT_EQ(mails(), before + 1);
    EXPECT_NE(newest_mail().find("already subscribed"), std::string::npos);
    EXPECT_FALSE(from_newest_mail(kPreferencesLink).empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_confirmations"), confirmations);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->state,
              MemberState::Subscribed);
    // Not a member: unsubscribing answers the same and sends nothing.
    ASSERT_TRUE(
        subscriptions_->request_unsubscription(*list_, email("bob@example.org"), "en").has_value());
    EXPECT_EQ(mails(), before + 1);
    EXPECT_FALSE(subscriptions_->find_member(list_->id, email("bob@example.org")).has_value());
}

TEST_P(SubscriptionsTest, RateLimitedPerAddressWhateverItsState) {
    for (int attempt = 0; attempt < Subscriptions::kMaxMailsPerHour; ++attempt) {
        ASSERT_TRUE(subscribe("ana@example.org").has_value());
    }
    auto limited = subscribe("Ana@Example.org");
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().code, core::ErrorCode::RateLimited);
    EXPECT_EQ(limited.error().field, "email");
    EXPECT_EQ(mails(), Subscriptions::kMaxMailsPerHour);
    // Non-members are counted too, so the limit reveals nothing.
    for (int attempt = 0; attempt < Subscriptions::kMaxMailsPerHour; ++attempt) {
        ASSERT_TRUE(subscriptions_->request_unsubscription(*list_, email("x@example.org"), "en")
                        .has_value());
    }
    EXPECT_EQ(
        subscriptions_->request_unsubscription(*list_, email("x@example.org"), "en").error().code,
        core::ErrorCode::RateLimited);
    clock_.advance(std::chrono::minutes(61));
    EXPECT_TRUE(subscribe("ana@example.org").has_value());
}

TEST_P(SubscriptionsTest, UnsubscribeByRequestIsConfirmed) {
    subscribed("ana@example.org");
    ASSERT_TRUE(
        subscriptions_->request_unsubscription(*list_, email("ana@example.org"), "es").has_value());
    const std::string token = from_newest_mail(kConfirmLink);
    EXPECT_NE(newest_mail().find("Content-Language: es"), std::string::npos);
    EXPECT_EQ(subscriptions_->find_confirmation(token)->action, ConfirmationAction::Unsubscribe);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->state,
              MemberState::Subscribed);
    auto confirmed = subscriptions_->confirm(token);
    ASSERT_TRUE(confirmed.has_value());
    EXPECT_EQ(confirmed->member.state, MemberState::Unsubscribed);
    EXPECT_NE(newest_mail().find("You have left Discussion"), std::string::npos);
}

TEST_P(SubscriptionsTest, OneClickUnsubscribeIsImmediateAndIdempotent) {
    subscribed("ana@example.org");
    const auto member = subscriptions_->find_member(list_->id, email("ana@example.org")).value();
    const auto links = subscriptions_->links(*list_, member.id).value();
    EXPECT_EQ(links.unsubscribe_url,
              "https://coalition.example/lists/discuss/unsubscribe/" + links.unsubscribe_token);
    // The tokens are not stored, only their hashes.
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_members WHERE unsubscribe_token_hash = $1",
                    {core::hash_token(links.unsubscribe_token)}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_members WHERE token_salt = $1 OR "
                    "unsubscribe_token_hash = $1",
                    {links.unsubscribe_token}),
              0);
    const auto before = mails();
    auto left = subscriptions_->unsubscribe(links.unsubscribe_token);
    ASSERT_TRUE(left.has_value());
    EXPECT_EQ(left->state, MemberState::Unsubscribed);
    EXPECT_EQ(mails(), before + 1);  // Goodbye.
    auto again = subscriptions_->unsubscribe(links.unsubscribe_token);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->state, MemberState::Unsubscribed);
    EXPECT_EQ(mails(), before + 1);

    // Coming back starts afresh: the old links stop working.
    subscribed("ana@example.org");
    const auto fresh = subscriptions_->links(*list_, member.id).value();
    EXPECT_NE(fresh.unsubscribe_token, links.unsubscribe_token);
    EXPECT_EQ(subscriptions_->unsubscribe(links.unsubscribe_token).error().code,
              core::ErrorCode::NotFound);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->state,
              MemberState::Subscribed);
}

TEST_P(SubscriptionsTest, PreferencesByTokenWithoutAnAccount) {
    const std::string token = subscribed("ana@example.org");
    auto member = subscriptions_->member_by_preferences_token(token);
    ASSERT_TRUE(member.has_value());
    EXPECT_EQ(member->delivery_mode, DeliveryMode::Regular);
    auto digest = subscriptions_->update_preferences(token, DeliveryMode::Digest, "zh");
    ASSERT_TRUE(digest.has_value());
    EXPECT_EQ(digest->delivery_mode, DeliveryMode::Digest);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->language, "zh");
    EXPECT_EQ(subscriptions_->counts(list_->id).digest, 1);
    EXPECT_EQ(
        subscriptions_->update_preferences(token, DeliveryMode::None, "klingon").error().field,
        "language");
    const auto links = subscriptions_->links(*list_, member->id).value();
    EXPECT_EQ(links.preferences_token, token);
    ASSERT_TRUE(subscriptions_->unsubscribe(links.unsubscribe_token).has_value());
    auto late = subscriptions_->update_preferences(token, DeliveryMode::Regular, "en");
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code, core::ErrorCode::Conflict);
}

TEST_P(SubscriptionsTest, UniversalAcceptanceAddresses) {
    subscribed("अनुराग@डाटामेल.भारत");
    ASSERT_TRUE(subscribe("用户@例子.广告", "zh").has_value());
    const auto item = outbox_->recent(1).front();
    EXPECT_TRUE(item.envelope.needs_smtputf8);
    ASSERT_EQ(item.envelope.recipients.size(), 1u);
    EXPECT_EQ(item.envelope.recipients.front(),
              "用户@" + core::Domain::parse("例子.广告")->ascii());
    ASSERT_TRUE(subscriptions_->confirm(from_newest_mail(kConfirmLink)).has_value());
    // The same addresses written with A-label domains are the same members.
    const auto outcomes = subscriptions_->add_members(
        accounts::Actor::cli(), *list_,
        {{email("用户@" + core::Domain::parse("例子.广告")->ascii()), ""},
         {email("अनुराग@" + core::Domain::parse("डाटामेल.भारत")->ascii()), ""}},
        Welcome::Send);
    EXPECT_EQ(outcomes,
              (std::vector<AddOutcome>{AddOutcome::AlreadyMember, AddOutcome::AlreadyMember}));
    const auto roster = subscriptions_->roster(list_->id);
    ASSERT_EQ(roster.size(), 2u);
    EXPECT_EQ(subscriptions_->counts(list_->id).subscribed, 2);
    const auto recipients = subscriptions_->recipients(*list_, DeliveryMode::Regular);
    ASSERT_EQ(recipients.size(), 2u);
    EXPECT_EQ(recipients.front().email.unicode(), "अनुराग@डाटामेल.भारत");
}

TEST_P(SubscriptionsTest, MembersWhoseDeliveryBouncesDisabledReceiveNothing) {
    subscribed("ana@example.org");
    subscribed("ben@example.org");
    const auto ben = subscriptions_->find_member(list_->id, email("ben@example.org"));
    ASSERT_TRUE(ben.has_value());
    database_->transact([&](store::Connection& connection) {
        connection.execute(
            "INSERT INTO list_bounce_scores (member_id, list_id, last_bounce_at, "
            "delivery_disabled, updated_at) VALUES ($1, $2, 1, 1, 1)",
            {ben->id.value(), list_->id.value()});
    });
    const auto recipients = subscriptions_->recipients(*list_, DeliveryMode::Regular);
    ASSERT_EQ(recipients.size(), 1u);
    EXPECT_EQ(recipients.front().email.unicode(), "ana@example.org");
}

TEST_P(SubscriptionsTest, BulkAddAndRemove) {
    ASSERT_TRUE(subscribe("pending@example.org").has_value());
    subscribed("member@example.org");
    const auto before = mails();
    const auto outcomes = subscriptions_->add_members(accounts::Actor::cli(), *list_,
                                                      {{email("new@example.org"), "New Person"},
                                                       {email("member@example.org"), ""},
                                                       {email("pending@example.org"), ""},
                                                       {email("NEW@example.org"), ""},
                                                       {email("other@bücher.example"), ""}},
                                                      Welcome::Send);
    EXPECT_EQ(outcomes, (std::vector<AddOutcome>{AddOutcome::Added, AddOutcome::AlreadyMember,
                                                 AddOutcome::Added, AddOutcome::AlreadyMember,
                                                 AddOutcome::Added}));
    EXPECT_EQ(mails(), before + 3);
    const auto counts = subscriptions_->counts(list_->id);
    EXPECT_EQ(counts.subscribed, 4);
    EXPECT_EQ(counts.pending, 0);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("new@example.org"))->display_name,
              "New Person");
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("new@example.org"))->source,
              MemberSource::Admin);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.add_members'"), 1);
    // Each new member's welcome carries working personal links.
    const std::string preferences = from_newest_mail(kPreferencesLink);
    EXPECT_EQ(subscriptions_->member_by_preferences_token(preferences)->email.unicode(),
              "other@bücher.example");

    const auto quiet = subscriptions_->add_members(
        accounts::Actor::cli(), *list_, {{email("quiet@example.org"), ""}}, Welcome::Skip);
    EXPECT_EQ(quiet, std::vector<AddOutcome>{AddOutcome::Added});
    EXPECT_EQ(mails(), before + 3);

    const auto removed =
        subscriptions_->remove_members(accounts::Actor::cli(), *list_,
                                       {email("new@example.org"), email("stranger@example.org"),
                                        email("New@example.org"), email("quiet@example.org")},
                                       Goodbye::Skip);
    EXPECT_EQ(removed,
              (std::vector<RemoveOutcome>{RemoveOutcome::Removed, RemoveOutcome::NotMember,
                                          RemoveOutcome::NotMember, RemoveOutcome::Removed}));
    EXPECT_EQ(mails(), before + 3);
    const auto with_goodbye = subscriptions_->remove_members(
        accounts::Actor::cli(), *list_, {email("member@example.org")}, Goodbye::Send);
    EXPECT_EQ(with_goodbye, std::vector<RemoveOutcome>{RemoveOutcome::Removed});
    EXPECT_EQ(mails(), before + 4);
    EXPECT_EQ(subscriptions_->counts(list_->id).unsubscribed, 3);
    EXPECT_EQ(subscriptions_->roster(list_->id, MemberState::Unsubscribed).size(), 3u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.remove_members'"), 2);
}

TEST_P(SubscriptionsTest, BulkAddSpansBatches) {
    std::vector<NewMember> members;
    for (std::size_t idx = 0; idx < Subscriptions::kBulkBatch + 5; ++idx) {
        members.push_back({email("m" + std::to_string(idx) + "@example.org"), ""});
    }
    const auto outcomes =
        subscriptions_->add_members(accounts::Actor::cli(), *list_, members, Welcome::Skip);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), AddOutcome::Added),
              static_cast<std::ptrdiff_t>(members.size()));
    EXPECT_EQ(subscriptions_->counts(list_->id).subscribed,
              static_cast<std::int64_t>(members.size()));
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.add_members'"), 2);
    EXPECT_EQ(subscriptions_->recipients(*list_, DeliveryMode::Regular).size(), members.size());
}

TEST_P(SubscriptionsTest, RefusesABadDisplayName) {
    auto result = subscriptions_->request_subscription(
        *list_, SubscriptionRequest{.email = email("ana@example.org"),
                                    .display_name = "Ana\r\nBcc: victim@example.org",
                                    .language = "en",
                                    .source = MemberSource::Web});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().field, "display_name");
    EXPECT_EQ(mails(), 0);
}

COALITION_LISTS_FOR_DIALECTS(SubscriptionsTest);

}  // namespace
}  // namespace coalition::lists
