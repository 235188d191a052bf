#include "lists/delivery.hpp"

#include "core/base64.hpp"
#include "lists/bounces.hpp"
#include "lists/digest_store.hpp"
#include "lists/test_support.hpp"
#include "mail/smtp_transport.hpp"
#include "mail/test_support.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

namespace coalition::lists {
namespace {

using mail::testing::SinkMessage;
using mail::testing::SmtpSink;
using testing::email;

#define START_SINK(sink, ...)                                \
    std::string sink##_skip;                                 \
    auto sink = SmtpSink::start({__VA_ARGS__}, sink##_skip); \
    if (!sink) {                                             \
        GTEST_SKIP() << sink##_skip;                         \
    }

constexpr const char* kDecorated =
    "From: Author <author@example.org>\r\n"
    "To: discuss@lists.example.org\r\n"
    "Subject: [discuss] Plans for the IGF\r\n"
    "Message-ID: <post-1@example.org>\r\n"
    "List-Id: <discuss.lists.example.org>\r\n"
    "\r\n"
    "Hello members.\r\n";

mail::SmtpRelay relay_for(const SmtpSink& sink) {
    auto relay = mail::SmtpRelay::parse(sink.url());
    EXPECT_TRUE(relay.has_value());
    relay->helo_domain = "lists.example.org";
    relay->timeout_seconds = 10;
    return *relay;
}

class DeliveryTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        list_ = std::make_unique<List>(make_list());
        bounces_ = std::make_unique<Bounces>(*database_, clock_, *subscriptions_, *outbox_);
    }

    void add(const std::vector<std::string>& addresses) {
        std::vector<NewMember> members;
        members.reserve(addresses.size());
        for (const auto& address : addresses) {
            members.push_back({email(address), ""});
        }
        subscriptions_->add_members(accounts::Actor::cli(), *list_, members, Welcome::Skip);
    }

    // An accepted post with its delivery scheduled, as intake leaves it.
    PostId accept_post(const std::string& decorated = kDecorated) {
        PostId post(0);
        database_->transact([&](store::Connection& connection) {
            const std::int64_t now = clock_.unix_now();
            const auto row = connection.query_one(
                "INSERT INTO list_posts (list_id, message_id, size_bytes, raw, decorated, source, "
                "state, received_at, decided_at) VALUES ($1, $2, $3, $4, $4, 'lmtp', 'accepted', "
                "$5, $5) RETURNING id",
                {list_->id.value(), "post-" + std::to_string(++posts_) + "@example.org",
                 static_cast<std::int64_t>(decorated.size()), core::encode_base64(decorated), now});
            post = PostId(row->integer(0));
            schedule_delivery(connection, list_->id, post, now);
        });
        return post;
    }

    std::unique_ptr<DeliveryWorker> worker(const mail::SmtpRelay* relay,
                                           DeliverySettings settings = {},
                                           const std::string& directory = "") {
        return std::make_unique<DeliveryWorker>(*database_, clock_, *subscriptions_, *bounces_,
                                                relay, directory, settings);
    }

    // Recipient → messages it received.
    static std::map<std::string, std::vector<SinkMessage>> by_recipient(
        const std::vector<SinkMessage>& messages) {
        std::map<std::string, std::vector<SinkMessage>> received;
        for (const auto& message : messages) {
            for (const auto& recipient : message.rcpt_tos) {
                received[recipient].push_back(message);
            }
        }
        return received;
    }

    std::unique_ptr<List> list_;
    std::unique_ptr<Bounces> bounces_;
    int posts_ = 0;
};

TEST_P(DeliveryTest, PersonalisedDeliveryUsesVerpAndEachMembersUnsubscribeLink) {
    START_SINK(sink);
    add({"ana@example.org", "bo@example.net", "chen@example.com", "dana@example.org",
         "анна@пример.рф"});
    const PostId post = accept_post();
    // Joined after the post was accepted: not a recipient of it.
    clock_.advance(std::chrono::seconds(5));
    add({"late@example.org"});
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay, DeliverySettings{.connections = 2, .batch_size = 2});
    delivery->run_until_idle();

    const auto progress = delivery->progress(post);
    EXPECT_EQ(progress.recipients, 5);
    EXPECT_EQ(progress.sent, 5);
    EXPECT_TRUE(progress.finished);

