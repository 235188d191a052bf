#include "archive/message.hpp"

#include "archive/html_text.hpp"
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace coalition::archive {
namespace {

constexpr const char* kPythonCorpus = "/usr/lib/python3.11/test/test_email/data";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void expect_clean(const ParsedMessage& parsed) {
    for (const std::string* field : {&parsed.message_id, &parsed.author_name, &parsed.author_email,
                                     &parsed.subject, &parsed.in_reply_to, &parsed.text}) {
        EXPECT_TRUE(core::is_valid_utf8(*field)) << *field;
        EXPECT_EQ(field->find('\0'), std::string::npos);
        EXPECT_EQ(core::to_nfc(*field), *field);
    }
    for (const auto& attachment : parsed.attachments) {
        EXPECT_TRUE(core::is_valid_utf8(attachment.filename));
        EXPECT_EQ(attachment.filename.find('/'), std::string::npos);
        EXPECT_EQ(attachment.filename.find('\\'), std::string::npos);
    }
}

TEST(ParseMessage, EveryPythonCorpusMessageParsesWithCleanFields) {
    if (!std::filesystem::exists(kPythonCorpus)) {
        GTEST_SKIP() << "libpython3.11-testsuite is not installed";
    }
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kPythonCorpus)) {
        if (entry.path().extension() != ".txt") {
            continue;
        }
        const auto parsed = parse_message(read_file(entry.path()), true);
        expect_clean(parsed);
        ++count;
    }
    EXPECT_GE(count, 40U);
}

TEST(ParseMessage, PythonCorpusFieldsCheckedByHand) {
    if (!std::filesystem::exists(kPythonCorpus)) {
        GTEST_SKIP() << "libpython3.11-testsuite is not installed";
    }
    const auto first =
        parse_message(read_file(std::filesystem::path(kPythonCorpus) / "msg_01.txt"));
    EXPECT_TRUE(first.parseable);
    EXPECT_EQ(first.message_id, "15090.61304.110929.45684@aaa.zzz.org");
    EXPECT_EQ(first.author_email, "bbb@ddd.com");
    EXPECT_EQ(first.subject, "This is a test message");
    EXPECT_EQ(first.date, 988999544);  // Fri, 4 May 2001 14:05:44 -0400
    EXPECT_NE(first.text.find("Do you like this message?"), std::string::npos);
    EXPECT_TRUE(first.attachments.empty());

    // Five parts: text/plain, an inline text/html (as text) and base64 text parts.
    const auto lyrics =
        parse_message(read_file(std::filesystem::path(kPythonCorpus) / "msg_10.txt"));
    EXPECT_EQ(lyrics.author_name, "Barry Warsaw");
    EXPECT_EQ(lyrics.author_email, "barry@python.org");
    EXPECT_NE(lyrics.text.find("This is a 7bit encoded message."), std::string::npos);
    EXPECT_NE(lyrics.text.find("\u00a1This is a Quoted Printable encoded message!"),
              std::string::npos);
    EXPECT_NE(lyrics.text.find("This is a Base64 encoded message."), std::string::npos);
    EXPECT_NE(lyrics.text.find("This has no Content-Transfer-Encoding: header."),
              std::string::npos);

    // A multipart/alternative with text/plain: the HTML alternative is not shown.
    const auto alternative =
        parse_message(read_file(std::filesystem::path(kPythonCorpus) / "msg_15.txt"));
    EXPECT_NE(alternative.text.find("Some removed test."), std::string::npos);
    EXPECT_EQ(alternative.text.find("Some removed HTML"), std::string::npos);
    EXPECT_EQ(alternative.message_id, "xxxx");
}

TEST(ParseMessage, HeadersReferencesAndDates) {
    const std::string raw =
        "From: =?UTF-8?B?0JDQvdC90LA=?= <anna@example.org>\r\n"
        "Subject: =?KOI8-R?B?8NLJ18XU?= and =?ISO-8859-1?Q?Jos=E9?=\r\n"
        "Message-ID: <child@example.org>\r\n"
        "In-Reply-To: <parent@example.org> (Anna's message of Monday)\r\n"
        "References: <root@example.org> junk <<mid@example.org>\r\n"
        "  <parent@example.org> <root@example.org> <child@example.org>\r\n"
        "Date: Mon, 3 Jun 2024 10:00:00 +0200\r\n"
        "\r\n"
        "Body\r\n";
    const auto parsed = parse_message(raw);
    EXPECT_EQ(parsed.author_name, "Анна");
    EXPECT_EQ(parsed.author_email, "anna@example.org");
    EXPECT_EQ(parsed.subject, "Привет and José");
    EXPECT_EQ(parsed.message_id, "child@example.org");
    EXPECT_EQ(parsed.in_reply_to, "parent@example.org");
    EXPECT_EQ(parsed.references, (std::vector<std::string>{"root@example.org", "mid@example.org",
                                                           "parent@example.org"}));
    EXPECT_EQ(parsed.date, 1717401600);
    EXPECT_EQ(parsed.text, "Body\n");
}

