#include "mail/smtp_pipeline.hpp"

#include "mail/smtp_transport.hpp"
#include "mail/test_support.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

namespace coalition::mail {
namespace {

using testing::SmtpSink;

#define START_SINK(sink, ...)                                \
    std::string skip_reason;                                 \
    auto sink = SmtpSink::start({__VA_ARGS__}, skip_reason); \
    if (!sink) {                                             \
        GTEST_SKIP() << skip_reason;                         \
    }

SmtpPipeline pipeline_to(int port) {
    return SmtpPipeline("127.0.0.1", std::to_string(port), "coalition.example", 5);
}

std::string message_for(const std::string& recipient, const std::string& body) {
    return "From: list@lists.example\r\nTo: " + recipient + "\r\nSubject: hi\r\n\r\n" + body;
}

// What sends a run: the pipeline itself, or a transport choosing how.
auto through(SmtpPipeline& pipeline) {
    return
        [&pipeline](std::size_t count, const SmtpPipeline::NextTransaction& next,
                    const SmtpPipeline::Decided& decided) { pipeline.send(count, next, decided); };
}

auto through(SmtpTransport& transport) {
    return [&transport](std::size_t count, const SmtpPipeline::NextTransaction& next,
                        const SmtpPipeline::Decided& decided) {
        transport.deliver_sequence(count, next, decided);
    };
}

// Runs `transactions` through `send` and collects what was decided, by index.
struct Decisions {
    std::map<std::size_t, std::vector<DeliveryOutcome>> outcomes;
    std::size_t most_held = 0;  // Issued and not yet decided, at most.
};

Decisions run_sequence(const std::function<void(std::size_t, const SmtpPipeline::NextTransaction&,
                                                const SmtpPipeline::Decided&)>& send,
                       const std::vector<SmtpTransaction>& transactions) {
    Decisions result;
    std::size_t issued = 0;
    send(
        transactions.size(),
        [&](std::size_t index) {
            EXPECT_EQ(index, issued) << "asked in order, each once";
            ++issued;
            result.most_held = std::max(result.most_held, issued - result.outcomes.size());
            return transactions.at(index);
        },
        [&](std::size_t index, std::vector<DeliveryOutcome>&& outcomes) {
            EXPECT_EQ(outcomes.size(), transactions.at(index).envelope.recipients.size());
            EXPECT_TRUE(result.outcomes.emplace(index, std::move(outcomes)).second)
                << "decided once: " << index;
        });
    EXPECT_EQ(result.outcomes.size(), transactions.size());
    return result;
}

SmtpTransaction to_one(const std::string& recipient, const std::string& body = "Hello.\r\n") {
    return {
        {.mail_from = "list-bounces+" + recipient.substr(0, recipient.find('@')) + "@lists.example",
         .recipients = {recipient},
         .needs_smtputf8 = false},
        message_for(recipient, body)};
}

// `count` one-recipient transactions to member0@example.org, member1@… with `body`.
std::vector<SmtpTransaction> to_members(int count, const std::string& body = "Hello.\r\n") {
    std::vector<SmtpTransaction> transactions;
    transactions.reserve(count);
    for (int idx = 0; idx < count; ++idx) {
        transactions.push_back(to_one("member" + std::to_string(idx) + "@example.org",
                                      body + std::to_string(idx) + "\r\n"));
    }
    return transactions;
}

TEST(SmtpPipeline, DotStuffsAndEndsTheContent) {
    std::string out;
    append_data_content(out, ".starts\r\nmiddle\r\n..two\r\nno end");
    EXPECT_EQ(out, "..starts\r\nmiddle\r\n...two\r\nno end\r\n.\r\n");
    out.clear();
    append_data_content(out, "ends\r\n");
    EXPECT_EQ(out, "ends\r\n.\r\n");
}

TEST(SmtpPipeline, SendsARunPipelinedOnOneConnectionWithTheExactBytes) {
    START_SINK(sink);
    auto pipeline = pipeline_to(sink->port());
    const auto transactions = to_members(30, "Line\r\n.\r\n..dots ");
    const Decisions result = run_sequence(through(pipeline), transactions);
    for (const auto& [index, outcomes] : result.outcomes) {
        EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Sent) << outcomes[0].reply;
        EXPECT_TRUE(outcomes[0].reply.starts_with("250 ")) << outcomes[0].reply;
    }
    EXPECT_LE(result.most_held, 2U) << "one message's bytes in flight, the next one's envelope";
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), transactions.size());
    for (std::size_t idx = 0; idx < received.size(); ++idx) {
        EXPECT_EQ(received[idx].bytes, transactions[idx].bytes);
        EXPECT_EQ(received[idx].rcpt_tos, transactions[idx].envelope.recipients);
        EXPECT_EQ(received[idx].mail_from, transactions[idx].envelope.mail_from);
        EXPECT_EQ(received[idx].connection, received[0].connection);
        // The next message's MAIL, RCPT and DATA travelled with this one's end.
        EXPECT_EQ(received[idx].pipelined, idx + 1 < received.size()) << idx;
    }
    EXPECT_EQ(pipeline.connections_opened(), 1);

    // The connection is kept for the next run.
    run_sequence(through(pipeline), {to_one("later@example.org")});
    EXPECT_EQ(pipeline.connections_opened(), 1);
    EXPECT_EQ(sink->messages().size(), transactions.size() + 1);
}

