#include "lists/decorate.hpp"

#include "core/text.hpp"
#include "lists/decorate_subject.hpp"
#include "lists/test_support.hpp"
#include "mail/gmime_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coalition::lists {
namespace {

using mail::GObjectPtr;
using testing::header;

List make_list(std::string_view domain = "lists.example.org") {
    List list{.id = ListId(7),
              .name = "discuss",
              .domain = core::Domain::parse(domain).value(),
              .settings = {},
              .owners = {},
              .moderators = {},
              .created_at = 0,
              .updated_at = 0};
    list.settings.display_name = "Discussion";
    list.settings.subject_prefix = "[discuss]";
    list.settings.dmarc_mitigation = DmarcMitigation::MungeFromWhenNeeded;
    return list;
}

DecorationContext make_context() {
    return DecorationContext{.base_url = "https://coalition.example",
                             .archive_url = "https://coalition.example/lists/discuss",
                             .permalink = "https://coalition.example/lists/discuss/m/42",
                             .message_id = "post-42@coalition.example",
                             .add_message_id = false,
                             .author_dmarc = AuthorDmarc::None};
}

// A message with CRLF line ends from LF-separated lines.
std::string crlf(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') {
            out += '\r';
        }
        out += c;
    }
    return out;
}

std::string headers_then(std::string_view extra_headers, std::string_view body) {
    return crlf(std::string("From: Anna Example <anna@example.net>\n"
                            "To: discuss@lists.example.org\n"
                            "Date: Mon, 3 Mar 2025 10:00:00 +0000\n"
                            "Message-ID: <orig-1@example.net>\n") +
                std::string(extra_headers) + "\n" + std::string(body));
}

std::string decorated(const List& list, const std::string& raw,
                      const DecorationContext& context = make_context()) {
    auto result = decorate(list, raw, context);
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
    return result ? *result : std::string();
}

GObjectPtr<GMimeMessage> reparse(const std::string& raw) {
    mail::ensure_gmime_initialised();
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    EXPECT_TRUE(message) << raw;
    return message;
}

// The decoded value of the first `name` header, "" when absent.
int header_count(GMimeMessage* message, const char* name) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    int count = 0;
    for (int idx = 0; idx < g_mime_header_list_get_count(headers); ++idx) {
        if (g_ascii_strcasecmp(
                g_mime_header_get_name(g_mime_header_list_get_header_at(headers, idx)), name) ==
            0) {
            ++count;
        }
    }
    return count;
}

std::string subject(GMimeMessage* message) {
    const char* value = g_mime_message_get_subject(message);
    return value != nullptr ? value : "";
}

std::string addresses(InternetAddressList* list) {
    mail::GCharPtr text(internet_address_list_to_string(list, nullptr, FALSE));
    return text ? text.get() : "";
}

std::string text_of(GMimeObject* object) {
    EXPECT_TRUE(GMIME_IS_TEXT_PART(object));
    if (!GMIME_IS_TEXT_PART(object)) {
        return {};
    }
    mail::GCharPtr text(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
    std::string out;
    for (const char c : std::string(text.get())) {
        if (c != '\r') {
            out += c;
        }
    }
    return out;
}

std::string content_type(GMimeObject* object) {
    mail::GCharPtr type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object)));
    return type.get();
}

// The header block (up to the first empty line), for checks on raw header lines.
std::string header_block(const std::string& raw) {
    return raw.substr(0, raw.find("\r\n\r\n") + 2);
}

bool has_only_crlf_line_ends(std::string_view raw) {
    for (std::size_t idx = 0; idx < raw.size(); ++idx) {
        if (raw[idx] == '\n' && (idx == 0 || raw[idx - 1] != '\r')) {
            return false;
        }
        if (raw[idx] == '\r' && (idx + 1 == raw.size() || raw[idx + 1] != '\n')) {
            return false;
        }
    }
    return true;
}

