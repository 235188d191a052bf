#include "mail/smtp_transport.hpp"

#include "core/random.hpp"
#include "core/testing.hpp"
#include "mail/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::mail {
namespace {

using testing::SmtpSink;

using core::testing::email;

ComposedMessage composed_to(std::vector<Mailbox> to, const std::string& body = "Hello.\n") {
    static core::FakeClock clock;
    static core::SecureRandom random;
    OutgoingMessage message{
        .from = {"Coalition", email("noreply@coalition.example")},
        .to = std::move(to),
        .subject = "Confirm your signature — تأكيد",
        .text_body = body,
        .headers = {},
        .language = "",
    };
    return compose(message, clock, random);
}

SmtpRelay relay_for(const SmtpSink& sink) {
    auto relay = SmtpRelay::parse(sink.url());
    EXPECT_TRUE(relay) << relay.error().message;
    relay->helo_domain = "coalition.example";
    relay->timeout_seconds = 10;
    return *relay;
}

#define START_SINK(sink, ...)                                \
    std::string skip_reason;                                 \
    auto sink = SmtpSink::start({__VA_ARGS__}, skip_reason); \
    if (!sink) {                                             \
        GTEST_SKIP() << skip_reason;                         \
    }

TEST(SmtpTransport, DeliversTheExactBytes) {
    START_SINK(sink);
    SmtpTransport transport(relay_for(*sink));
    const ComposedMessage message =
        composed_to({{"Alice", email("alice@example.org")}}, "Line one\n.\n..two dots\nend\n");
    const DeliveryOutcome outcome = transport.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Sent) << outcome.reply;
    EXPECT_TRUE(outcome.reply.starts_with("250")) << outcome.reply;

    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].mail_from, "noreply@coalition.example");
    EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"alice@example.org"});
    EXPECT_FALSE(received[0].smtputf8);
    // Dot-stuffing is undone by the server: lines starting with '.' arrive as written.
    EXPECT_EQ(received[0].bytes, message.bytes);
}

TEST(SmtpTransport, ReusesOneConnectionForManyMessages) {
    START_SINK(sink);
    SmtpTransport transport(relay_for(*sink));
    for (int idx = 0; idx < 5; ++idx) {
        const ComposedMessage message = composed_to({{"", email("alice@example.org")}});
        ASSERT_EQ(transport.deliver(message.envelope, message.bytes).kind,
                  DeliveryOutcome::Kind::Sent);
    }
    EXPECT_EQ(transport.connections_opened(), 1);
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 5U);
    for (const auto& message : received) {
        EXPECT_EQ(message.connection, received[0].connection);
    }
}

TEST(SmtpTransport, TemporaryRecipientFailureIsRetry) {
    START_SINK(sink, "--fail-rcpt-4xx", "^busy@");
    SmtpTransport transport(relay_for(*sink));
    const ComposedMessage message = composed_to({{"", email("busy@example.org")}});
    const DeliveryOutcome outcome = transport.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Retry);
    EXPECT_NE(outcome.reply.find("451 4.3.0 Mailbox temporarily unavailable"), std::string::npos)
        << outcome.reply;
    EXPECT_TRUE(sink->messages().empty());
}

TEST(SmtpTransport, PermanentFailureKeepsTheReplyAndSendsToNobody) {
    START_SINK(sink, "--fail-rcpt-5xx", "^nobody@");
    SmtpTransport transport(relay_for(*sink));
    // All or none: one refused recipient means the others do not get it either.
    const ComposedMessage message =
        composed_to({{"", email("alice@example.org")}, {"", email("nobody@example.org")}});
    const DeliveryOutcome outcome = transport.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Failed);
    EXPECT_NE(outcome.reply.find("550 5.1.1 No such user here"), std::string::npos)
        << outcome.reply;
    EXPECT_TRUE(sink->messages().empty());

    // The transport stays usable after a refusal.
    const ComposedMessage next = composed_to({{"", email("alice@example.org")}});
    EXPECT_EQ(transport.deliver(next.envelope, next.bytes).kind, DeliveryOutcome::Kind::Sent);
    EXPECT_EQ(sink->messages().size(), 1U);
}