TEST(SmtpPipeline, JudgesEveryRecipientAndCarriesOnAfterRefusals) {
    START_SINK(sink, "--fail-rcpt-4xx", "^busy@", "--fail-rcpt-5xx", "^nobody@", "--fail-data-5xx",
               "^spam@");
    auto pipeline = pipeline_to(sink->port());
    SmtpTransaction several = to_one("alice@example.org");
    several.envelope.recipients = {"alice@example.org", "nobody@example.org", "bob@example.org"};
    const std::vector<SmtpTransaction> transactions = {
        to_one("busy@example.org"),   to_one("alice@example.org"),
        to_one("nobody@example.org"), several,
        to_one("spam@example.org"),   to_one("carol@example.org")};
    const Decisions result = run_sequence(through(pipeline), transactions);
    using Kind = DeliveryOutcome::Kind;
    const auto& outcomes = result.outcomes;
    EXPECT_EQ(outcomes.at(0)[0].kind, Kind::Retry);
    EXPECT_TRUE(outcomes.at(0)[0].reply.starts_with("451 4.3.0")) << outcomes.at(0)[0].reply;
    EXPECT_EQ(outcomes.at(1)[0].kind, Kind::Sent);
    EXPECT_EQ(outcomes.at(2)[0].kind, Kind::Failed);
    EXPECT_TRUE(outcomes.at(2)[0].reply.starts_with("550 5.1.1")) << outcomes.at(2)[0].reply;
    EXPECT_EQ(outcomes.at(3)[0].kind, Kind::Sent);
    EXPECT_EQ(outcomes.at(3)[1].kind, Kind::Failed);
    EXPECT_EQ(outcomes.at(3)[2].kind, Kind::Sent);
    EXPECT_EQ(outcomes.at(4)[0].kind, Kind::Failed);
    EXPECT_TRUE(outcomes.at(4)[0].reply.starts_with("554 5.7.1")) << outcomes.at(4)[0].reply;
    EXPECT_EQ(outcomes.at(5)[0].kind, Kind::Sent);
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 3U);
    EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"alice@example.org"});
    EXPECT_EQ(received[1].rcpt_tos,
              (std::vector<std::string>{"alice@example.org", "bob@example.org"}));
    EXPECT_EQ(received[2].rcpt_tos, std::vector<std::string>{"carol@example.org"});

    // A run that ends in a refusal leaves the relay mid-transaction; the next run still works.
    const auto send = through(pipeline);
    EXPECT_EQ(run_sequence(send, {to_one("busy@example.org")}).outcomes.at(0)[0].kind, Kind::Retry);
    const auto later = run_sequence(send, {to_one("dave@example.org")}).outcomes.at(0)[0];
    EXPECT_EQ(later.kind, Kind::Sent) << later.reply;
    EXPECT_EQ(sink->messages().size(), 4U);
    EXPECT_EQ(pipeline.connections_opened(), 1);
}

TEST(SmtpPipeline, Utf8AddressesNeedTheRelaysSmtputf8) {
    {
        START_SINK(sink);
        auto pipeline = pipeline_to(sink->port());
        const Decisions result =
            run_sequence(through(pipeline), {to_one("анна@xn--e1afmkfd.xn--p1ai")});
        EXPECT_EQ(result.outcomes.at(0)[0].kind, DeliveryOutcome::Kind::Sent);
        ASSERT_EQ(sink->messages().size(), 1U);
        EXPECT_TRUE(sink->messages()[0].smtputf8);
    }
    START_SINK(sink, "--no-smtputf8");
    auto pipeline = pipeline_to(sink->port());
    SmtpTransaction utf8_sender = to_one("alice@example.org");
    utf8_sender.envelope.mail_from = "list-bounces+анна=x.example@lists.example";
    const Decisions result = run_sequence(
        through(pipeline),
        {to_one("анна@xn--e1afmkfd.xn--p1ai"), utf8_sender, to_one("bob@example.org")});
    EXPECT_EQ(result.outcomes.at(0)[0].kind, DeliveryOutcome::Kind::Failed);
    EXPECT_EQ(result.outcomes.at(0)[0].reply, kNoSmtputf8Reply);
    EXPECT_EQ(result.outcomes.at(1)[0].kind, DeliveryOutcome::Kind::Failed);
    EXPECT_EQ(result.outcomes.at(2)[0].kind, DeliveryOutcome::Kind::Sent);
    ASSERT_EQ(sink->messages().size(), 1U);
    EXPECT_EQ(sink->messages()[0].rcpt_tos, std::vector<std::string>{"bob@example.org"});
}

