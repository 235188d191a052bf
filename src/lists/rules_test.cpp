#include "lists/rules.hpp"

#include "lists/incoming.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::lists {
namespace {

List make_list() {
    List list{.id = ListId(7),
              .name = "discuss",
              .domain = core::Domain::parse("lists.example.org").value(),
              .settings = {},
              .owners = {core::Email::parse("owner@example.org").value()},
              .moderators = {core::Email::parse("mod@example.org").value()},
              .created_at = 0,
              .updated_at = 0};
    list.settings.subject_prefix = "[discuss]";
    return list;
}

IncomingMessage message_from(const std::string& author, const std::string& subject = "Hello") {
    IncomingMessage message;
    message.message_id = "1@example.org";
    if (auto email = core::Email::parse(author)) {
        message.author = *email;
    }
    message.author_text = author;
    message.subject = subject;
    message.text_lines = {"A real message."};
    message.text_line_count = 1;
    return message;
}

class RulesTest : public ::testing::Test {
protected:
    Verdict run(const IncomingMessage& message, bool member = true) {
        PostFacts facts{.list = list_,
                        .message = message,
                        .size_bytes = 100,
                        .is_member = member,
                        .is_moderator = false,
                        .is_accepted_sender = false,
                        .is_duplicate = false};
        facts.size_bytes = size_;
        facts.is_accepted_sender = accepted_sender_;
        facts.is_duplicate = duplicate_;
        return run_chain(facts);
    }

    List list_ = make_list();
    std::int64_t size_ = 100;
    bool accepted_sender_ = false;
    bool duplicate_ = false;
};

TEST_F(RulesTest, MemberPostIsAcceptedByNoRule) {
    const auto verdict = run(message_from("ana@example.org"));
    EXPECT_EQ(verdict.action, Action::Accept);
    EXPECT_EQ(verdict.rule, "");
}

TEST_F(RulesTest, ChainIsOneVisibleTableInOrder) {
    std::vector<std::string> names;
    for (const auto& rule : posting_chain()) {
        names.emplace_back(rule.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"loop", "duplicate", "max-size", "no-author",
                                               "administrivia", "emergency", "accepted-sender",
                                               "posting-policy"}));
}

TEST_F(RulesTest, LoopOnOurListIdOrLoopHeaderIsDiscarded) {
    auto message = message_from("ana@example.org");
    message.list_ids = {"discuss.lists.example.org"};
    EXPECT_EQ(run(message).action, Action::Discard);
    EXPECT_EQ(run(message).rule, "loop");
    message.list_ids = {"other.lists.example.org"};
    EXPECT_EQ(run(message).action, Action::Accept) << "another list's List-Id is no loop";
    message.loop_marks = {"discuss.lists.example.org"};
    EXPECT_EQ(run(message).rule, "loop");
}

TEST_F(RulesTest, DuplicateMessageIdIsDiscarded) {
    duplicate_ = true;
    const auto verdict = run(message_from("ana@example.org"));
    EXPECT_EQ(verdict.action, Action::Discard);
    EXPECT_EQ(verdict.rule, "duplicate");
}

TEST_F(RulesTest, OversizedIsRejectedWithTheLimitInTheReason) {
    size_ = list_.settings.max_message_bytes + 1;
    const auto verdict = run(message_from("ana@example.org"));
    EXPECT_EQ(verdict.action, Action::Reject);
    EXPECT_EQ(verdict.rule, "max-size");
    EXPECT_NE(verdict.detail.find(std::to_string(list_.settings.max_message_bytes)),
              std::string::npos);
    size_ = list_.settings.max_message_bytes;
    EXPECT_EQ(run(message_from("ana@example.org")).action, Action::Accept) << "the limit is fine";
}

TEST_F(RulesTest, NoAuthorIsHeld) {
    const auto verdict = run(message_from("not an address"));
    EXPECT_EQ(verdict.action, Action::Hold);
    EXPECT_EQ(verdict.rule, "no-author");
}

TEST_F(RulesTest, AdministriviaInSubjectOrShortBodyIsHeld) {
    for (const char* subject :
         {"subscribe", "Unsubscribe", "Re: unsubscribe me", "HELP", "remove", "join"}) {
        EXPECT_EQ(run(message_from("ana@example.org", subject)).rule, "administrivia") << subject;
    }
    for (const char* subject : {"Help with the WSIS+20 text", "Subscribers: a question",
                                "Why I will not unsubscribe from this list today", ""}) {
        EXPECT_EQ(run(message_from("ana@example.org", subject)).action, Action::Accept) << subject;
    }
    auto body = message_from("ana@example.org", "Hi");
    body.text_lines = {"unsubscribe"};
    EXPECT_EQ(run(body).rule, "administrivia");
    body.text_lines = {"Dear all,", "unsubscribe", "a", "b", "c", "d"};
    body.text_line_count = 40;
    EXPECT_EQ(run(body).action, Action::Accept) << "a long message is a post";
}

TEST_F(RulesTest, EmergencyModerationHoldsMembersToo) {
    list_.settings.emergency_moderation = true;
    accepted_sender_ = true;
    const auto verdict = run(message_from("ana@example.org"));
    EXPECT_EQ(verdict.action, Action::Hold);
    EXPECT_EQ(verdict.rule, "emergency");
}

TEST_F(RulesTest, NonmemberMeetsTheNonmemberPolicy) {
    const auto nonmember = message_from("eve@example.net");
    EXPECT_EQ(run(nonmember, false).action, Action::Hold);
    EXPECT_EQ(run(nonmember, false).rule, "nonmember");
    list_.settings.nonmember_policy = NonmemberPolicy::Reject;
    EXPECT_EQ(run(nonmember, false).action, Action::Reject);
    list_.settings.nonmember_policy = NonmemberPolicy::Discard;
    EXPECT_EQ(run(nonmember, false).action, Action::Discard);
    list_.settings.nonmember_policy = NonmemberPolicy::Accept;
    EXPECT_EQ(run(nonmember, false).action, Action::Accept);
}

TEST_F(RulesTest, ModeratorsPostLikeMembersOnMembersOnlyLists) {
    IncomingMessage message = message_from("mod@example.org");
    PostFacts moderator{.list = list_,
                        .message = message,
                        .size_bytes = 10,
                        .is_member = false,
                        .is_moderator = true,
                        .is_accepted_sender = false,
                        .is_duplicate = false};
    EXPECT_EQ(run_chain(moderator).action, Action::Accept);
}

TEST_F(RulesTest, AcceptedSenderPassesTheNonmemberPolicy) {
    accepted_sender_ = true;
    const auto verdict = run(message_from("eve@example.net"), false);
    EXPECT_EQ(verdict.action, Action::Accept);
    EXPECT_EQ(verdict.rule, "accepted-sender");
}

TEST_F(RulesTest, ModeratedListHoldsMembersAndAnyoneListTakesNonmembers) {
    list_.settings.posting_policy = PostingPolicy::Moderated;
    EXPECT_EQ(run(message_from("ana@example.org")).rule, "moderated");
    list_.settings.posting_policy = PostingPolicy::Anyone;
    EXPECT_EQ(run(message_from("eve@example.net"), false).action, Action::Accept);
}

TEST_F(RulesTest, LoopWinsOverEverythingElse) {
    list_.settings.emergency_moderation = true;
    size_ = list_.settings.max_message_bytes * 2;
    auto message = message_from("eve@example.net", "subscribe");
    message.loop_marks = {"discuss.lists.example.org"};
    EXPECT_EQ(run(message, false).rule, "loop");
}

}  // namespace
}  // namespace coalition::lists