TEST(DecorateSubject, AddsThePrefixOnce) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"hi", "[x] hi"},
        {"[x] hi", "[x] hi"},
        {"Re: [x] Re: [x] hi", "Re: [x] hi"},
        {"Re: Re: hi", "Re: [x] hi"},
        {"RE: AW: [X] hi", "Re: [x] hi"},
        {"[x] Re: hi", "Re: [x] hi"},
        {"Re[2]: [x] hi", "Re: [x] hi"},
        {"Fwd: [x] hi", "[x] Fwd: hi"},
        {"Review: [x] the draft", "[x] Review: the draft"},
        {"hi [x]", "[x] hi"},
        {"", "[x] (no subject)"},
        {"[x]", "[x] (no subject)"},
        {"Re: [x]", "Re: [x] (no subject)"},
        {"رد: [x] مرحبا", "Re: [x] مرحبا"},
        {"回复：[x] 你好", "Re: [x] 你好"},
        {"two\r\nlines", "[x] two  lines"},
        {"[[x]x] hi", "[x] hi"},
    };
    for (const auto& [input, expected] : cases) {
        EXPECT_EQ(prefixed_subject(input, "[x]"), expected) << input;
    }
    for (const auto& [input, expected] : cases) {
        EXPECT_EQ(prefixed_subject(expected, "[x]"), expected) << "idempotent: " << expected;
    }
    EXPECT_EQ(prefixed_subject("Re: [x] hi", ""), "Re: [x] hi");
}

TEST(Decorate, PlainAsciiGetsTheListHeaders) {
    const auto list = make_list();
    const std::string raw = headers_then(
        "Subject: Meeting notes\n"
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1;\n b=AAAA\n"
        "List-Id: Upstream <upstream.example.com>\n"
        "List-Unsubscribe: <mailto:upstream-leave@example.com>\n"
        "List-Post: <mailto:upstream@example.com>\n"
        "Precedence: bulk\n",
        "Hello all,\nthe notes follow.\n");
    const std::string out = decorated(list, raw);
    EXPECT_TRUE(has_only_crlf_line_ends(out));
    auto message = reparse(out);
    ASSERT_TRUE(message);
    EXPECT_EQ(subject(message.get()), "[discuss] Meeting notes");
    EXPECT_EQ(header(message.get(), "List-Id"), "Discussion <discuss.lists.example.org>");
    EXPECT_EQ(header(message.get(), "List-Post"), "<mailto:discuss@lists.example.org>");
    EXPECT_EQ(header(message.get(), "List-Help"),
              "<mailto:discuss-request@lists.example.org?subject=help>");
    EXPECT_EQ(header(message.get(), "List-Subscribe"),
              "<https://coalition.example/lists/discuss>, "
              "<mailto:discuss-join@lists.example.org>");
    EXPECT_EQ(header(message.get(), "List-Archive"), "<https://coalition.example/lists/discuss>");
    EXPECT_EQ(header(message.get(), "Archived-At"),
              "<https://coalition.example/lists/discuss/m/42>");
    EXPECT_EQ(header(message.get(), "Precedence"), "list");
    EXPECT_EQ(kLoopHeader, "X-Coalition-Loop");
    EXPECT_EQ(header(message.get(), std::string(kLoopHeader).c_str()), "discuss.lists.example.org");
    EXPECT_EQ(header_count(message.get(), "DKIM-Signature"), 0);
    EXPECT_EQ(header_count(message.get(), "List-Unsubscribe"), 0);
    for (const char* name : {"List-Id", "List-Post", "Precedence", "X-Coalition-Loop"}) {
        EXPECT_EQ(header_count(message.get(), name), 1) << name;
    }
    EXPECT_EQ(header(message.get(), "From"), "Anna Example <anna@example.net>");
    EXPECT_EQ(header(message.get(), "Message-ID"), "<orig-1@example.net>");
    EXPECT_EQ(text_of(g_mime_message_get_mime_part(message.get())),
              "Hello all,\nthe notes follow.\n");
}

TEST(Decorate, NoPrefixLeavesTheSubjectBytesAlone) {
    auto list = make_list();
    list.settings.subject_prefix = "";
    const std::string raw = headers_then("Subject: Re: [discuss] Re: [discuss] hi\n", "Body\n");
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("\r\nSubject: Re: [discuss] Re: [discuss] hi\r\n"), std::string::npos);
}