TEST(SmtpPipeline, ARelayThatClosesIsFollowedOnANewConnectionAndNothingIsLost) {
    START_SINK(sink, "--close-after", "3");
    auto pipeline = pipeline_to(sink->port());
    const auto transactions = to_members(10);
    const Decisions result = run_sequence(through(pipeline), transactions);
    for (const auto& [index, outcomes] : result.outcomes) {
        EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Sent) << index << outcomes[0].reply;
    }
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), transactions.size()) << "each once";
    for (std::size_t idx = 0; idx < received.size(); ++idx) {
        EXPECT_EQ(received[idx].rcpt_tos, transactions[idx].envelope.recipients);
    }
    EXPECT_EQ(pipeline.connections_opened(), 4);
}

TEST(SmtpPipeline, NoRelayMeansRetryForEveryone) {
    auto pipeline = pipeline_to(testing::closed_port());
    const Decisions result =
        run_sequence(through(pipeline), {to_one("alice@example.org"), to_one("bob@example.org")});
    for (const auto& [index, outcomes] : result.outcomes) {
        EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Retry);
        EXPECT_TRUE(outcomes[0].relay_unreachable);
        EXPECT_FALSE(outcomes[0].reply.empty());
    }
}

// A relay that greets and offers PIPELINING, then answers the first transaction with `answer`
// and closes. Counts its connections.
class OneShotRelay {
public:
    explicit OneShotRelay(std::string answer) : answer_(std::move(answer)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        EXPECT_EQ(::listen(listener_, 8), 0);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~OneShotRelay() {
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
    }
    OneShotRelay(const OneShotRelay&) = delete;
    OneShotRelay& operator=(const OneShotRelay&) = delete;
    int port() const { return port_; }
    int connections() const { return connections_; }

private:
    void serve() {
        while (true) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) {
                return;
            }
            ++connections_;
            const std::string greeting = "220 relay.test\r\n";
            ::send(fd, greeting.data(), greeting.size(), MSG_NOSIGNAL);
            char buffer[4096];
            if (::recv(fd, buffer, sizeof buffer, 0) > 0) {  // EHLO
                const std::string ehlo = "250-relay.test\r\n250 PIPELINING\r\n";
                ::send(fd, ehlo.data(), ehlo.size(), MSG_NOSIGNAL);
            }
            if (::recv(fd, buffer, sizeof buffer, 0) > 0) {  // MAIL, RCPT, DATA
                ::send(fd, answer_.data(), answer_.size(), MSG_NOSIGNAL);
            }
            ::close(fd);
        }
    }

    std::string answer_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<int> connections_ = 0;
    std::thread thread_;
};

TEST(SmtpPipeline, GarbageOrSilenceFromANewConnectionEndsTheRunWithRetry) {
    for (const std::string answer : {"garbage\r\n", "", "250 ok\r\n", "25", "999 what\r\n"}) {
        OneShotRelay relay(answer);
        auto pipeline = pipeline_to(relay.port());
        const Decisions result = run_sequence(
            through(pipeline), {to_one("alice@example.org"), to_one("bob@example.org")});
        for (const auto& [index, outcomes] : result.outcomes) {
            EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Retry) << answer;
            EXPECT_FALSE(outcomes[0].relay_unreachable);
            EXPECT_FALSE(outcomes[0].reply.empty());
        }
        EXPECT_EQ(relay.connections(), 1) << "no second try on a new connection that failed";
    }
}

TEST(SmtpTransport, DeliverSequenceUsesLibcurlWhenTheRelayCannotPipeline) {
    START_SINK(sink, "--no-pipelining");
    auto relay = SmtpRelay::parse(sink->url());
    ASSERT_TRUE(relay);
    SmtpTransport transport(*relay);
    const auto transactions = to_members(4);
    const Decisions result = run_sequence(through(transport), transactions);
    for (const auto& [index, outcomes] : result.outcomes) {
        EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Sent) << outcomes[0].reply;
    }
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), transactions.size());
    for (const auto& message : received) {
        EXPECT_FALSE(message.pipelined);
    }
}

TEST(SmtpTransport, DeliverSequencePipelinesToAPlainRelay) {
    START_SINK(sink);
    auto relay = SmtpRelay::parse(sink->url());
    ASSERT_TRUE(relay);
    SmtpTransport transport(*relay);
    const Decisions result =
        run_sequence(through(transport), {to_one("alice@example.org"), to_one("bob@example.org")});
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 2U);
    EXPECT_TRUE(received[0].pipelined);
    EXPECT_EQ(transport.connections_opened(), 1);
}

}  // namespace
}  // namespace coalition::mail
