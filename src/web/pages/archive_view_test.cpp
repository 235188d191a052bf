#include "web/pages/archive_view.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::web::archive_view {
namespace {

TEST(ArchiveView, ObscuresOneAddress) {
    EXPECT_EQ(obscure_address("alice@example.org"), "a\u2026@example.org");
    EXPECT_EQ(obscure_address("анна@пример.рф"), "а\u2026@пример.рф");
    EXPECT_EQ(obscure_address("not an address"), "not an address");
    EXPECT_EQ(obscure_address("@example.org"), "@example.org");
}

TEST(ArchiveView, ObscuresAddressesInText) {
    EXPECT_EQ(obscure_addresses("On Monday, Alice <alice.b@example.org> wrote:"),
              "On Monday, Alice <a\u2026@example.org> wrote:");
    EXPECT_EQ(obscure_addresses("mail bo@x.net and анна@пример.рф."),
              "mail b\u2026@x.net and а\u2026@пример.рф.");
    EXPECT_EQ(obscure_addresses("an @ sign, a@b, me@localhost, @@, x@.org"),
              "an @ sign, a@b, me@localhost, @@, x@.org");
    EXPECT_EQ(obscure_addresses(""), "");
    // Invalid UTF-8 and NUL bytes pass through without crashing.
    const std::string hostile("\xff\xfe@\x00.org a@b.c", 14);
    EXPECT_NE(obscure_addresses(hostile).find("a\u2026@b.c"), std::string::npos);
}

TEST(ArchiveView, ObscuresRawButKeepsIdentifiers) {
    const std::string raw =
        "From: Alice <alice@example.org>\r\nMessage-ID: <123.abc@example.org>\r\n"
        "References: <1@example.org>\r\n <2@example.org>\r\nCc: bo@example.net\r\n\r\n"
        "Write to alice@example.org\r\n";
    const std::string shown = obscure_raw(raw, RawKind::Message);
    EXPECT_NE(shown.find("From: Alice <a...@example.org>\r\n"), std::string::npos);
    EXPECT_NE(shown.find("Message-ID: <123.abc@example.org>\r\n"), std::string::npos);
    EXPECT_NE(shown.find(" <2@example.org>\r\n"), std::string::npos);
    EXPECT_NE(shown.find("Cc: b...@example.net"), std::string::npos);
    EXPECT_NE(shown.find("Write to a...@example.org\r\n"), std::string::npos);
    const std::string mbox = "From alice@example.org Thu Jan  1 00:00:00 2026\n" + raw;
    const std::string exported = obscure_raw(mbox, RawKind::Mbox);
    EXPECT_TRUE(exported.starts_with("From a...@example.org Thu"));
    EXPECT_NE(exported.find("Message-ID: <123.abc@example.org>"), std::string::npos);
}

TEST(ArchiveView, CutsTextIntoBlocks) {
    const auto blocks = text_blocks(
        "Hello all,\r\n\r\n> quoted one\r\n>\r\n> quoted two\r\n\r\nMy answer.\r\n-- \r\nAna\r\n");
    ASSERT_EQ(blocks.size(), 4u);
    EXPECT_EQ(blocks[0].kind, TextBlock::Kind::Text);
    EXPECT_EQ(blocks[0].text, "Hello all,");
    EXPECT_EQ(blocks[1].kind, TextBlock::Kind::Quote);
    EXPECT_EQ(blocks[1].text, "> quoted one\n>\n> quoted two");
    EXPECT_EQ(blocks[1].lines, 3u);
    EXPECT_EQ(blocks[2].text, "My answer.");
    EXPECT_EQ(blocks[3].kind, TextBlock::Kind::Signature);
    EXPECT_EQ(blocks[3].text, "-- \nAna");
    EXPECT_TRUE(text_blocks("").empty());
    EXPECT_TRUE(text_blocks("\n\n  \n").empty());
}

TEST(ArchiveView, OnlyHarmlessTypesAreServedAsThemselves) {
    EXPECT_EQ(safe_content_type("application/PDF; name=x.pdf"), "application/pdf");
    EXPECT_EQ(safe_content_type("image/png"), "image/png");
    for (const char* type :
         {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
          "text/xml", "application/javascript", "text/javascript", "application/x-shockwave-flash",
          "", "garbage", "multipart/related",
          "application/vnd.openxmlformats-officedocument.<x>"}) {
        EXPECT_EQ(safe_content_type(type), "application/octet-stream") << type;
    }
    EXPECT_EQ(safe_content_type(
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

TEST(ArchiveView, SanitisesFileNames) {
    EXPECT_EQ(safe_filename("../../evil.html", 0), "evil.html");
    EXPECT_EQ(safe_filename("..\\..\\windows\\evil.exe", 0), "evil.exe");
    EXPECT_EQ(safe_filename(".bashrc", 0), "bashrc");
    EXPECT_EQ(safe_filename(std::string("a\r\nb\0c.txt", 10), 0), "abc.txt");
    EXPECT_EQ(safe_filename("", 2), "attachment-3");
    EXPECT_EQ(safe_filename("../..", 0), "attachment-1");
    EXPECT_EQ(safe_filename("\xff\xfe.pdf", 0), "__.pdf");
    EXPECT_EQ(safe_filename(std::string(300, 'x'), 0).size(), 150u);
    EXPECT_EQ(safe_filename("Réponse du groupe.pdf", 0), "Réponse du groupe.pdf");
}

TEST(ArchiveView, ContentDispositionFollowsRfc6266) {
    EXPECT_EQ(attachment_disposition("evil.html"),
              "attachment; filename=\"evil.html\"; filename*=UTF-8''evil.html");
    EXPECT_EQ(attachment_disposition("é \"q\".pdf"),
              "attachment; filename=\"__ _q_.pdf\"; filename*=UTF-8''%C3%A9%20%22q%22.pdf");
}

TEST(ArchiveView, ReplyLinkCarriesInReplyTo) {
    EXPECT_EQ(reply_mailto("discuss@lists.example.org", "abc@example.org", "Agenda"),
              "mailto:discuss@lists.example.org?In-Reply-To=%3Cabc%40example.org%3E"
              "&subject=Re%3A%20Agenda");
    EXPECT_EQ(reply_mailto("d@example.org", "x@y", "RE: Agenda"),
              "mailto:d@example.org?In-Reply-To=%3Cx%40y%3E&subject=RE%3A%20Agenda");
}

TEST(ArchiveView, ParsesMonthsAndDays) {
    EXPECT_EQ(parse_month("2026-01"), "2026-01");
    for (const char* bad : {"2026-13", "2026-00", "1969-12", "2026-1", "20261-01", "abcd-ef", ""}) {
        EXPECT_FALSE(parse_month(bad)) << bad;
    }
    EXPECT_EQ(parse_day("1970-01-01"), 0);
    EXPECT_EQ(parse_day("2026-01-01"), 1767225600);
    EXPECT_EQ(parse_day("2026-01-01", true), 1767225600 + 86399);
    EXPECT_EQ(parse_day("2024-02-29"), 1709164800);
    EXPECT_FALSE(parse_day("2025-02-29"));
    EXPECT_FALSE(parse_day("2025-04-31"));
    EXPECT_FALSE(parse_day("2025-4-1"));
}

TEST(ArchiveView, BareMessageId) {
    EXPECT_EQ(bare_message_id(" <abc@example.org> "), "abc@example.org");
    EXPECT_EQ(bare_message_id("abc@example.org"), "abc@example.org");
    EXPECT_EQ(bare_message_id("<>"), "");
}

}  // namespace
}  // namespace coalition::web::archive_view
