#include "lists/commands.hpp"

#include "lists/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::lists {
namespace {

using testing::email;

constexpr const char* kToken = "abcdefghijklmnopqrstuvwxyz234567";

TEST(Commands, ParsesOneLine) {
    EXPECT_EQ(parse_command_line("subscribe")->kind, CommandKind::Subscribe);
    EXPECT_EQ(parse_command_line("  SUBSCRIBE  ")->kind, CommandKind::Subscribe);
    EXPECT_EQ(parse_command_line("Re: Fwd: unsubscribe")->kind, CommandKind::Unsubscribe);
    EXPECT_EQ(parse_command_line("leave")->kind, CommandKind::Unsubscribe);
    EXPECT_EQ(parse_command_line("join")->kind, CommandKind::Subscribe);
    EXPECT_EQ(parse_command_line("help")->kind, CommandKind::Help);
    EXPECT_EQ(parse_command_line("end")->kind, CommandKind::End);
    EXPECT_EQ(parse_command_line("--")->kind, CommandKind::End);
    const auto confirm = parse_command_line(std::string("confirm ") + kToken);
    ASSERT_TRUE(confirm.has_value());
    EXPECT_EQ(confirm->kind, CommandKind::Confirm);
    EXPECT_EQ(confirm->argument, kToken);
    const auto in_reply = parse_command_line(std::string("Re: Confirm your subscription ") +
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    ASSERT_TRUE(in_reply.has_value());
    EXPECT_EQ(in_reply->argument, kToken) << "tokens survive an upper-casing client";
}

TEST(Commands, ProseIsNoCommand) {
    for (const char* line :
         {"", "   ", "Help with the WSIS+20 text", "subscribers are welcome", "confirm",
          "confirm notatoken", "Re: Confirm your subscription to Discussion",
          "unsubscribe me from this list please", "hello", "\xff\xfe"}) {
        EXPECT_FALSE(parse_command_line(line).has_value()) << line;
    }
}

TEST(Commands, SubjectThenBodyUntilTheFirstNonCommand) {
    const auto commands = parse_commands(
        "subscribe", {"help", "subscribe", "Thanks for running this list!", "unsubscribe"});
    ASSERT_EQ(commands.size(), 2U);
    EXPECT_EQ(commands[0].kind, CommandKind::Subscribe);
    EXPECT_EQ(commands[1].kind, CommandKind::Help);
    const auto ended = parse_commands("", {"unsubscribe", "end", "subscribe"});
    ASSERT_EQ(ended.size(), 1U);
    EXPECT_EQ(ended[0].kind, CommandKind::Unsubscribe);
    std::vector<std::string> many;
    many.reserve(100);
    for (int line_idx = 0; line_idx < 100; ++line_idx) {
        many.push_back(std::string("confirm ") + std::string(31, 'a') +
                       static_cast<char>('a' + line_idx % 26));
    }
    EXPECT_EQ(parse_commands("", many).size(), kMaxCommands);
}

class CommandsTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        list_ = std::make_unique<List>(make_list());
        commands_ =
            std::make_unique<MailCommands>(*database_, clock_, random_, *lists_, *subscriptions_,
                                           *outbox_, "https://coalition.example/");
    }

    IncomingMessage from(const std::string& address, const std::string& subject,
                         std::vector<std::string> lines = {}) {
        IncomingMessage message;
        message.author = email(address);
        message.author_text = address;
        message.subject = subject;
        message.message_id = "q@example.org";
        message.text_line_count = lines.size();
        message.text_lines = std::move(lines);
        return message;
    }

    std::int64_t mails() { return count("SELECT COUNT(*) FROM mail_outbox"); }

    std::unique_ptr<List> list_;
    std::unique_ptr<MailCommands> commands_;
};

TEST_P(CommandsTest, SubscribeByMailIsDoubleOptIn) {
    const auto message = from("dee@example.org", "subscribe");
    const auto outcome = commands_->request({*list_, message, "dee@example.org"});
    ASSERT_EQ(outcome.done.size(), 1U);
    EXPECT_EQ(outcome.done[0], "subscribe: confirmation requested");
    EXPECT_FALSE(outcome.answered) << "the confirmation mail is the answer";
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("dee@example.org"))->state,
              MemberState::Pending);
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    const auto confirmed = commands_->confirm({*list_, message, "dee@example.org"}, token);
    EXPECT_EQ(confirmed.done, std::vector<std::string>{"confirm: subscribe"});
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("dee@example.org"))->state,
              MemberState::Subscribed);
}

