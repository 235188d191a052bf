#include "lists/bounce_parser.hpp"

#include "core/base64.hpp"
#include "lists/digest_store.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::lists {
namespace {

// A Postfix DSN (RFC 3464) as it returns a hard failure.
constexpr const char* kPostfixDsn =
    "Return-Path: <>\r\n"
    "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: discuss-bounces+ana=example.net@lists.example.org\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"8F1C52A0B.1700000000/mx.example.net\"\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--8F1C52A0B.1700000000/mx.example.net\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "This is the mail system at host mx.example.net.\r\n"
    "\r\n"
    "I'm sorry to have to inform you that your message could not\r\n"
    "be delivered to one or more recipients. It's attached below.\r\n"
    "\r\n"
    "<ana@example.net>: host mail.example.net[192.0.2.7] said: 550 5.1.1 <ana@example.net>:\r\n"
    "    Recipient address rejected: User unknown (in reply to RCPT TO command)\r\n"
    "\r\n"
    "--8F1C52A0B.1700000000/mx.example.net\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.example.net\r\n"
    "X-Postfix-Queue-ID: 8F1C52A0B\r\n"
    "Arrival-Date: Mon, 13 Nov 2023 10:00:00 +0000 (UTC)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; ana@example.net\r\n"
    "Original-Recipient: rfc822;ana@example.net\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mail.example.net\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <ana@example.net>: Recipient address rejected:\r\n"
    "    User unknown\r\n"
    "\r\n"
    "--8F1C52A0B.1700000000/mx.example.net\r\n"
    "Content-Description: Undelivered Message\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: someone@elsewhere.example\r\n"
    "To: discuss@lists.example.org\r\n"
    "Cc: bystander@example.com\r\n"
    "Subject: hi\r\n"
    "\r\n"
    "Body mentioning third@example.com failed:\r\n"
    "\r\n"
    "--8F1C52A0B.1700000000/mx.example.net--\r\n";

TEST(ParseBounce, ReadsAnRfc3464HardFailure) {
    const auto recipients = parse_bounce(kPostfixDsn);
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].address, "ana@example.net");
    EXPECT_EQ(recipients[0].kind, BounceKind::Hard);
    EXPECT_EQ(recipients[0].status, "5.1.1");
    EXPECT_EQ(recipients[0].diagnostic,
              "550 5.1.1 <ana@example.net>: Recipient address rejected: User unknown");
}

std::string dsn(const std::string& recipient_fields, const std::string& part_headers = "") {
    return "From: postmaster@mx.example.com\r\n"
           "Subject: Delivery Status Notification\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=b1\r\n"
           "\r\n"
           "--b1\r\n"
           "Content-Type: text/plain\r\n"
           "\r\n"
           "Report.\r\n"
           "--b1\r\n"
           "Content-Type: message/delivery-status\r\n" +
           part_headers +
           "\r\n"
           "Reporting-MTA: dns; mx.example.com\r\n"
           "\r\n" +
           recipient_fields + "--b1--\r\n";
}

TEST(ParseBounce, DelayedAndFourXxAreSoftAndDeliveredIsNoBounce) {
    auto delayed = parse_bounce(dsn(
        "Final-Recipient: rfc822; bo@example.com\r\nAction: delayed\r\nStatus: 4.4.1\r\n"
        "Diagnostic-Code: smtp; 451 4.4.1 try later\r\n\r\n"
        "Final-Recipient: rfc822; chen@example.com\r\nAction: failed\r\nStatus: 4.2.2 (full)\r\n"
        "\r\n"
        "Final-Recipient: rfc822; dana@example.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n"));
    ASSERT_EQ(delayed.size(), 2U);
    EXPECT_EQ(delayed[0].address, "bo@example.com");
    EXPECT_EQ(delayed[0].kind, BounceKind::Soft);
    EXPECT_EQ(delayed[1].kind, BounceKind::Soft);
    EXPECT_EQ(delayed[1].status, "4.2.2");

    EXPECT_TRUE(parse_bounce(dsn("Final-Recipient: rfc822; dana@example.com\r\n"
                                 "Action: delivered\r\nStatus: 2.0.0\r\n"))
                    .empty());
}