TEST(Decorate, CollapsesAPileUpOfPrefixes) {
    const std::string raw = headers_then("Subject: Re: [discuss] Re: [discuss] hi\n", "Body\n");
    auto message = reparse(decorated(make_list(), raw));
    EXPECT_EQ(subject(message.get()), "Re: [discuss] hi");
}

TEST(Decorate, EncodedArabicSubjectWithAnExistingPrefix) {
    // "Re: [discuss] Re: [discuss] مرحبا بالعالم" as a UTF-8 B encoded word.
    const std::string original = "Re: [discuss] Re: [discuss] مرحبا بالعالم";
    mail::ensure_gmime_initialised();
    mail::GCharPtr encoded(g_mime_utils_header_encode_text(nullptr, original.c_str(), "utf-8"));
    const std::string raw =
        headers_then("Subject: " + std::string(encoded.get()) + "\n", "نص الرسالة\n");
    const std::string out = decorated(make_list(), raw);
    auto message = reparse(out);
    EXPECT_EQ(subject(message.get()), "Re: [discuss] مرحبا بالعالم");
    const std::string block = header_block(out);
    const auto start = block.find("\r\nSubject:");
    ASSERT_NE(start, std::string::npos);
    const auto end = block.find("\r\n", start + 2);
    EXPECT_TRUE(core::is_ascii(block.substr(start, end - start)))
        << "the subject stays RFC 2047 encoded";
}

TEST(Decorate, ChineseSubjectGetsThePrefixAndStaysEncoded) {
    const std::string raw =
        headers_then("Subject: =?UTF-8?B?5L2g5aW977yM5LiW55WM?=\n", "Body\n");  // 你好，世界
    const std::string out = decorated(make_list(), raw);
    auto message = reparse(out);
    EXPECT_EQ(subject(message.get()), "[discuss] 你好，世界");
    EXPECT_TRUE(core::is_ascii(header_block(out)));
}

TEST(Decorate, SeveralSubjectsBecomeOneAndStayOneWhenDecoratedAgain) {
    // Found by decorate_fuzz: with two Subject headers, GMime read one and rewrote the other, so
    // a second decoration (a post relayed through a second list) changed what readers saw.
    const std::string raw = headers_then(std::string("Subject: Re: [discuss] R\xf1\xfa.\x00\x10"
                                                     "a\x00\x00"
                                                     "e: [discuss] hi\n"
                                                     "Subject: Re: [discuss] Re: [discuss] hi\n",
                                                     88),
                                         "Hi\n");
    const std::string once = decorated(make_list(), raw);
    const std::string block = header_block(once);
    std::size_t subjects = 0;
    for (auto at = block.find("\r\nSubject:"); at != std::string::npos;
         at = block.find("\r\nSubject:", at + 1)) {
        ++subjects;
    }
    EXPECT_EQ(subjects, 1U) << block;
    const std::string shown = subject(reparse(once).get());
    EXPECT_TRUE(shown.starts_with("Re: [discuss] ")) << shown;
    EXPECT_EQ(subject(reparse(decorated(make_list(), once)).get()), shown);
}

TEST(Decorate, MessageWithoutSubjectGetsOne) {
    auto message = reparse(decorated(make_list(), headers_then("", "Body\n")));
    EXPECT_EQ(subject(message.get()), "[discuss] (no subject)");
}

TEST(Decorate, Utf8EightBitBodyIsKeptAndTheFooterAppended) {
    auto list = make_list();
    list.settings.footer = "Список: https://coalition.example/lists/discuss";
    const std::string raw = headers_then(
        "Subject: Привет\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n",
        "Привет, мир!\nВторая строка.\n");
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("\r\n\r\nПривет, мир!\r\nВторая строка.\r\n"), std::string::npos);
    auto message = reparse(out);
    GMimeObject* body = g_mime_message_get_mime_part(message.get());
    EXPECT_EQ(content_type(body), "text/plain");
    EXPECT_EQ(text_of(body),
              "Привет, мир!\nВторая строка.\nСписок: https://coalition.example/lists/discuss\n");
    EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(body)), GMIME_CONTENT_ENCODING_8BIT);
    EXPECT_TRUE(has_only_crlf_line_ends(out));
}

