#include "mail/outbox_worker.hpp"

#include "core/random.hpp"
#include "core/unavailable.hpp"
#include "mail/file_transport.hpp"
#include "mail/test_support.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <thread>

namespace coalition::mail {
namespace {

using std::chrono::seconds;
using Kind = DeliveryOutcome::Kind;

// Answers with scripted outcomes (Sent once the script runs out) and records what it was given.
class ScriptedTransport final : public Transport {
public:
    DeliveryOutcome deliver(const Envelope& envelope, const std::string& /*bytes*/) override {
        delivered.push_back(envelope.recipients.front());
        if (on_deliver) {
            on_deliver();
        }
        if (script.empty()) {
            return {Kind::Sent, "250 OK"};
        }
        DeliveryOutcome outcome = script.front();
        script.pop_front();
        return outcome;
    }
    std::string describe() const override { return "scripted"; }

    std::deque<DeliveryOutcome> script;
    std::vector<std::string> delivered;
    std::function<void()> on_deliver;
};

// Forwards to a real database, or throws core::Unavailable while `down` is set.
class FlakyDatabase final : public store::Database {
public:
    explicit FlakyDatabase(store::Database& inner) : inner_(inner) {}
    store::Dialect dialect() const override { return inner_.dialect(); }
    store::Rows query(std::string_view sql, const store::Params& params) override {
        check();
        return inner_.query(sql, params);
    }
    void transact(const std::function<void(store::Connection&)>& body) override {
        check();
        inner_.transact(body);
    }
    std::string describe() const override { return inner_.describe(); }
    bool is_healthy() override { return !down; }

    bool down = false;

private:
    void check() const {
        if (down) {
            throw core::Unavailable("database unavailable (test)");
        }
    }
    store::Database& inner_;
};

class OutboxWorkerTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP()
                << "COALITION_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)";
        }
        flaky_ = std::make_unique<FlakyDatabase>(*database_);
        outbox_ = std::make_unique<Outbox>(*flaky_, clock_);
    }

    OutboxWorkerOptions options() {
        OutboxWorkerOptions options;
        options.worker_name = "test-worker";
        options.max_attempts = 4;
        options.log = [this](const std::string& line) { log_.push_back(line); };
        return options;
    }

    std::int64_t enqueue(const std::string& recipient) {
        OutgoingMessage message{
            .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
            .to = {{"", *core::Email::parse(recipient)}},
            .subject = "Hello " + recipient,
            .text_body = "Hello.\n",
            .headers = {},
            .language = "",
        };
        const ComposedMessage composed = compose(message, clock_, random_);
        std::int64_t id = 0;
        database_->transact([&](store::Connection& connection) {
            id = outbox_->enqueue(connection, composed, message.subject);
        });
        return id;
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<FlakyDatabase> flaky_;
    std::unique_ptr<Outbox> outbox_;
    std::vector<std::string> log_;
};

TEST(RetryDelay, DoublesFromAMinuteUpToAnHour) {
    EXPECT_EQ(retry_delay(1), seconds(60));
    EXPECT_EQ(retry_delay(2), seconds(120));
    EXPECT_EQ(retry_delay(3), seconds(240));
    EXPECT_EQ(retry_delay(6), seconds(1920));
    EXPECT_EQ(retry_delay(7), seconds(3600));
    EXPECT_EQ(retry_delay(1000), seconds(3600));
}

TEST_P(OutboxWorkerTest, SendsEveryDueMessage) {
    ScriptedTransport transport;
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const std::int64_t first = enqueue("a@example.org");
    const std::int64_t second = enqueue("b@example.org");
    EXPECT_EQ(worker.run_once(), 2);
    EXPECT_EQ(transport.delivered, (std::vector<std::string>{"a@example.org", "b@example.org"}));
    EXPECT_EQ(outbox_->find(first)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(second)->last_reply, "250 OK");
    EXPECT_EQ(worker.run_once(), 0);
    EXPECT_EQ(outbox_->depth(), 0);
}

TEST_P(OutboxWorkerTest, RetriesWithExponentialBackoffThenFails) {
    ScriptedTransport transport;
    for (int idx = 0; idx < 4; ++idx) {
        transport.script.push_back({Kind::Retry, "451 4.3.0 try " + std::to_string(idx + 1)});
    }
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const std::int64_t id = enqueue("a@example.org");

    for (const int delay : {60, 120, 240}) {
        EXPECT_EQ(worker.run_once(), 1);
        const auto waiting = outbox_->find(id);
        EXPECT_EQ(waiting->state, OutboxState::Pending);
        EXPECT_EQ(waiting->next_attempt_at, clock_.unix_now() + delay);
        clock_.advance(seconds(delay - 1));
        EXPECT_EQ(worker.run_once(), 0) << "not due before " << delay << " s";
        clock_.advance(seconds(1));
    }
    // The fourth attempt is the last one (max_attempts = 4).
    EXPECT_EQ(worker.run_once(), 1);
    const auto failed = outbox_->find(id);
    EXPECT_EQ(failed->state, OutboxState::Failed);
    EXPECT_EQ(failed->attempts, 4);
    EXPECT_EQ(failed->last_reply, "gave up after 4 attempts; last reply: 451 4.3.0 try 4");
    ASSERT_FALSE(log_.empty());
    EXPECT_NE(log_.back().find("failed after 4 attempts"), std::string::npos);
    clock_.advance(std::chrono::hours(10));
    EXPECT_EQ(worker.run_once(), 0);
    EXPECT_EQ(transport.delivered.size(), 4U);
}