TEST(ParseBounce, ReadsABase64DeliveryStatusAndAUtf8Recipient) {
    // RFC 6533: a global delivery status with a UTF-8 address, here base64-encoded.
    const std::string status =
        "Reporting-MTA: dns; mx.example\r\n\r\n"
        "Final-Recipient: utf-8; анна@пример.рф\r\nAction: failed\r\nStatus: 5.1.1\r\n";
    const std::string message =
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n\r\n"
        "--x\r\nContent-Type: message/global-delivery-status\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" +
        core::encode_base64(status) + "\r\n--x--\r\n";
    const auto recipients = parse_bounce(message);
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].address, "анна@пример.рф");
    EXPECT_EQ(recipients[0].kind, BounceKind::Hard);
    EXPECT_EQ(recipients[0].status, "5.1.1");
}

TEST(ParseBounce, ReadsQmail) {
    const auto recipients = parse_bounce(
        "From: MAILER-DAEMON@mail.example.com\r\n"
        "Subject: failure notice\r\n"
        "\r\n"
        "Hi. This is the qmail-send program at mail.example.com.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n"
        "\r\n"
        "<ana@example.com>:\r\n"
        "192.0.2.4 does not like recipient.\r\n"
        "Remote host said: 550 5.1.1 Sorry, no mailbox here by that name.\r\n"
        "Giving up on 192.0.2.4.\r\n"
        "\r\n"
        "--- Below this line is a copy of the message.\r\n"
        "\r\n"
        "From: other@example.org\r\n"
        "To: someone@example.net\r\n");
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].address, "ana@example.com");
    EXPECT_EQ(recipients[0].kind, BounceKind::Hard);
    EXPECT_EQ(recipients[0].status, "5.1.1");
    EXPECT_NE(recipients[0].diagnostic.find("no mailbox here"), std::string::npos);
}

TEST(ParseBounce, ReadsEximFailureAndDelay) {
    const auto failed = parse_bounce(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\r\n"
        "Subject: Mail delivery failed: returning message to sender\r\n"
        "\r\n"
        "This message was created automatically by mail delivery software.\r\n"
        "\r\n"
        "A message that you sent could not be delivered to one or more of its\r\n"
        "recipients. This is a permanent error. The following address(es) failed:\r\n"
        "\r\n"
        "  bo@example.org\r\n"
        "    host mail.example.org [192.0.2.9]\r\n"
        "    SMTP error from remote mail server after RCPT TO:<bo@example.org>:\r\n"
        "    550 5.1.1 User unknown\r\n"
        "  chen@example.org\r\n"
        "    mailbox is full: retry timeout exceeded\r\n"
        "\r\n"
        "------ This is a copy of the message, including all the headers. ------\r\n"
        "From: x@example.com\r\n");
    ASSERT_EQ(failed.size(), 2U);
    EXPECT_EQ(failed[0].address, "bo@example.org");
    EXPECT_EQ(failed[0].status, "5.1.1");
    EXPECT_EQ(failed[0].kind, BounceKind::Hard);
    EXPECT_EQ(failed[1].address, "chen@example.org");
    EXPECT_EQ(failed[1].kind, BounceKind::Hard);

    const auto delayed = parse_bounce(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\r\n"
        "Subject: Warning: message 1abc delayed 24 hours\r\n"
        "\r\n"
        "This message was created automatically by mail delivery software.\r\n"
        "A message that you sent has not yet been delivered to one or more of its\r\n"
        "recipients after more than 24 hours on the queue on mx.example.org.\r\n"
        "\r\n"
        "  dana@example.org\r\n"
        "    Delay reason: mailbox is full\r\n"
        "\r\n"
        "No action is required on your part. Delivery attempts will continue.\r\n");
    ASSERT_EQ(delayed.size(), 1U);
    EXPECT_EQ(delayed[0].address, "dana@example.org");
    EXPECT_EQ(delayed[0].kind, BounceKind::Soft);
}