TEST_P(CommandsTest, HelpAndUnknownCommandsAreAnsweredFromTheRequestAddress) {
    const auto message = from("dee@example.org", "What is this?", {"Hello there"});
    const auto outcome = commands_->request({*list_, message, "dee@example.org"});
    EXPECT_TRUE(outcome.answered);
    const auto items = outbox_->recent(1);
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items.front().envelope.recipients, std::vector<std::string>{"dee@example.org"});
    EXPECT_EQ(items.front().envelope.mail_from, "discuss-bounces@lists.example.org");
    const std::string mail = newest_mail();
    EXPECT_NE(mail.find("discuss-request@lists.example.org"), std::string::npos);
    EXPECT_NE(mail.find("Auto-Submitted: auto-replied"), std::string::npos);
    EXPECT_NE(mail.find("In-Reply-To: <q@example.org>"), std::string::npos);
    EXPECT_NE(mail.find("subscribe"), std::string::npos);
}

TEST_P(CommandsTest, RobotsAreNeitherObeyedNorAnswered) {
    auto automatic = from("dee@example.org", "subscribe");
    automatic.is_automatic = true;
    commands_->request({*list_, automatic, "dee@example.org"});
    const auto null_sender = from("dee@example.org", "help");
    commands_->request({*list_, null_sender, "<>"});
    const auto ourselves = from("discuss@lists.example.org", "subscribe");
    commands_->request({*list_, ourselves, "discuss-bounces@lists.example.org"});
    const auto other_list = from("discuss-request@lists.example.org", "help");
    commands_->request({*list_, other_list, "someone@example.org"});
    EXPECT_EQ(mails(), 0);
    EXPECT_FALSE(subscriptions_->find_member(list_->id, email("dee@example.org")).has_value());
}

TEST_P(CommandsTest, AnAutoresponderCannotConfirm) {
    const auto message = from("dee@example.org", "subscribe");
    commands_->request({*list_, message, "dee@example.org"});
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    auto vacation = from("dee@example.org", "Out of office");
    vacation.is_automatic = true;
    commands_->confirm({*list_, vacation, "dee@example.org"}, token);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("dee@example.org"))->state,
              MemberState::Pending);
}

TEST_P(CommandsTest, ATokenOfAnotherListOrAWrongTokenChangesNothing) {
    const List other = make_list("other@lists.example.org");
    const auto message = from("dee@example.org", "subscribe");
    commands_->request({other, message, "dee@example.org"});
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    const auto before = mails();
    const auto outcome = commands_->confirm({*list_, message, "dee@example.org"}, token);
    EXPECT_EQ(outcome.done, std::vector<std::string>{"confirm: unknown or expired token"});
    EXPECT_EQ(mails(), before + 1) << "the sender is told it did not work";
    EXPECT_EQ(subscriptions_->find_member(other.id, email("dee@example.org"))->state,
              MemberState::Pending);
    commands_->confirm({*list_, message, "dee@example.org"}, "'; DROP TABLE lists; --");
    EXPECT_EQ(count("SELECT COUNT(*) FROM lists"), 2);
}

TEST_P(CommandsTest, BareConfirmAddressReadsTheTokenFromTheSubject) {
    const auto message = from("dee@example.org", "subscribe");
    commands_->request({*list_, message, "dee@example.org"});
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    const auto reply = from("dee@example.org", "Re: confirm " + token);
    const auto outcome = commands_->confirm({*list_, reply, "dee@example.org"}, "");
    EXPECT_EQ(outcome.done, std::vector<std::string>{"confirm: subscribe"});
}

TEST_P(CommandsTest, LeaveByMailAsksForConfirmation) {
    ASSERT_EQ(subscriptions_
                  ->add_members(accounts::Actor::cli(), *list_,
                                {NewMember{email("ana@example.org"), ""}}, Welcome::Skip)
                  .front(),
              AddOutcome::Added);
    const auto message = from("ana@example.org", "anything");
    const auto outcome = commands_->leave({*list_, message, "ana@example.org"});
    EXPECT_EQ(outcome.done, std::vector<std::string>{"unsubscribe: confirmation requested"});
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    EXPECT_EQ(commands_->confirm({*list_, message, "ana@example.org"}, token).done,
              std::vector<std::string>{"confirm: unsubscribe"});
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("ana@example.org"))->state,
              MemberState::Unsubscribed);
}

COALITION_LISTS_FOR_DIALECTS(CommandsTest);

}  // namespace
}  // namespace coalition::lists