    const auto messages = sink->messages();
    ASSERT_EQ(messages.size(), 5U);
    std::set<std::string> unsubscribe_links;
    std::set<int> connections;
    for (const auto& message : messages) {
        ASSERT_EQ(message.rcpt_tos.size(), 1U);
        const std::string& rcpt = message.rcpt_tos[0];
        const auto at = rcpt.find('@');
        EXPECT_EQ(message.mail_from, "discuss-bounces+" + rcpt.substr(0, at) + "=" +
                                         rcpt.substr(at + 1) + "@lists.example.org");
        const auto link =
            message.bytes.find("https://coalition.example/lists/discuss/unsubscribe/");
        ASSERT_NE(link, std::string::npos) << message.bytes;
        unsubscribe_links.insert(message.bytes.substr(link, 52 + 32));
        EXPECT_NE(message.bytes.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
                  std::string::npos);
        EXPECT_NE(message.bytes.find("Hello members."), std::string::npos);
        connections.insert(message.connection);
    }
    EXPECT_EQ(unsubscribe_links.size(), 5U);  // Personal: one link per member.
    EXPECT_TRUE(by_recipient(messages).contains("анна@xn--e1afmkfd.xn--p1ai"));
    EXPECT_FALSE(by_recipient(messages).contains("late@example.org"));
    EXPECT_LE(connections.size(), 2U);

    // A second post goes over the same kept connections.
    const PostId second = accept_post();
    delivery->run_until_idle();
    EXPECT_EQ(delivery->progress(second).sent, 6);
    std::set<int> all_connections;
    for (const auto& message : sink->messages()) {
        all_connections.insert(message.connection);
    }
    EXPECT_EQ(all_connections, connections);
}

TEST_P(DeliveryTest, BulkModeSendsManyRecipientsPerTransactionWithoutPersonalHeaders) {
    START_SINK(sink);
    std::vector<std::string> addresses;
    addresses.reserve(7);
    for (int idx = 0; idx < 7; ++idx) {
        addresses.push_back("member" + std::to_string(idx) + "@example.org");
    }
    add(addresses);
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(
        &relay,
        DeliverySettings{.connections = 1, .batch_size = 10, .bulk_recipients = 3, .bulk = true});
    delivery->run_until_idle();
    EXPECT_EQ(delivery->progress(post).sent, 7);
    const auto messages = sink->messages();
    ASSERT_EQ(messages.size(), 3U);  // 3 + 3 + 1
    for (const auto& message : messages) {
        EXPECT_EQ(message.mail_from, "discuss-bounces@lists.example.org");
        EXPECT_EQ(message.bytes.find("List-Unsubscribe"), std::string::npos);
        EXPECT_EQ(message.bytes, kDecorated);
    }
    EXPECT_EQ(by_recipient(messages).size(), 7U);
}

TEST_P(DeliveryTest, TemporaryFailureIsRetriedWithBackoffThenGivenUp) {
    add({"ana@example.org", "busy@example.org"});
    const PostId post = accept_post();
    DeliverySettings settings{.connections = 1};
    settings.first_retry = std::chrono::seconds(60);
    settings.give_up_after = std::chrono::hours(1);
    {
        START_SINK(busy_sink, "--fail-rcpt-4xx", "^busy@");
        const mail::SmtpRelay relay = relay_for(*busy_sink);
        auto delivery = worker(&relay, settings);
        delivery->run_until_idle();
        auto progress = delivery->progress(post);
        EXPECT_EQ(progress.sent, 1);
        EXPECT_EQ(progress.deferred, 1);
        EXPECT_FALSE(progress.finished);
        // Not due before first_retry.
        clock_.advance(std::chrono::seconds(30));
        delivery->run_until_idle();
        EXPECT_EQ(delivery->progress(post).deferred, 1);
        EXPECT_EQ(count("SELECT attempts FROM list_delivery_recipients WHERE state = 'pending'"),
                  1);
        // Due: still refused, so the next wait doubles (120 s).
        clock_.advance(std::chrono::seconds(31));
        delivery->run_until_idle();
        EXPECT_EQ(count("SELECT attempts FROM list_delivery_recipients WHERE state = 'pending'"),
                  2);
        EXPECT_EQ(count("SELECT next_attempt_at FROM list_delivery_recipients "
                        "WHERE state = 'pending'"),
                  clock_.unix_now() + 120);
    }
    // The relay takes it now.
    START_SINK(sink);
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay, settings);
    clock_.advance(std::chrono::seconds(120));
    delivery->run_until_idle();
    const auto progress = delivery->progress(post);
    EXPECT_EQ(progress.sent, 2);
    EXPECT_EQ(progress.deferred, 0);
    EXPECT_TRUE(progress.finished);
    ASSERT_EQ(sink->messages().size(), 1U);
    EXPECT_EQ(sink->messages()[0].rcpt_tos, std::vector<std::string>{"busy@example.org"});
    EXPECT_TRUE(bounces_->states(list_->id).empty());  // A 4xx is no bounce.

    // A recipient refused with 4xx for longer than give_up_after fails.
    const PostId second = accept_post();
    START_SINK(still_busy, "--fail-rcpt-4xx", "^busy@");
    const mail::SmtpRelay busy_relay = relay_for(*still_busy);
    auto busy_delivery = worker(&busy_relay, settings);
    busy_delivery->run_until_idle();
    for (int round = 0; round < 10 && !busy_delivery->progress(second).finished; ++round) {
        clock_.advance(std::chrono::minutes(20));
        busy_delivery->run_until_idle();
    }
    const auto given_up = busy_delivery->progress(second);
    EXPECT_TRUE(given_up.finished);
    EXPECT_EQ(given_up.failed, 1);
    EXPECT_EQ(given_up.sent, 1);
}

