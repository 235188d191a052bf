#include "lists/incoming.hpp"

#include "core/text.hpp"
#include "mail/gmime_support.hpp"

#include <algorithm>
#include <string>

namespace coalition::lists {
namespace {

using mail::GObjectPtr;

constexpr std::size_t kMaxHeaderText = 998;   // RFC 5322 §2.1.1's line limit.
constexpr std::size_t kMaxLineText = 1000;    // One body line kept for the command rules.
constexpr int kMaxPartDepth = 8;              // Nested multiparts searched for the text part.
constexpr std::size_t kMaxTextBytes = 65536;  // Of the text part read for lines.

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

std::string c_string(const char* text) {
    return text != nullptr ? std::string(text) : std::string();
}

// The value inside the first <…>, or the whole value trimmed when it has none.
std::string bracketed(std::string_view value) {
    const auto open = value.find('<');
    const auto close = value.find('>', open == std::string_view::npos ? 0 : open);
    if (open != std::string_view::npos && close != std::string_view::npos) {
        return core::trim(value.substr(open + 1, close - open - 1));
    }
    return core::trim(value);
}

GMimeTextPart* first_text_part(GMimeObject* object, int depth) {
    if (object == nullptr || depth > kMaxPartDepth) {
        return nullptr;
    }
    if (GMIME_IS_TEXT_PART(object)) {
        GMimeContentType* type = g_mime_object_get_content_type(object);
        if (type == nullptr || g_mime_content_type_is_type(type, "text", "plain")) {
            return GMIME_TEXT_PART(object);
        }
        return nullptr;
    }
    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart* multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int part_idx = 0; part_idx < count; ++part_idx) {
            if (auto* found =
                    first_text_part(g_mime_multipart_get_part(multipart, part_idx), depth + 1)) {
                return found;
            }
        }
    }
    return nullptr;
}

void read_text_lines(GMimeMessage* message, IncomingMessage& incoming) {
    GMimeTextPart* part = first_text_part(g_mime_message_get_mime_part(message), 0);
    if (part == nullptr) {
        return;
    }
    // g_mime_text_part_get_text decodes the transfer encoding and converts the charset to UTF-8.
    mail::GCharPtr text(g_mime_text_part_get_text(part));
    if (!text) {
        return;
    }
    const std::string_view whole(text.get());
    const std::string_view body = whole.substr(0, std::min(whole.size(), kMaxTextBytes));
    std::size_t start = 0;
    while (start < body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string_view::npos) {
            end = body.size();
        }
        std::string line = core::trim(clean_text(body.substr(start, end - start), kMaxLineText));
        start = end + 1;
        if (line.empty()) {
            continue;
        }
        ++incoming.text_line_count;
        if (incoming.text_lines.size() < kMaxTextLines) {
            incoming.text_lines.push_back(std::move(line));
        }
    }
}

void read_from(GMimeMessage* message, IncomingMessage& incoming) {
    InternetAddressList* from = g_mime_message_get_from(message);
    if (from == nullptr) {
        return;
    }
    const int count = internet_address_list_length(from);
    for (int address_idx = 0; address_idx < count; ++address_idx) {
        InternetAddress* address = internet_address_list_get_address(from, address_idx);
        if (!INTERNET_ADDRESS_IS_MAILBOX(address)) {
            continue;
        }
        const std::string addr =
            c_string(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
        incoming.author_text = clean_text(addr, kMaxHeaderText);
        incoming.author_name =
            core::trim(clean_text(c_string(internet_address_get_name(address)), kMaxHeaderText));
        if (auto email = core::Email::parse(incoming.author_text)) {
            incoming.author = std::move(*email);
        }
        return;
    }
}

void read_headers(GMimeMessage* message, IncomingMessage& incoming) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    const int count = g_mime_header_list_get_count(headers);
    for (int header_idx = 0; header_idx < count; ++header_idx) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, header_idx);
        const std::string name = lower(c_string(g_mime_header_get_name(header)));
        const std::string value = clean_text(c_string(g_mime_header_get_value(header)), 4096);
        if (name == "list-id") {
            incoming.list_ids.push_back(lower(bracketed(value)));
        } else if (name == "x-coalition-loop") {
            incoming.loop_marks.push_back(lower(core::trim(value)));
        } else if (name == "auto-submitted") {
            const std::string kind = lower(core::trim(value));
            if (!kind.empty() && kind.rfind("no", 0) != 0) {
                incoming.is_automatic = true;
            }
        } else if (name == "precedence") {
            const std::string kind = lower(core::trim(value));
            if (kind == "bulk" || kind == "junk" || kind == "list") {
                incoming.is_automatic = true;
            }
        }
    }
}

std::string header_value(GMimeHeaderList* headers, const char* name) {
    GMimeHeader* header = g_mime_header_list_get_header(headers, name);
    return header != nullptr ? c_string(g_mime_header_get_value(header)) : std::string();
}

// RFC 5322 §3.5: a message has at least one header field. GMime keeps the Content-* fields of a
// single-part body with that part.
bool has_header_fields(GMimeMessage* message) {
    GMimeObject* body = g_mime_message_get_mime_part(message);
    return g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message))) > 0 ||
           (body != nullptr &&
            g_mime_header_list_get_count(g_mime_object_get_header_list(body)) > 0);
}

}  // namespace

std::string clean_text(std::string_view text, std::size_t max_bytes, bool keep_lines) {
    std::string bytes(text.substr(0, std::min(text.size(), max_bytes * 4)));
    // g_utf8_make_valid would stop at a NUL; mail may carry them anywhere.
    std::replace(bytes.begin(), bytes.end(), '\0', ' ');
    mail::GCharPtr valid(g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size())));
    std::string out(valid.get());
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        const bool line_break = c == '\n' || c == '\r' || c == '\t';
        if ((byte < 0x20 || byte == 0x7f) && !(keep_lines && line_break)) {
            c = ' ';
        }
    }
    out = core::to_nfc(out);
    if (out.size() > max_bytes) {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
    }
    return out;
}

std::string normalise_message_id(std::string_view value) {
    std::string id = bracketed(value);
    if (id.empty() || id.size() > kMaxMessageIdLength) {
        return {};
    }
    for (const char c : id) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '<' || c == '>') {
            return {};
        }
    }
    return id;
}

core::Result<IncomingMessage> read_incoming(std::string_view raw) {
    const core::Error not_a_message = core::Error::invalid("This is not a mail message.");
    if (raw.empty()) {
        return not_a_message;
    }
    mail::ensure_gmime_initialised();
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message || !has_header_fields(message.get())) {
        return not_a_message;
    }
    IncomingMessage incoming;
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
    // The raw header, not g_mime_message_get_message_id: that one decodes a malformed value into
    // something else, and the duplicate rule must compare what the author's client wrote.
    incoming.message_id =
        normalise_message_id(clean_text(header_value(headers, "Message-ID"), kMaxHeaderText));
    incoming.subject =
        core::trim(clean_text(c_string(g_mime_message_get_subject(message.get())), kMaxHeaderText));
    read_from(message.get(), incoming);
    read_headers(message.get(), incoming);
    read_text_lines(message.get(), incoming);
    return incoming;
}

}  // namespace coalition::lists
