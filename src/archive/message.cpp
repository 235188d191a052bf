#include "archive/message.hpp"

#include "archive/html_text.hpp"
#include "core/text.hpp"
#include "mail/gmime_support.hpp"

#include <algorithm>
#include <string>

namespace coalition::archive {
namespace {

using mail::GCharPtr;
using mail::GObjectPtr;

constexpr std::size_t kMaxHeaderBytes = 998;     // RFC 5322 §2.1.1's line limit.
constexpr std::size_t kMaxMessageIdBytes = 250;  // As lists/ keeps them.
constexpr std::size_t kMaxReferences = 200;      // The nearest ancestors are the last ones.
constexpr std::size_t kMaxTextBytes =
    std::size_t{4} * 1024 * 1024;  // Of the text kept for display/search.
constexpr std::size_t kMaxFilenameBytes = 200;
constexpr int kMaxPartDepth = 32;
// 1980-01-01T00:00:00Z: nothing on a list was sent before it; an older date is a broken clock.
constexpr std::int64_t kEarliestDate = 315532800;
// 2100-01-01: a parseable date past this is broken whatever the arrival time (store also refuses
// a date more than two days after arrival).
constexpr std::int64_t kLatestDate = 4102444800;

std::string c_string(const char* text) {
    return text != nullptr ? std::string(text) : std::string();
}

// Valid UTF-8 (invalid sequences become U+FFFD), NUL and other control characters a space (line
// breaks and tabs kept when `keep_lines`), NFC, at most `max_bytes` cut on a character boundary.
std::string clean(std::string_view text, std::size_t max_bytes, bool keep_lines = false) {
    std::string bytes(text.substr(0, std::min(text.size(), max_bytes * 4)));
    // g_utf8_make_valid stops at a NUL; mail may carry them anywhere.
    std::replace(bytes.begin(), bytes.end(), '\0', ' ');
    GCharPtr valid(g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size())));
    std::string out(valid.get());
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        const bool line = c == '\n' || c == '\t';
        if ((byte < 0x20 || byte == 0x7f) && !(keep_lines && line)) {
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

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

// A Message-ID as kept: no whitespace, control characters or angle brackets, at most
// kMaxMessageIdBytes; "" otherwise.
std::string usable_id(std::string_view id) {
    std::string cleaned = core::trim(clean(id, kMaxHeaderBytes));
    if (cleaned.empty() || cleaned.size() > kMaxMessageIdBytes) {
        return {};
    }
    for (const char c : cleaned) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>') {
            return {};
        }
    }
    return cleaned;
}

// Every <…> in `value` in order, junk between them ignored. A value without any <…> is read as
// whitespace-separated words holding an '@' (some clients omit the brackets).
std::vector<std::string> message_ids(std::string_view value) {
    std::vector<std::string> ids;
    std::size_t position = 0;
    bool bracketed = false;
    while (true) {
        const auto open = value.find('<', position);
        if (open == std::string_view::npos) {
            break;
        }
        const auto close = value.find('>', open + 1);
        if (close == std::string_view::npos) {
            break;
        }
        bracketed = true;
        // A '<' inside (junk such as "<<a@b>") restarts at the innermost one.
        const auto inner = value.rfind('<', close);
        std::string id = usable_id(value.substr(inner + 1, close - inner - 1));
        if (!id.empty()) {
            ids.push_back(std::move(id));
        }
        position = close + 1;
    }
    if (!bracketed) {
        std::size_t start = 0;
        while (start < value.size()) {
            auto end = value.find_first_of(" \t\r\n,", start);
            if (end == std::string_view::npos) {
                end = value.size();
            }
            const std::string_view word = value.substr(start, end - start);
            if (word.find('@') != std::string_view::npos) {
                std::string id = usable_id(word);
                if (!id.empty()) {
                    ids.push_back(std::move(id));
                }
            }
            start = end + 1;
        }
    }
    return ids;
}