TEST(Decorate, QuotedPrintableLatin1KeepsItsCharset) {
    auto list = make_list();
    list.settings.footer = "Liste de discussion – café";  // The en dash is not in Latin-1.
    const std::string raw = headers_then(
        "Subject: Caf=E9\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: quoted-printable\n",
        "Le caf=E9 est pr=EAt.\n");
    // A footer Latin-1 cannot hold: the message is wrapped, the original part untouched.
    auto wrapped = reparse(decorated(list, raw));
    GMimeObject* top = g_mime_message_get_mime_part(wrapped.get());
    ASSERT_EQ(content_type(top), "multipart/mixed");
    ASSERT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
    GMimeObject* first = g_mime_multipart_get_part(GMIME_MULTIPART(top), 0);
    EXPECT_EQ(std::string(g_mime_object_get_content_type_parameter(first, "charset")),
              "iso-8859-1");
    EXPECT_EQ(text_of(first), "Le café est prêt.\n");
    EXPECT_EQ(text_of(g_mime_multipart_get_part(GMIME_MULTIPART(top), 1)),
              "Liste de discussion – café\n");

    // A footer Latin-1 can hold is appended in Latin-1, still quoted-printable.
    list.settings.footer = "Liste de discussion, café";
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("Liste de discussion, caf=E9"), std::string::npos);
    auto message = reparse(out);
    GMimeObject* body = g_mime_message_get_mime_part(message.get());
    EXPECT_EQ(std::string(g_mime_object_get_content_type_parameter(body, "charset")), "iso-8859-1");
    EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(body)),
              GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    EXPECT_EQ(text_of(body), "Le café est prêt.\nListe de discussion, café\n");
}

TEST(Decorate, AsciiBodyWithANonAsciiFooterBecomesUtf8) {
    auto list = make_list();
    list.settings.footer = "القائمة البريدية";
    auto message = reparse(decorated(list, headers_then("Subject: hi\n", "Plain text\n")));
    GMimeObject* body = g_mime_message_get_mime_part(message.get());
    EXPECT_EQ(std::string(g_mime_object_get_content_type_parameter(body, "charset")), "utf-8");
    EXPECT_EQ(text_of(body), "Plain text\nالقائمة البريدية\n");
}

TEST(Decorate, MultipartAlternativeIsWrapped) {
    auto list = make_list();
    list.settings.footer = "Footer line";
    const std::string raw = headers_then(
        "Subject: alt\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"alt\"\n",
        "--alt\nContent-Type: text/plain; charset=us-ascii\n\nPlain\n"
        "--alt\nContent-Type: text/html; charset=us-ascii\n\n<p>Html</p>\n--alt--\n");
    auto message = reparse(decorated(list, raw));
    GMimeObject* top = g_mime_message_get_mime_part(message.get());
    ASSERT_EQ(content_type(top), "multipart/mixed");
    ASSERT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
    GMimeObject* alternative = g_mime_multipart_get_part(GMIME_MULTIPART(top), 0);
    EXPECT_EQ(content_type(alternative), "multipart/alternative");
    EXPECT_EQ(text_of(g_mime_multipart_get_part(GMIME_MULTIPART(alternative), 0)), "Plain");
    GMimeObject* footer = g_mime_multipart_get_part(GMIME_MULTIPART(top), 1);
    EXPECT_EQ(content_type(footer), "text/plain");
    EXPECT_EQ(text_of(footer), "Footer line\n");
    EXPECT_EQ(header(message.get(), "MIME-Version"), "1.0");
}

