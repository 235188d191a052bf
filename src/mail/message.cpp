#include "mail/message.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "mail/gmime_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace coalition::mail {
namespace {

// Fields compose() writes itself; an extra header with one of these names is a caller's bug.
// Bcc would reveal the blind recipients to everyone.
constexpr std::array<std::string_view, 11> kReservedFields = {"from",
                                                              "to",
                                                              "cc",
                                                              "bcc",
                                                              "subject",
                                                              "date",
                                                              "message-id",
                                                              "mime-version",
                                                              "content-type",
                                                              "content-transfer-encoding",
                                                              "content-language"};

std::string lower_ascii(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

// RFC 5322 §3.6.8: a field name is printable ASCII except the colon.
bool is_field_name(std::string_view name) {
    if (name.empty() || name.size() > 76) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return c > 32 && c < 127 && c != ':'; });
}

// A BCP 47 tag's shape: ASCII letters, digits and hyphens (RFC 3282 Content-Language).
bool is_language_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 35 || tag.front() == '-' || tag.back() == '-') {
        return false;
    }
    return std::all_of(tag.begin(), tag.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

// Longer ASCII values are left to GMime's folding (RFC 5322 caps a line at 998 octets).
constexpr std::size_t kMaxRawHeaderValue = 900;

// Body text with every line ending as LF (GMime writes them as CRLF) and valid UTF-8.
std::string normalised_body(std::string_view text) {
    GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
    std::string body;
    const std::string_view source(valid.get());
    body.reserve(source.size() + 1);
    for (std::size_t idx = 0; idx < source.size(); ++idx) {
        if (source[idx] == '\r') {
            body += '\n';
            if (idx + 1 < source.size() && source[idx + 1] == '\n') {
                ++idx;
            }
        } else {
            body += source[idx];
        }
    }
    if (body.empty() || body.back() != '\n') {
        body += '\n';
    }
    return body;
}

// RFC 5322 §3.4: a line of 998 octets at most; longer lines need an encoding.
bool has_long_line(std::string_view text) {
    std::size_t line_length = 0;
    for (char c : text) {
        line_length = c == '\n' ? 0 : line_length + 1;
        if (line_length > 998) {
            return true;
        }
    }
    return false;
}

// Adds `mailbox` to `list` with its display name encoded as UTF-8 (GMime otherwise picks the
// smallest legacy charset: iso-8859-6 for Arabic) and its domain as an A-label.
void add_mailbox(InternetAddressList* list, const Mailbox& mailbox) {
    const std::string name = header_safe_text(mailbox.display_name);
    const std::string address = mailbox.address.envelope();
    GObjectPtr<InternetAddress> entry(
        internet_address_mailbox_new(name.empty() ? nullptr : name.c_str(), address.c_str()));
    internet_address_set_charset(entry.get(), "utf-8");
    internet_address_list_add(list, entry.get());
}

GObjectPtr<GMimePart> text_part(const std::string& text) {
    GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype("plain"));
    const std::string body = normalised_body(text);
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
    GObjectPtr<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(GMIME_PART(part.get()), content.get());
    // Always UTF-8: g_mime_text_part_set_text would choose a legacy charset for Latin text.
    g_mime_text_part_set_charset(part.get(), "utf-8");
    // Quoted-printable keeps non-ASCII text intact through relays without 8BITMIME.
    const bool needs_encoding = !core::is_ascii(body) || has_long_line(body);
    g_mime_part_set_content_encoding(
        GMIME_PART(part.get()),
        needs_encoding ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE : GMIME_CONTENT_ENCODING_7BIT);
    return GObjectPtr<GMimePart>(GMIME_PART(part.release()));
}

