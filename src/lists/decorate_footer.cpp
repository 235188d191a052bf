#include "lists/decorate_footer.hpp"

#include "core/text.hpp"

#include <array>
#include <optional>
#include <string>

namespace coalition::lists {
namespace {

using mail::GObjectPtr;

// Every CRLF and lone CR becomes LF.
std::string lf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        if (text[idx] == '\r') {
            out += '\n';
            if (idx + 1 < text.size() && text[idx + 1] == '\n') {
                ++idx;
            }
        } else {
            out += text[idx];
        }
    }
    return out;
}

std::string crlf_lines(std::string_view lf_text) {
    std::string out;
    out.reserve(lf_text.size() + lf_text.size() / 32);
    for (const char c : lf_text) {
        if (c == '\n') {
            out += '\r';
        }
        out += c;
    }
    return out;
}

// The footer as text: valid UTF-8 without NUL, LF line ends, ending with one LF.
std::string footer_text(std::string_view footer) {
    mail::GCharPtr valid(g_utf8_make_valid(footer.data(), static_cast<gssize>(footer.size())));
    std::string text = lf_lines(valid.get());  // g_utf8_make_valid's copy ends at a NUL.
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    return text;
}

std::string decoded_content(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content == nullptr) {
        return {};
    }
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, stream.get());  // Undoes the transfer encoding.
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