TEST(Decorate, MultipartMixedGetsAFooterPartAtTheEnd) {
    auto list = make_list();
    list.settings.footer = "Footer line";
    const std::string attachment = "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4K";
    const std::string raw = headers_then(
        "Subject: report\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"mix\"\n",
        "This is a multi-part message in MIME format.\n"
        "--mix\nContent-Type: text/plain; charset=utf-8\n\nSee the report.\n"
        "--mix\nContent-Type: application/pdf; name=\"report.pdf\"\n"
        "Content-Disposition: attachment; filename=\"report.pdf\"\n"
        "Content-Transfer-Encoding: base64\n\n" +
            attachment + "\n--mix--\n");
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("\r\n\r\n" + attachment + "\r\n"), std::string::npos);
    auto message = reparse(out);
    GMimeObject* top = g_mime_message_get_mime_part(message.get());
    ASSERT_EQ(content_type(top), "multipart/mixed");
    ASSERT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 3);
    EXPECT_EQ(text_of(g_mime_multipart_get_part(GMIME_MULTIPART(top), 0)), "See the report.");
    EXPECT_EQ(content_type(g_mime_multipart_get_part(GMIME_MULTIPART(top), 1)), "application/pdf");
    EXPECT_EQ(text_of(g_mime_multipart_get_part(GMIME_MULTIPART(top), 2)), "Footer line\n");
}

TEST(Decorate, MultipartSignedPartIsUnchangedByteForByte) {
    auto list = make_list();
    list.settings.footer = "Footer line";
    const std::string signed_part = crlf(
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding:   quoted-printable\n\n"
        "Signed text with trailing spaces   =\nand =C3=A9 encoded.\n"
        "-- \nAnna\n");
    const std::string signature = crlf(
        "Content-Type: application/pgp-signature; name=\"signature.asc\"\n\n"
        "-----BEGIN PGP SIGNATURE-----\n\niHUEARYIAB0WIQ\n=abcd\n-----END PGP SIGNATURE-----\n");
    const std::string raw = headers_then(
                                "Subject: signed\nMIME-Version: 1.0\n"
                                "Content-Type: multipart/signed; micalg=pgp-sha256;\n"
                                " protocol=\"application/pgp-signature\"; boundary=\"sig\"\n",
                                "") +
                            "--sig\r\n" + signed_part + "\r\n--sig\r\n" + signature +
                            "\r\n--sig--\r\n";
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("--sig\r\n" + signed_part + "\r\n--sig\r\n" + signature + "\r\n--sig--"),
              std::string::npos)
        << out;
    auto message = reparse(out);
    GMimeObject* top = g_mime_message_get_mime_part(message.get());
    ASSERT_EQ(content_type(top), "multipart/mixed");
    EXPECT_TRUE(GMIME_IS_MULTIPART_SIGNED(g_mime_multipart_get_part(GMIME_MULTIPART(top), 0)));
    EXPECT_EQ(text_of(g_mime_multipart_get_part(GMIME_MULTIPART(top), 1)), "Footer line\n");
}

TEST(Decorate, InlinePgpAndHtmlBodiesAreWrapped) {
    auto list = make_list();
    list.settings.footer = "Footer line";
    const std::string pgp = headers_then(
        "Subject: inline\n", "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nHello\n");
    auto message = reparse(decorated(list, pgp));
    EXPECT_EQ(content_type(g_mime_message_get_mime_part(message.get())), "multipart/mixed");
    const std::string html =
        headers_then("Subject: html\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n",
                     "<p>Hi</p>\n");
    message = reparse(decorated(list, html));
    EXPECT_EQ(content_type(g_mime_message_get_mime_part(message.get())), "multipart/mixed");
}

TEST(Decorate, EmptyFooterLeavesTheBodyAlone) {
    const std::string raw = headers_then("Subject: hi\n", "Body line\n");
    const std::string out = decorated(make_list(), raw);
    EXPECT_EQ(out.substr(out.find("\r\n\r\n")), "\r\n\r\nBody line\r\n");
}

TEST(Decorate, ReplyToFollowsThePolicy) {
    const std::string raw = headers_then("Subject: hi\nReply-To: <anna.home@example.net>\n", "B\n");
    auto list = make_list();
    list.settings.reply_to_policy = ReplyToPolicy::None;
    auto message = reparse(decorated(list, raw));
    EXPECT_EQ(addresses(g_mime_message_get_reply_to(message.get())), "anna.home@example.net");

    list.settings.reply_to_policy = ReplyToPolicy::List;
    message = reparse(decorated(list, raw));
    EXPECT_EQ(addresses(g_mime_message_get_reply_to(message.get())),
              "Discussion <discuss@lists.example.org>");

    list.settings.reply_to_policy = ReplyToPolicy::Explicit;
    list.settings.reply_to_address = core::Email::parse("secretariat@example.org").value();
    message = reparse(decorated(list, raw));
    EXPECT_EQ(addresses(g_mime_message_get_reply_to(message.get())), "secretariat@example.org");
    EXPECT_EQ(header_count(message.get(), "Reply-To"), 1);

    // An internationalised address: UTF-8 local part (RFC 6532), A-label domain.
    list.settings.reply_to_address = core::Email::parse("секретариат@пример.рф").value();
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find("\r\nReply-To: секретариат@xn--e1afmkfd.xn--p1ai\r\n"), std::string::npos)
        << out;
}

