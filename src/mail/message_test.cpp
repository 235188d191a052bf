#include "mail/message.hpp"

#include "core/testing.hpp"
#include "core/text.hpp"
#include "mail/gmime_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coalition::mail {
namespace {

using core::testing::email;

std::string repeat(const std::string& text, int count) {
    std::string repeated;
    for (int idx = 0; idx < count; ++idx) {
        repeated += text;
    }
    return repeated;
}

OutgoingMessage basic_message() {
    return OutgoingMessage{
        .from = {"Coalition", email("noreply@coalition.example")},
        .to = {{"Alice", email("alice@example.org")}},
        .subject = "Confirm your signature",
        .text_body = "Hello.\nPlease confirm.\n",
        .headers = {},
        .language = "en",
    };
}

// A parsed message and the helpers the tests need to look into it.
class Parsed {
public:
    explicit Parsed(const std::string& bytes) {
        ensure_gmime_initialised();
        GObjectPtr<GMimeStream> stream(
            g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
        GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
        message_.reset(g_mime_parser_construct_message(parser.get(), nullptr));
        COALITION_ASSERT(message_ != nullptr, "composed output must parse");
    }
    GMimeMessage* get() const { return message_.get(); }
    std::string subject() const {
        const char* subject = g_mime_message_get_subject(get());
        return subject != nullptr ? subject : "";
    }
    std::string header(const char* name) const {
        const char* value = g_mime_object_get_header(GMIME_OBJECT(get()), name);
        return value != nullptr ? value : "";
    }
    std::vector<std::string> header_names() const {
        std::vector<std::string> names;
        GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(get()));
        names.reserve(static_cast<std::size_t>(g_mime_header_list_get_count(list)));
        for (int idx = 0; idx < g_mime_header_list_get_count(list); ++idx) {
            names.emplace_back(g_mime_header_get_name(g_mime_header_list_get_header_at(list, idx)));
        }
        return names;
    }
    std::string body_text() const {
        GMimeObject* body = g_mime_message_get_body(get());
        COALITION_ASSERT(GMIME_IS_TEXT_PART(body), "the body is one text part");
        GCharPtr text(g_mime_text_part_get_text(GMIME_TEXT_PART(body)));
        return text.get();
    }
    std::string body_encoding() const {
        return g_mime_content_encoding_to_string(
            g_mime_part_get_content_encoding(GMIME_PART(g_mime_message_get_body(get()))));
    }

private:
    GObjectPtr<GMimeMessage> message_;
};

// The raw value of the first header field called `name` (unfolded), from the composed bytes.
std::string raw_header(const std::string& bytes, const std::string& name) {
    const std::string header = bytes.substr(0, bytes.find("\r\n\r\n"));
    const std::size_t start = header.find(name + ": ");
    if (start == std::string::npos) {
        return {};
    }
    std::string value;
    std::size_t position = start + name.size() + 2;
    while (true) {
        const std::size_t end = header.find("\r\n", position);
        value += header.substr(position, end - position);
        if (end == std::string::npos || end + 2 >= header.size() ||
            (header[end + 2] != ' ' && header[end + 2] != '\t')) {
            return value;
        }
        position = end + 2;
    }
}

class Compose : public ::testing::Test {
protected:
    core::FakeClock clock_;
    core::SecureRandom random_;
};

TEST_F(Compose, SubjectsInEveryScriptRoundTrip) {
    for (const char* subject : {"تأكيد توقيعك على بيان المقاصد", "请确认您的签名",
                                "Подтвердите подпись", "Signature confirmée 🎉✅",
                                "Mixed ASCII then عربي then 中文 then 🎉", "plain ASCII subject"}) {
        OutgoingMessage message = basic_message();
        message.subject = subject;
        const ComposedMessage composed = compose(message, clock_, random_);
        EXPECT_EQ(Parsed(composed.bytes).subject(), subject);
        // RFC 2047 encoded words only: the header section stays 7-bit.
        const std::string header = composed.bytes.substr(0, composed.bytes.find("\r\n\r\n"));
        for (unsigned char c : header) {
            ASSERT_LT(c, 0x80) << subject;
        }
    }
}

TEST_F(Compose, DisplayNamesAreEncodedAsUtf8) {
    OutgoingMessage message = basic_message();
    message.from.display_name = "José de la Coalición";
    message.to = {{"أحمد", email("ahmed@example.org")}, {"Анна", email("anna@example.org")}};
    const ComposedMessage composed = compose(message, clock_, random_);

    // Without internet_address_set_charset GMime would pick iso-8859-1 and iso-8859-6.
    EXPECT_EQ(composed.bytes.find("iso-8859"), std::string::npos);
    EXPECT_NE(raw_header(composed.bytes, "From").find("=?UTF-8?"), std::string::npos);
    Parsed parsed(composed.bytes);
    InternetAddressList* to = g_mime_message_get_to(parsed.get());
    ASSERT_EQ(internet_address_list_length(to), 2);
    EXPECT_STREQ(internet_address_get_name(internet_address_list_get_address(to, 0)), "أحمد");
    EXPECT_STREQ(internet_address_get_name(internet_address_list_get_address(to, 1)), "Анна");
    InternetAddressList* from = g_mime_message_get_from(parsed.get());
    ASSERT_EQ(internet_address_list_length(from), 1);
    EXPECT_STREQ(internet_address_get_name(internet_address_list_get_address(from, 0)),
                 "José de la Coalición");
}

TEST_F(Compose, DateComesFromTheClockAndMessageIdFromTheSenderDomain) {
    OutgoingMessage message = basic_message();
    message.from = {"", email("noreply@bücher.example")};
    const ComposedMessage first = compose(message, clock_, random_);
    EXPECT_EQ(raw_header(first.bytes, "Date"), "Thu, 01 Jan 2026 00:00:00 +0000");
    EXPECT_TRUE(first.message_id.ends_with("@xn--bcher-kva.example")) << first.message_id;
    EXPECT_GE(first.message_id.find('@'), 20U);
    Parsed parsed(first.bytes);
    EXPECT_EQ(g_mime_message_get_message_id(parsed.get()), first.message_id);
    EXPECT_EQ(raw_header(first.bytes, "Message-Id"), "<" + first.message_id + ">");

    clock_.advance(std::chrono::hours(36) + std::chrono::seconds(5));
    const ComposedMessage second = compose(message, clock_, random_);
    EXPECT_EQ(raw_header(second.bytes, "Date"), "Fri, 02 Jan 2026 12:00:05 +0000");
    EXPECT_NE(first.message_id, second.message_id);
}

TEST_F(Compose, IdnDomainsAreALabelsInHeadersAndEnvelope) {
    OutgoingMessage message = basic_message();
    message.to = {{"Registry", email("info@Bücher.example")}};
    const ComposedMessage composed = compose(message, clock_, random_);
    EXPECT_NE(raw_header(composed.bytes, "To").find("<info@xn--bcher-kva.example>"),
              std::string::npos);
    EXPECT_EQ(composed.bytes.find("bücher"), std::string::npos);
    ASSERT_EQ(composed.envelope.recipients.size(), 1U);
    EXPECT_EQ(composed.envelope.recipients[0], "info@xn--bcher-kva.example");
    EXPECT_FALSE(composed.envelope.needs_smtputf8);
    EXPECT_EQ(composed.envelope.mail_from, "noreply@coalition.example");
}

TEST_F(Compose, Utf8LocalPartNeedsSmtputf8) {
    OutgoingMessage message = basic_message();
    message.to = {{"", email("bob@example.org")}, {"Анна", email("анна@пример.рф")}};
    const ComposedMessage composed = compose(message, clock_, random_);
    EXPECT_TRUE(composed.envelope.needs_smtputf8);
    EXPECT_EQ(composed.envelope.recipients,
              (std::vector<std::string>{"bob@example.org", "анна@xn--e1afmkfd.xn--p1ai"}));
    // RFC 6532: the local part is raw UTF-8 in the header; the domain stays an A-label.
    EXPECT_NE(raw_header(composed.bytes, "To").find("<анна@xn--e1afmkfd.xn--p1ai>"),
              std::string::npos);
    EXPECT_EQ(composed.bytes.find("пример"), std::string::npos);

    message.to = {{"", email("bob@example.org")}};
    message.from = {"", email("почта@example.org")};
    EXPECT_TRUE(compose(message, clock_, random_).envelope.needs_smtputf8);
}

TEST_F(Compose, BodySurvivesAsQuotedPrintableUtf8) {
    OutgoingMessage message = basic_message();
    message.text_body = "مرحبا بكم\r\n你好，世界\n.\n..leading dots\nTrailing space \nend = equals";
    const ComposedMessage composed = compose(message, clock_, random_);
    Parsed parsed(composed.bytes);
    EXPECT_EQ(parsed.body_encoding(), "quoted-printable");
    EXPECT_EQ(raw_header(composed.bytes, "Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(
        parsed.body_text(),
        "مرحبا بكم\r\n你好，世界\r\n.\r\n..leading dots\r\nTrailing space \r\nend = equals\r\n");
    // 7-bit all through: it passes relays without 8BITMIME.
    for (unsigned char c : composed.bytes) {
        ASSERT_LT(c, 0x80);
    }
}

TEST_F(Compose, AsciiBodyStaysSevenBit) {
    const ComposedMessage composed = compose(basic_message(), clock_, random_);
    EXPECT_EQ(Parsed(composed.bytes).body_encoding(), "7bit");
    EXPECT_TRUE(composed.bytes.ends_with("\r\n\r\nHello.\r\nPlease confirm.\r\n"))
        << composed.bytes;
}

TEST_F(Compose, EveryLineEndsInCrlfAndStaysShort) {
    OutgoingMessage message = basic_message();
    message.subject = std::string(3000, 'x') + " " + std::string(500, 'y');
    message.text_body = std::string(5000, 'a') + "\rline after a bare CR\n" + repeat("é", 2000);
    const ComposedMessage composed = compose(message, clock_, random_);
    std::size_t line_length = 0;
    for (std::size_t idx = 0; idx < composed.bytes.size(); ++idx) {
        const char c = composed.bytes[idx];
        if (c == '\n') {
            ASSERT_GT(idx, 0U);
            ASSERT_EQ(composed.bytes[idx - 1], '\r') << "bare LF at " << idx;
            line_length = 0;
        } else if (c == '\r') {
            ASSERT_LT(idx + 1, composed.bytes.size());
            ASSERT_EQ(composed.bytes[idx + 1], '\n') << "bare CR at " << idx;
        } else {
            ASSERT_LE(++line_length, 998U) << "RFC 5322 §2.1.1 line limit at " << idx;
        }
    }
    Parsed parsed(composed.bytes);
    EXPECT_EQ(parsed.subject(), message.subject);
    EXPECT_EQ(parsed.body_text(),
              std::string(5000, 'a') + "\r\nline after a bare CR\r\n" + repeat("é", 2000) + "\r\n");
}

TEST_F(Compose, CrLfInSubjectCannotInjectHeaders) {
    OutgoingMessage message = basic_message();
    message.subject = "Hello\r\nBcc: victim@evil.example\r\n\r\nInjected body";
    message.from.display_name = "Eve\nBcc: other@evil.example";
    message.to[0].display_name =
        "\"Bob\" <bob@evil.example>, carol@evil.example\r\nX-Injected: yes";
    message.headers = {{"X-Campaign", "spring\r\nBcc: third@evil.example"}};
    const ComposedMessage composed = compose(message, clock_, random_);
    Parsed parsed(composed.bytes);

    for (const std::string& name : parsed.header_names()) {
        EXPECT_NE(name, "Bcc");
        EXPECT_NE(name, "X-Injected");
    }
    EXPECT_EQ(internet_address_list_length(g_mime_message_get_bcc(parsed.get())), 0);
    InternetAddressList* to = g_mime_message_get_to(parsed.get());
    ASSERT_EQ(internet_address_list_length(to), 1);
    EXPECT_STREQ(internet_address_mailbox_get_addr(
                     INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(to, 0))),
                 "alice@example.org");
    EXPECT_EQ(internet_address_list_length(g_mime_message_get_from(parsed.get())), 1);
    EXPECT_EQ(parsed.subject(), "Hello  Bcc: victim@evil.example    Injected body");
    EXPECT_EQ(parsed.header("X-Campaign"), "spring  Bcc: third@evil.example");
    EXPECT_EQ(parsed.body_text(), "Hello.\r\nPlease confirm.\r\n");
}

TEST_F(Compose, InvalidUtf8AndNulBytesBecomeReplacementCharacters) {
    OutgoingMessage message = basic_message();
    message.subject = std::string("bad \xff\xfe bytes and a NUL \0 here", 29);
    message.text_body = std::string("body \xc3\x28 and \0 NUL", 17);
    const ComposedMessage composed = compose(message, clock_, random_);
    Parsed parsed(composed.bytes);
    EXPECT_TRUE(core::is_valid_utf8(parsed.subject()));
    EXPECT_EQ(parsed.subject(), "bad \uFFFD\uFFFD bytes and a NUL \uFFFD here");
    EXPECT_EQ(parsed.body_text(), "body \uFFFD( and \uFFFD NUL\r\n");
    EXPECT_EQ(composed.bytes.find('\0'), std::string::npos);
}

TEST_F(Compose, ContentLanguageAndExtraHeaders) {
    OutgoingMessage message = basic_message();
    message.language = "ar";
    message.headers = {{"List-Unsubscribe", "<https://coalition.example/unsubscribe/abc>"},
                       {"X-Note", "ملاحظة"}};
    const ComposedMessage composed = compose(message, clock_, random_);
    Parsed parsed(composed.bytes);
    EXPECT_EQ(raw_header(composed.bytes, "Content-Language"), "ar");
    EXPECT_EQ(raw_header(composed.bytes, "List-Unsubscribe"),
              "<https://coalition.example/unsubscribe/abc>");
    EXPECT_EQ(parsed.header("X-Note"), "ملاحظة");
    EXPECT_NE(raw_header(composed.bytes, "X-Note").find("=?UTF-8?"), std::string::npos);

    // A URL too long for one folded line stays as it is, never RFC 2047-encoded.
    const std::string long_url =
        "<https://coalition.example/processes/manage/" + std::string(64, 'f') + "/unfollow>";
    message.headers = {{"List-Unsubscribe", long_url}};
    EXPECT_EQ(raw_header(compose(message, clock_, random_).bytes, "List-Unsubscribe"), long_url);

    message.language = "";
    EXPECT_EQ(raw_header(compose(message, clock_, random_).bytes, "Content-Language"), "");
    message.language = "ar\r\nBcc: x@evil.example";
    EXPECT_EQ(raw_header(compose(message, clock_, random_).bytes, "Content-Language"), "");
}

TEST_F(Compose, DisplayNameWithSpecialsIsOneMailbox) {
    OutgoingMessage message = basic_message();
    message.from.display_name = "Coalition (Secretariat), \"Ops\"; <team>";
    const ComposedMessage composed = compose(message, clock_, random_);
    Parsed parsed(composed.bytes);
    InternetAddressList* from = g_mime_message_get_from(parsed.get());
    ASSERT_EQ(internet_address_list_length(from), 1);
    EXPECT_STREQ(internet_address_get_name(internet_address_list_get_address(from, 0)),
                 "Coalition (Secretariat), \"Ops\"; <team>");
}

TEST(OutgoingJson, RoundTripsEveryFieldWithInternationalAddresses) {
    const OutgoingMessage message{
        .from = {"Secrétariat", *core::Email::parse("noreply@coalition.example")},
        .to = {{"अनिल", *core::Email::parse("अनिल@डाटामेल.भारत")},
               {"", *core::Email::parse("b@example.org")}},
        .subject = "Confirm \"your\" signature\n",
        .text_body = "Line one\nمرحبا\n",
        .headers = {{"List-Unsubscribe", "<https://coalition.example/u/x>"}, {"X-A", "b"}},
        .language = "hi",
    };
    const auto back = outgoing_from_json(to_json(message));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->from.display_name, "Secrétariat");
    EXPECT_EQ(back->from.address.unicode(), "noreply@coalition.example");
    ASSERT_EQ(back->to.size(), 2U);
    EXPECT_EQ(back->to[0].display_name, "अनिल");
    EXPECT_EQ(back->to[0].address.envelope(), message.to[0].address.envelope());
    EXPECT_EQ(back->subject, message.subject);
    EXPECT_EQ(back->text_body, message.text_body);
    EXPECT_EQ(back->headers, message.headers);
    EXPECT_EQ(back->language, "hi");
    EXPECT_EQ(envelope_of(*back).recipients, envelope_of(message).recipients);
}