TEST(ParseMessage, EncodedWordsInManyCharsets) {
    struct Case {
        const char* header;
        const char* expected;
    };
    const Case cases[] = {
        {"=?ISO-8859-2?Q?=A3=F3d=BC?=", "Łódź"},
        {"=?ISO-8859-7?B?xevr3A==?=", "Ελλά"},
        {"=?windows-1251?B?z/Do4uXy?=", "Привет"},
        {"=?windows-1252?Q?=93quoted=94?=", "\u201cquoted\u201d"},
        {"=?GB2312?B?xOO6ww==?=", "你好"},
        {"=?GBK?B?xOO6ww==?=", "你好"},
        {"=?Shift_JIS?B?grGC8YLJgr+CzQ==?=", "こんにちは"},
        {"=?UTF-8?Q?=D8=B3=D9=84=D8=A7=D9=85?=", "سلام"},
        {"=?ISO-8859-6?B?0+TH5Q==?=", "سلام"},
    };
    for (const auto& each : cases) {
        const auto parsed = parse_message(std::string("Subject: ") + each.header +
                                          "\r\nMessage-ID: <a@b>\r\n\r\nx\r\n");
        EXPECT_EQ(parsed.subject, each.expected) << each.header;
    }
}

TEST(ParseMessage, BrokenOrImplausibleDatesAreNullopt) {
    for (const char* date :
         {"yesterday", "Mon, 32 Foo 2024 99:99:99 +9999", "Thu, 1 Jan 1970 00:00:00 +0000",
          "Sun, 1 Jan 1979 12:00:00 +0000", "Fri, 1 Jan 2200 00:00:00 +0000", ""}) {
        const auto parsed =
            parse_message(std::string("Subject: x\r\nDate: ") + date + "\r\n\r\nbody\r\n");
        EXPECT_FALSE(parsed.date.has_value()) << date;
        EXPECT_TRUE(parsed.parseable);
    }
    EXPECT_FALSE(parse_message("Subject: no date\r\n\r\nbody\r\n").date.has_value());
}

TEST(ParseMessage, InvalidUtf8NulAndEightBitHeaders) {
    std::string raw =
        "From: J\xf6rg \xff\xfe <joerg@example.org>\r\n"
        "Subject: caf\xc3\xa9 \xc3\x28 \x01\x02 end\r\n"
        "Message-ID: <bad\xff@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "line one \xc3\x28\r\n";
    raw += std::string("nul\0byte\r\n", 10);
    const auto parsed = parse_message(raw);
    EXPECT_TRUE(parsed.parseable);
    expect_clean(parsed);
    EXPECT_NE(parsed.subject.find("caf"), std::string::npos);
    EXPECT_NE(parsed.text.find("nul byte"), std::string::npos);
    EXPECT_EQ(parsed.author_email, "joerg@example.org");
}

TEST(ParseMessage, UnlabelledEightBitBodyFallsBackToLatin1) {
    const auto parsed = parse_message("Subject: x\r\n\r\nna\xefve caf\xe9\r\n");
    EXPECT_EQ(parsed.text, "naïve café\n");
}

TEST(ParseMessage, BrokenMimeBoundariesStillGiveText) {
    const std::string raw =
        "Subject: broken\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"abc\"\r\n"
        "\r\n"
        "--abc\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "first part, never closed\r\n"
        "--abd\r\n"
        "Content-Type: application/pdf; name=\"../../etc/passwd\"\r\n";
    const auto parsed = parse_message(raw);
    EXPECT_TRUE(parsed.parseable);
    EXPECT_NE(parsed.text.find("first part, never closed"), std::string::npos);
    expect_clean(parsed);
}