TEST_P(DeliveryTest, PermanentFailureIsRecordedAsABounce) {
    START_SINK(sink, "--fail-rcpt-5xx", "^gone@");
    add({"ana@example.org", "gone@example.org"});
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay);
    delivery->run_until_idle();
    const auto progress = delivery->progress(post);
    EXPECT_EQ(progress.sent, 1);
    EXPECT_EQ(progress.failed, 1);
    EXPECT_TRUE(progress.finished);
    const auto states = bounces_->states(list_->id);
    ASSERT_EQ(states.size(), 1U);
    EXPECT_EQ(states[0].email.unicode(), "gone@example.org");
    EXPECT_DOUBLE_EQ(states[0].score, 1.0);
    EXPECT_NE(states[0].last_diagnostic.find("550 5.1.1"), std::string::npos);
}

TEST_P(DeliveryTest, RelayWithoutSmtputf8FailsOnlyTheInternationalisedRecipient) {
    START_SINK(sink, "--no-smtputf8");
    add({"ana@example.org", "анна@пример.рф"});
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay);
    delivery->run_until_idle();
    const auto progress = delivery->progress(post);
    EXPECT_EQ(progress.sent, 1);
    EXPECT_EQ(progress.failed, 1);
    const auto reply = database_->query_one(
        "SELECT last_reply FROM list_delivery_recipients WHERE state = 'failed'");
    ASSERT_TRUE(reply.has_value());
    EXPECT_NE(reply->text(0).find("SMTPUTF8"), std::string::npos) << reply->text(0);
    EXPECT_TRUE(bounces_->states(list_->id).empty());  // The relay's limit, not a bounce.
    ASSERT_EQ(sink->messages().size(), 1U);
    EXPECT_EQ(sink->messages()[0].rcpt_tos, std::vector<std::string>{"ana@example.org"});
}

TEST_P(DeliveryTest, SkipsDigestNoMailAndBounceDisabledMembers) {
    START_SINK(sink);
    add({"ana@example.org", "bo@example.org", "disabled@example.org"});
    // Five hard bounces on five days disable delivery (Mailman's threshold).
    for (int day = 0; day < 5; ++day) {
        bounces_->record_failure(*list_, email("disabled@example.org"), "550 5.1.1 gone");
        clock_.advance(std::chrono::hours(24));
    }
    database_->transact([&](store::Connection& connection) {
        connection.execute("UPDATE list_members SET delivery_mode = 'digest' WHERE email = $1",
                           {std::string("bo@example.org")});
    });
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay);
    delivery->run_until_idle();
    EXPECT_EQ(delivery->progress(post).recipients, 1);
    ASSERT_EQ(sink->messages().size(), 1U);
    EXPECT_EQ(sink->messages()[0].rcpt_tos, std::vector<std::string>{"ana@example.org"});
}

TEST_P(DeliveryTest, DefaultBatchesRecordEveryOutcomeWithFewStatements) {
    // The default settings (batches of 500 over 4 connections) as the server runs them: links
    // are read a hundred members a query and outcomes stored 64 rows a statement.
    START_SINK(sink);
    std::vector<std::string> addresses;
    addresses.reserve(1234);
    for (int member_idx = 0; member_idx < 1234; ++member_idx) {
        addresses.push_back("m" + std::to_string(member_idx) + "@example.org");
    }
    add(addresses);
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay);
    delivery->run_until_idle();
    const auto progress = delivery->progress(post);
    EXPECT_EQ(progress.sent, 1234);
    EXPECT_TRUE(progress.finished);
    const auto messages = sink->messages();
    ASSERT_EQ(messages.size(), 1234U);
    std::set<std::string> links;
    for (const auto& message : messages) {
        const auto link =
            message.bytes.find("https://coalition.example/lists/discuss/unsubscribe/");
        ASSERT_NE(link, std::string::npos);
        links.insert(message.bytes.substr(link, 52 + 32));
    }
    EXPECT_EQ(links.size(), 1234U) << "each member's own link";
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_delivery_recipients WHERE state = 'sent' AND "
                    "attempts = 1 AND last_reply LIKE '250%'"),
              1234);
}

