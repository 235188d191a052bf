#include "mail/outbox.hpp"

#include "core/random.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

namespace coalition::mail {
namespace {

using std::chrono::seconds;

class OutboxTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP()
                << "COALITION_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)";
        }
        outbox_ = std::make_unique<Outbox>(*database_, clock_);
    }

    ComposedMessage message_to(const std::string& recipient, const std::string& subject = "Hello") {
        OutgoingMessage message{
            .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
            .to = {{"", *core::Email::parse(recipient)}},
            .subject = subject,
            .text_body = "Body for " + recipient,
            .headers = {},
            .language = "",
        };
        return compose(message, clock_, random_);
    }

    std::int64_t enqueue(const std::string& recipient, const std::string& subject = "Hello") {
        const ComposedMessage message = message_to(recipient, subject);
        std::int64_t id = 0;
        database_->transact([&](store::Connection& connection) {
            id = outbox_->enqueue(connection, message, subject);
        });
        return id;
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Outbox> outbox_;
};

TEST_P(OutboxTest, EnqueueClaimAndMarkSent) {
    const ComposedMessage message = message_to("анна@пример.рф", "Подтвердите подпись");
    std::int64_t id = 0;
    database_->transact([&](store::Connection& connection) {
        id = outbox_->enqueue(connection, message, "Подтвердите подпись");
    });
    EXPECT_EQ(outbox_->depth(), 1);

    const auto claimed = outbox_->claim_due(10, seconds(300), "worker-a");
    ASSERT_EQ(claimed.size(), 1U);
    const OutboxItem& item = claimed[0];
    EXPECT_EQ(item.id, id);
    EXPECT_EQ(item.envelope.mail_from, "noreply@coalition.example");
    EXPECT_EQ(item.envelope.recipients, std::vector<std::string>{"анна@xn--e1afmkfd.xn--p1ai"});
    EXPECT_TRUE(item.envelope.needs_smtputf8);
    EXPECT_EQ(item.message_id, message.message_id);
    EXPECT_EQ(item.subject, "Подтвердите подпись");
    EXPECT_EQ(item.bytes, message.bytes);
    EXPECT_EQ(item.attempts, 1);
    EXPECT_EQ(item.state, OutboxState::Pending);
    EXPECT_EQ(item.created_at, clock_.unix_now());

    clock_.advance(seconds(2));
    outbox_->mark_sent(id, "250 2.0.0 Ok: queued");
    const auto found = outbox_->find(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->state, OutboxState::Sent);
    EXPECT_EQ(found->sent_at, clock_.unix_now());
    EXPECT_EQ(found->last_reply, "250 2.0.0 Ok: queued");
    EXPECT_EQ(outbox_->depth(), 0);
    clock_.advance(std::chrono::hours(2));
    EXPECT_TRUE(outbox_->claim_due(10, seconds(300), "worker-a").empty());
    EXPECT_FALSE(outbox_->find(id + 1000));
}

TEST_P(OutboxTest, ADraftIsComposedWhenReadBackWithTheMessageIdItWasQueuedWith) {
    const OutgoingMessage message{
        .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
        .to = {{"Анна", *core::Email::parse("анна@пример.рф")}},
        .subject = "Подтвердите подпись",
        .text_body = "Нажмите на ссылку: https://coalition.example/statement/confirm/abc\n",
        .headers = {{"Auto-Submitted", "auto-generated"}},
        .language = "ru",
    };
    std::int64_t id = 0;
    database_->transact(
        [&](store::Connection& connection) { id = outbox_->enqueue(connection, message); });
    // Nothing composed yet: the row holds the draft.
    const auto stored =
        database_->query_one("SELECT bytes, draft FROM mail_outbox WHERE id = $1", {id});
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->text(0), "");
    EXPECT_NE(stored->text(1).find("confirm/abc"), std::string::npos);

    const auto shown = outbox_->find(id);
    ASSERT_TRUE(shown);
    EXPECT_NE(shown->bytes.find("Message-Id: <" + shown->message_id + ">"), std::string::npos)
        << shown->bytes;
    EXPECT_TRUE(shown->message_id.ends_with("@coalition.example"));
    clock_.advance(seconds(90));
    const auto claimed = outbox_->claim_due(10, seconds(300), "worker-a");
    ASSERT_EQ(claimed.size(), 1U);
    const OutboxItem& item = claimed[0];
    EXPECT_EQ(item.message_id, shown->message_id);
    EXPECT_EQ(item.envelope.recipients, std::vector<std::string>{"анна@xn--e1afmkfd.xn--p1ai"});
    EXPECT_TRUE(item.envelope.needs_smtputf8);
    EXPECT_EQ(item.subject, "Подтвердите подпись");
    // Composed now: the same message as composing it directly, dated when it is sent.
    EXPECT_EQ(item.bytes, compose(message, clock_, item.message_id).bytes);
    EXPECT_NE(item.bytes.find("Content-Language: ru"), std::string::npos);
    EXPECT_NE(item.bytes.find("Auto-Submitted: auto-generated"), std::string::npos);
}