TEST_P(OutboxWorkerTest, PermanentFailureIsNotRetried) {
    ScriptedTransport transport;
    transport.script.push_back({Kind::Failed, "550 5.1.1 No such user"});
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const std::int64_t bad = enqueue("nobody@example.org");
    const std::int64_t good = enqueue("a@example.org");
    EXPECT_EQ(worker.run_once(), 2);
    EXPECT_EQ(outbox_->find(bad)->state, OutboxState::Failed);
    EXPECT_EQ(outbox_->find(bad)->last_reply, "550 5.1.1 No such user");
    EXPECT_EQ(outbox_->find(good)->state, OutboxState::Sent);
}

// A worker died after claiming: nothing is sent until its lease ends, then the message is.
TEST_P(OutboxWorkerTest, ResumesAMessageWhoseClaimerDied) {
    const std::int64_t id = enqueue("a@example.org");
    ASSERT_EQ(outbox_->claim_due(10, seconds(300), "dead-worker").size(), 1U);
    ScriptedTransport transport;
    OutboxWorker worker(*outbox_, transport, clock_, options());
    EXPECT_EQ(worker.run_once(), 0);
    clock_.advance(seconds(300));
    EXPECT_EQ(worker.run_once(), 1);
    EXPECT_EQ(outbox_->find(id)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(id)->attempts, 2);
}

// A server killed mid-batch: the next one to start releases its claims instead of waiting out
// the lease; a live server's claims are left alone.
TEST_P(OutboxWorkerTest, ReleasesTheClaimsOfDeadWorkersAtStart) {
    const std::int64_t id = enqueue("a@example.org");
    ASSERT_EQ(outbox_->claim_due(1, seconds(300), "dead-server").size(), 1U);
    const std::int64_t busy = enqueue("b@example.org");
    ASSERT_EQ(outbox_->claim_due(1, seconds(300), "live-server").size(), 1U);
    ScriptedTransport transport;
    OutboxWorkerOptions worker_options = options();
    worker_options.is_dead = [](const std::string& name) { return name == "dead-server"; };
    worker_options.poll_interval = std::chrono::milliseconds(10);
    OutboxWorker worker(*outbox_, transport, clock_, worker_options);
    worker.start();
    for (int tries = 0; tries < 500 && outbox_->find(id)->state != OutboxState::Sent; ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    worker.stop();
    EXPECT_EQ(outbox_->find(id)->state, OutboxState::Sent);  // Before the 300 s lease ended.
    EXPECT_EQ(outbox_->find(busy)->state, OutboxState::Pending);
    EXPECT_EQ(transport.delivered, std::vector<std::string>{"a@example.org"});
    ASSERT_EQ(log_.size(), 1U);
    EXPECT_NE(log_[0].find("took over 1 message(s) claimed by dead-server"), std::string::npos);
}

TEST_P(OutboxWorkerTest, KeepsGoingThroughADatabaseOutage) {
    ScriptedTransport transport;
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const std::int64_t id = enqueue("a@example.org");
    flaky_->down = true;
    EXPECT_EQ(worker.run_once(), 0);
    ASSERT_EQ(log_.size(), 1U);
    EXPECT_NE(log_[0].find("database unavailable"), std::string::npos);
    flaky_->down = false;
    EXPECT_EQ(worker.run_once(), 1);

    // Lost between delivery and mark_sent: the lease brings it back (at least once).
    const std::int64_t second = enqueue("b@example.org");
    transport.on_deliver = [this] { flaky_->down = true; };
    EXPECT_EQ(worker.run_once(), 0);
    transport.on_deliver = nullptr;
    flaky_->down = false;
    EXPECT_EQ(outbox_->find(second)->state, OutboxState::Pending);
    clock_.advance(std::chrono::minutes(5));
    EXPECT_EQ(worker.run_once(), 1);
    EXPECT_EQ(outbox_->find(second)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(id)->state, OutboxState::Sent);
}

TEST_P(OutboxWorkerTest, AnUnreachableRelayPausesTheQueueInsteadOfFailingEveryMessage) {
    ScriptedTransport transport;
    DeliveryOutcome refused{Kind::Retry, "Couldn't connect to server"};
    refused.relay_unreachable = true;
    transport.script = {refused};
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const std::int64_t first = enqueue("a@example.org");
    const std::int64_t second = enqueue("b@example.org");
    const std::int64_t third = enqueue("c@example.org");
    EXPECT_EQ(worker.run_once(), 1);
    // Only the first was tried; the others went back to the queue with no attempt counted.
    EXPECT_EQ(transport.delivered, std::vector<std::string>{"a@example.org"});
    EXPECT_EQ(outbox_->find(first)->attempts, 1);
    EXPECT_GT(outbox_->find(first)->next_attempt_at, clock_.unix_now());
    EXPECT_EQ(outbox_->find(second)->attempts, 0);
    EXPECT_EQ(outbox_->find(third)->attempts, 0);
    // The relay is back: the rest go at the next claim, the first after its backoff.
    EXPECT_EQ(worker.run_once(), 2);
    EXPECT_EQ(outbox_->find(second)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(third)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(first)->state, OutboxState::Pending);
}

TEST_P(OutboxWorkerTest, AQueuedDraftIsComposedAndSentAndAnUnreadableOneFails) {
    ScriptedTransport transport;
    OutboxWorker worker(*outbox_, transport, clock_, options());
    const OutgoingMessage message{
        .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
        .to = {{"", *core::Email::parse("a@example.org")}},
        .subject = "Hello",
        .text_body = "Hello.\n",
        .headers = {},
        .language = "",
    };
    std::int64_t good = 0;
    std::int64_t broken = 0;
    database_->transact([&](store::Connection& connection) {
        good = outbox_->enqueue(connection, message);
        broken = outbox_->enqueue(connection, message);
        connection.execute("UPDATE mail_outbox SET draft = 'not json' WHERE id = $1", {broken});
    });
    EXPECT_EQ(worker.run_once(), 2);
    EXPECT_EQ(transport.delivered, std::vector<std::string>{"a@example.org"});
    EXPECT_EQ(outbox_->find(good)->state, OutboxState::Sent);
    EXPECT_EQ(outbox_->find(broken)->state, OutboxState::Failed);
    ASSERT_EQ(log_.size(), 1U);
    EXPECT_NE(log_[0].find("could not be read back"), std::string::npos);
}

// Counts deliveries through a real FileTransport and lets the test wait for a number of them.
class CountingTransport final : public Transport {
public:
    explicit CountingTransport(Transport& inner) : inner_(inner) {}
    DeliveryOutcome deliver(const Envelope& envelope, const std::string& bytes) override {
        DeliveryOutcome outcome = inner_.deliver(envelope, bytes);
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
        return outcome;
    }
    std::string describe() const override { return inner_.describe(); }
    void wait_for(int count) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return count_ >= count; });
    }

