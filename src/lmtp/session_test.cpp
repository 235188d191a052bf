// The LMTP state machine, driven byte-for-byte as a client would, with a fake Mailbox.

#include "lmtp/session.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace coalition::lmtp {
namespace {

struct Delivery {
    Envelope envelope;
    std::string message;
};

class FakeMailbox : public Mailbox {
public:
    enum class Failure { None, Unavailable, Other, WrongCount };

    std::set<std::string> known{"list@lists.example", "list-request@lists.example",
                                "other@lists.example", "liste@лист.example"};
    Failure deliver_failure = Failure::None;
    Failure check_failure = Failure::None;
    std::vector<Delivery> deliveries;

    Reply check_recipient(std::string_view address) override {
        if (check_failure == Failure::Unavailable) {
            throw core::Unavailable("database gone");
        }
        if (known.contains(std::string(address))) {
            return {250, "2.1.5", "Recipient OK"};
        }
        return {550, "5.1.1", "No such list"};
    }

    std::vector<Reply> deliver(const Envelope& envelope, std::string_view message) override {
        switch (deliver_failure) {
            case Failure::Unavailable:
                throw core::Unavailable("database gone");
            case Failure::Other:
                throw std::runtime_error("a bug");
            case Failure::WrongCount:
                return {};
            case Failure::None:
                break;
        }
        deliveries.push_back({envelope, std::string(message)});
        std::vector<Reply> replies;
        for (const std::string& recipient : envelope.recipients) {
            // A recipient whose list is held back for the test answers 452.
            if (recipient == "other@lists.example") {
                replies.push_back({452, "4.2.2", "Over quota"});
            } else {
                replies.push_back({250, "2.1.5", "Delivered to " + recipient});
            }
        }
        return replies;
    }
};

SessionLimits small_limits() {
    SessionLimits limits;
    limits.server_name = "lists.example";
    limits.max_message_bytes = 1000;
    limits.max_recipients = 3;
    limits.max_line_bytes = 100;
    limits.max_errors = 8;
    return limits;
}

// The reply lines of `output` without their CRLF.
std::vector<std::string> lines(const std::string& output) {
    std::vector<std::string> result;
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find("\r\n", start);
        EXPECT_NE(end, std::string::npos) << "every reply line ends in CRLF";
        if (end == std::string::npos) {
            break;
        }
        result.push_back(output.substr(start, end - start));
        start = end + 2;
    }
    return result;
}

// The first 9 characters of each line: "250 2.1.5".
std::vector<std::string> codes(const std::string& output) {
    std::vector<std::string> result;
    for (const std::string& line : lines(output)) {
        result.push_back(line.substr(0, std::min<std::size_t>(9, line.size())));
    }
    return result;
}

class SessionTest : public ::testing::Test {
protected:
    FakeMailbox mailbox;
    Session session{small_limits()};

    std::string send(std::string_view input) { return converse(session, mailbox, input); }
    // Greets and says LHLO, checking nothing.
    void greet() {
        send("");
        send("LHLO mta.example\r\n");
    }
};

TEST_F(SessionTest, GreetsAndAdvertisesExtensionsAtLhlo) {
    EXPECT_EQ(send(""), "220 lists.example LMTP server ready\r\n");
    EXPECT_EQ(
        lines(send("LHLO mta.example\r\n")),
        (std::vector<std::string>{"250-lists.example", "250-PIPELINING", "250-ENHANCEDSTATUSCODES",
                                  "250-8BITMIME", "250-SMTPUTF8", "250 SIZE 1000"}));
}

TEST_F(SessionTest, LhloComesFirstAndNeedsAName) {
    send("");
    EXPECT_EQ(send("MAIL FROM:<a@b.example>\r\n"), "503 5.5.1 Say LHLO first\r\n");
    EXPECT_EQ(codes(send("HELO mta.example\r\nEHLO mta.example\r\nLHLO\r\n")),
              (std::vector<std::string>{"500 5.5.1", "500 5.5.1", "501 5.5.4"}));
    EXPECT_EQ(codes(send("NOOP\r\nRSET\r\nHELP\r\n")),
              (std::vector<std::string>{"250 2.0.0", "250 2.0.0", "214 2.0.0"}));
}