// Prepared before the transaction (as a sign-up does, to keep the writer thread's work short),
// the draft is queued exactly as enqueue(OutgoingMessage) would queue it.
TEST_P(OutboxTest, APreparedDraftIsQueuedAsTheMessageItWasPreparedFrom) {
    const OutgoingMessage message{
        .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
        .to = {{"李雷", *core::Email::parse("李雷@例子.中国")},
               {"Ada", *core::Email::parse("ada@example.org")}},
        .subject = "确认签名",
        .text_body = "https://coalition.example/statement/confirm/xyz\n",
        .headers = {},
        .language = "zh",
    };
    const PreparedMessage prepared = Outbox::prepare(message);
    EXPECT_EQ(prepared.recipients, "李雷@xn--fsqu00a.xn--fiqs8s\nada@example.org");
    EXPECT_TRUE(prepared.needs_smtputf8);
    EXPECT_EQ(prepared.draft, to_json(message));
    std::int64_t id = 0;
    database_->transact(
        [&](store::Connection& connection) { id = outbox_->enqueue(connection, prepared); });
    clock_.advance(seconds(30));
    const auto claimed = outbox_->claim_due(10, seconds(300), "worker-a");
    ASSERT_EQ(claimed.size(), 1U);
    EXPECT_EQ(claimed[0].id, id);
    EXPECT_EQ(claimed[0].message_id, prepared.message_id);
    EXPECT_EQ(claimed[0].envelope.mail_from, "noreply@coalition.example");
    EXPECT_EQ(claimed[0].envelope.recipients,
              (std::vector<std::string>{"李雷@xn--fsqu00a.xn--fiqs8s", "ada@example.org"}));
    EXPECT_EQ(claimed[0].subject, "确认签名");
    EXPECT_EQ(claimed[0].bytes, compose(message, clock_, prepared.message_id).bytes);
}

TEST_P(OutboxTest, ADraftThatNoLongerParsesIsReadBackWithoutBytes) {
    const OutgoingMessage message{
        .from = {"", *core::Email::parse("noreply@coalition.example")},
        .to = {{"", *core::Email::parse("bob@example.org")}},
        .subject = "Hello",
        .text_body = "Hello.\n",
        .headers = {},
        .language = "",
    };
    std::int64_t id = 0;
    database_->transact(
        [&](store::Connection& connection) { id = outbox_->enqueue(connection, message); });
    database_->transact([&](store::Connection& connection) {
        connection.execute("UPDATE mail_outbox SET draft = $1 WHERE id = $2",
                           {std::string("{\"from\": 1}"), id});
    });
    const auto item = outbox_->find(id);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->bytes, "");
}

TEST_P(OutboxTest, EnqueueIsPartOfTheCallersTransaction) {
    const ComposedMessage message = message_to("alice@example.org");
    EXPECT_THROW(database_->transact([&](store::Connection& connection) {
        static_cast<void>(outbox_->enqueue(connection, message, "Hello"));
        throw std::runtime_error("the signature could not be stored");
    }),
                 std::runtime_error);
    EXPECT_EQ(outbox_->depth(), 0);
    EXPECT_TRUE(outbox_->recent(10).empty());
}