TEST(SmtpTransport, Utf8MailboxIsSentWithSmtputf8) {
    START_SINK(sink);
    SmtpTransport transport(relay_for(*sink));
    const ComposedMessage message = composed_to({{"Анна", email("анна@пример.рф")}});
    ASSERT_TRUE(message.envelope.needs_smtputf8);
    const DeliveryOutcome outcome = transport.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Sent) << outcome.reply;
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_TRUE(received[0].smtputf8);
    EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"анна@xn--e1afmkfd.xn--p1ai"});
    EXPECT_EQ(received[0].bytes, message.bytes);
}

TEST(SmtpTransport, DeliverEachJudgesEveryRecipientOnItsOwn) {
    START_SINK(sink, "--fail-rcpt-4xx", "^busy@", "--fail-rcpt-5xx", "^nobody@");
    SmtpTransport transport(relay_for(*sink));
    const ComposedMessage message = composed_to({{"", email("alice@example.org")}});
    const Envelope envelope{.mail_from = "list-bounces@lists.example",
                            .recipients = {"alice@example.org", "busy@example.org",
                                           "nobody@example.org", "bob@example.org"},
                            .needs_smtputf8 = false};
    const auto outcomes = transport.deliver_each(envelope, message.bytes);
    ASSERT_EQ(outcomes.size(), 4U);
    EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Sent) << outcomes[0].reply;
    EXPECT_EQ(outcomes[1].kind, DeliveryOutcome::Kind::Retry);
    EXPECT_TRUE(outcomes[1].reply.starts_with("451 4.3.0")) << outcomes[1].reply;
    EXPECT_EQ(outcomes[2].kind, DeliveryOutcome::Kind::Failed);
    EXPECT_TRUE(outcomes[2].reply.starts_with("550 5.1.1")) << outcomes[2].reply;
    EXPECT_EQ(outcomes[3].kind, DeliveryOutcome::Kind::Sent);
    auto received = sink->messages();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].rcpt_tos,
              (std::vector<std::string>{"alice@example.org", "bob@example.org"}));

    // Everyone refused: each still has its own reply, and the connection serves the next one.
    const Envelope refused{.mail_from = "list-bounces@lists.example",
                           .recipients = {"busy@example.org", "nobody@example.org"},
                           .needs_smtputf8 = false};
    const auto both = transport.deliver_each(refused, message.bytes);
    EXPECT_EQ(both[0].kind, DeliveryOutcome::Kind::Retry);
    EXPECT_EQ(both[1].kind, DeliveryOutcome::Kind::Failed);
    EXPECT_EQ(transport
                  .deliver_each({.mail_from = "a@example.org",
                                 .recipients = {"alice@example.org"},
                                 .needs_smtputf8 = false},
                                message.bytes)[0]
                  .kind,
              DeliveryOutcome::Kind::Sent);
    EXPECT_EQ(sink->messages().size(), 2U);
}

TEST(SmtpTransport, DeliverEachFailsUtf8AddressesWhenTheRelayLacksSmtputf8) {
    START_SINK(sink, "--no-smtputf8");
    SmtpTransport transport(relay_for(*sink));
    const ComposedMessage message = composed_to({{"", email("alice@example.org")}});
    const Envelope envelope{.mail_from = "list-bounces@lists.example",
                            .recipients = {"анна@xn--e1afmkfd.xn--p1ai", "alice@example.org"},
                            .needs_smtputf8 = true};
    const auto outcomes = transport.deliver_each(envelope, message.bytes);
    ASSERT_EQ(outcomes.size(), 2U);
    EXPECT_EQ(outcomes[0].kind, DeliveryOutcome::Kind::Failed);
    EXPECT_NE(outcomes[0].reply.find("SMTPUTF8"), std::string::npos) << outcomes[0].reply;
    EXPECT_EQ(outcomes[1].kind, DeliveryOutcome::Kind::Sent) << outcomes[1].reply;
    // Known now: a UTF-8 sender fails at once, without a transaction.
    const auto verp = transport.deliver_each({.mail_from = "list-bounces+анна=x.example@l.example",
                                              .recipients = {"alice@example.org"},
                                              .needs_smtputf8 = true},
                                             message.bytes);
    EXPECT_EQ(verp[0].kind, DeliveryOutcome::Kind::Failed);
    const auto received = sink->messages();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"alice@example.org"});
}