TEST(ParseBounce, ReadsExchangeAndGenericFailedSections) {
    const auto exchange = parse_bounce(
        "From: postmaster@corp.example\r\n"
        "Subject: Undeliverable: Plans\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Delivery has failed to these recipients or groups:\r\n"
        "\r\n"
        "eve@corp.example\r\n"
        "The e-mail address you entered couldn't be found.\r\n"
        "\r\n"
        "Diagnostic information for administrators:\r\n"
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not=\r\n"
        " found'\r\n");
    ASSERT_EQ(exchange.size(), 1U);
    EXPECT_EQ(exchange[0].address, "eve@corp.example");
    EXPECT_EQ(exchange[0].kind, BounceKind::Hard);
    EXPECT_EQ(exchange[0].status, "5.1.10");

    const auto generic = parse_bounce(
        "From: mailer@old.example\r\nSubject: Returned mail\r\n\r\n"
        "Delivery to the following recipients failed:\r\n\r\n"
        "       frank@old.example\r\n\r\n");
    ASSERT_EQ(generic.size(), 1U);
    EXPECT_EQ(generic[0].address, "frank@old.example");
}

TEST(ParseBounce, AutoRepliesAndOrdinaryMailAreNoBounces) {
    EXPECT_TRUE(parse_bounce("From: ana@example.org\r\nSubject: Out of Office: Plans\r\n"
                             "Auto-Submitted: auto-replied\r\n\r\n"
                             "I am away. Delivery to the following recipients failed:\r\n"
                             "bo@example.org\r\n")
                    .empty());
    EXPECT_TRUE(parse_bounce("From: ana@example.org\r\nSubject: Re: Plans\r\n\r\n"
                             "Mail ana@example.org or bo@example.org about it.\r\n")
                    .empty());
}

TEST(ParseBounce, NeverThrowsOnHostileInput) {
    const std::string nul("Content-Type: multipart/report; boundary=a\r\n\r\n--a\0\r\n", 44);
    std::string nested = "Content-Type: multipart/mixed; boundary=z\r\n\r\n";
    for (int idx = 0; idx < 50; ++idx) {
        nested += "--z\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n";
    }
    std::string huge(1 << 20, 'x');
    for (std::size_t idx = 0; idx < huge.size(); idx += 97) {
        huge[idx] = '\n';
    }
    const std::string invalid_utf8 =
        "Content-Type: multipart/report; boundary=q\r\n\r\n--q\r\n"
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: x\r\n\r\n"
        "Final-Recipient: rfc822; ana@example.org\r\nAction: failed\r\n"
        "Diagnostic-Code: smtp; 550 \xff\xfe bad\r\n--q";
    for (const std::string& input :
         {std::string(), std::string("\r\n\r\n"), nul, nested, huge, invalid_utf8,
          std::string("Content-Type: multipart/report; boundary=\"\r\n\r\n--\r\n--\r\n"),
          std::string("Content-Transfer-Encoding: quoted-printable\r\n\r\n=\r\n=4"),
          std::string("Content-Type: message/delivery-status\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n====")}) {
        EXPECT_NO_THROW(parse_bounce(input));
    }
    const auto recipients = parse_bounce(invalid_utf8);
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].diagnostic, "550 ?? bad");
}

TEST(ParseBounce, DiagnosticIsTrimmedTo500Characters) {
    const auto recipients = parse_bounce(
        dsn("Final-Recipient: rfc822; ana@example.org\r\nAction: failed\r\nStatus: 5.0.0\r\n"
            "Diagnostic-Code: smtp; " +
            std::string(2000, 'e') + "\r\n"));
    ASSERT_EQ(recipients.size(), 1U);
    EXPECT_EQ(recipients[0].diagnostic.size(), 500U);
}

}  // namespace
}  // namespace coalition::lists