TEST_P(DeliveryTest, WithoutARelayWritesOneFilePerRecipient) {
    add({"ana@example.org", "bo@example.org", "chen@example.org"});
    const PostId post = accept_post();
    mail::testing::TemporaryDirectory directory;
    auto delivery = worker(nullptr, DeliverySettings{.connections = 2, .batch_size = 2},
                           (directory.path() / "lists").string());
    delivery->run_until_idle();
    EXPECT_EQ(delivery->progress(post).sent, 3);
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory.path() / "lists")) {
        EXPECT_EQ(entry.path().extension(), ".eml");
        ++files;
    }
    EXPECT_EQ(files, 3);
}

TEST_P(DeliveryTest, StartAndStopDeliverInTheBackground) {
    START_SINK(sink);
    add({"ana@example.org", "bo@example.org"});
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    auto delivery = worker(&relay, DeliverySettings{.poll_interval = std::chrono::milliseconds(5)});
    delivery->start();
    // Waits for the condition, not for a time: the test's own timeout bounds it.
    while (!delivery->progress(post).finished) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    delivery->stop();
    EXPECT_EQ(sink->messages().size(), 2U);
}

TEST_P(DeliveryTest, NotifyStartsADeliveryWithoutWaitingForThePoll) {
    START_SINK(sink);
    add({"ana@example.org"});
    const mail::SmtpRelay relay = relay_for(*sink);
    // A poll this long would outlast the test's timeout: only notify() can deliver in time.
    auto delivery = worker(&relay, DeliverySettings{.poll_interval = std::chrono::hours(1)});
    delivery->start();
    const PostId post = accept_post();
    delivery->notify();
    while (!delivery->progress(post).finished) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    delivery->stop();
    EXPECT_EQ(sink->messages().size(), 1U);
}

// SIGKILL mid-delivery: a forked child delivers to 2,000 members and is killed once the sink has
// a few hundred; a fresh worker then finishes. Nobody is missed, and the duplicates are at most
// the batches that were being sent (batch_size × connections).
TEST_P(DeliveryTest, KilledMidDeliveryLosesNobodyAndRepeatsAtMostTheBatchesInFlight) {
    START_SINK(sink);
    constexpr int kMembers = 2000;
    std::vector<std::string> addresses;
    addresses.reserve(kMembers);
    for (int idx = 0; idx < kMembers; ++idx) {
        addresses.push_back("member" + std::to_string(idx) + "@example.org");
    }
    add(addresses);
    const PostId post = accept_post();
    const mail::SmtpRelay relay = relay_for(*sink);
    const DeliverySettings settings{.connections = 2, .batch_size = 100};
    const std::string url = store::testing::database_url(*database_);

    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The child shares nothing with the parent's objects: its own database handle and services.
        auto database = store::open_database(url);
        core::FakeClock clock(clock_.now());
        core::SecureRandom random;
        mail::Outbox outbox(*database, clock);
        Subscriptions subscriptions(
            *database, clock, random, outbox,
            SubscriptionSettings{.base_url = "https://coalition.example/",
                                 .site_name = "Coalition",
                                 .token_secret = "0123456789abcdef0123456789abcdef"});
        Bounces bounces(*database, clock, subscriptions, outbox);
        DeliveryWorker delivery(*database, clock, subscriptions, bounces, &relay, "", settings);
        delivery.run_until_idle();
        ::_exit(0);
    }
    // Kill it once a quarter of the members have the post (waiting on the sink, not on time).
    while (sink->messages().size() < kMembers / 4) {
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, WNOHANG), 0) << "the child finished before the kill";
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    const std::size_t before_restart = sink->messages().size();
    EXPECT_LT(before_restart, static_cast<std::size_t>(kMembers));

    // The restart: on PostgreSQL the dead worker's lease must run out first.
    clock_.advance(std::chrono::minutes(11));
    auto delivery = worker(&relay, settings);
    delivery->run_until_idle();
    EXPECT_TRUE(delivery->progress(post).finished);
    EXPECT_EQ(delivery->progress(post).sent, kMembers);

    const auto messages = sink->messages();
    const auto received = by_recipient(messages);
    for (const auto& address : addresses) {
        EXPECT_TRUE(received.contains(address)) << address << " never got the post";
    }
    const std::size_t duplicates = messages.size() - kMembers;
    EXPECT_LE(duplicates, settings.batch_size * settings.connections);
    std::cerr << "[ crash ] " << before_restart << " sent before the kill, " << duplicates
              << " sent twice\n";
}

COALITION_LISTS_FOR_DIALECTS(DeliveryTest);

}  // namespace
}  // namespace coalition::lists