private:
    Transport& inner_;
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;  // Guarded by mutex_.
};

TEST_P(OutboxWorkerTest, BackgroundThreadDeliversToFilesOnNotify) {
    testing::TemporaryDirectory temporary;
    FileTransport files(temporary.path() / "outbox", clock_);
    CountingTransport transport(files);
    OutboxWorkerOptions worker_options = options();
    worker_options.poll_interval = std::chrono::hours(1);  // Only notify() can wake it in time.
    OutboxWorker worker(*outbox_, transport, clock_, worker_options);
    worker.start();
    for (int idx = 0; idx < 3; ++idx) {
        enqueue("user" + std::to_string(idx) + "@example.org");
    }
    worker.notify();
    transport.wait_for(3);
    worker.stop();
    EXPECT_EQ(outbox_->depth(), 0);
    int eml_files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(temporary.path() / "outbox")) {
        eml_files += entry.path().extension() == ".eml" ? 1 : 0;
    }
    EXPECT_EQ(eml_files, 3);
    worker.stop();  // Idempotent.
}

TEST_P(OutboxWorkerTest, StopFinishesTheMessageInHandAndGivesTheRestBack) {
    for (int idx = 0; idx < 3; ++idx) {
        enqueue("user" + std::to_string(idx) + "@example.org");
    }
    ScriptedTransport transport;
    OutboxWorker worker(*outbox_, transport, clock_, options());
    // A stop request arrives while the first message is being delivered.
    transport.on_deliver = [&] { worker.stop(); };
    EXPECT_EQ(worker.run_once(), 1);
    const auto recent = outbox_->recent(10);
    ASSERT_EQ(recent.size(), 3U);
    EXPECT_EQ(recent[2].state, OutboxState::Sent);
    // The other two are due again at once, with no attempt counted.
    transport.on_deliver = nullptr;
    const auto again = outbox_->claim_due(10, seconds(300), "next-worker");
    ASSERT_EQ(again.size(), 2U);
    EXPECT_EQ(again[0].attempts, 1);
}

INSTANTIATE_TEST_SUITE_P(Dialects, OutboxWorkerTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::mail