void set_content(GMimePart* part, const std::string& bytes) {
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GObjectPtr<GMimeDataWrapper> wrapper(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(part, wrapper.get());
}

bool is_text_plain(GMimeObject* object) {
    GMimeContentType* type = g_mime_object_get_content_type(object);
    return type != nullptr && g_mime_content_type_is_type(type, "text", "plain");
}

// Legacy charsets in which ASCII bytes mean ASCII and appending text cannot change the meaning
// of what came before (stateful ones such as ISO-2022-JP and UTF-16 are not among them).
bool is_ascii_compatible(std::string_view charset) {
    constexpr std::array<std::string_view, 9> kFamilies = {
        "iso-8859-", "windows-125", "cp125", "koi8-", "gb2312", "gbk", "gb18030", "big5", "euc-"};
    for (const auto family : kFamilies) {
        if (charset.starts_with(family)) {
            return true;
        }
    }
    return false;
}

// The footer in `charset`, or nullopt when that charset cannot hold it.
std::optional<std::string> footer_in(const char* charset, const std::string& footer) {
    if (charset == nullptr) {
        return std::nullopt;
    }
    gsize written = 0;
    GError* error = nullptr;
    mail::GCharPtr converted(g_convert(footer.data(), static_cast<gssize>(footer.size()), charset,
                                       "UTF-8", nullptr, &written, &error));
    if (error != nullptr) {
        g_error_free(error);
        return std::nullopt;
    }
    return std::string(converted.get(), written);
}

// True when GMime can write the part's Content-Type again after a parameter changes: it loops
// without end folding a parameter name longer than a line, which only a hostile message has.
bool has_plain_parameters(GMimeObject* object) {
    constexpr std::size_t kMaxNameLength = 32;
    GMimeParamList* parameters =
        g_mime_content_type_get_parameters(g_mime_object_get_content_type(object));
    for (int idx = 0; parameters != nullptr && idx < g_mime_param_list_length(parameters); ++idx) {
        const char* name =
            g_mime_param_get_name(g_mime_param_list_get_parameter_at(parameters, idx));
        if (name == nullptr || std::string_view(name).size() > kMaxNameLength) {
            return false;
        }
    }
    return true;
}

// Appends the footer to a lone text/plain body; false when it cannot be done faithfully, and
// then the part is unchanged.
bool append_to_text(GMimePart* part, const std::string& footer) {
    GMimeObject* object = GMIME_OBJECT(part);
    const char* disposition = g_mime_object_get_disposition(object);
    if (!is_text_plain(object) || !has_plain_parameters(object) ||
        (disposition != nullptr && g_ascii_strcasecmp(disposition, "attachment") == 0)) {
        return false;
    }
    const std::string text = decoded_content(part);
    if (text.find("-----BEGIN PGP") != std::string::npos) {
        return false;  // Inline PGP: keep the armour the last thing in the body.
    }
    const char* declared = g_mime_object_get_content_type_parameter(object, "charset");
    mail::GCharPtr canonical(g_ascii_strdown(
        declared == nullptr ? "us-ascii" : g_mime_charset_canon_name(declared), -1));
    const std::string charset = canonical.get();
    std::optional<std::string> addition;
    bool becomes_utf8 = false;
    if (charset == "us-ascii" || charset == "utf-8") {
        if (!core::is_valid_utf8(text)) {
            return false;
        }
        addition = footer;
        becomes_utf8 = charset == "us-ascii" && !(core::is_ascii(text) && core::is_ascii(footer));
    } else if (is_ascii_compatible(charset)) {
        addition = footer_in(charset.c_str(), footer);
    }
    if (!addition) {
        return false;
    }
    std::string body = lf_lines(text);
    if (!body.empty() && body.back() != '\n') {
        body += '\n';
    }
    body += *addition;
    const GMimeContentEncoding encoding = g_mime_part_get_content_encoding(part);
    if (encoding == GMIME_CONTENT_ENCODING_BASE64) {
        body = crlf_lines(body);  // RFC 2045 §6.8: text is encoded in its canonical CRLF form.
    }
    set_content(part, body);
    if (becomes_utf8) {
        g_mime_object_set_content_type_parameter(object, "charset", "utf-8");
    }
    if ((encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT) &&
        !core::is_ascii(body)) {
        g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    }
    return true;
}

GObjectPtr<GMimeObject> footer_part(const std::string& footer) {
    GMimeTextPart* text = g_mime_text_part_new_with_subtype("plain");
    GObjectPtr<GMimeObject> part(GMIME_OBJECT(text));
    g_mime_text_part_set_charset(text, "utf-8");
    set_content(GMIME_PART(text), footer);
    g_mime_part_set_content_encoding(
        GMIME_PART(text), core::is_ascii(footer) ? GMIME_CONTENT_ENCODING_7BIT
                                                 : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    g_mime_object_set_disposition(part.get(), "inline");
    return part;
}

bool is_plain_mixed(GMimeObject* object) {
    GMimeContentType* type = g_mime_object_get_content_type(object);
    return GMIME_IS_MULTIPART(object) && !GMIME_IS_MULTIPART_SIGNED(object) &&
           !GMIME_IS_MULTIPART_ENCRYPTED(object) && type != nullptr &&
           g_mime_content_type_is_type(type, "multipart", "mixed");
}

}  // namespace

void add_footer(GMimeMessage* message, std::string_view footer) {
    const std::string text = footer_text(footer);
    if (core::trim(text).empty()) {
        return;
    }
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body == nullptr) {
        g_mime_message_set_mime_part(message, footer_part(text).get());
        return;
    }
    if (GMIME_IS_PART(body) && !GMIME_IS_MULTIPART(body) &&
        append_to_text(GMIME_PART(body), text)) {
        return;
    }
    if (is_plain_mixed(body)) {
        g_mime_multipart_add(GMIME_MULTIPART(body), footer_part(text).get());
        return;
    }
    // The original body becomes the first part, byte for byte (RFC 1847 §2.1: a signed part
    // must not change), and the footer follows it.
    GObjectPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.get(), body);
    g_mime_multipart_add(mixed.get(), footer_part(text).get());
    g_mime_message_set_mime_part(message, GMIME_OBJECT(mixed.get()));
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    if (!g_mime_header_list_contains(headers, "MIME-Version")) {
        g_mime_object_set_header(GMIME_OBJECT(message), "MIME-Version", "1.0", nullptr);
    }
}

}  // namespace coalition::lists