std::string header_value(GMimeObject* object, const char* name) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(object);
    GMimeHeader* header = g_mime_header_list_get_header(headers, name);
    return header != nullptr ? c_string(g_mime_header_get_value(header)) : std::string();
}

bool has_header_fields(GMimeMessage* message) {
    GMimeObject* body = g_mime_message_get_mime_part(message);
    return g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message))) > 0 ||
           (body != nullptr &&
            g_mime_header_list_get_count(g_mime_object_get_header_list(body)) > 0);
}

std::optional<std::int64_t> read_date(GMimeMessage* message) {
    const std::string value = header_value(GMIME_OBJECT(message), "Date");
    if (core::trim(value).empty()) {
        return std::nullopt;
    }
    mail::GDateTimePtr date(g_mime_utils_header_decode_date(value.c_str()));
    if (!date) {
        return std::nullopt;
    }
    const std::int64_t seconds = g_date_time_to_unix(date.get());
    if (seconds < kEarliestDate || seconds > kLatestDate) {
        return std::nullopt;
    }
    return seconds;
}

bool read_mailbox(InternetAddressList* list, int depth, ParsedMessage& parsed) {
    if (list == nullptr || depth > 2) {
        return false;
    }
    const int count = internet_address_list_length(list);
    for (int address_idx = 0; address_idx < count; ++address_idx) {
        InternetAddress* address = internet_address_list_get_address(list, address_idx);
        if (INTERNET_ADDRESS_IS_GROUP(address)) {
            if (read_mailbox(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)),
                             depth + 1, parsed)) {
                return true;
            }
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(address)) {
            continue;
        }
        parsed.author_email = core::trim(
            clean(c_string(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))),
                  kMaxHeaderBytes));
        parsed.author_name =
            core::trim(clean(c_string(internet_address_get_name(address)), kMaxHeaderBytes));
        return true;
    }
    return false;
}

// The decoded bytes of a leaf part (transfer encoding undone, charset untouched).
std::string decoded_content(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content == nullptr) {
        return {};
    }
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, stream.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    if (bytes == nullptr || bytes->len == 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// `bytes` in `charset` as UTF-8. Unknown charsets and bytes invalid in theirs fall back to UTF-8
// when the bytes are that, else to Windows-1252, else to ISO-8859-1 (which maps every byte).
std::string to_utf8(const std::string& bytes, const std::string& charset) {
    const std::string lowered = ascii_lower(core::trim(charset));
    const bool unicode = lowered.empty() || lowered == "utf-8" || lowered == "utf8" ||
                         lowered == "us-ascii" || lowered == "ascii";
    auto convert = [&](const char* from) -> std::optional<std::string> {
        gsize written = 0;
        GError* error = nullptr;
        GCharPtr out(g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from,
                               nullptr, &written, &error));
        if (error != nullptr) {
            g_error_free(error);
            return std::nullopt;
        }
        return std::string(out.get(), written);
    };
    if (!unicode) {
        const char* name = g_mime_charset_iconv_name(lowered.c_str());
        if (auto converted = convert(name != nullptr ? name : lowered.c_str())) {
            return *converted;
        }
    }
    if (core::is_valid_utf8(bytes)) {
        return bytes;
    }
    if (auto converted = convert("WINDOWS-1252")) {
        return *converted;
    }
    if (auto converted = convert("ISO-8859-1")) {
        return *converted;
    }
    return bytes;  // clean() makes it valid.
}

std::string sanitised_filename(const char* name) {
    std::string file = clean(c_string(name), kMaxFilenameBytes * 2);
    const auto slash = file.find_last_of("/\\");
    if (slash != std::string::npos) {
        file = file.substr(slash + 1);
    }
    file = core::trim(file);
    // No hidden files and no "." or "..".
    while (!file.empty() && file.front() == '.') {
        file.erase(0, 1);
    }
    for (char& c : file) {
        if (c == ':' || c == '"' || c == '<' || c == '>' || c == '|' || c == '*' || c == '?') {
            c = '_';
        }
    }
    return clean(file, kMaxFilenameBytes);
}