TEST_P(OutboxTest, ClaimsInQueueOrderUpToTheLimit) {
    std::vector<std::int64_t> ids;
    ids.reserve(5);
    for (int idx = 0; idx < 5; ++idx) {
        ids.push_back(enqueue("user" + std::to_string(idx) + "@example.org"));
    }
    const auto first = outbox_->claim_due(3, seconds(300), "worker-a");
    ASSERT_EQ(first.size(), 3U);
    EXPECT_EQ(first[0].id, ids[0]);
    EXPECT_EQ(first[1].id, ids[1]);
    EXPECT_EQ(first[2].id, ids[2]);
    const auto second = outbox_->claim_due(3, seconds(300), "worker-b");
    ASSERT_EQ(second.size(), 2U);
    EXPECT_EQ(second[0].id, ids[3]);
    EXPECT_TRUE(outbox_->claim_due(3, seconds(300), "worker-c").empty());
    EXPECT_EQ(outbox_->depth(), 5);  // Claimed is still pending.
}

// The crash between claim and send: the claimer dies, the lease runs out, the next claim gets it.
TEST_P(OutboxTest, ALeasedMessageReturnsOnlyWhenTheLeaseEnds) {
    const std::int64_t id = enqueue("alice@example.org");
    ASSERT_EQ(outbox_->claim_due(10, seconds(300), "worker-that-dies").size(), 1U);

    clock_.advance(seconds(299));
    EXPECT_TRUE(outbox_->claim_due(10, seconds(300), "worker-b").empty());
    clock_.advance(seconds(1));
    const auto reclaimed = outbox_->claim_due(10, seconds(300), "worker-b");
    ASSERT_EQ(reclaimed.size(), 1U);
    EXPECT_EQ(reclaimed[0].id, id);
    EXPECT_EQ(reclaimed[0].attempts, 2);
    // The dead worker's late mark still records the truth, and clears the claim.
    outbox_->mark_sent(id, "250 late");
    EXPECT_EQ(outbox_->find(id)->state, OutboxState::Sent);
}

TEST_P(OutboxTest, ReleasingAWorkersClaimsLeavesTheOthers) {
    const std::int64_t theirs = enqueue("alice@example.org");
    ASSERT_EQ(outbox_->claim_due(1, seconds(300), "dead-server").size(), 1U);
    const std::int64_t mine = enqueue("bob@example.org");
    ASSERT_EQ(outbox_->claim_due(1, seconds(300), "this-server").size(), 1U);
    auto claimers = outbox_->claimers();
    std::sort(claimers.begin(), claimers.end());
    EXPECT_EQ(claimers, (std::vector<std::string>{"dead-server", "this-server"}));
    EXPECT_EQ(outbox_->release_claims_of("dead-server"), 1);
    const auto claimed = outbox_->claim_due(10, seconds(300), "this-server");
    ASSERT_EQ(claimed.size(), 1U);
    EXPECT_EQ(claimed[0].id, theirs);
    EXPECT_EQ(claimed[0].attempts, 2);  // The dead server's attempt stays counted.
    EXPECT_NE(mine, theirs);
}

TEST_P(OutboxTest, RetryWaitsUntilTheNextAttempt) {
    const std::int64_t id = enqueue("alice@example.org");
    ASSERT_EQ(outbox_->claim_due(10, seconds(300), "worker-a").size(), 1U);
    outbox_->mark_retry(id, "451 4.3.0 Try later", clock_.unix_now() + 60);

    // The claim is cleared, but the message is not due yet.
    EXPECT_TRUE(outbox_->claim_due(10, seconds(300), "worker-a").empty());
    const auto waiting = outbox_->find(id);
    EXPECT_EQ(waiting->state, OutboxState::Pending);
    EXPECT_EQ(waiting->last_reply, "451 4.3.0 Try later");
    EXPECT_EQ(waiting->next_attempt_at, clock_.unix_now() + 60);
    clock_.advance(seconds(59));
    EXPECT_TRUE(outbox_->claim_due(10, seconds(300), "worker-a").empty());
    clock_.advance(seconds(1));
    const auto again = outbox_->claim_due(10, seconds(300), "worker-a");
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again[0].attempts, 2);
    EXPECT_EQ(again[0].last_reply, "451 4.3.0 Try later");
}