TEST(Decorate, DmarcMungesFromWhenTheAuthorDomainAsks) {
    const std::string raw = headers_then("Subject: hi\n", "B\n");
    auto list = make_list();
    auto context = make_context();
    for (const auto dmarc : {AuthorDmarc::Reject, AuthorDmarc::Quarantine, AuthorDmarc::Unknown}) {
        context.author_dmarc = dmarc;
        auto message = reparse(decorated(list, raw, context));
        EXPECT_EQ(addresses(g_mime_message_get_from(message.get())),
                  "Anna Example via Discussion <discuss@lists.example.org>");
        EXPECT_EQ(addresses(g_mime_message_get_reply_to(message.get())),
                  "Anna Example <anna@example.net>");
    }
    context.author_dmarc = AuthorDmarc::None;
    auto message = reparse(decorated(list, raw, context));
    EXPECT_EQ(addresses(g_mime_message_get_from(message.get())), "Anna Example <anna@example.net>");

    list.settings.dmarc_mitigation = DmarcMitigation::Never;
    context.author_dmarc = AuthorDmarc::Reject;
    message = reparse(decorated(list, raw, context));
    EXPECT_EQ(addresses(g_mime_message_get_from(message.get())), "Anna Example <anna@example.net>");
}

TEST(Decorate, DmarcPutsTheAuthorInCcWhenReplyToIsTheList) {
    auto list = make_list();
    list.settings.dmarc_mitigation = DmarcMitigation::MungeFromAlways;
    list.settings.reply_to_policy = ReplyToPolicy::List;
    const std::string raw = crlf(
        "From: =?UTF-8?B?2KPZhtin?= <ana@example.net>\nTo: discuss@lists.example.org\n"
        "Cc: other@example.org\nSubject: hi\n\nB\n");  // From: أنا
    auto message = reparse(decorated(list, raw));
    InternetAddressList* from = g_mime_message_get_from(message.get());
    ASSERT_EQ(internet_address_list_length(from), 1);
    EXPECT_EQ(std::string(internet_address_get_name(internet_address_list_get_address(from, 0))),
              "أنا via Discussion");
    EXPECT_EQ(addresses(g_mime_message_get_reply_to(message.get())),
              "Discussion <discuss@lists.example.org>");
    EXPECT_EQ(addresses(g_mime_message_get_cc(message.get())),
              "other@example.org, أنا <ana@example.net>");
}

TEST(Decorate, IdnListDomainIsAnALabelInUris) {
    auto list = make_list("пример.рф");
    const std::string out = decorated(list, headers_then("Subject: hi\n", "B\n"));
    auto message = reparse(out);
    EXPECT_EQ(header(message.get(), "List-Post"), "<mailto:discuss@xn--e1afmkfd.xn--p1ai>");
    EXPECT_EQ(header(message.get(), "List-Id"), "Discussion <discuss.xn--e1afmkfd.xn--p1ai>");
    EXPECT_TRUE(core::is_ascii(header_block(out)));
}

TEST(Decorate, NonAsciiTitleIsAnEncodedPhraseInListId) {
    auto list = make_list();
    list.settings.display_name = "Liste «café», \"quoted\"";
    auto message = reparse(decorated(list, headers_then("Subject: hi\n", "B\n")));
    mail::GCharPtr decoded(
        g_mime_utils_header_decode_phrase(nullptr, header(message.get(), "List-Id").c_str()));
    EXPECT_NE(std::string(decoded.get()).find("Liste «café»"), std::string::npos);
    EXPECT_NE(header(message.get(), "List-Id").find("<discuss.lists.example.org>"),
              std::string::npos);
}