std::string to_crlf_string(GMimeObject* object) {
    FormatOptionsPtr options(g_mime_format_options_new());
    g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_object_write_to_stream(object, options.get(), stream.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

}  // namespace

ComposedMessage compose(const OutgoingMessage& message, const core::Clock& clock,
                        core::Random& random) {
    return compose(message, clock, new_message_id(message, random));
}

std::string new_message_id(const OutgoingMessage& message, core::Random& random) {
    // RFC 5322 §3.6.4: a unique left part at a domain the sender controls. base64url is atext.
    return random.token(18) + "@" + message.from.address.domain().ascii();
}

Envelope envelope_of(const OutgoingMessage& message) {
    Envelope envelope;
    envelope.mail_from = message.from.address.envelope();
    envelope.needs_smtputf8 = message.from.address.needs_smtputf8();
    for (const Mailbox& recipient : message.to) {
        envelope.recipients.push_back(recipient.address.envelope());
        envelope.needs_smtputf8 = envelope.needs_smtputf8 || recipient.address.needs_smtputf8();
    }
    return envelope;
}

ComposedMessage compose(const OutgoingMessage& message, const core::Clock& clock,
                        std::string message_id) {
    COALITION_ASSERT(!message.to.empty(), "a message needs at least one recipient");
    ensure_gmime_initialised();

    GObjectPtr<GMimeMessage> mime(g_mime_message_new(TRUE));
    GMimeObject* object = GMIME_OBJECT(mime.get());

    add_mailbox(g_mime_message_get_from(mime.get()), message.from);
    for (const Mailbox& recipient : message.to) {
        add_mailbox(g_mime_message_get_to(mime.get()), recipient);
    }
    g_mime_message_set_subject(mime.get(), header_safe_text(message.subject).c_str(), "utf-8");

    // g_mime_message_new sets neither Date nor Message-ID (RFC 5322 §3.6 requires Date and
    // recommends Message-ID).
    GDateTimePtr date(g_date_time_new_from_unix_utc(clock.unix_now()));
    g_mime_message_set_date(mime.get(), date.get());

    ComposedMessage composed;
    composed.message_id = std::move(message_id);
    g_mime_message_set_message_id(mime.get(), composed.message_id.c_str());

    if (is_language_tag(message.language)) {
        g_mime_object_set_header(object, "Content-Language", message.language.c_str(), nullptr);
    }
    for (const auto& [name, value] : message.headers) {
        COALITION_ASSERT(is_field_name(name),
                         "an extra header name must be printable ASCII without ':'");
        COALITION_ASSERT(std::find(kReservedFields.begin(), kReservedFields.end(),
                                   lower_ascii(name)) == kReservedFields.end(),
                         "compose() writes this header itself");
        const std::string safe = header_safe_text(value);
        g_mime_object_append_header(object, name.c_str(), safe.c_str(), "utf-8");
        if (core::is_ascii(safe) && safe.size() <= kMaxRawHeaderValue) {
            // As given: GMime would RFC 2047-encode a long unbreakable ASCII value (a URL in
            // List-Unsubscribe), which mail clients then cannot read.
            GMimeHeaderList* list = g_mime_object_get_header_list(object);
            GMimeHeader* added =
                g_mime_header_list_get_header_at(list, g_mime_header_list_get_count(list) - 1);
            g_mime_header_set_raw_value(added, (" " + safe + "\n").c_str());
        }
    }

    GObjectPtr<GMimePart> body = text_part(message.text_body);
    g_mime_message_set_mime_part(mime.get(), GMIME_OBJECT(body.get()));

    composed.bytes = to_crlf_string(object);

    composed.envelope = envelope_of(message);
    return composed;
}

namespace {

nlohmann::json mailbox_json(const Mailbox& mailbox) {
    return {{"name", mailbox.display_name}, {"address", mailbox.address.unicode()}};
}

std::optional<Mailbox> mailbox_from(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("name") || !json.contains("address") ||
        !json["name"].is_string() || !json["address"].is_string()) {
        return std::nullopt;
    }
    auto address = core::Email::parse(json["address"].get<std::string>());
    if (!address) {
        return std::nullopt;
    }
    return Mailbox{json["name"].get<std::string>(), std::move(*address)};
}

}  // namespace

std::string to_json(const OutgoingMessage& message) {
    nlohmann::json to = nlohmann::json::array();
    for (const Mailbox& recipient : message.to) {
        to.push_back(mailbox_json(recipient));
    }
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, value] : message.headers) {
        headers.push_back({name, value});
    }
    return nlohmann::json{{"from", mailbox_json(message.from)}, {"to", std::move(to)},
                          {"subject", message.subject},         {"text", message.text_body},
                          {"headers", std::move(headers)},      {"language", message.language}}
        .dump();
}

std::optional<OutgoingMessage> outgoing_from_json(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    try {
        auto from = mailbox_from(json.at("from"));
        if (!from) {
            return std::nullopt;
        }
        OutgoingMessage message{.from = std::move(*from),
                                .to = {},
                                .subject = json.at("subject").get<std::string>(),
                                .text_body = json.at("text").get<std::string>(),
                                .headers = {},
                                .language = json.at("language").get<std::string>()};
        for (const auto& recipient : json.at("to")) {
            auto mailbox = mailbox_from(recipient);
            if (!mailbox) {
                return std::nullopt;
            }
            message.to.push_back(std::move(*mailbox));
        }
        for (const auto& header : json.at("headers")) {
            message.headers.emplace_back(header.at(0).get<std::string>(),
                                         header.at(1).get<std::string>());
        }
        if (message.to.empty()) {
            return std::nullopt;
        }
        return message;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace coalition::mail