TEST(SmtpTransport, RelayDownIsRetry) {
    auto relay = SmtpRelay::parse("smtp://127.0.0.1:" + std::to_string(testing::closed_port()));
    ASSERT_TRUE(relay);
    SmtpTransport transport(*relay);
    const ComposedMessage message = composed_to({{"", email("alice@example.org")}});
    const DeliveryOutcome outcome = transport.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Retry);
    EXPECT_FALSE(outcome.reply.empty());
}

TEST(SmtpTransport, AuthenticatesAndNeverShowsThePassword) {
    START_SINK(sink, "--auth", "mailer:s3cret-pa55");
    auto relay =
        SmtpRelay::parse("smtp://mailer:s3cret-pa55@127.0.0.1:" + std::to_string(sink->port()));
    ASSERT_TRUE(relay);
    EXPECT_EQ(relay->username, "mailer");
    EXPECT_EQ(relay->password, "s3cret-pa55");
    EXPECT_EQ(relay->url.find("s3cret"), std::string::npos);
    SmtpTransport transport(*relay);
    EXPECT_EQ(transport.describe().find("s3cret"), std::string::npos);
    const ComposedMessage message = composed_to({{"", email("alice@example.org")}});
    EXPECT_EQ(transport.deliver(message.envelope, message.bytes).kind, DeliveryOutcome::Kind::Sent);
    ASSERT_EQ(sink->messages().size(), 1U);
    EXPECT_EQ(sink->messages()[0].authenticated_as, "mailer");

    // Refused credentials are the relay setting's fault: retried, not failed, no password shown.
    relay->password = "wrong-pa55";
    SmtpTransport refused(*relay);
    const DeliveryOutcome outcome = refused.deliver(message.envelope, message.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Retry) << outcome.reply;
    EXPECT_EQ(outcome.reply.find("wrong-pa55"), std::string::npos);
}

TEST(SmtpRelay, ParsesTheRelaySetting) {
    auto plain = SmtpRelay::parse("smtp://relay.example");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->url, "smtp://relay.example:25");
    EXPECT_FALSE(plain->starttls);
    EXPECT_TRUE(plain->username.empty());

    auto submission =
        SmtpRelay::parse("smtp://user%40example.org:p%3Ass@relay.example:587/?starttls");
    ASSERT_TRUE(submission);
    EXPECT_EQ(submission->url, "smtp://relay.example:587");
    EXPECT_TRUE(submission->starttls);
    EXPECT_EQ(submission->username, "user@example.org");
    EXPECT_EQ(submission->password, "p:ss");
    EXPECT_EQ(submission->describe(),
              "smtp://relay.example:587 (STARTTLS) (AUTH as user@example.org)");

    auto tls = SmtpRelay::parse("smtps://relay.example");
    ASSERT_TRUE(tls);
    EXPECT_EQ(tls->url, "smtps://relay.example:465");
}

TEST(SmtpRelay, RejectsWhatIsNotARelay) {
    for (const char* bad :
         {"", "relay.example", "http://relay.example", "smtp://", "smtp://relay.example/path",
          "smtp://relay.example?tls=yes", "smtps://relay.example?starttls",
          "smtp://relay.example#x", "smtp://relay example", "smtp://relay.example\r\nRCPT",
          "smtp://relay.example:99999", "smtp://:secret@relay.example"}) {
        auto relay = SmtpRelay::parse(bad);
        EXPECT_FALSE(relay) << bad;
        if (!relay) {
            EXPECT_EQ(relay.error().field, "relay");
            EXPECT_EQ(relay.error().message.find("secret"), std::string::npos);
        }
    }
    EXPECT_FALSE(SmtpRelay::parse(std::string("smtp://relay.example\0", 21)));
}

}  // namespace
}  // namespace coalition::mail