// Collects the text and the attachments of a MIME tree, in order. In a multipart/alternative
// with a text/plain part the HTML alternatives are skipped; any other HTML part becomes text.
struct Walk {
    bool with_bytes = false;
    std::string text;
    std::vector<Attachment> attachments;

    void append(const std::string& more) {
        if (text.size() >= kMaxTextBytes || core::trim(more).empty()) {
            return;
        }
        if (!text.empty()) {
            text += text.back() == '\n' ? "\n" : "\n\n";
        }
        text += more;
    }

    void add_attachment(GMimeObject* object, std::string bytes, const char* filename) {
        Attachment attachment;
        attachment.index = attachments.size();
        GMimeContentType* type = g_mime_object_get_content_type(object);
        GCharPtr mime(type != nullptr ? g_mime_content_type_get_mime_type(type) : nullptr);
        attachment.content_type =
            ascii_lower(clean(mime ? mime.get() : "application/octet-stream", 255));
        attachment.filename = sanitised_filename(filename);
        attachment.size = bytes.size();
        if (with_bytes) {
            attachment.bytes = std::move(bytes);
        }
        attachments.push_back(std::move(attachment));
    }

    static bool is_type(GMimeObject* object, const char* type, const char* subtype) {
        GMimeContentType* content_type = g_mime_object_get_content_type(object);
        return content_type != nullptr && g_mime_content_type_is_type(content_type, type, subtype);
    }

    static bool is_attachment(GMimeObject* object) {
        GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
        return disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
    }

    void visit(GMimeObject* object, int depth, bool skip_html) {
        if (object == nullptr || depth > kMaxPartDepth) {
            return;
        }
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(multipart);
            bool has_plain = false;
            if (is_type(object, "multipart", "alternative")) {
                for (int part_idx = 0; part_idx < count; ++part_idx) {
                    GMimeObject* part = g_mime_multipart_get_part(multipart, part_idx);
                    has_plain |= GMIME_IS_PART(part) && is_type(part, "text", "plain") &&
                                 !is_attachment(part);
                }
            }
            for (int part_idx = 0; part_idx < count; ++part_idx) {
                visit(g_mime_multipart_get_part(multipart, part_idx), depth + 1, has_plain);
            }
            return;
        }
        if (GMIME_IS_MESSAGE_PART(object)) {
            // A forwarded message: kept whole as an attachment (message/rfc822).
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
            std::string bytes;
            if (inner != nullptr) {
                GCharPtr serialised(g_mime_object_to_string(GMIME_OBJECT(inner), nullptr));
                bytes = c_string(serialised.get());
            }
            add_attachment(object, std::move(bytes), nullptr);
            return;
        }
        if (!GMIME_IS_PART(object)) {
            return;
        }
        GMimePart* part = GMIME_PART(object);
        GMimeContentType* type = g_mime_object_get_content_type(object);
        const bool is_text = type == nullptr || g_mime_content_type_is_type(type, "text", "*");
        const bool is_html = is_type(object, "text", "html");
        if (is_text && !is_attachment(object)) {
            if (is_html && skip_html) {
                return;
            }
            const std::string charset =
                type != nullptr ? c_string(g_mime_content_type_get_parameter(type, "charset")) : "";
            const std::string decoded = to_utf8(decoded_content(part), charset);
            append(is_html ? html_to_text(decoded) : decoded);
            return;
        }
        add_attachment(object, decoded_content(part), g_mime_part_get_filename(part));
    }
};

}  // namespace