TEST_F(SessionTest, DeliversWithOneReplyPerRecipientInOrder) {
    greet();
    EXPECT_EQ(send("MAIL FROM:<anna@example.org>\r\n"), "250 2.1.0 Sender OK\r\n");
    EXPECT_EQ(send("RCPT TO:<list@lists.example>\r\n"), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(send("RCPT TO:<nobody@lists.example>\r\n"), "550 5.1.1 No such list\r\n");
    EXPECT_EQ(send("RCPT TO:<other@lists.example>\r\n"), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(codes(send("DATA\r\n")), (std::vector<std::string>{"354 Start"}));
    EXPECT_TRUE(session.is_reading_message());
    EXPECT_EQ(send("Subject: hi\r\n\r\nHello\r\n.\r\n"),
              "250 2.1.5 Delivered to list@lists.example\r\n452 4.2.2 Over quota\r\n");
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    const Delivery& delivery = mailbox.deliveries[0];
    EXPECT_EQ(delivery.envelope.mail_from, "anna@example.org");
    EXPECT_EQ(delivery.envelope.recipients,
              (std::vector<std::string>{"list@lists.example", "other@lists.example"}));
    EXPECT_EQ(delivery.message, "Subject: hi\r\n\r\nHello\r\n");
    EXPECT_FALSE(session.is_reading_message());

    // A second transaction on the same connection starts afresh.
    send("MAIL FROM:<>\r\nRCPT TO:<list-request@lists.example>\r\nDATA\r\n");
    send("x\r\n.\r\n");
    ASSERT_EQ(mailbox.deliveries.size(), 2U);
    EXPECT_EQ(mailbox.deliveries[1].envelope.mail_from, "");
    EXPECT_EQ(mailbox.deliveries[1].envelope.recipients,
              (std::vector<std::string>{"list-request@lists.example"}));
    EXPECT_EQ(codes(send("QUIT\r\n")), (std::vector<std::string>{"221 2.0.0"}));
    EXPECT_TRUE(session.is_closed());
}

TEST_F(SessionTest, PipelinedCommandsGetTheirRepliesInOrder) {
    greet();
    std::string output = send(
        "MAIL FROM:<anna@example.org> BODY=8BITMIME SIZE=200\r\n"
        "RCPT TO:<list@lists.example>\r\n"
        "RCPT TO:<unknown@lists.example>\r\n"
        "DATA\r\n"
        "Subject: pipelined\r\n\r\nbody\r\n.\r\n"
        "NOOP\r\n"
        "QUIT\r\n");
    EXPECT_EQ(codes(output),
              (std::vector<std::string>{"250 2.1.0", "250 2.1.5", "550 5.1.1", "354 Start",
                                        "250 2.1.5", "250 2.0.0", "221 2.0.0"}));
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    EXPECT_TRUE(mailbox.deliveries[0].envelope.eight_bit);
    EXPECT_EQ(mailbox.deliveries[0].envelope.declared_size, 200U);
    EXPECT_TRUE(session.is_closed());
    EXPECT_EQ(send("NOOP\r\n"), "");
}

TEST_F(SessionTest, SplitAtEveryByteGivesTheSameResult) {
    const std::string input =
        "LHLO mta.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\n"
        "DATA\r\n..dot\r\n.\r\r\nlast\n.\r\n";
    std::string whole;
    {
        FakeMailbox other_mailbox;
        Session other(small_limits());
        whole = converse(other, other_mailbox, input);
        ASSERT_EQ(other_mailbox.deliveries.size(), 1U);
    }
    std::string pieces;
    for (char c : input) {
        pieces += send(std::string_view(&c, 1));
    }
    EXPECT_EQ(pieces, whole);
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    EXPECT_EQ(mailbox.deliveries[0].message, ".dot\r\n\r\r\nlast\r\n");
}

TEST_F(SessionTest, DotStuffingIsRemoved) {
    greet();
    send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\n");
    send("..\r\n...two\r\n.x\r\n. \r\nend.\r\n.\r\n");
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    EXPECT_EQ(mailbox.deliveries[0].message, ".\r\n..two\r\nx\r\n \r\nend.\r\n");
}

TEST_F(SessionTest, BareLineFeedsAreToleratedAndBecomeCrlf) {
    send("");
    std::string output = send(
        "LHLO mta.example\nMAIL FROM:<a@b.example>\nRCPT TO:<list@lists.example>\nDATA\n"
        "Subject: bare\n\nline one\r\nline two\n.\n");
    EXPECT_EQ(codes(output).back(), "250 2.1.5");
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    EXPECT_EQ(mailbox.deliveries[0].message, "Subject: bare\r\n\r\nline one\r\nline two\r\n");
}

TEST_F(SessionTest, EightBitUtf8AndNulBytesPassUnchanged) {
    greet();
    std::string data =
        "From: =?utf-8?q?Ren=C3=A9?= <rene@example.org>\r\n"
        "Subject: Déclaration — نداء — 声明\r\n"
        "X-Latin1: caf\xe9\r\n\r\nNUL here: ";
    data += '\0';
    data += " and \xff\xfe\r\n";
    send(
        "MAIL FROM:<rené@exemple.fr> SMTPUTF8 BODY=8BITMIME\r\n"
        "RCPT TO:<liste@лист.example>\r\nDATA\r\n");
    std::string output = send(data + ".\r\n");
    EXPECT_EQ(codes(output), (std::vector<std::string>{"250 2.1.5"}));
    ASSERT_EQ(mailbox.deliveries.size(), 1U);
    EXPECT_TRUE(mailbox.deliveries[0].envelope.smtputf8);
    EXPECT_EQ(mailbox.deliveries[0].envelope.mail_from, "rené@exemple.fr");
    EXPECT_EQ(mailbox.deliveries[0].message, data);
}

TEST_F(SessionTest, NonAsciiAddressesNeedSmtputf8) {
    greet();
    EXPECT_EQ(codes(send("MAIL FROM:<rené@exemple.fr>\r\n")),
              (std::vector<std::string>{"553 5.6.7"}));
    send("MAIL FROM:<rene@exemple.fr>\r\n");
    EXPECT_EQ(codes(send("RCPT TO:<liste@лист.example>\r\n")),
              (std::vector<std::string>{"553 5.6.7"}));
}

TEST_F(SessionTest, TinyAndHeaderlessMessagesAreTheMailboxsConcern) {
    greet();
    send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\n");
    EXPECT_EQ(codes(send(".\r\n")), (std::vector<std::string>{"250 2.1.5"}));
    send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\n");
    send("no headers, no Message-ID\r\n.\r\n");
    ASSERT_EQ(mailbox.deliveries.size(), 2U);
    EXPECT_EQ(mailbox.deliveries[0].message, "");
    EXPECT_EQ(mailbox.deliveries[1].message, "no headers, no Message-ID\r\n");
}

TEST_F(SessionTest, DeclaredSizeOverTheLimitIsRefusedAtMail) {
    greet();
    EXPECT_EQ(codes(send("MAIL FROM:<a@b.example> SIZE=1001\r\n")),
              (std::vector<std::string>{"552 5.3.4"}));
    EXPECT_EQ(codes(send("MAIL FROM:<a@b.example> SIZE=99999999999999999999\r\n")),
              (std::vector<std::string>{"552 5.3.4"}));
    EXPECT_EQ(codes(send("MAIL FROM:<a@b.example> SIZE=1000\r\n")),
              (std::vector<std::string>{"250 2.1.0"}));
}

TEST_F(SessionTest, OversizedMessageIsReadToItsEndThenRefusedPerRecipient) {
    greet();
    send(
        "MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\n"
        "RCPT TO:<other@lists.example>\r\nDATA\r\n");
    std::string output;
    for (int line_idx = 0; line_idx < 100; ++line_idx) {
        output += send(std::string(60, 'x') + "\r\n");
    }
    EXPECT_EQ(output, "");
    EXPECT_TRUE(session.is_reading_message());
    EXPECT_EQ(codes(send(".\r\nNOOP\r\n")),
              (std::vector<std::string>{"552 5.3.4", "552 5.3.4", "250 2.0.0"}));
    EXPECT_TRUE(mailbox.deliveries.empty());
    // The connection is still usable.
    send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\n");
    EXPECT_EQ(codes(send("small\r\n.\r\n")), (std::vector<std::string>{"250 2.1.5"}));
}

TEST_F(SessionTest, BadSequences) {
    greet();
    EXPECT_EQ(codes(send("RCPT TO:<list@lists.example>\r\nDATA\r\n")),
              (std::vector<std::string>{"503 5.5.1", "503 5.5.1"}));
    send("MAIL FROM:<a@b.example>\r\n");
    EXPECT_EQ(codes(send("MAIL FROM:<a@b.example>\r\nRCPT TO:<x@lists.example>\r\nDATA\r\n")),
              (std::vector<std::string>{"503 5.5.1", "550 5.1.1", "503 5.5.1"}));
    // RSET ends the transaction.
    EXPECT_EQ(codes(send("RSET\r\nRCPT TO:<list@lists.example>\r\n")),
              (std::vector<std::string>{"250 2.0.0", "503 5.5.1"}));
}

TEST_F(SessionTest, SyntaxErrorsAndUnsupportedParameters) {
    greet();
    EXPECT_EQ(codes(send("MAIL FROM:a@b.example\r\n"
                         "MAIL FROM:<a b@c>\r\n"
                         "MAIL FROM:<a@b.example> BODY=BINARYMIME\r\n"
                         "MAIL FROM:<a@b.example> SIZE=12x\r\n"
                         "MAIL FROM:<a@b.example> RET=HDRS\r\n")),
              (std::vector<std::string>{"501 5.5.4", "501 5.1.7", "501 5.5.4", "501 5.5.4",
                                        "555 5.5.4"}));
    Session fresh(small_limits());
    converse(fresh, mailbox, "LHLO x\r\nMAIL FROM:<a@b.example>\r\n");
    EXPECT_EQ(codes(converse(fresh, mailbox,
                             "RCPT TO:<>\r\nRCPT TO:<list@lists.example> NOTIFY=NEVER\r\n"
                             "RCPT TO:list@lists.example\r\nDATA now\r\n")),
              (std::vector<std::string>{"501 5.1.3", "555 5.5.4", "501 5.5.4", "503 5.5.1"}));
}

TEST_F(SessionTest, UnknownCommandsVrfyExpnAndHelp) {
    greet();
    EXPECT_EQ(codes(send("STARTTLS\r\nVRFY list@lists.example\r\nVRFY\r\nEXPN list\r\nHELP\r\n")),
              (std::vector<std::string>{"500 5.5.1", "252 2.5.0", "501 5.5.4", "502 5.5.1",
                                        "214 2.0.0"}));
}

TEST_F(SessionTest, LongLineIsRefusedAndTheRestOfItDropped) {
    greet();
    // 99 octets with CRLF: accepted; 101: refused.
    EXPECT_EQ(codes(send("NOOP " + std::string(92, 'a') + "\r\n")),
              (std::vector<std::string>{"250 2.0.0"}));
    EXPECT_EQ(codes(send("NOOP " + std::string(94, 'a') + "\r\n")),
              (std::vector<std::string>{"500 5.5.2"}));
    // Without a line end: refused once, then skipped until the line ends.
    EXPECT_EQ(codes(send(std::string(150, 'b'))), (std::vector<std::string>{"500 5.5.2"}));
    EXPECT_EQ(send(std::string(5000, 'b')), "");
    EXPECT_EQ(codes(send("bbb\r\nNOOP\r\n")), (std::vector<std::string>{"250 2.0.0"}));
}

TEST_F(SessionTest, TooManyRecipients) {
    greet();
    mailbox.known.insert({"a@lists.example", "b@lists.example", "c@lists.example"});
    EXPECT_EQ(
        codes(send("MAIL FROM:<a@b.example>\r\nRCPT TO:<a@lists.example>\r\n"
                   "RCPT TO:<b@lists.example>\r\nRCPT TO:<c@lists.example>\r\n"
                   "RCPT TO:<list@lists.example>\r\nDATA\r\nhi\r\n.\r\n")),
        (std::vector<std::string>{"250 2.1.0", "250 2.1.5", "250 2.1.5", "250 2.1.5", "452 4.5.3",
                                  "354 Start", "250 2.1.5", "250 2.1.5", "250 2.1.5"}));
}

TEST_F(SessionTest, TooManyErrorsCloseTheConnection) {
    greet();
    std::string output = send("x\r\ny\r\nz\r\nw\r\nv\r\nu\r\nt\r\ns\r\nNOOP\r\n");
    EXPECT_EQ(codes(output), (std::vector<std::string>{"500 5.5.1", "500 5.5.1", "500 5.5.1",
                                                       "500 5.5.1", "500 5.5.1", "500 5.5.1",
                                                       "500 5.5.1", "500 5.5.1", "421 4.7.0"}));
    EXPECT_TRUE(session.is_closed());
}

TEST_F(SessionTest, BinaryGarbageEndsInA421) {
    send("");
    std::string garbage;
    for (int byte = 0; byte < 256; ++byte) {
        garbage.push_back(static_cast<char>(byte));
    }
    std::string output = send(garbage + garbage + garbage + garbage + garbage + garbage + garbage +
                              garbage + garbage + garbage);
    EXPECT_EQ(codes(output).back(), "421 4.7.0");
    EXPECT_TRUE(session.is_closed());
    EXPECT_TRUE(mailbox.deliveries.empty());
}

TEST_F(SessionTest, UnavailableMailboxAnswers451PerRecipientAndAcceptsNothing) {
    greet();
    mailbox.deliver_failure = FakeMailbox::Failure::Unavailable;
    send(
        "MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\n"
        "RCPT TO:<list-request@lists.example>\r\nDATA\r\n");
    EXPECT_EQ(send("hi\r\n.\r\n"),
              "451 4.3.0 Temporary local error, try again later\r\n"
              "451 4.3.0 Temporary local error, try again later\r\n");
    EXPECT_TRUE(mailbox.deliveries.empty());

    for (auto failure : {FakeMailbox::Failure::Other, FakeMailbox::Failure::WrongCount}) {
        mailbox.deliver_failure = failure;
        send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\n");
        EXPECT_EQ(codes(send("hi\r\n.\r\n")), (std::vector<std::string>{"451 4.3.0"}));
    }

    mailbox.check_failure = FakeMailbox::Failure::Unavailable;
    send("MAIL FROM:<a@b.example>\r\n");
    EXPECT_EQ(codes(send("RCPT TO:<list@lists.example>\r\nDATA\r\n")),
              (std::vector<std::string>{"451 4.3.0", "503 5.5.1"}));
}

TEST_F(SessionTest, CloseWithWritesTheReplyAndIgnoresLaterInput) {
    greet();
    send("MAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\nDATA\r\npartial");
    session.close_with(Session::timeout_reply());
    EXPECT_EQ(session.take_output(), "421 4.4.2 Timeout, closing connection\r\n");
    EXPECT_EQ(session.next(), Step::Close);
    EXPECT_EQ(send("\r\n.\r\n"), "");
    EXPECT_TRUE(mailbox.deliveries.empty());
}

}  // namespace
}  // namespace coalition::lmtp