TEST(Decorate, HostileSettingsCannotInjectHeaders) {
    auto list = make_list();
    list.settings.display_name = "Evil\r\nBcc: victim@example.com";
    list.settings.subject_prefix = "[x]\r\nX-Injected: 1";
    list.settings.footer = "line\r\n\r\nX-Footer: 1\r\n--boundary\r\n";
    list.settings.dmarc_mitigation = DmarcMitigation::MungeFromAlways;
    auto context = make_context();
    context.base_url = "https://c.example/\r\nX-Evil: 1";
    context.permalink = "https://c.example/m/1>, <mailto:evil@example.com";
    context.archive_url = "https://c.example/a\nX-Archive: 1";
    context.message_id = "id@x>\r\nX-Id: 1";
    context.add_message_id = true;
    const std::string out = decorated(list, headers_then("Subject: hi\n", "B\n"), context);
    EXPECT_TRUE(has_only_crlf_line_ends(out));
    const std::string block = header_block(out);
    for (const char* name : {"Bcc:", "X-Injected:", "X-Evil:", "X-Archive:", "X-Id:"}) {
        EXPECT_EQ(block.find(std::string("\r\n") + name), std::string::npos) << name << block;
    }
    auto message = reparse(out);
    for (const char* name : {"Bcc", "X-Injected", "X-Evil", "X-Archive", "X-Id", "X-Footer"}) {
        EXPECT_EQ(header_count(message.get(), name), 0) << name;
    }
    EXPECT_EQ(header_count(message.get(), "List-Id"), 1);
    EXPECT_EQ(header(message.get(), "Archived-At").find("<mailto:"), std::string::npos);
    EXPECT_EQ(text_of(g_mime_message_get_mime_part(message.get())),
              "B\nline\n\nX-Footer: 1\n--boundary\n");
}

TEST(Decorate, AddsTheMessageIdWhenAsked) {
    auto context = make_context();
    context.add_message_id = true;
    const std::string raw = crlf("From: a@example.net\nSubject: hi\n\nB\n");
    auto message = reparse(decorated(make_list(), raw, context));
    EXPECT_EQ(std::string(g_mime_message_get_message_id(message.get())),
              "post-42@coalition.example");
    context.add_message_id = false;
    message = reparse(decorated(make_list(), raw, context));
    EXPECT_EQ(g_mime_message_get_message_id(message.get()), nullptr);
}

TEST(Decorate, UnparseableInputIsInvalid) {
    for (const std::string& raw : {std::string(), std::string("garbage"), std::string("\r\n\r\n"),
                                   std::string("no headers at all\r\n")}) {
        auto result = decorate(make_list(), raw, make_context());
        ASSERT_FALSE(result.has_value()) << raw;
        EXPECT_EQ(result.error().code, core::ErrorCode::Invalid);
    }
}

TEST(Decorate, BrokenEncodedWordInTheSubjectStaysText) {
    // Found by decorate_fuzz: GMime leaves a broken "=?UTF-8?B?..." as text; written back as it
    // was, the next reader decoded it, and the subject changed on every pass.
    const std::string raw =
        crlf("From: a@example.net\nSubject: =?UTF-8?B?2YXYsd\x0bt2KjY plain: x\n\nB\n");
    auto message = reparse(decorated(make_list(), raw));
    const std::string first = subject(message.get());
    EXPECT_EQ(first, "[discuss] =?UTF-8?B?2YXYsd t2KjY plain: x");
    auto again = reparse(decorated(make_list(), decorated(make_list(), raw)));
    EXPECT_EQ(subject(again.get()), first);
}

TEST(Decorate, LastHeaderWithoutLineEndDoesNotSwallowTheNext) {
    // Found by decorate_fuzz: the appended Subject ran on in the last header's line.
    const std::string raw = "From: e@example.org\r\nX-Last: value";
    const std::string out = decorated(make_list(), raw);
    EXPECT_NE(out.find("\r\nX-Last: value\r\n"), std::string::npos) << out;
    auto message = reparse(out);
    EXPECT_EQ(subject(message.get()), "[discuss] (no subject)");
    EXPECT_EQ(header(message.get(), "X-Last"), "value");
}