ParsedMessage parse_message(std::string_view raw, bool with_attachment_bytes) {
    ParsedMessage parsed;
    parsed.parseable = false;
    if (raw.empty()) {
        return parsed;
    }
    mail::ensure_gmime_initialised();
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message || !has_header_fields(message.get())) {
        return parsed;
    }
    parsed.parseable = true;
    GMimeObject* object = GMIME_OBJECT(message.get());

    const auto ids = message_ids(header_value(object, "Message-ID"));
    parsed.message_id = ids.empty() ? std::string() : ids.front();
    parsed.date = read_date(message.get());
    read_mailbox(g_mime_message_get_from(message.get()), 0, parsed);
    if (parsed.author_email.empty()) {
        read_mailbox(g_mime_message_get_sender(message.get()), 0, parsed);
    }
    parsed.subject =
        core::trim(clean(c_string(g_mime_message_get_subject(message.get())), kMaxHeaderBytes * 4));

    const auto reply_to = message_ids(header_value(object, "In-Reply-To"));
    parsed.in_reply_to = reply_to.empty() ? std::string() : reply_to.front();
    for (auto& id : message_ids(header_value(object, "References"))) {
        // Duplicates and the message's own id are noise; the first occurrence keeps its place.
        if (id != parsed.message_id && std::find(parsed.references.begin(), parsed.references.end(),
                                                 id) == parsed.references.end()) {
            parsed.references.push_back(std::move(id));
        }
    }
    if (parsed.references.size() > kMaxReferences) {
        parsed.references.erase(parsed.references.begin(),
                                parsed.references.end() - kMaxReferences);
    }
    if (parsed.in_reply_to == parsed.message_id) {
        parsed.in_reply_to.clear();
    }

    Walk walk;
    walk.with_bytes = with_attachment_bytes;
    walk.visit(g_mime_message_get_mime_part(message.get()), 0, false);
    // Lines end in LF only.
    walk.text.erase(std::remove(walk.text.begin(), walk.text.end(), '\r'), walk.text.end());
    parsed.text = clean(walk.text, kMaxTextBytes, true);
    parsed.attachments = std::move(walk.attachments);
    return parsed;
}

std::string base_subject(std::string_view subject) {
    std::string text = core::trim(subject);
    static constexpr std::string_view kPrefixes[] = {"re", "aw", "fwd", "fw", "sv", "antw"};
    bool stripped = true;
    while (stripped && !text.empty()) {
        stripped = false;
        if (text.front() == '[') {
            const auto close = text.find(']');
            if (close != std::string::npos) {
                text = core::trim(std::string_view(text).substr(close + 1));
                stripped = true;
                continue;
            }
        }
        const std::string lowered =
            ascii_lower(text.substr(0, std::min<std::size_t>(text.size(), 16)));
        for (const auto prefix : kPrefixes) {
            if (lowered.rfind(prefix, 0) != 0) {
                continue;
            }
            std::size_t at = prefix.size();
            // "Re[2]:" and "Re^2:" count the replies.
            if (at < lowered.size() && (lowered[at] == '[' || lowered[at] == '^')) {
                std::size_t digits = at + 1;
                while (digits < lowered.size() && lowered[digits] >= '0' &&
                       lowered[digits] <= '9') {
                    ++digits;
                }
                if (digits < lowered.size() && lowered[at] == '[' && lowered[digits] == ']') {
                    ++digits;
                }
                at = digits;
            }
            while (at < lowered.size() && lowered[at] == ' ') {
                ++at;
            }
            if (at < lowered.size() && (lowered[at] == ':' || lowered[at] == '\xef')) {
                // ':' or the full-width colon U+FF1A (EF BC 9A).
                if (lowered[at] == ':') {
                    text = core::trim(std::string_view(text).substr(at + 1));
                    stripped = true;
                } else if (text.compare(at, 3, "\xef\xbc\x9a") == 0) {
                    text = core::trim(std::string_view(text).substr(at + 3));
                    stripped = true;
                }
                break;
            }
        }
    }
    // Collapse white space runs to one space.
    std::string collapsed;
    bool in_space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            in_space = true;
            continue;
        }
        if (in_space && !collapsed.empty()) {
            collapsed += ' ';
        }
        in_space = false;
        collapsed += c;
    }
    if (!core::is_valid_utf8(collapsed)) {
        collapsed = clean(collapsed, collapsed.size());
    }
    return core::to_lower(collapsed);
}

}  // namespace coalition::archive