TEST_P(OutboxTest, FailedMessagesAreKeptButNeverClaimed) {
    const std::int64_t id = enqueue("nobody@example.org");
    ASSERT_EQ(outbox_->claim_due(10, seconds(300), "worker-a").size(), 1U);
    outbox_->mark_failed(id, "550 5.1.1 No such user");
    EXPECT_EQ(outbox_->depth(), 0);
    clock_.advance(std::chrono::hours(48));
    EXPECT_TRUE(outbox_->claim_due(10, seconds(300), "worker-a").empty());
    const auto failed = outbox_->find(id);
    EXPECT_EQ(failed->state, OutboxState::Failed);
    EXPECT_EQ(failed->last_reply, "550 5.1.1 No such user");
    EXPECT_FALSE(failed->sent_at);
    // A failed message cannot be turned back into a sent or pending one by a late mark.
    outbox_->mark_sent(id, "250 too late");
    outbox_->mark_retry(id, "451", clock_.unix_now());
    EXPECT_EQ(outbox_->find(id)->state, OutboxState::Failed);
}

TEST_P(OutboxTest, ReleaseGivesAClaimBackWithoutCountingIt) {
    const std::int64_t id = enqueue("alice@example.org");
    ASSERT_EQ(outbox_->claim_due(10, seconds(300), "worker-a").size(), 1U);
    outbox_->release(id);
    const auto again = outbox_->claim_due(10, seconds(300), "worker-b");
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_P(OutboxTest, RecentIsNewestFirstAndDepthCountsPending) {
    const std::int64_t first = enqueue("a@example.org", "first");
    const std::int64_t second = enqueue("b@example.org", "second");
    const std::int64_t third =
        enqueue("c@example.org", "<script>alert('x')</script>'; DROP TABLE mail_outbox; --");
    outbox_->claim_due(1, seconds(300), "worker-a");
    outbox_->mark_failed(first, "550");
    const auto recent = outbox_->recent(2);
    ASSERT_EQ(recent.size(), 2U);
    EXPECT_EQ(recent[0].id, third);
    EXPECT_EQ(recent[0].subject, "<script>alert('x')</script>'; DROP TABLE mail_outbox; --");
    EXPECT_EQ(recent[1].id, second);
    EXPECT_EQ(outbox_->depth(), 2);
}

TEST_P(OutboxTest, ReplyWithInvalidUtf8OrNulIsStoredSafely) {
    const std::int64_t id = enqueue("alice@example.org");
    outbox_->claim_due(1, seconds(300), "worker-a");
    outbox_->mark_failed(id, std::string("550 \xff\xfe bad\0bytes", 16) + std::string(10'000, 'x'));
    const auto failed = outbox_->find(id);
    EXPECT_TRUE(failed->last_reply.starts_with("550 ?? bad bytes"));
    EXPECT_LE(failed->last_reply.size(), 2000U);
}

TEST_P(OutboxTest, ConcurrentClaimersNeverShareAMessage) {
    constexpr int kMessages = 60;
    for (int idx = 0; idx < kMessages; ++idx) {
        enqueue("user" + std::to_string(idx) + "@example.org");
    }
    std::vector<std::vector<std::int64_t>> claimed(4);
    std::vector<std::thread> workers;
    for (std::size_t worker_idx = 0; worker_idx < claimed.size(); ++worker_idx) {
        workers.emplace_back([&, worker_idx] {
            while (true) {
                const auto batch =
                    outbox_->claim_due(4, seconds(300), "worker-" + std::to_string(worker_idx));
                if (batch.empty()) {
                    return;
                }
                for (const OutboxItem& item : batch) {
                    claimed[worker_idx].push_back(item.id);
                }
            }
        });
    }
    for (std::thread& worker : workers) {
        worker.join();
    }
    std::multiset<std::int64_t> all;
    for (const auto& ids : claimed) {
        all.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));
    EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(),
              static_cast<std::size_t>(kMessages));
}

INSTANTIATE_TEST_SUITE_P(Dialects, OutboxTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::mail