TEST(Decorate, MultipartWithoutBoundaryStillComesOutCrlf) {
    // Found by decorate_fuzz: GMime writes such a body raw, bare LF included.
    const std::string raw =
        "From: d@example.org\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\nx\r\n";
    EXPECT_TRUE(has_only_crlf_line_ends(decorated(make_list(), raw)));
}

TEST(Decorate, HostileContentTypeParameterIsNotRewritten) {
    // Found by decorate_fuzz: GMime never finishes folding a parameter name longer than a line,
    // so a part with one is wrapped, its Content-Type left as it came.
    auto list = make_list();
    list.settings.footer = "Footer line";
    const std::string name = "c" + std::string(100, 'f') + "harset";
    const std::string raw = crlf("From: b@example.org\nContent-Type: text/plain; " + name +
                                 "=iso-8859-1\n\nCaf\xc3\xa9\n");
    const std::string out = decorated(list, raw);
    EXPECT_NE(out.find(name + "=iso-8859-1"), std::string::npos);
    auto message = reparse(out);
    EXPECT_EQ(content_type(g_mime_message_get_mime_part(message.get())), "multipart/mixed");
}

TEST(Decorate, BareLfInputComesOutCrlf) {
    const std::string raw = "From: a@example.net\nSubject: hi\n\nline one\nline two\n";
    const std::string out = decorated(make_list(), raw);
    EXPECT_TRUE(has_only_crlf_line_ends(out));
    EXPECT_NE(out.find("\r\n\r\nline one\r\nline two\r\n"), std::string::npos);
}

TEST(Personalise, PrependsTheUnsubscribeHeaders) {
    const PersonalHeaders personal{
        .unsubscribe_url = "https://coalition.example/lists/discuss/unsubscribe/abc123",
        .unsubscribe_mailto = "mailto:discuss-leave@lists.example.org"};
    const std::string block = personal_header_block(personal);
    EXPECT_EQ(block,
              "List-Unsubscribe: <https://coalition.example/lists/discuss/unsubscribe/abc123>,\r\n"
              " <mailto:discuss-leave@lists.example.org>\r\n"
              "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    const std::string out =
        personalise(decorated(make_list(), headers_then("Subject: hi\n", "B\n")), personal);
    EXPECT_TRUE(out.starts_with(block));
    EXPECT_TRUE(has_only_crlf_line_ends(out));
    auto message = reparse(out);
    ASSERT_TRUE(message);
    EXPECT_EQ(header(message.get(), "List-Unsubscribe"),
              "<https://coalition.example/lists/discuss/unsubscribe/abc123>, "
              "<mailto:discuss-leave@lists.example.org>");
    EXPECT_EQ(header(message.get(), "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_EQ(subject(message.get()), "[discuss] hi");
    EXPECT_EQ(header_count(message.get(), "List-Unsubscribe"), 1);
}

TEST(Personalise, HostileLinksCannotInjectHeaders) {
    const PersonalHeaders personal{.unsubscribe_url = "https://c.example/u/1\r\nBcc: v@example.com",
                                   .unsubscribe_mailto = "mailto:x@example.org>, <https://evil"};
    const std::string block = personal_header_block(personal);
    EXPECT_TRUE(has_only_crlf_line_ends(block));
    EXPECT_EQ(block.find("\r\nBcc"), std::string::npos);
    auto message = reparse(block + "From: a@example.net\r\nSubject: hi\r\n\r\nB\r\n");
    EXPECT_EQ(header_count(message.get(), "Bcc"), 0);
    EXPECT_EQ(header(message.get(), "List-Unsubscribe").find("<https://evil"), std::string::npos);
    EXPECT_EQ(personal_header_block({}), "");
    EXPECT_EQ(
        personal_header_block({.unsubscribe_url = "", .unsubscribe_mailto = "mailto:l@x.org"}),
        "List-Unsubscribe: <mailto:l@x.org>\r\n");
}

}  // namespace
}  // namespace coalition::lists