TEST(ParseMessage, HtmlOnlyMessageBecomesTextWithoutScript) {
    const std::string raw =
        "Subject: html\r\n"
        "Content-Type: text/html; charset=iso-8859-1\r\n"
        "\r\n"
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p>Caf\xe9 &amp; <b>bar</b>&nbsp;&#x263A;</p><script>alert('<p>x</p>')</script>"
        "<div>second&lt;line&gt;</div><!-- <p>hidden</p> --><br>third"
        "<SCRIPT type=\"text/javascript\">document.write(1)</SCRIPT></body></html>\r\n";
    const auto parsed = parse_message(raw);
    EXPECT_EQ(parsed.text, "Café & bar ☺\nsecond<line>\nthird");
    EXPECT_EQ(parsed.text.find("alert"), std::string::npos);
    EXPECT_EQ(parsed.text.find("color"), std::string::npos);
}

TEST(HtmlToText, ToleratesBrokenMarkup) {
    EXPECT_EQ(html_to_text("a < b and c > d"), "a < b and c > d");
    EXPECT_EQ(html_to_text("<p>unclosed <script>never ends"), "unclosed");
    EXPECT_EQ(html_to_text("<a href=\"x>y\">link</a> &bogus; &#0; &#99999999;"),
              "link &bogus; \xef\xbf\xbd \xef\xbf\xbd");
    EXPECT_EQ(html_to_text("<pre>  two\n  lines</pre>after"), "  two\n  lines\nafter");
    EXPECT_EQ(html_to_text("<"), "<");
}

TEST(ParseMessage, AttachmentsWithSanitisedNames) {
    const std::string raw =
        "Subject: files\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
        "\r\n"
        "--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "See attached.\r\n"
        "--b\r\n"
        "Content-Type: application/PDF; name=\"report.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"..\\\\..\\\\evil/../report.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "JVBERi0xLjQK\r\n"
        "--b\r\n"
        "Content-Type: text/plain; name=notes.txt\r\n"
        "Content-Disposition: attachment; "
        "filename*=UTF-8''%D0%B7%D0%B0%D0%BC%D0%B5%D1%82%D0%BA%D0%B8.txt\r\n"
        "\r\n"
        "attached text\r\n"
        "--b--\r\n";
    const auto listed = parse_message(raw);
    EXPECT_EQ(listed.text, "See attached.");
    ASSERT_EQ(listed.attachments.size(), 2U);
    EXPECT_EQ(listed.attachments[0].index, 0U);
    EXPECT_EQ(listed.attachments[0].filename, "report.pdf");
    EXPECT_EQ(listed.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(listed.attachments[0].size, 9U);
    EXPECT_TRUE(listed.attachments[0].bytes.empty());
    EXPECT_EQ(listed.attachments[1].filename, "заметки.txt");
    EXPECT_EQ(listed.attachments[1].content_type, "text/plain");

    const auto with_bytes = parse_message(raw, true);
    EXPECT_EQ(with_bytes.attachments[0].bytes, "%PDF-1.4\n");
}

TEST(ParseMessage, HostileInputNeverThrows) {
    EXPECT_FALSE(parse_message("").parseable);
    EXPECT_FALSE(parse_message(std::string("\0\0\0\0", 4)).parseable);
    EXPECT_NO_THROW(parse_message(std::string(100000, '<')));
    EXPECT_NO_THROW(parse_message("Subject: " + std::string(1 << 20, 'x') + "\r\n\r\n"));
    std::string nested = "Content-Type: multipart/mixed; boundary=b0\r\n\r\n";
    for (int level = 1; level < 3000; ++level) {
        nested += "--b" + std::to_string(level - 1) +
                  "\r\nContent-Type: multipart/mixed; boundary=b" + std::to_string(level) +
                  "\r\n\r\n";
    }
    const auto deep = parse_message(nested);
    expect_clean(deep);
}

TEST(BaseSubject, StripsReplyAndListPrefixes) {
    EXPECT_EQ(base_subject("Re: [coalition] AW: Fwd:  The   Draft "), "the draft");
    EXPECT_EQ(base_subject("RE[2]: SV: Antw: Fw: text"), "text");
    EXPECT_EQ(base_subject("Re^3: x"), "x");
    EXPECT_EQ(base_subject("Réponse: ÉTÉ"), "réponse: été");
    EXPECT_EQ(base_subject("Research plan"), "research plan");
    EXPECT_EQ(base_subject("[unclosed prefix"), "[unclosed prefix");
    EXPECT_EQ(base_subject(""), "");
    EXPECT_EQ(base_subject("Re:"), "");
}

}  // namespace
}  // namespace coalition::archive