TEST(OutgoingJson, AnythingElseIsRefused) {
    for (
        const std::string text :
        {"", "not json", "[]", "{}", "{\"from\": {\"name\": \"\", \"address\": \"x\"}}",
         R"({"from": {"name": "", "address": "a@b.example"}, "to": [], "subject": "", "text": "",
              "headers": [], "language": ""})",
         R"({"from": {"name": "", "address": "a@b.example"}, "to": [{"name": "", "address": "no at"}],
              "subject": "", "text": "", "headers": [], "language": ""})",
         R"({"from": {"name": "", "address": "a@b.example"}, "to": [{"name": "", "address": "c@d.example"}],
              "subject": 5, "text": "", "headers": [], "language": ""})"}) {
        EXPECT_FALSE(outgoing_from_json(text)) << text;
    }
}

TEST(ComposeDeathTest, ReservedExtraHeaderIsABug) {
    core::FakeClock clock;
    core::SecureRandom random;
    OutgoingMessage message = basic_message();
    message.headers = {{"Bcc", "x@example.org"}};
    EXPECT_DEATH(static_cast<void>(compose(message, clock, random)), "writes this header itself");
    message.headers = {{"Bad Name", "x"}};
    EXPECT_DEATH(static_cast<void>(compose(message, clock, random)), "header name");
}

}  // namespace
}  // namespace coalition::mail
